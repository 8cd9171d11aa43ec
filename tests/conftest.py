"""Shared helpers: clients wired to an in-process `httpx2.MockTransport` that records every request."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from pyopenai import AsyncOpenAI, OpenAI

Handler = Callable[[httpx2.Request], httpx2.Response]


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


@pytest.fixture(autouse=True)
def _no_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's real credentials or settings."""
    for name in (
        "OPENAI_API_KEY", "OPENAI_ADMIN_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_BASE_URL",
        "OPENAI_WEBHOOK_SECRET", "OPENAI_LOG",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _instant_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries wait for real in production; in tests the waits are recorded instead of slept."""
    waits: list[float] = []

    def record(seconds: float) -> None:
        waits.append(seconds)

    async def record_async(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("pyopenai._base_client.time.sleep", record)
    monkeypatch.setattr("pyopenai._base_client._async_sleep", record_async)
    return waits
