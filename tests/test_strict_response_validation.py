"""`_strict_response_validation=True`, the official SDK's constructor option (instructor passes it on
every client it builds): a reply that does not match its type raises `APIResponseValidationError`
instead of being built leniently; a matching reply reads the same either way."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client

from pyopenai import APIResponseValidationError, AsyncOpenAI, OpenAI

GOOD = {"id": "m", "object": "model", "created": 1, "owned_by": "o"}
BAD = {"id": "m", "object": "model", "created": "yesterday", "owned_by": "o"}  # created must be an int


def answer(body: object) -> Callable[[httpx2.Request], httpx2.Response]:
    return lambda request: json_response(body)


def test_the_official_keyword_is_accepted_and_off_by_default() -> None:
    assert OpenAI(api_key="sk-x")._strict_response_validation is False  # pyright: ignore[reportPrivateUsage]
    strict = OpenAI(api_key="sk-x", _strict_response_validation=True)
    assert strict._strict_response_validation is True  # pyright: ignore[reportPrivateUsage]
    assert strict.with_options(max_retries=0)._strict_response_validation is True  # pyright: ignore[reportPrivateUsage]
    assert AsyncOpenAI(api_key="sk-x", _strict_response_validation=True)._strict_response_validation is True  # pyright: ignore[reportPrivateUsage]


def test_sync_strict_client_refuses_a_reply_that_does_not_match() -> None:
    lenient, _ = make_client(answer(BAD))
    assert lenient.models.retrieve("m").created == "yesterday"  # kept as it came
    strict, _ = make_client(answer(BAD), _strict_response_validation=True)
    with pytest.raises(APIResponseValidationError) as caught:
        strict.models.retrieve("m")
    assert caught.value.body == BAD
    assert caught.value.status_code == 200
    good, _ = make_client(answer(GOOD), _strict_response_validation=True)
    assert good.models.retrieve("m").created == 1


async def test_async_strict_client_refuses_a_reply_that_does_not_match() -> None:
    strict, _ = make_async_client(answer(BAD), _strict_response_validation=True)
    with pytest.raises(APIResponseValidationError):
        await strict.models.retrieve("m")
    good, _ = make_async_client(answer(GOOD), _strict_response_validation=True)
    assert (await good.models.retrieve("m")).created == 1


def test_strict_client_still_reports_a_body_that_is_not_json() -> None:
    strict, _ = make_client(
        lambda request: httpx2.Response(200, content=b"<html>", headers={"content-type": "text/html"}),
        _strict_response_validation=True,
    )
    with pytest.raises(APIResponseValidationError, match="Expected a JSON body"):
        strict.models.retrieve("m")
