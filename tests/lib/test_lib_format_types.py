"""`response_format=` / `text_format=` take any type pydantic validates (issue 22 item 8).

A pydantic dataclass goes through pydantic as a model does: the schema on the wire is pydantic's
(titles, `Field(description=...)`), and the answer comes back as an instance of the dataclass.
"""

from __future__ import annotations

from typing import Any

import pydantic
from helpers import json_response, make_async_client, make_client
from libsupport import achat, aresponses, chat, completion, message_item, response_obj, responses

from pyopenai.lib._schema import to_strict_json_schema

USER = [{"role": "user", "content": "Where?"}]
ANSWER = '{"city": "Paris", "population": 2100000}'


@pydantic.dataclasses.dataclass
class Place:
    city: str = pydantic.Field(description="the city's name")
    population: int | None = None


def _expected_schema() -> dict[str, Any]:
    schema = pydantic.TypeAdapter(Place).json_schema()
    assert schema["properties"]["city"]["description"] == "the city's name"  # pydantic's own view of it
    return to_strict_json_schema(Place)


def test_strict_schema_of_a_pydantic_dataclass_is_pydantics() -> None:
    schema = to_strict_json_schema(Place)
    assert schema["properties"]["city"] == {"type": "string", "title": "City", "description": "the city's name"}
    assert schema["required"] == ["city", "population"] and schema["additionalProperties"] is False


def test_chat_parse_with_a_pydantic_dataclass() -> None:
    client, rec = make_client(lambda _r: json_response(completion({"content": ANSWER})))
    result = chat(client).parse(model="gpt-4o", messages=USER, response_format=Place)
    assert result.choices[0].message.parsed == Place(city="Paris", population=2100000)
    fmt = rec.json()["response_format"]["json_schema"]
    assert fmt["name"] == "Place" and fmt["schema"] == _expected_schema()


async def test_async_chat_parse_with_a_pydantic_dataclass() -> None:
    client, rec = make_async_client(lambda _r: json_response(completion({"content": ANSWER})))
    result = await achat(client).parse(model="gpt-4o", messages=USER, response_format=Place)
    assert result.choices[0].message.parsed == Place(city="Paris", population=2100000)
    assert rec.json()["response_format"]["json_schema"]["schema"] == _expected_schema()


def test_responses_parse_with_a_pydantic_dataclass_and_a_type_adapter() -> None:
    client, rec = make_client(lambda _r: json_response(response_obj([message_item(ANSWER)])))
    result = responses(client).parse(model="gpt-4o", input="Where?", text_format=Place)
    assert result.output_parsed == Place(city="Paris", population=2100000)
    assert rec.json()["text"]["format"]["schema"] == _expected_schema()
    adapter = pydantic.TypeAdapter(Place)
    assert responses(client).parse(model="gpt-4o", input="Where?", text_format=adapter).output_parsed == result.output_parsed


async def test_async_responses_parse_with_a_pydantic_dataclass() -> None:
    client, rec = make_async_client(lambda _r: json_response(response_obj([message_item(ANSWER)])))
    result = await aresponses(client).parse(model="gpt-4o", input="Where?", text_format=Place)
    assert result.output_parsed == Place(city="Paris", population=2100000)
    assert rec.json()["text"]["format"]["schema"] == _expected_schema()
