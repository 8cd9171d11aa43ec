"""The overlay below a type's own fields: a release read side by side with the spec adds the fields
its nested classes gained, and marks where it keeps its own copy of a public type; the generator
inlines such a copy (named by its path) only in the modules that keep one."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from build_overlay import Builder
from fragments import definitions, generate, ref, types_file
from nested_facts import INLINE_KEY
from spec import Spec

RELEASE = {
    "types/__init__.py": """
        from .shelf import Shelf as Shelf
        from .widget import Widget as Widget
        from .widget_param import WidgetParam as WidgetParam
    """,
    "types/widget_param.py": """
        class WidgetParam(TypedDict, total=False):
            id: Required[str]
    """,
    "types/widget.py": """
        from .._models import BaseModel

        class Widget(BaseModel):
            id: str
    """,
    "types/shelf.py": """
        from typing import List, Optional, Union
        from typing_extensions import Annotated, Literal, TypeAlias

        from .._models import BaseModel
        from .widget import Widget

        class SlotDetails(BaseModel):
            color: Optional[str] = None
            depth: Optional[int] = None

        class Slot(BaseModel):
            type: Literal["slot"]
            details: Optional[SlotDetails] = None

        class PartA(BaseModel):
            type: Literal["a"]
            size: int
            weight: Optional[float] = None

        class PartB(BaseModel):
            type: Literal["b"]

        Part: TypeAlias = Annotated[Union[PartA, PartB], PropertyInfo(discriminator="type")]

        class Tool(BaseModel):
            id: str

        OldSlot: TypeAlias = Slot  # the release's second name for a type it renamed

        class Extra(BaseModel):
            id: str

        class Shelf(BaseModel):
            id: str
            slots: List[Slot]
            parts: List[Part]
            tools: List[Tool]
            favourite: Optional[Widget] = None
            extras: Union[str, List[Extra], None] = None
    """,
}

SCHEMAS: dict[str, Any] = {
    "Widget": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    "SlotSpec": {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["slot"]},
        "details": {"anyOf": [{"type": "object", "properties": {"color": {"type": "string"}}}, {"type": "null"}]},
    }},
    "Shelf": {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"},
        "slots": {"type": "array", "items": ref("SlotSpec")},
        "parts": {"type": "array", "items": {"oneOf": [
            {"type": "object", "properties": {"type": {"type": "string", "enum": ["a"]}, "size": {"type": "integer"}}},
            {"type": "object", "properties": {"type": {"type": "string", "enum": ["b"]}}},
        ]}},
        "tools": {"type": "array", "items": ref("Widget")},
        "favourite": ref("Widget"),
        "extras": {"anyOf": [{"type": "string"}, {"type": "array", "items": ref("Widget")}]},
    }},
}
TYPES = {"types": {"Shelf": None, "Widget": None}}


def overlay_actions(tmp_path: Path) -> dict[str, Any]:
    return {a["target"]: a.get("update") for a in release_builder(tmp_path, {"types": TYPES}).build()["actions"]}


def test_fields_a_nested_class_gained_are_added_where_the_spec_writes_it(tmp_path: Path) -> None:
    actions = overlay_actions(tmp_path)
    # a `$ref` with no public name, then a nullable's object member
    assert list(actions['$.components.schemas["SlotSpec"].properties["details"].anyOf[0].properties']) == ["depth"]
    # a union's variant, matched by its `type` tag
    assert list(actions['$.components.schemas["Shelf"].properties["parts"].items.oneOf[0].properties']) == ["weight"]


def test_the_releases_own_copy_of_a_public_type_is_marked_and_the_public_one_is_not(tmp_path: Path) -> None:
    actions = overlay_actions(tmp_path)
    assert actions['$.components.schemas["Shelf"].properties["tools"].items'] == {INLINE_KEY: ["types.shelf"]}
    # `favourite` is the public `Widget` in the release too
    assert not any("favourite" in target for target in actions)
    # in a union, the one nested member pairs with the one variant that is not a plain value
    assert actions['$.components.schemas["Shelf"].properties["extras"].anyOf[1].items'] == {INLINE_KEY: ["types.shelf"]}


def classes(source: str) -> dict[str, dict[str, str]]:
    return {name: d for name, d in definitions(source).items() if isinstance(d, dict)}


def test_a_marked_ref_is_inlined_by_its_path_only_in_the_modules_keeping_a_copy() -> None:
    marked = {**SCHEMAS["Shelf"], "properties": {
        **SCHEMAS["Shelf"]["properties"], "tools": {"type": "array", "items": {**ref("Widget"), INLINE_KEY: ["types.shelf"]}},
    }}
    schemas = {**SCHEMAS, "Shelf": marked, "Rack": {"type": "object", "properties": {"shelf": marked}}}
    files = generate(schemas, types={"types": {"Shelf": None, "Widget": None, "Rack": None, "ShelfParam": {"twin": "Shelf"}}})
    shelf = classes(types_file(files, "shelf"))
    assert shelf["Shelf"]["tools"] == "Optional[List[Tool]]"  # the module's own copy, named by its path
    assert shelf["Tool"] == {"id": "str"}
    assert shelf["Shelf"]["favourite"] == "Optional[Widget]"  # the public type where the release uses it
    assert classes(types_file(files, "shelf_param"))["Tool"] == {"id": "Required[str]"}  # the request-side twin
    rack = classes(types_file(files, "rack"))
    assert rack["Shelf"]["tools"] == "Optional[List[Widget]]"  # elsewhere the public name


def release_builder(tmp_path: Path, config: dict[str, Any]) -> Builder:
    for name, text in RELEASE.items():
        path = tmp_path / "openai" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    spec = Spec(json.loads(json.dumps({"paths": {}, "components": {"schemas": SCHEMAS}})))
    return Builder(spec, {"surface_version": "1.0", **config}, {}, tmp_path / "openai", "9.9.9")


def test_an_override_says_what_a_type_is_and_the_table_below_it_does_not_count(tmp_path: Path) -> None:
    # (the moderation result is a `pointer` override; the table's `Moderation: ~` would make the
    # release's fields land on the spec's unrelated `Moderation` schema)
    plain = release_builder(tmp_path, {"types": TYPES})
    assert plain.spec_schema(("types.widget", "Widget")) == "Widget"
    overridden = release_builder(tmp_path, {"types": TYPES, "type_overrides": {"types": {"Widget": {"pointer": "Shelf/properties/favourite"}}}})
    assert overridden.spec_schema(("types.widget", "Widget")) == "#config"


def test_a_schema_the_config_states_gains_the_release_fields_whatever_its_shape(tmp_path: Path) -> None:
    # `Widget` stands for `SlotSpec` by the config's word although they share no field
    builder = release_builder(tmp_path, {"types": {"types": {"Shelf": None, "Widget": {"schema": "SlotSpec"}}}})
    actions = {a["target"]: a.get("update") for a in builder.build()["actions"]}
    assert list(actions['$.components.schemas["SlotSpec"].properties']) == ["id"]


def test_the_releases_second_names_are_given_to_the_module_that_defines_one_of_them(tmp_path: Path) -> None:
    builder = release_builder(tmp_path, {"types": TYPES})
    assert builder.build()["x-pyopenai-aliases"] == {"types.shelf": {"OldSlot": "Slot"}}
    # the generator: whichever of the pair the module defines, the other becomes its alias
    files = generate(SCHEMAS, types=TYPES, module_aliases={"types.shelf": {"Slots": "Slot", "Ghost": "Phantom"}})
    shelf = definitions(types_file(files, "shelf"))
    assert isinstance(shelf["Slot"], dict)  # the nested type of `Shelf.slots`, named by its path
    assert shelf["Slots"] == "Slot"
    assert "Ghost" not in shelf and "Phantom" not in shelf  # neither defined: nothing to alias
    # a class the rule names by the pair's second name is named as the release names it (the value),
    # the rule's name becoming its alias (`speech_create_params.VoiceID`, `VoiceUnionMember1`)
    files = generate(SCHEMAS, types=TYPES, module_aliases={"types.shelf": {"Slot": "ShelfSlot"}})
    shelf = classes(types_file(files, "shelf"))
    assert "ShelfSlot" in shelf and "Slot" not in shelf  # the class; `Slot = ShelfSlot` is its alias
    assert definitions(types_file(files, "shelf"))["Slot"] == "ShelfSlot"
    assert shelf["Shelf"]["slots"] == "Optional[List[ShelfSlot]]"


def test_a_param_twin_stands_for_the_schema_of_its_model(tmp_path: Path) -> None:
    # so a release type using `WidgetParam` refers to the spec's `Widget` instead of a copy of it
    # (the copies gave the live client events 200-character nested names)
    builder = release_builder(tmp_path, {"types": {"types": {"Shelf": None, "Widget": None, "WidgetParam": {"twin": "Widget"}}}})
    assert builder.spec_schema(("types.widget_param", "WidgetParam")) == "Widget"


FLATTENING_RELEASE = {
    "types/__init__.py": "from .input_item import InputItem as InputItem\n",
    "types/input_item.py": """
        from typing import Optional, Union
        from typing_extensions import Literal, TypeAlias

        from .._models import BaseModel

        class A(BaseModel):
            type: Literal["a"]

        class B(BaseModel):
            type: Literal["b"]

        class Update(BaseModel):
            type: Literal["update"]
            id: str

        class Reference(BaseModel):
            id: str
            type: Optional[Literal["reference"]] = None

        InputItem: TypeAlias = Union[A, B, Update, Reference]
    """,
}


def test_a_union_the_release_flattens_grows_in_the_nested_union_where_the_release_lists_the_member(tmp_path: Path) -> None:
    # the spec's `InputItem` holds the union `Item` and a reference whose tag is nullable; the release
    # lists one union of all their members, with a new one after `b`: it goes into `Item`, after `b`
    tagged = lambda tag: {"type": "object", "properties": {"type": {"type": "string", "enum": [tag]}}}  # noqa: E731
    schemas = {
        "A": tagged("a"), "B": tagged("b"),
        "Item": {"anyOf": [ref("A"), ref("B")]},
        "Reference": {"type": "object", "properties": {"id": {"type": "string"},
                                                        "type": {"anyOf": [{"type": "string", "enum": ["reference"]}, {"type": "null"}]}}},
        "InputItem": {"anyOf": [ref("Item"), ref("Reference")]},
    }
    for name, text in FLATTENING_RELEASE.items():
        path = tmp_path / "openai" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    spec = Spec(json.loads(json.dumps({"paths": {}, "components": {"schemas": schemas}})))
    config = {"surface_version": "1.0", "types": {"types": {"InputItem": None}}}
    actions = Builder(spec, config, {}, tmp_path / "openai", "9.9.9").build()["actions"]
    grown = [a for a in actions if a["target"].endswith(".anyOf")]
    assert [(a["target"], len(a["update"]), a["x-after"]) for a in grown] == [('$.components.schemas["Item"].anyOf', 1, [1])]


def test_a_model_with_no_param_of_its_own_is_named_on_the_request_side_by_the_typeddict_named_after_it() -> None:
    # the overlay copies a release TypedDict `GadgetParam` as a schema of its own: where the request
    # side meets the model's schema, it is that TypedDict, not an inlined copy
    gadget = {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["gadget"]},
                                                                      "size": {"type": "integer"}}}
    schemas = {
        "Gadget": gadget,
        "GadgetParamCopy": gadget,
        "Box": {"type": "object", "properties": {"items": {"type": "array", "items": ref("Gadget")}}},
    }
    files = generate(schemas, types={"types": {"Gadget": None, "GadgetParam": {"schema": "GadgetParamCopy", "kind": "param"},
                                               "Box": None, "BoxParam": {"twin": "Box"}}})
    assert classes(types_file(files, "box_param"))["BoxParam"]["items"] == "Iterable[GadgetParam]"
    assert classes(types_file(files, "box"))["Box"]["items"] == "Optional[List[Gadget]]"
