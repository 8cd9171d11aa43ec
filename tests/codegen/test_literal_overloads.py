"""Config `returns_by`: overloads that choose the return type by a literal argument (issue 12), as the
official SDK types `audio.transcriptions.create(response_format="text") -> str`."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from fragments import answers, generate, json_body, ref

BRIEF = {"type": "object", "properties": {"id": {"type": "string"}}}
FULL = {"type": "object", "properties": {"id": {"type": "string"}, "parts": {"type": "array", "items": {"type": "string"}}}}
BODY = {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string"},
    "format": {"type": "string", "enum": ["full", "brief", "text", "csv"], "default": "full"},
}}
PATHS = {"/widgets": {"post": {"requestBody": json_body(BODY), "responses": answers({"anyOf": [ref("Full"), ref("Brief")]})}}}
CASES = [{"values": ["full"], "returns": "Full"}, {"values": ["brief"], "returns": "Brief"},
         {"values": ["text", "csv"], "returns": "str"}]


def overloads(returns_by: dict[str, Any]) -> list[tuple[str, str]]:
    """(the `format` parameter with its default, the return annotation) of each sync `create` overload."""
    files = generate({"Full": FULL, "Brief": BRIEF}, paths=PATHS,
                     types={"types": {"Full": None, "Brief": None}},
                     method_overrides={"POST /widgets": {"returns_by": returns_by}})
    tree = ast.parse(files["src/pyopenai/resources/widgets.py"])
    sync = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Widgets")
    found: list[tuple[str, str]] = []
    for node in sync.body:
        if isinstance(node, ast.FunctionDef) and node.name == "create":
            args = node.args
            index = [a.arg for a in args.kwonlyargs].index("format")
            default = args.kw_defaults[index]
            annotation = ast.unparse(args.kwonlyargs[index].annotation or ast.Constant(None))
            found.append((annotation + (" = " + ast.unparse(default) if default else ""),
                          ast.unparse(node.returns or ast.Constant(None))))
    return found


def test_one_overload_per_case_then_the_whole_argument_giving_any_case() -> None:
    assert overloads({"argument": "format", "cases": CASES}) == [
        ("Literal['full'] | Omit = omit", "Full"),  # the spec's default: the argument may be left out
        ("Literal['brief']", "Brief"),
        ("Literal['text', 'csv']", "str"),
        ("Literal['full', 'brief', 'text', 'csv'] | Omit = omit", "Full | Brief | str"),
        ("Literal['full', 'brief', 'text', 'csv'] | Omit = omit", "Full | Brief | str"),  # the implementation
    ]


@pytest.mark.parametrize(("returns_by", "problem"), [
    ({"argument": "shape", "cases": CASES}, "returns_by names 'shape', not an argument"),
    ({"argument": "format", "cases": [{"values": ["tsv"], "returns": "str"}]}, "not in the enum"),
    ({"argument": "format", "cases": [*CASES, {"values": ["full"], "returns": "Brief"}]}, "repeat"),
    ({"argument": "format", "cases": [{"values": ["full"], "returns": "Missing"}]}, "returns_by names 'Missing', no known type"),
])
def test_a_case_the_spec_cannot_answer_is_a_generation_error(returns_by: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        overloads(returns_by)
