"""A 401 on a key from an `api_key` provider: the key is resolved again and the request resent once."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client
from widgets import AsyncWidgets, Widgets

from pyopenai import AuthenticationError

WIDGET = {"id": "w_1", "object": "widget", "size": 3}


def accepts(*valid: str) -> Callable[[httpx2.Request], httpx2.Response]:
    """A server that answers 401 unless the bearer token is one of `valid`."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.headers.get("authorization", "").removeprefix("Bearer ") in valid:
            return json_response(WIDGET)
        return json_response({"error": {"message": "expired token", "code": "invalid_api_key"}}, status=401)

    return handler


class Provider:
    """An `api_key` provider handing out the given keys in turn (the last one repeats)."""

    def __init__(self, *keys: str) -> None:
        self.keys = list(keys)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.keys[min(self.calls, len(self.keys)) - 1]


def tokens(requests: list[httpx2.Request]) -> list[str]:
    return [r.headers["authorization"] for r in requests]


def test_refreshes_once_and_succeeds(_instant_retries: list[float]) -> None:
    provider = Provider("stale", "fresh")
    client, rec = make_client(accepts("fresh"), api_key=provider)
    widget = Widgets(client).retrieve("w_1")
    assert widget.id == "w_1"
    assert tokens(rec.requests) == ["Bearer stale", "Bearer fresh"]
    assert provider.calls == 2
    assert _instant_retries == []  # immediately, no backoff
    # not counted as a retry
    assert [r.headers["x-stainless-retry-count"] for r in rec.requests] == ["0", "0"]


def test_refresh_happens_even_with_retries_disabled() -> None:
    client, rec = make_client(accepts("fresh"), api_key=Provider("stale", "fresh"), max_retries=0)
    Widgets(client).retrieve("w_1")
    assert len(rec.requests) == 2


def test_only_once_per_request() -> None:
    provider = Provider("a", "b", "c")
    client, rec = make_client(accepts("nothing"), api_key=provider, max_retries=3)
    with pytest.raises(AuthenticationError) as info:
        Widgets(client).retrieve("w_1")
    assert info.value.status_code == 401
    assert tokens(rec.requests) == ["Bearer a", "Bearer b"]  # 401 is otherwise not retried
    assert provider.calls == 2


def test_each_request_may_refresh() -> None:
    provider = Provider("k1", "k2", "k3", "k4")
    valid = {"k2", "k4"}
    client, rec = make_client(lambda r: accepts(*valid)(r), api_key=provider)
    Widgets(client).retrieve("w_1")
    valid.discard("k2")  # k2 revoked: the next call starts with k3 (401) and refreshes to k4
    Widgets(client).retrieve("w_1")
    assert tokens(rec.requests) == ["Bearer k1", "Bearer k2", "Bearer k3", "Bearer k4"]


def test_static_key_is_not_resent() -> None:
    client, rec = make_client(accepts("fresh"), api_key="sk-static")
    with pytest.raises(AuthenticationError):
        Widgets(client).retrieve("w_1")
    assert len(rec.requests) == 1


def test_admin_key_is_not_refreshed() -> None:
    client, rec = make_client(accepts("nothing"), api_key=Provider("a", "b"), admin_api_key="sk-admin")
    with pytest.raises(AuthenticationError):
        Widgets(client).admin_stats()
    assert tokens(rec.requests) == ["Bearer sk-admin"]


@pytest.mark.parametrize("status", [403, 400, 404])
def test_other_errors_do_not_refresh(status: int) -> None:
    provider = Provider("a", "b")
    client, rec = make_client(lambda r: json_response({"error": {"message": "no"}}, status=status), api_key=provider)
    with pytest.raises(Exception):  # noqa: B017 - the status-specific error is tested elsewhere
        Widgets(client).retrieve("w_1")
    assert len(rec.requests) == 1 and provider.calls == 1


def test_refresh_and_normal_retries_combine(_instant_retries: list[float]) -> None:
    answers: Iterator[int] = iter([401, 500, 503, 200])

    def handler(request: httpx2.Request) -> httpx2.Response:
        status = next(answers)
        return json_response(WIDGET if status == 200 else {"error": {"message": "x"}}, status=status)

    client, rec = make_client(handler, api_key=Provider("k1", "k2"), max_retries=2)
    Widgets(client).retrieve("w_1")
    assert len(rec.requests) == 4
    assert [r.headers["x-stainless-retry-count"] for r in rec.requests] == ["0", "0", "1", "2"]
    assert len(_instant_retries) == 2  # only the 5xx retries waited


def test_refresh_after_a_retry() -> None:
    answers: Iterator[int] = iter([500, 401, 200])

    def handler(request: httpx2.Request) -> httpx2.Response:
        status = next(answers)
        return json_response(WIDGET if status == 200 else {"error": {"message": "x"}}, status=status)

    client, rec = make_client(handler, api_key=Provider("k1", "k2", "k3"), max_retries=1)
    Widgets(client).retrieve("w_1")
    assert tokens(rec.requests) == ["Bearer k1", "Bearer k2", "Bearer k3"]


def test_multipart_body_is_sent_again_in_full() -> None:
    client, rec = make_client(accepts("fresh"), api_key=Provider("stale", "fresh"))
    Widgets(client).upload(file=("data.jsonl", io.BytesIO(b"line one\nline two\n")), purpose="batch")
    assert len(rec.requests) == 2
    for request in rec.requests:
        assert b"line one\nline two\n" in request.content


def test_unseekable_file_body_is_not_resent() -> None:
    class OneShot(io.BytesIO):
        """A pipe-like body: readable once, cannot seek back."""

        def seekable(self) -> bool:
            return False

    client, rec = make_client(accepts("fresh"), api_key=Provider("stale", "fresh"))
    with pytest.raises(AuthenticationError):
        Widgets(client).upload(file=("data.bin", OneShot(b"once")), purpose="batch")
    assert len(rec.requests) == 1


def test_streaming_request_refreshes() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.headers["authorization"] != "Bearer fresh":
            return json_response({"error": {"message": "expired"}}, status=401)
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream"},
            content=b'data: {"id": "w_1", "delta": "hi"}\n\ndata: [DONE]\n\n',
        )

    client, rec = make_client(handler, api_key=Provider("stale", "fresh"))
    chunks = list(Widgets(client).create(name="x", stream=True))
    assert [c.delta for c in chunks] == ["hi"]
    assert len(rec.requests) == 2


# -- async -----------------------------------------------------------------------------------------


async def test_async_sync_provider_refreshes(_instant_retries: list[float]) -> None:
    provider = Provider("stale", "fresh")
    client, rec = make_async_client(accepts("fresh"), api_key=provider)
    widget = await AsyncWidgets(client).retrieve("w_1")
    assert widget.id == "w_1"
    assert tokens(rec.requests) == ["Bearer stale", "Bearer fresh"]
    assert _instant_retries == []


async def test_async_provider_refreshes_once() -> None:
    calls: list[str] = []

    async def provider() -> str:
        calls.append("call")
        return f"k{len(calls)}"

    client, rec = make_async_client(accepts("k2"), api_key=provider, max_retries=0)
    await AsyncWidgets(client).retrieve("w_1")
    assert tokens(rec.requests) == ["Bearer k1", "Bearer k2"]

    client, rec = make_async_client(accepts("nothing"), api_key=provider, max_retries=2)
    with pytest.raises(AuthenticationError):
        await AsyncWidgets(client).retrieve("w_1")
    assert len(rec.requests) == 2


async def test_async_static_key_is_not_resent() -> None:
    client, rec = make_async_client(accepts("fresh"), api_key="sk-static")
    with pytest.raises(AuthenticationError):
        await AsyncWidgets(client).retrieve("w_1")
    assert len(rec.requests) == 1


async def test_async_multipart_body_is_sent_again_in_full() -> None:
    client, rec = make_async_client(accepts("fresh"), api_key=Provider("stale", "fresh"))
    await AsyncWidgets(client).upload(file=("data.jsonl", io.BytesIO(b"payload")), purpose="batch")
    assert len(rec.requests) == 2 and all(b"payload" in r.content for r in rec.requests)
