"""The raw and streamed response objects have the official SDK's shapes: `with_raw_response` gives a
response whose body is read (`text`, `content` are properties), `with_streaming_response` one whose
body is read on demand (`read()`, `text()`, `json()` are methods)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from pyopenai import APIResponse, AsyncAPIResponse, AsyncOpenAI, OpenAI
from pyopenai._response import LegacyAPIResponse
from pyopenai.testing import LocalServer
from pyopenai.types.model import Model


@pytest.fixture
def client(openai_server: LocalServer) -> Iterator[OpenAI]:
    with OpenAI(base_url=openai_server.url, api_key="sk-test", max_retries=0) as c:
        yield c


def test_raw_response_text_and_content_are_properties(client: OpenAI) -> None:
    raw = client.models.with_raw_response.retrieve("gpt-4o")
    assert isinstance(raw, LegacyAPIResponse)
    assert json.loads(raw.text)["id"] == "gpt-4o"
    assert raw.content == raw.text.encode()
    model = raw.parse()
    assert isinstance(model, Model) and model.id == "gpt-4o"


def test_streamed_response_text_is_a_method(client: OpenAI) -> None:
    with client.models.with_streaming_response.retrieve("gpt-4o") as response:
        assert isinstance(response, APIResponse)
        text = response.text()
        assert json.loads(text)["id"] == "gpt-4o"
        assert response.json() == json.loads(text)
        assert response.parse().id == "gpt-4o"
        assert response.parse(to=dict)["id"] == "gpt-4o"  # pyright: ignore[reportUnknownMemberType]


async def test_async_shapes(openai_server: LocalServer) -> None:
    async with AsyncOpenAI(base_url=openai_server.url, api_key="sk-test", max_retries=0) as client:
        raw = await client.models.with_raw_response.retrieve("gpt-4o")
        assert isinstance(raw, LegacyAPIResponse) and json.loads(raw.text)["id"] == "gpt-4o"
        async with client.models.with_streaming_response.retrieve("gpt-4o") as response:
            assert isinstance(response, AsyncAPIResponse)
            assert json.loads(await response.text())["id"] == "gpt-4o"
            assert (await response.parse()).id == "gpt-4o"
