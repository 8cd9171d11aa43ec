"""Code written for the official SDK replaces a resource's `_post`/`_get` on the instance to answer
without a request (sentry-sdk's tests do); pyopenai's resources honour such a replacement."""

from __future__ import annotations

from typing import Any
from unittest import mock

import httpx2

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.types import CreateEmbeddingResponse, Model

_EMBEDDINGS = CreateEmbeddingResponse.model_validate(
    {"object": "list", "data": [], "model": "m", "usage": {"prompt_tokens": 1, "total_tokens": 1}}
)


def _refusing_transport() -> httpx2.MockTransport:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise AssertionError(f"no request should be sent, got {request.method} {request.url}")

    return httpx2.MockTransport(refuse)


def test_a_replaced_post_answers_and_nothing_is_sent() -> None:
    client = OpenAI(api_key="sk-test", http_client=httpx2.Client(transport=_refusing_transport()))
    client.embeddings._post = mock.Mock(return_value=_EMBEDDINGS)  # type: ignore[attr-defined]

    result = client.embeddings.create(input="hi", model="m", extra_headers={"X-Trace": "1"})

    assert result is _EMBEDDINGS
    call: Any = client.embeddings._post.call_args  # type: ignore[attr-defined]
    assert call.args == ("/embeddings",)
    assert call.kwargs["cast_to"] is CreateEmbeddingResponse
    assert call.kwargs["body"]["input"] == "hi"
    assert call.kwargs["options"]["headers"] == {"X-Trace": "1"}
    assert call.kwargs["stream"] is False


def test_a_replaced_get_answers_a_retrieve() -> None:
    model = Model.model_validate({"id": "m", "object": "model", "created": 0, "owned_by": "me"})
    client = OpenAI(api_key="sk-test", http_client=httpx2.Client(transport=_refusing_transport()))
    client.models._get = mock.Mock(return_value=model)  # type: ignore[attr-defined]

    assert client.models.retrieve("m") is model
    assert client.models._get.call_args.args == ("/models/m",)  # type: ignore[attr-defined]


def test_without_a_replacement_the_request_is_sent() -> None:
    seen: list[str] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.url.path)
        return httpx2.Response(200, json=_EMBEDDINGS.to_dict())

    client = OpenAI(api_key="sk-test", http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))
    client.embeddings.create(input="hi", model="m")
    assert seen == ["/v1/embeddings"]


async def test_async_a_replaced_post_is_awaited() -> None:
    async def refuse(request: httpx2.Request) -> httpx2.Response:
        raise AssertionError("no request should be sent")

    client = AsyncOpenAI(api_key="sk-test", http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(refuse)))
    client.embeddings._post = mock.AsyncMock(return_value=_EMBEDDINGS)  # type: ignore[attr-defined]

    assert await client.embeddings.create(input="hi", model="m") is _EMBEDDINGS
    assert client.embeddings._post.await_count == 1  # type: ignore[attr-defined]
