"""`with_raw_response.parse(...)` and `with_streaming_response.parse(...)` (issue 22 item 7).

As with every other method: the raw variant gives the HTTP response (headers, status) whose
`.parse()` returns what `.parse(...)` itself would have, parsed values included; the streamed
variant is a context manager whose body is read only when asked.
"""

from __future__ import annotations

import httpx2
import pydantic
import pytest
from helpers import json_response, make_async_client, make_client
from libsupport import completion, message_item, response_obj

from pyopenai import LengthFinishReasonError
from pyopenai._response import LegacyAPIResponse
from pyopenai.lib.parsed_types import ParsedChatCompletion, ParsedResponse
from pyopenai.types.chat import ChatCompletionMessageParam

USER: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Where?"}]
ANSWER = '{"city": "Paris"}'


class Place(pydantic.BaseModel):
    city: str


def _chat(_request: httpx2.Request) -> httpx2.Response:
    return json_response(completion({"content": ANSWER}), headers={"x-custom": "yes"})


def _responses(_request: httpx2.Request) -> httpx2.Response:
    return json_response(response_obj([message_item(ANSWER)]), headers={"x-custom": "yes"})


def test_chat_with_raw_response_parse() -> None:
    client, rec = make_client(_chat)
    raw = client.chat.completions.with_raw_response.parse(model="gpt-4o", messages=USER, response_format=Place)
    assert isinstance(raw, LegacyAPIResponse) and raw.headers["x-custom"] == "yes" and raw.status_code == 200
    result = raw.parse()
    assert isinstance(result, ParsedChatCompletion)
    assert result.choices[0].message.parsed == Place(city="Paris")
    assert result._request_id == "req_123"
    assert rec.json()["response_format"]["json_schema"]["name"] == "Place"


def test_chat_with_streaming_response_parse() -> None:
    client, _ = make_client(_chat)
    with client.chat.completions.with_streaming_response.parse(
        model="gpt-4o", messages=USER, response_format=Place
    ) as response:
        assert response.headers["x-custom"] == "yes"
        assert response.parse().choices[0].message.parsed == Place(city="Paris")


def test_raw_parse_raises_the_helpers_errors_when_parsed() -> None:
    client, _ = make_client(lambda _r: json_response(completion({"content": '{"ci'}, finish="length")))
    raw = client.chat.completions.with_raw_response.parse(model="gpt-4o", messages=USER, response_format=Place)
    assert raw.status_code == 200  # the HTTP exchange went fine; the cut answer shows when parsed
    with pytest.raises(LengthFinishReasonError):
        raw.parse()


async def test_async_chat_with_raw_and_streaming_response_parse() -> None:
    client, _ = make_async_client(_chat)
    raw = await client.chat.completions.with_raw_response.parse(model="gpt-4o", messages=USER, response_format=Place)
    assert raw.headers["x-custom"] == "yes"
    assert raw.parse().choices[0].message.parsed == Place(city="Paris")
    async with client.chat.completions.with_streaming_response.parse(
        model="gpt-4o", messages=USER, response_format=Place
    ) as response:
        assert (await response.parse()).choices[0].message.parsed == Place(city="Paris")


def test_responses_with_raw_and_streaming_response_parse() -> None:
    client, rec = make_client(_responses)
    raw = client.responses.with_raw_response.parse(model="gpt-4o", input="Where?", text_format=Place)
    assert raw.headers["x-custom"] == "yes"
    result = raw.parse()
    assert isinstance(result, ParsedResponse) and result.output_parsed == Place(city="Paris")
    assert rec.json()["text"]["format"]["name"] == "Place"
    with client.responses.with_streaming_response.parse(model="gpt-4o", input="Where?", text_format=Place) as response:
        assert response.parse().output_parsed == Place(city="Paris")


async def test_async_responses_with_raw_and_streaming_response_parse() -> None:
    client, _ = make_async_client(_responses)
    raw = await client.responses.with_raw_response.parse(model="gpt-4o", input="Where?", text_format=Place)
    assert raw.parse().output_parsed == Place(city="Paris")
    async with client.responses.with_streaming_response.parse(
        model="gpt-4o", input="Where?", text_format=Place
    ) as response:
        assert (await response.parse()).output_parsed == Place(city="Paris")
