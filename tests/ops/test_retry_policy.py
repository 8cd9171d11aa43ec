"""RetryPolicy: what retries, how long it waits, the on_retry hook, Idempotency-Key, with_options and per call."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client

import pyopenai
from pyopenai import RetryAttempt, RetryPolicy

MODEL = {"id": "gpt-4o", "object": "model", "created": 1, "owned_by": "system"}
CHAT = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}],
}


def failing(statuses: list[int], body: dict[str, Any] | None = None, final: dict[str, Any] | None = None) -> Any:
    """A handler answering each status in turn, then 200 with `final`."""
    answers = iter(statuses)

    def handler(request: httpx2.Request) -> httpx2.Response:
        status = next(answers, 200)
        if status == 200:
            return json_response(final or MODEL)
        return json_response(body or {"error": {"message": "try later", "code": None}}, status)

    return handler


# -- the decision, with no I/O ---------------------------------------------------------------------


def test_default_policy_is_the_clients_long_standing_behaviour() -> None:
    policy = RetryPolicy()
    assert policy.max_retries == 2 and policy.initial_delay == 0.5 and policy.max_delay == 8.0
    assert {408, 409, 429, 500, 503} <= set(policy.retry_statuses)
    assert 400 not in policy.retry_statuses and 404 not in policy.retry_statuses
    assert "insufficient_quota" in policy.never_retry_error_codes


def test_backoff_doubles_up_to_max_delay_and_jitter_only_shortens() -> None:
    exact = RetryPolicy(initial_delay=1, max_delay=5, jitter=0)
    assert [exact.backoff(n) for n in range(5)] == [1, 2, 4, 5, 5]
    jittered = RetryPolicy(initial_delay=1, max_delay=5, jitter=0.5)
    assert all(0.5 <= jittered.backoff(0) <= 1 for _ in range(200))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"initial_delay": -1}, "initial_delay"),
        ({"jitter": 2}, "jitter"),
        ({"initial_delay": 5, "max_delay": 1}, "max_delay"),
        ({"max_elapsed": 0}, "max_elapsed"),
    ],
)
def test_bad_settings_are_refused_at_once(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**options)


def test_bad_types_are_refused() -> None:
    with pytest.raises(TypeError, match="on_retry"):
        RetryPolicy(on_retry="print")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="collections"):
        RetryPolicy(retry_error_codes="rate_limit_exceeded")
    with pytest.raises(TypeError, match="RetryPolicy"):
        pyopenai.OpenAI(api_key="sk-x", retry={"max_retries": 3})  # type: ignore[arg-type]


# -- on the wire -----------------------------------------------------------------------------------


def test_on_retry_sees_attempt_error_response_and_delay_before_each_retry(_instant_retries: list[float]) -> None:
    seen: list[RetryAttempt] = []
    policy = RetryPolicy(max_retries=3, initial_delay=0.25, jitter=0, on_retry=seen.append)
    client, recorder = make_client(failing([503, 500]), retry=policy)
    assert client.models.retrieve("gpt-4o").id == "gpt-4o"
    assert [a.attempt for a in seen] == [1, 2]
    assert [a.status_code for a in seen] == [503, 500]
    assert [a.delay for a in seen] == [0.25, 0.5] == _instant_retries
    assert isinstance(seen[0].error, pyopenai.InternalServerError)
    assert seen[0].method == "GET" and seen[0].url.endswith("/models/gpt-4o")
    assert len(recorder.requests) == 3


async def test_async_on_retry_may_be_a_coroutine(_instant_retries: list[float]) -> None:
    seen: list[int] = []

    async def hook(attempt: RetryAttempt) -> None:
        seen.append(attempt.attempt)

    client, _ = make_async_client(failing([429, 429]), retry=RetryPolicy(on_retry=hook))
    assert (await client.models.retrieve("gpt-4o")).id == "gpt-4o"
    assert seen == [1, 2]


def test_on_retry_after_a_connection_error_has_the_error_and_no_response() -> None:
    calls = iter([httpx2.ConnectError("refused"), None])
    seen: list[RetryAttempt] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        error = next(calls)
        if error is not None:
            raise error
        return json_response(MODEL)

    client, _ = make_client(handler, retry=RetryPolicy(on_retry=seen.append))
    client.models.retrieve("gpt-4o")
    assert seen[0].response is None and isinstance(seen[0].error, httpx2.ConnectError)


def test_an_exception_from_on_retry_stops_the_call() -> None:
    def refuse(attempt: RetryAttempt) -> None:
        raise RuntimeError("circuit open")

    client, recorder = make_client(failing([500]), retry=RetryPolicy(on_retry=refuse))
    with pytest.raises(RuntimeError, match="circuit open"):
        client.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 1


def test_statuses_and_error_codes_decide_what_retries() -> None:
    # 400 with a listed code retries; a listed status does not retry when its code is on the never list
    policy = RetryPolicy(retry_statuses={503}, retry_error_codes={"model_overloaded"}, never_retry_error_codes={"bad_day"})
    client, recorder = make_client(failing([400], {"error": {"message": "busy", "code": "model_overloaded"}}), retry=policy)
    client.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 2
    client, recorder = make_client(failing([503], {"error": {"message": "no", "code": "bad_day"}}), retry=policy)
    with pytest.raises(pyopenai.InternalServerError):
        client.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 1
    client, recorder = make_client(failing([500]), retry=policy)  # 500 is not in this policy's list
    with pytest.raises(pyopenai.InternalServerError):
        client.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 1


def test_insufficient_quota_is_never_retried_by_default() -> None:
    client, recorder = make_client(failing([429], {"error": {"message": "quota", "code": "insufficient_quota"}}))
    with pytest.raises(pyopenai.RateLimitError):
        client.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 1


def test_max_elapsed_caps_the_time_spent_retrying(_instant_retries: list[float]) -> None:
    policy = RetryPolicy(max_retries=10, initial_delay=1, jitter=0, max_elapsed=2.5)
    client, recorder = make_client(failing([500] * 10), retry=policy)
    with pytest.raises(pyopenai.InternalServerError):
        client.models.retrieve("gpt-4o")
    # waits of 1 s then 2 s would end past 2.5 s: only the first retry is made
    assert _instant_retries == [1]
    assert len(recorder.requests) == 2


def test_max_retries_still_accepted_and_applies_on_top_of_a_policy() -> None:
    client, recorder = make_client(failing([500] * 5), max_retries=0)
    with pytest.raises(pyopenai.InternalServerError):
        client.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 1
    client, recorder = make_client(failing([500] * 5), retry=RetryPolicy(max_retries=4, jitter=0), max_retries=1)
    with pytest.raises(pyopenai.InternalServerError):
        client.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 2
    assert client.retry.max_retries == 1 and client.max_retries == 1


def test_with_options_replaces_the_policy_for_the_copy_only() -> None:
    client, recorder = make_client(failing([500] * 9))
    strict = client.with_options(retry=RetryPolicy(max_retries=0))
    with pytest.raises(pyopenai.InternalServerError):
        strict.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 1
    assert client.retry == RetryPolicy()
    assert client.with_options(max_retries=5).retry.max_retries == 5


def test_per_call_policy_through_request_options() -> None:
    client, recorder = make_client(failing([500, 500, 500]))
    with pytest.raises(pyopenai.InternalServerError):
        client.get("/models/gpt-4o", cast_to=object, options={"retry": RetryPolicy(max_retries=0)})
    assert len(recorder.requests) == 1


def test_idempotency_key_is_sent_on_posts_and_kept_across_retries() -> None:
    client, recorder = make_client(failing([500], final=CHAT))
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    keys = [r.headers.get("idempotency-key") for r in recorder.requests]
    assert len(keys) == 2 and keys[0] is not None and keys[0] == keys[1]
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert recorder.last.headers["idempotency-key"] != keys[0]  # a new call, a new key
    client.models.retrieve("gpt-4o")
    assert "idempotency-key" not in recorder.last.headers  # GETs are idempotent already


async def test_async_idempotency_key_kept_across_retries() -> None:
    client, recorder = make_async_client(failing([500], final=CHAT))
    await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    keys = {r.headers.get("idempotency-key") for r in recorder.requests}
    assert len(keys) == 1 and None not in keys


@pytest.mark.parametrize("where", ["default_headers", "extra_headers"])
def test_a_pinned_idempotency_key_is_sent_on_every_attempt(where: str) -> None:
    pinned = {"Idempotency-Key": "user-key-7"}
    client, recorder = make_client(failing([500, 503], final=CHAT), **({"default_headers": pinned} if where == "default_headers" else {}))
    extra: dict[str, Any] = {"extra_headers": pinned} if where == "extra_headers" else {}
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}], **extra)
    assert [r.headers.get_list("idempotency-key") for r in recorder.requests] == [["user-key-7"]] * 3


async def test_async_pinned_idempotency_key_is_sent_on_every_attempt() -> None:
    client, recorder = make_async_client(failing([500], final=CHAT), default_headers={"Idempotency-Key": "user-key-8"})
    await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert [r.headers.get_list("idempotency-key") for r in recorder.requests] == [["user-key-8"]] * 2


def test_idempotency_key_can_be_turned_off_or_given_per_call() -> None:
    client, recorder = make_client(lambda r: json_response(CHAT), retry=RetryPolicy(idempotency_header=None))
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert "idempotency-key" not in recorder.last.headers
    client, recorder = make_client(lambda r: json_response(CHAT))
    client.post("/chat/completions", cast_to=object, body={"model": "gpt-4o"}, options={"idempotency_key": "mine-1"})
    assert recorder.last.headers["idempotency-key"] == "mine-1"
