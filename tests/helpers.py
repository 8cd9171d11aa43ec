"""Test helpers: clients wired to an in-process `httpx2.MockTransport` that records every request."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2

from pyopenai import AsyncOpenAI, OpenAI

Handler = Callable[[httpx2.Request], httpx2.Response]

# what an Azure client reads from the environment when an option is not given (cleared by the Azure tests)
AZURE_ENVIRONMENT = ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN", "AZURE_OPENAI_ENDPOINT", "OPENAI_API_VERSION")


class Recorder:
    """Answers requests with `handler` and keeps them for assertions."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        return self.handler(request)

    @property
    def last(self) -> httpx2.Request:
        return self.requests[-1]

    def json(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


def json_response(body: object, status: int = 200, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(status, json=body, headers={"x-request-id": "req_123", **(headers or {})})


def make_client(handler: Handler, **options: Any) -> tuple[OpenAI, Recorder]:
    recorder = Recorder(handler)
    options.setdefault("api_key", "sk-test-key")
    options.setdefault("base_url", "http://api.test/v1")
    client = OpenAI(http_client=httpx2.Client(transport=httpx2.MockTransport(recorder)), **options)
    return client, recorder


def make_async_client(handler: Handler, **options: Any) -> tuple[AsyncOpenAI, Recorder]:
    recorder = Recorder(handler)
    options.setdefault("api_key", "sk-test-key")
    options.setdefault("base_url", "http://api.test/v1")
    client = AsyncOpenAI(http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(recorder)), **options)
    return client, recorder
