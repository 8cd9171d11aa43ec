"""The generator's naming rules, on spec fragments: paths to methods, nested types, unions and
their variants, nullable folding, enums and literals (codegen/README.md states each rule)."""

from __future__ import annotations

from typing import Any

import pytest
from config import parse_config
from fragments import answers, definitions, generate, json_body, path_param, ref, types_file
from methods import MethodBuilder
from operations import Namer
from spec import Spec

WIDGET = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
LIST = {"type": "object", "properties": {"data": {"type": "array", "items": ref("Widget")}}}


def operation(parameters: list[dict[str, Any]] | None = None, body: dict[str, Any] | None = None,
              returns: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": answers(returns or ref("Widget"))}
    if parameters:
        op["parameters"] = parameters
    if body:
        op["requestBody"] = json_body(body)
    return op


# -- paths to methods ----------------------------------------------------------------------------


def method_names(paths: dict[str, Any], **config: Any) -> dict[str, str]:
    spec = Spec({"paths": paths, "components": {"schemas": {"Widget": WIDGET, "WidgetList": LIST}}})
    namer = Namer(spec, parse_config({"surface_version": "1", **config}))
    return {op.key: f"{name.resource}.{name.method}" for op in spec.operations() for name in [namer.derive(op)]}


def test_a_collection_and_its_items() -> None:
    item = [path_param("widget_id")]
    names = method_names({
        "/widgets": {"get": operation(returns=ref("WidgetList")), "post": operation()},
        "/widgets/{widget_id}": {"get": operation(item), "post": operation(item), "delete": operation(item)},
    })
    assert names == {
        "GET /widgets": "widgets.list",
        "POST /widgets": "widgets.create",
        "GET /widgets/{widget_id}": "widgets.retrieve",
        "POST /widgets/{widget_id}": "widgets.update",
        "DELETE /widgets/{widget_id}": "widgets.delete",
    }


def test_actions_nested_resources_singletons_and_prefixes() -> None:
    names = method_names(
        {
            "/widgets/{widget_id}": {"get": operation([path_param("widget_id")])},
            "/widgets/{widget_id}/cancel": {"post": operation([path_param("widget_id")])},
            "/widgets/{widget_id}/parts": {"get": operation([path_param("widget_id")], returns=ref("WidgetList"))},
            "/settings": {"get": operation()},  # an object that is not a list: a singleton
            "/moderations": {"post": operation()},  # an action alone: the literal is the resource
            "/organization/users": {"get": operation(returns=ref("WidgetList"))},
        },
        resource_prefixes=[{"match": "^/organization/", "prefix": "admin"}],
    )
    assert names == {
        "GET /widgets/{widget_id}": "widgets.retrieve",
        "POST /widgets/{widget_id}/cancel": "widgets.cancel",
        "GET /widgets/{widget_id}/parts": "widgets.parts.list",
        "GET /settings": "settings.retrieve",
        "POST /moderations": "moderations.create",
        "GET /organization/users": "admin.organization.users.list",
    }


def test_the_config_renames_what_the_rule_gets_wrong() -> None:
    spec = Spec({"paths": {"/widgets/{widget_id}/cancel": {"post": operation([path_param("widget_id")])}},
                 "components": {"schemas": {"Widget": WIDGET}}})
    config = parse_config({"surface_version": "1", "methods": {
        "POST /widgets/{widget_id}/cancel": {"resource": "gadgets", "method": "stop"}}})
    (m,) = MethodBuilder(spec, config).build()
    assert (m.resource, m.name, m.params_name) == ("gadgets", "stop", "GadgetStopParams")


def test_arguments_path_query_header_and_body() -> None:
    params = [
        path_param("thread_id"), path_param("run_id"),
        {"name": "include[]", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "openai-beta", "in": "header", "schema": {"type": "string"}},
    ]
    body = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}}
    spec = Spec({"paths": {"/threads/{thread_id}/runs/{run_id}/steps": {"post": operation(params, body)}},
                 "components": {"schemas": {"Widget": WIDGET}}})
    config = parse_config({"surface_version": "1", "header_params": {"openai-beta": "betas"}})
    (m,) = MethodBuilder(spec, config).build()
    assert (m.resource, m.name) == ("threads.runs", "steps")  # an action on an item: a method of its resource
    assert [a.name for a in m.path_args] == ["thread_id", "run_id"]  # the last one is positional
    assert [(a.key, a.name, a.location, a.required) for a in m.args] == [
        ("include", "include", "query", False),
        ("openai-beta", "betas", "header", False),
        ("name", "name", "body", True),
        ("size", "size", "body", False),
    ]
    assert (m.params_name, m.params_module) == ("RunStepsParams", "pyopenai.types.threads.run_steps_params")


# -- nested types ---------------------------------------------------------------------------------


def test_nested_objects_are_named_by_their_path_without_the_file_type() -> None:
    completion = {"type": "object", "required": ["choices"], "properties": {
        "choices": {"type": "array", "items": {"type": "object", "properties": {
            "logprobs": {"type": "object", "properties": {"image_url": {"type": "object", "properties": {}}}},
        }}},
    }}
    files = generate({"ChatCompletion": completion}, types={"types": {"ChatCompletion": None}},
                     naming={"acronyms": {"url": "URL"}})
    found = definitions(types_file(files, "chat_completion"))
    assert found["ChatCompletion"] == {"choices": "List[Choice]"}  # `choices[]` singular, `ChatCompletion` left out
    assert found["Choice"] == {"logprobs": "Optional[ChoiceLogprobs]"}
    assert found["ChoiceLogprobs"] == {"image_url": "Optional[Dict[str, object]]"}


def test_a_ref_with_a_public_name_is_imported_and_one_without_is_inlined_by_path() -> None:
    schemas = {
        "Order": {"type": "object", "properties": {"widget": ref("Widget"), "caller": ref("Caller")}},
        "Widget": WIDGET,
        "Caller": {"type": "object", "properties": {"name": {"type": "string"}}},
    }
    files = generate(schemas, types={"types": {"Order": None, "Widget": None}})
    source = types_file(files, "order")
    assert "from .widget import Widget" in source
    found = definitions(source)
    assert found["Order"] == {"widget": "Optional[Widget]", "caller": "Optional[Caller]"}
    assert found["Caller"] == {"name": "Optional[str]"}


# -- nullable folding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        {"type": ["string", "null"]},
        {"type": "string", "nullable": True},
        {"allOf": [{"type": "string"}, {"nullable": True}]},
        {"oneOf": [{"type": "string"}, {"enum": [None]}]},
    ],
)
def test_every_spelling_of_nullable_folds_to_one_optional(spelling: dict[str, Any]) -> None:
    spec = Spec({"components": {"schemas": {}}})
    assert spec.split_null(spelling) == ({"type": "string"}, True)
    files = generate({"Widget": {"type": "object", "required": ["note"], "properties": {"note": spelling}}},
                     types={"types": {"Widget": None}})
    # required but nullable: a model field that may be None, a param key that need not be given
    assert definitions(types_file(files, "widget"))["Widget"] == {"note": "Optional[str]"}


def test_a_nullable_ref_and_a_nullable_object_stay_one_optional() -> None:
    schemas = {
        "Widget": {"type": "object", "required": ["a", "b", "c"], "properties": {
            "a": {"anyOf": [ref("Part"), {"type": "null"}]},
            "b": {"allOf": [ref("Part")], "nullable": True},
            "c": {"anyOf": [{"type": "object", "additionalProperties": True}, {"type": "null"}]},
        }},
        "Part": {"type": "object", "properties": {"x": {"type": "integer"}}},
    }
    found = definitions(types_file(generate(schemas, types={"types": {"Widget": None, "Part": None}}), "widget"))
    assert found["Widget"] == {"a": "Optional[Part]", "b": "Optional[Part]", "c": "Optional[Dict[str, object]]"}


# -- unions --------------------------------------------------------------------------------------


SHAPE = {
    "oneOf": [
        {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["circle"]},
                                                                   "radius": {"type": "number"}}},
        {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "const": "square"}}},
    ],
    "discriminator": {"propertyName": "type"},
}


def test_a_discriminated_union_names_variants_by_tag_and_keeps_the_tag_in_models_only() -> None:
    body = {"type": "object", "properties": {"shape": ref("Shape")}}
    files = generate({"Shape": SHAPE, "Widget": WIDGET},
                     paths={"/widgets": {"post": operation(body=body)}},
                     types={"types": {"Shape": None, "Widget": None, "ShapeParam": {"twin": "Shape"}}})
    model = definitions(types_file(files, "shape"))
    assert model["Shape"] == "Annotated[Union[Circle, Square], FieldInfo(discriminator='type')]"
    assert model["Circle"] == {"type": "Literal['circle']", "radius": "Optional[float]"}
    assert model["Square"] == {"type": "Literal['square']"}
    param = definitions(types_file(files, "shape_param"))
    assert param["ShapeParam"] == "Union[Circle, Square]"
    assert param["Circle"] == {"type": "Required[Literal['circle']]", "radius": "float"}
    # a method argument of that type names the public param
    params = definitions(types_file(files, "widget_create_params"))
    assert params["WidgetCreateParams"] == {"shape": "ShapeParam"}


def test_a_nested_union_of_objects_gets_an_alias_named_by_its_path() -> None:
    schemas = {"Drawing": {"type": "object", "required": ["shape"], "properties": {"shape": SHAPE}}}
    found = definitions(types_file(generate(schemas, types={"types": {"Drawing": None}}), "drawing"))
    assert found["Drawing"] == {"shape": "Shape"}
    assert found["Shape"] == "Annotated[Union[ShapeCircle, ShapeSquare], FieldInfo(discriminator='type')]"
    assert {"ShapeCircle", "ShapeSquare"} <= set(found)


def test_untagged_variants_are_named_by_ref_then_title_then_position() -> None:
    union = {"anyOf": [ref("McpFilter"), {"type": "object", "title": "Text content", "properties": {"t": {"type": "string"}}},
                       {"type": "object", "properties": {"n": {"type": "integer"}}}]}
    schemas = {"Widget": {"type": "object", "required": ["u"], "properties": {"u": union}},
               "McpFilter": {"type": "object", "properties": {"f": {"type": "string"}}}}
    found = definitions(types_file(generate(schemas, types={"types": {"Widget": None}}), "widget"))
    assert found["U"] == "Union[UMcpFilter, UTextContent, UUnionMember2]"


def test_a_tagged_ref_is_named_by_its_schema_only_in_a_union_of_objects_without_a_discriminator() -> None:
    mcp = {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["mcp"]}}}
    plain = {"anyOf": [ref("Widget"), ref("MCPTool")]}
    declared = {**plain, "discriminator": {"propertyName": "type"}}
    other = {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["other"]}}}
    mixed = {"anyOf": [{"type": "string"}, ref("MCPTool"), other]}
    schemas = {"Holder": {"type": "object", "properties": {"a": plain, "b": declared, "c": mixed}},
               "MCPTool": mcp, "Widget": {**WIDGET, "properties": {"id": {"type": "string"}, "type": {"type": "string", "enum": ["w"]}}}}
    found = definitions(types_file(generate(schemas, types={"types": {"Holder": None, "Widget": None}}), "holder"))
    assert "AMcpTool" in found  # the release's name: the schema's, not the tag's
    assert "BMcp" in found  # a declared discriminator: named by the tag
    assert "CMcp" in found  # scalars among the variants: by the tag


def test_nested_unions_of_objects_without_a_name_are_flattened() -> None:
    def obj(tag: str) -> dict[str, Any]:
        return {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": [tag]}}}

    union = {"anyOf": [obj("a"), {"anyOf": [obj("b"), obj("c")]}]}
    schemas = {"Widget": {"type": "object", "required": ["v", "w"], "properties": {
        "v": union,
        "w": {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "integer"}]},  # `str` first, once each
    }}}
    found = definitions(types_file(generate(schemas, types={"types": {"Widget": None}}), "widget"))
    assert found["Widget"] == {"v": "V", "w": "Union[str, int]"}
    assert found["V"] == "Annotated[Union[VA, VB, VC], FieldInfo(discriminator='type')]"


# -- enums and literals ------------------------------------------------------------------------------


def test_closed_and_open_enums_and_constants() -> None:
    schemas = {"Widget": {"type": "object", "required": ["a", "b", "c", "d"], "properties": {
        "a": {"type": "string", "enum": ["x", "y", None]},  # null among the values: nullable
        "b": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["x", "y"]}]},  # open: any string
        "c": {"const": 3},
        "d": {"anyOf": [{"enum": ["x"]}, {"enum": ["y", "x"]}]},  # literal variants merge into one
    }}}
    found = definitions(types_file(generate(schemas, types={"types": {"Widget": None}}), "widget"))
    assert found["Widget"] == {
        "a": "Literal['x', 'y']",
        "b": "Union[str, Literal['x', 'y']]",
        "c": "Literal[3]",
        "d": "Literal['x', 'y']",
    }


def test_a_field_named_like_a_builtin_does_not_hide_it() -> None:
    schemas = {"Widget": {"type": "object", "required": ["type", "str", "name"], "properties": {
        "type": {"type": "string"}, "str": {"type": "string", "enum": ["str"]}, "name": {"type": "string"}}}}
    source = types_file(generate(schemas, types={"types": {"Widget": None}}), "widget")
    assert definitions(source)["Widget"] == {"type": "builtins.str", "str": "Literal['str']", "name": "builtins.str"}
    assert "import builtins" in source
