"""The pytest fixtures, driving the server with pyopenai's own clients."""

from __future__ import annotations

import pytest

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.testing import LocalServer
from pyopenai.testing.pytest_plugin import DUMMY_API_KEY


def test_openai_client_fixture(openai_client: OpenAI, openai_server: LocalServer) -> None:
    reply = openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert reply.choices[0].message.content == 'You said: "hi".'
    assert openai_server.requests[-1].headers["authorization"] == f"Bearer {DUMMY_API_KEY}"


def test_pyopenai_stream_and_retry(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.faults.rate_limit(retry_after_ms=1, times=1)
    stream = openai_client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == 'You said: "hi".'
    assert len(openai_server.requests) == 2


@pytest.mark.openai_server(api_key="sk-exact")
def test_marker_configures_server_and_client(openai_client: OpenAI, openai_server: LocalServer) -> None:
    assert openai_server.config.api_key == "sk-exact"
    assert openai_client.models.retrieve("gpt-4o").id == "gpt-4o"


async def test_async_openai_client_fixture(async_openai_client: AsyncOpenAI) -> None:
    reply = await async_openai_client.responses.create(model="gpt-4o", input="hello")
    message = reply.output[0]
    assert message.type == "message"
    assert message.content[0].text == 'You said: "hello".'  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType]
