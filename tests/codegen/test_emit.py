"""A generated file imports exactly the names its code refers to (emit.Imports, read from the syntax tree)."""

from __future__ import annotations

from emit import Imports, used_names


def test_names_in_strings_and_attributes_are_not_uses() -> None:
    body = 'x: Optional[Widget] = helpers.Gadget\n@deprecated("use Gadget or List instead")\ndef f() -> None: ...\n'
    assert used_names(body) >= {"Optional", "Widget", "helpers", "deprecated"}
    assert not used_names(body) & {"Gadget", "List"}


def test_only_what_the_body_uses_is_imported_and_annotation_only_types_wait() -> None:
    imports = Imports("pyopenai.resources.widgets")
    imports.add("pyopenai.types.widget", "Widget")
    imports.add("pyopenai.types.gadget", "Gadget")
    imports.add("pyopenai.types.part", "Part")
    imports.add("pyopenai._resource", "SyncAPIResource")
    imports.plain.add("httpx2")
    body = (
        "class Widgets(SyncAPIResource):\n"
        "    def get(self, timeout: httpx2.Timeout) -> Widget:\n"
        '        """GET /gadgets (a Gadget in prose, a List too)"""\n'
        "        return self._request(cast_to=Part)\n"
    )
    assert imports.render(body, lazy_prefix="pyopenai.types").splitlines() == [
        "import httpx2",
        "from typing import TYPE_CHECKING",
        "",
        "from .._resource import SyncAPIResource",
        "from ..types.part import Part",  # evaluated when the method runs
        "",
        "if TYPE_CHECKING:",
        "    from ..types.widget import Widget",  # an annotation only: loaded when a checker reads it
    ]
