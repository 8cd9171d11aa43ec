"""Running the generator on a spec fragment, and reading what it wrote (for tests/codegen; conftest.py
puts codegen/ on the path)."""

from __future__ import annotations

import ast
from typing import Any

from config import parse_config
from generate import Generator
from spec import Spec


def generate(schemas: dict[str, Any], paths: dict[str, Any] | None = None, **config: Any) -> dict[str, str]:
    """Every file the generator writes for this fragment (relative path -> source, before formatting)."""
    doc = {"paths": paths or {}, "components": {"schemas": schemas}}
    return Generator(Spec(doc), parse_config({"surface_version": "1.0", **config})).run().files


def types_file(files: dict[str, str], module: str) -> str:
    """`widget` -> the source of src/pyopenai/types/widget.py."""
    return files[f"src/pyopenai/types/{module.replace('.', '/')}.py"]


def definitions(source: str) -> dict[str, dict[str, str] | str]:
    """Top-level definitions: a class -> {field: annotation}; an alias -> its value."""
    out: dict[str, dict[str, str] | str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            out[node.name] = {s.target.id: ast.unparse(s.annotation) for s in node.body
                              if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            out[node.target.id] = ast.unparse(node.value)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.unparse(node.value)
    return out


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def answers(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": json_body(schema)}


def path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
