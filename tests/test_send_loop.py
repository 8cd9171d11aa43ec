"""The send loops and the retry decisions they drive: what a failed attempt leads to, sync and async."""

from __future__ import annotations

import ssl
from typing import Any

import anyio
import httpx2
import pytest
from helpers import json_response, make_async_client, make_client
from widgets import AsyncWidgets, Widgets

from pyopenai import APIConnectionError, APITimeoutError, InternalServerError
from pyopenai._retries import RetryDecisions
from pyopenai._retry_policy import RetryPolicy


class Boom(Exception):
    """Not an HTTP library error: something else that failed while sending (a hook, a transport bug)."""


def always(error: Exception) -> Any:
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise error

    return handler


def test_an_exception_that_is_not_the_exchange_failing_propagates_unretried(_instant_retries: list[float]) -> None:
    """A hook's or a custom transport's own error is the caller's to see as it is, as in the official SDK."""
    boom = Boom("the transport broke")
    client, rec = make_client(always(boom))
    with pytest.raises(Boom) as info:
        Widgets(client).retrieve("w")
    assert info.value is boom
    assert len(rec.requests) == 1 and _instant_retries == []


async def test_async_an_exception_that_is_not_the_exchange_failing_propagates_unretried(
    _instant_retries: list[float],
) -> None:
    boom = Boom("the transport broke")
    client, rec = make_async_client(always(boom))
    with pytest.raises(Boom) as info:
        await AsyncWidgets(client).retrieve("w")
    assert info.value is boom and len(rec.requests) == 1


@pytest.mark.parametrize(
    "error", [httpx2.ReadError("reset"), httpx2.RemoteProtocolError("cut"), ssl.SSLError("bad record"), anyio.EndOfStream()]
)
def test_a_transport_failure_is_a_retried_connection_error(error: Exception, _instant_retries: list[float]) -> None:
    client, rec = make_client(always(error))
    with pytest.raises(APIConnectionError) as info:
        Widgets(client).retrieve("w")
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.__cause__ is error  # what broke; the message is the official SDK's
    assert str(info.value) == "Connection error."
    assert len(rec.requests) == 3 and len(_instant_retries) == 2
    # the error's request is a copy without the key; the one the transport saw is left as it was
    assert "authorization" not in info.value.request.headers
    assert rec.requests[-1].headers["authorization"] == "Bearer sk-test-key"


async def test_async_a_transport_failure_is_a_retried_connection_error(_instant_retries: list[float]) -> None:
    error = httpx2.ReadError("reset")
    client, rec = make_async_client(always(error))
    with pytest.raises(APIConnectionError) as info:
        await AsyncWidgets(client).retrieve("w")
    assert info.value.__cause__ is error
    assert len(rec.requests) == 3 and len(_instant_retries) == 2


def test_a_keyboard_interrupt_is_not_swallowed() -> None:
    client, rec = make_client(always(KeyboardInterrupt()))  # type: ignore[arg-type]
    with pytest.raises(KeyboardInterrupt):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 1


def test_a_retry_policy_replaces_the_constants_without_touching_the_loops(_instant_retries: list[float]) -> None:
    client, rec = make_client(lambda r: json_response({"error": {"message": "bad"}}, status=400))
    client.retry = RetryPolicy(initial_delay=2.0, jitter=0.0, retry_statuses=frozenset({400}))
    with pytest.raises(Exception, match="bad"):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 3 and _instant_retries == [2.0, 4.0]


def _answer(status: int) -> httpx2.Response:
    request = httpx2.Request("GET", "http://api.test/v1/w")
    response = httpx2.Response(status, json={"error": {"message": "m"}}, request=request)
    response.read()
    return response


def test_retry_decisions_answer_without_io() -> None:
    call = RetryDecisions(max_retries=1, rules=RetryPolicy(jitter=0.0), deadline=None, credential_refused=lambda: True)
    request = httpx2.Request("GET", "http://api.test/v1/w")
    call.begin(request)
    assert call.after_response(_answer(200), request) is None
    resend = call.after_response(_answer(401), request)
    assert resend is not None and not resend.counted and resend.delay == 0.0  # a fresh key, once, not a retry
    retry = call.after_response(_answer(500), request)
    assert retry is not None and retry.counted and retry.delay == 0.5 and retry.retries_taken == 0
    assert call.retries_taken == 1
    with pytest.raises(InternalServerError):
        call.after_response(_answer(500), request)
