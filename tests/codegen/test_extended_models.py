"""`allOf` of one `$ref` to a generated model plus inline object parts: a subclass of that model that
declares only what the inline parts add (the Responses WebSocket events are their HTTP events plus
`stream_id`, so `isinstance(event, ResponseCompletedEvent)` holds for them)."""

from __future__ import annotations

import ast
from typing import Any

from fragments import definitions, generate, ref, types_file

DONE = {"type": "object", "required": ["type", "id"], "properties": {
    "type": {"type": "string", "enum": ["done"]}, "id": {"type": "string"}, "note": {"type": "string"}}}
LANE = {"type": "object", "properties": {"stream_id": {"type": "string"}}}
WS_ERROR = {"type": "object", "required": ["type"], "properties": {
    "type": {"type": "string", "enum": ["error"]}, "message": {"type": "string"}}}
SERVER_EVENT = {"anyOf": [{"title": "DoneWsEvent", "allOf": [ref("DoneEvent"), LANE]}, ref("WsError")],
                "discriminator": {"propertyName": "type"}}


def bases(source: str) -> dict[str, list[str]]:
    """Each top-level class -> the names of its bases."""
    return {n.name: [ast.unparse(b) for b in n.bases] for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}


def server_event_files(**extra: Any) -> dict[str, str]:
    schemas = {"DoneEvent": DONE, "WsError": WS_ERROR, "ServerEvent": SERVER_EVENT, **extra}
    return generate(schemas, types={"types": {"DoneEvent": None, "ServerEvent": None}})


def test_a_variant_extending_a_public_model_subclasses_it_with_only_the_added_fields() -> None:
    source = types_file(server_event_files(), "server_event")
    assert bases(source)["DoneWsEvent"] == ["DoneEvent"]
    assert definitions(source)["DoneWsEvent"] == {"stream_id": "Optional[str]"}
    assert "from .done_event import DoneEvent" in source
    assert "reportIncompatibleVariableOverride" not in source  # nothing of the base redeclared


def test_among_variants_named_by_title_a_ref_is_named_by_its_schema_not_its_tag() -> None:
    found = definitions(types_file(server_event_files(), "server_event"))
    assert found["ServerEvent"] == "Annotated[Union[DoneWsEvent, WsError], FieldInfo(discriminator='type')]"
    assert "Error" not in found


def test_a_redeclared_field_narrows_the_base_and_the_file_allows_it() -> None:
    stored = {"allOf": [ref("DoneEvent"), {"type": "object", "required": ["note"], "properties": {
        "note": {"type": "string"}, "created_by": {"type": "string"}}}]}
    files = generate({"DoneEvent": DONE, "StoredDone": stored}, types={"types": {"DoneEvent": None, "StoredDone": None}})
    source = types_file(files, "stored_done")
    assert bases(source)["StoredDone"] == ["DoneEvent"]
    assert definitions(source)["StoredDone"] == {"note": "str", "created_by": "Optional[str]"}
    assert "# pyright: reportIncompatibleVariableOverride=false" in source


def test_without_a_public_model_to_extend_the_object_is_a_copy_with_every_field() -> None:
    # `DoneEvent` has no public name here: its fields are inlined into the variant, as before
    files = generate({"DoneEvent": DONE, "WsError": WS_ERROR, "ServerEvent": SERVER_EVENT},
                     types={"types": {"ServerEvent": None}})
    source = types_file(files, "server_event")
    assert bases(source)["DoneWsEvent"] == ["BaseModel"]
    assert definitions(source)["DoneWsEvent"] == {
        "type": "Literal['done']", "id": "str", "note": "Optional[str]", "stream_id": "Optional[str]"}


def test_request_side_typed_dicts_keep_every_field() -> None:
    stored = {"allOf": [ref("DoneEvent"), LANE]}
    files = generate({"DoneEvent": DONE, "StoredDone": stored},
                     types={"types": {"DoneEvent": None, "DoneEventParam": {"twin": "DoneEvent"},
                                      "StoredDoneParam": {"twin": "StoredDone"}, "StoredDone": None}})
    param = types_file(files, "stored_done_param")
    assert bases(param)["StoredDoneParam"] == ["TypedDict"]
    assert set(definitions(param)["StoredDoneParam"]) == {"type", "id", "note", "stream_id"}
