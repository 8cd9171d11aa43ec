"""`ParsedResponseOutputItem` is built at run time from the generated output item union and spelled
out for type checkers; the two must list the same members, or a new output item type would be
parsed but invisible to checkers (or a checker would promise a type that never comes)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, get_args, get_origin

from typing_extensions import Annotated

import pyopenai.lib.parsed_types as parsed_types


def _checker_members() -> list[str]:
    tree = ast.parse(Path(parsed_types.__file__).read_text())
    for node in ast.walk(tree):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and node.target.id == "ParsedResponseOutputItem" and isinstance(node.value, ast.Subscript)):
            elements = node.value.slice.elts if isinstance(node.value.slice, ast.Tuple) else [node.value.slice]
            names: list[str] = []
            for element in elements:
                base = element.value if isinstance(element, ast.Subscript) else element  # `Message[ContentType]`
                names.append(base.attr if isinstance(base, ast.Attribute) else ast.unparse(base))
            return names
    raise AssertionError("no ParsedResponseOutputItem alias for checkers in parsed_types.py")


def _runtime_members() -> list[str]:
    union: Any = parsed_types.ParsedResponseOutputItem
    if get_origin(union) is Annotated:
        union = get_args(union)[0]
    return [member.__name__ for member in get_args(union)]


def test_checkers_see_the_members_the_parser_builds() -> None:
    assert _checker_members() == _runtime_members()
    assert _runtime_members()[:2] == ["ParsedResponseOutputMessage", "ParsedResponseFunctionToolCall"]
    # the unparsed message and function call are replaced, not kept beside their parsed types
    assert "ResponseOutputMessage" not in _runtime_members()
    assert "ResponseFunctionToolCall" not in _runtime_members()
