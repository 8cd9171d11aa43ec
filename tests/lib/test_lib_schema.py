"""Strict JSON schemas from pydantic models and plain python types; partial JSON."""

from __future__ import annotations

import dataclasses
import enum
import json
from typing import Annotated, Any, Literal, Optional, Union

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typing_extensions import NotRequired, TypedDict

from pyopenai.lib._partial_json import parse_partial
from pyopenai.lib._schema import StrictSchemaError, function_parameters_schema, to_strict_json_schema, type_schema
from pyopenai.lib._tools import pydantic_function_tool, pydantic_responses_function_tool


def walk(schema: Any) -> list[dict[str, Any]]:
    """Every object schema inside `schema`."""
    out: list[dict[str, Any]] = []
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            out.append(schema)
        for v in schema.values():
            out.extend(walk(v))
    elif isinstance(schema, list):
        for v in schema:
            out.extend(walk(v))
    return out


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Address(pydantic.BaseModel):
    street: str
    zip: str | None = None


class Person(pydantic.BaseModel):
    """A person."""

    name: str
    age: int = 30
    color: Color
    tags: list[str]
    home: Address
    work: Address | None = None
    kind: Literal["a", "b"]
    either: Union[int, str]


class Node(pydantic.BaseModel):
    value: int
    children: list[Node]


def test_pydantic_model_becomes_strict() -> None:
    schema = to_strict_json_schema(Person)
    for obj in walk(schema):
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    props = schema["properties"]
    assert "default" not in json.dumps(schema)
    assert props["age"]["description"] == "Default: 30."  # the dropped default, kept as a note
    assert props["work"]["anyOf"][1] == {"type": "null"}
    assert props["color"] == {"$ref": "#/$defs/Color"}
    assert schema["$defs"]["Color"]["enum"] == ["red", "blue"]
    assert props["kind"]["enum"] == ["a", "b"]
    assert {"type": "integer"} in props["either"]["anyOf"]


def test_recursive_model_keeps_refs() -> None:
    schema = to_strict_json_schema(Node)
    assert schema["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"} or schema["properties"][
        "children"
    ]["items"] == {"$ref": "#"}
    assert all(o["additionalProperties"] is False for o in walk(schema))


def test_ref_with_siblings_is_inlined() -> None:
    class Holder(pydantic.BaseModel):
        addr: Address = pydantic.Field(description="where")

    schema = to_strict_json_schema(Holder)
    addr = schema["properties"]["addr"]
    assert "$ref" not in addr and addr["description"] == "where" and addr["type"] == "object"


@pytest.mark.parametrize(
    ("annotation", "words"),
    [(dict[str, int], "arbitrary keys"), (Any, "any type"), (tuple[int, str], "tuples")],
)
def test_what_strict_mode_cannot_express_is_named(annotation: Any, words: str) -> None:
    model = pydantic.create_model("Bad", field=(annotation, ...))
    with pytest.raises(StrictSchemaError, match=words) as info:
        to_strict_json_schema(model)
    assert "field" in str(info.value)


def test_root_must_be_an_object() -> None:
    with pytest.raises(StrictSchemaError, match="root"):
        to_strict_json_schema(pydantic.TypeAdapter(list[int]))


class Movie(TypedDict):
    """A film."""

    title: str
    year: int
    rating: NotRequired[float]


@dataclasses.dataclass
class Point:
    x: float
    y: float = 0.0


def test_typeddict_and_dataclass_without_pydantic() -> None:
    schema = to_strict_json_schema(Movie)
    assert schema["properties"]["year"] == {"type": "integer"}
    assert schema["required"] == ["title", "year", "rating"]
    assert schema["description"] == "A film."
    point = to_strict_json_schema(Point)
    assert point["required"] == ["x", "y"] and point["additionalProperties"] is False
    assert "default" not in point["properties"]["y"]


def test_own_conversion_covers_common_types() -> None:
    optional_int: Any = Optional[int]  # noqa: UP045 - the typing spelling is what is tested
    assert type_schema(optional_int) == {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    assert type_schema(int | None) == type_schema(optional_int)
    assert type_schema(list[Literal[1, 2]]) == {"type": "array", "items": {"enum": [1, 2], "type": "integer"}}
    assert type_schema(Annotated[str, "the name"]) == {"type": "string", "description": "the name"}
    assert type_schema(Color) == {"enum": ["red", "blue"], "type": "string"}
    assert type_schema(dict[str, float]) == {"type": "object", "additionalProperties": {"type": "number"}}


def test_function_parameters_from_signature_and_docstring() -> None:
    def search(query: str, limit: int = 5, *, tags: list[str] | None = None) -> list[str]:
        """Search the catalogue.

        Args:
            query: what to look for
            limit: at most this many
                results
        """
        return []

    schema, strict_ok, annotations = function_parameters_schema(search)
    assert strict_ok and set(annotations) == {"query", "limit", "tags"}
    assert schema["required"] == ["query"]
    assert schema["properties"]["query"] == {"type": "string", "description": "what to look for"}
    assert schema["properties"]["limit"]["description"] == "at most this many results"
    assert schema["properties"]["limit"]["default"] == 5

    def open_map(data: dict[str, Any]) -> None: ...

    assert function_parameters_schema(open_map)[1] is False


def test_pydantic_function_tool() -> None:
    tool = pydantic_function_tool(Person)
    assert tool["type"] == "function" and getattr(tool, "model", None) is Person
    fn: dict[str, Any] = dict(tool["function"])
    assert fn["name"] == "Person" and fn["strict"] is True and fn["description"] == "A person."
    named = pydantic_function_tool(Address, name="lookup", description="Find it")
    assert named["function"]["name"] == "lookup" and named["function"].get("description") == "Find it"
    assert "description" not in pydantic_function_tool(Address)["function"]


# -- partial JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        ('{"a": [1, 2', {"a": [1, 2]}),
        ('{"a": "hel', {}),  # a string still open is left out, as the official SDK's snapshots leave it
        ('{"a": "hel"', {"a": "hel"}),
        ('{"a": ["x", "y', {"a": ["x"]}),
        ('{"a": tr', {}),
        ('{"a": 1, "b', {"a": 1}),
        ('{"a": 1, "b":', {"a": 1}),
        ('[{"x": "\\u00e9', [{}]),
        ('[{"x": "\\u00e9"', [{"x": "é"}]),
        ('{"a": "x\\', {}),
        ('{"a": -', {}),
        ('{"n": null, "t": true}', {"n": None, "t": True}),
    ],
)
def test_partial_json(text: str, value: Any) -> None:
    assert parse_partial(text) == value


def test_partial_json_matches_the_official_sdks_parser_on_every_prefix() -> None:
    # the official SDK builds its snapshots with jiter's partial mode; ours must give the same value
    jiter = pytest.importorskip("jiter", reason="jiter comes with the official SDK in the dev tools")
    documents = [
        '{"city": "Toronto", "country": "Canada", "n": [1, 2.5, -3e2, true, false, null], "o": {"x": "a\\u00e9b\\"c"}}',
        '[{"a": "x"}, "yy", 12, {"b": [ ]}]',
        '{"a": "", "b": {}, "c": []}',
    ]
    for document in documents:
        for cut in range(1, len(document) + 1):
            prefix = document[:cut]
            assert parse_partial(prefix) == jiter.from_json(prefix.encode(), partial_mode=True), prefix


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(json_values)
def test_every_prefix_parses_and_the_whole_is_exact(value: Any) -> None:
    text = json.dumps(value)
    for cut in range(len(text)):
        parse_partial(text[:cut])  # never raises on a prefix of valid JSON
    assert parse_partial(text) == value


def test_pydantic_responses_function_tool_is_flat_and_can_defer_loading() -> None:
    tool: dict[str, Any] = dict(pydantic_responses_function_tool(Person, defer_loading=True))
    assert (tool["type"], tool["name"], tool["strict"], tool["defer_loading"]) == ("function", "Person", True, True)
    assert "defer_loading" not in dict(pydantic_responses_function_tool(Person))
