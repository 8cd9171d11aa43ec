"""A plain `httpx` client works as `http_client=` too (code written for the httpx era keeps working)."""

from __future__ import annotations

import json

import httpx
import pytest
from widgets import AsyncWidgets, Widgets

from pyopenai import APIConnectionError, AsyncOpenAI, NotFoundError, OpenAI


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/missing"):
        return httpx.Response(404, json={"error": {"message": "nope", "code": "gone"}})
    return httpx.Response(200, json={"id": "w", "object": "widget", "echo": json.loads(request.content or b"{}")},
                          headers={"x-request-id": "req_httpx"})


def test_sync_httpx_client() -> None:
    client = OpenAI(api_key="sk-x", base_url="http://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    widget = Widgets(client).create(name="n")
    assert widget.echo == {"name": "n"} and widget._request_id == "req_httpx"
    with pytest.raises(NotFoundError):
        Widgets(client).retrieve("missing")


def test_httpx_transport_errors_become_connection_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client = OpenAI(api_key="sk-x", base_url="http://api.test/v1", max_retries=0,
                    http_client=httpx.Client(transport=httpx.MockTransport(refuse)))
    with pytest.raises(APIConnectionError):
        Widgets(client).retrieve("w")


async def test_async_httpx_client() -> None:
    client = AsyncOpenAI(api_key="sk-x", base_url="http://api.test/v1",
                         http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    widget = await AsyncWidgets(client).create(name="a")
    assert widget.echo == {"name": "a"}
