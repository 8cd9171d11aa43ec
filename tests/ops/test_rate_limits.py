"""Rate limits as data: `x-ratelimit-*` headers read as `RateLimits` on results, raw responses, errors, the client."""

from __future__ import annotations

import pickle

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client

import pyopenai
from pyopenai import RateLimits
from pyopenai._rate_limits import parse_reset

HEADERS = {
    "x-ratelimit-limit-requests": "500",
    "x-ratelimit-remaining-requests": "499",
    "x-ratelimit-reset-requests": "120ms",
    "x-ratelimit-limit-tokens": "30000",
    "x-ratelimit-remaining-tokens": "29000",
    "x-ratelimit-reset-tokens": "6m0s",
}
EXPECTED = RateLimits(
    limit_requests=500, remaining_requests=499, reset_requests=0.12,
    limit_tokens=30000, remaining_tokens=29000, reset_tokens=360.0,
)
MODEL = {"id": "gpt-4o", "object": "model", "created": 1, "owned_by": "system"}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("6m0s", 360.0), ("1s", 1.0), ("20ms", 0.02), ("1h2m3.5s", 3723.5), ("59.1s", 59.1), ("0s", 0.0), ("2.5", 2.5)],
)
def test_reset_durations_read_as_seconds(text: str, seconds: float) -> None:
    assert parse_reset(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "soon", "1x", "s", "-", "1m-2s"])
def test_unreadable_reset_is_none_not_an_error(text: str) -> None:
    assert parse_reset(text) is None


def test_missing_or_garbled_headers_give_none_fields() -> None:
    limits = RateLimits.from_headers({"x-ratelimit-limit-requests": "lots", "x-ratelimit-remaining-tokens": "7"})
    assert limits.limit_requests is None and limits.remaining_tokens == 7 and limits.reset_tokens is None
    assert limits.reported
    assert not RateLimits.from_headers({}).reported


def test_rate_limits_compare_pickle_and_print() -> None:
    limits = RateLimits.from_headers(HEADERS)
    assert limits == EXPECTED
    assert pickle.loads(pickle.dumps(limits)) == EXPECTED
    assert "remaining_requests=499" in repr(limits)
    assert limits.to_dict()["reset_tokens"] == 360.0


def test_result_raw_response_and_client_carry_rate_limits() -> None:
    client, _ = make_client(lambda r: json_response(MODEL, headers=HEADERS))
    assert client.rate_limits is None  # nothing seen yet
    model = client.models.retrieve("gpt-4o")
    assert model._rate_limits == EXPECTED
    assert model._request_id == "req_123"
    raw = client.models.with_raw_response.retrieve("gpt-4o")
    assert raw.rate_limits == EXPECTED
    assert client.rate_limits == EXPECTED


async def test_async_result_raw_response_and_client_carry_rate_limits() -> None:
    client, _ = make_async_client(lambda r: json_response(MODEL, headers=HEADERS))
    model = await client.models.retrieve("gpt-4o")
    assert model._rate_limits == EXPECTED
    raw = await client.models.with_raw_response.retrieve("gpt-4o")
    assert raw.rate_limits.remaining_tokens == 29000
    assert client.rate_limits == EXPECTED


def test_client_snapshot_is_the_latest_answer_that_reported_limits_and_is_shared_with_copies() -> None:
    answers = iter([
        json_response(MODEL, headers={**HEADERS, "x-ratelimit-remaining-requests": "10"}),
        json_response(MODEL),  # an endpoint that reports no limits does not erase what is known
        json_response(MODEL, headers={**HEADERS, "x-ratelimit-remaining-requests": "9"}),
    ])
    client, _ = make_client(lambda r: next(answers))
    copy = client.with_options(timeout=5)
    client.models.retrieve("gpt-4o")
    client.models.retrieve("gpt-4o")
    assert client.rate_limits is not None and client.rate_limits.remaining_requests == 10
    copy.models.retrieve("gpt-4o")
    assert client.rate_limits.remaining_requests == 9
    assert copy.rate_limits == client.rate_limits


def test_status_error_carries_the_limit_that_was_hit() -> None:
    headers = {**HEADERS, "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1s"}
    client, _ = make_client(
        lambda r: json_response({"error": {"message": "slow down", "code": "rate_limit_exceeded"}}, 429, headers),
        max_retries=0,
    )
    with pytest.raises(pyopenai.RateLimitError) as caught:
        client.models.retrieve("gpt-4o")
    assert caught.value.rate_limits.remaining_requests == 0
    assert caught.value.rate_limits.reset_requests == 1.0
    assert client.rate_limits is not None and client.rate_limits.remaining_requests == 0
    # errors pickle (they cross process pools); the limits come along, parsed
    assert pickle.loads(pickle.dumps(caught.value)).rate_limits.reset_requests == 1.0


async def test_async_status_error_carries_the_limit_that_was_hit() -> None:
    client, _ = make_async_client(
        lambda r: json_response({"error": {"message": "slow down"}}, 429, {"x-ratelimit-remaining-tokens": "0"}),
        max_retries=0,
    )
    with pytest.raises(pyopenai.RateLimitError) as caught:
        await client.models.retrieve("gpt-4o")
    assert caught.value.rate_limits.remaining_tokens == 0 and caught.value.rate_limits.limit_tokens is None


def test_a_response_without_rate_limit_headers_gives_empty_limits() -> None:
    client, _ = make_client(lambda r: httpx2.Response(200, json=MODEL))
    model = client.models.retrieve("gpt-4o")
    assert model._rate_limits is not None and not model._rate_limits.reported
    assert client.rate_limits is None
