"""What an error says (`str()`, `.message`, `.body`, `.code`, `__cause__`) for the answers a server gives:
the official SDK's words for the same answer, so logs, alerts and tests written against it read the
same. What went wrong underneath (a reset, a read timeout, a pydantic error) stays reachable as the
error's `__cause__`, which tracebacks print."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx2
import pydantic
import pytest
from helpers import json_response, make_async_client, make_client

from pyopenai import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ContentFilterFinishReasonError,
    InternalServerError,
    LengthFinishReasonError,
)
from pyopenai._exceptions import APIResponseJSONError
from pyopenai.types.chat import ChatCompletion

MESSAGES: Any = [{"role": "user", "content": "hi"}]
Handler = Callable[[httpx2.Request], httpx2.Response]


def raw(status: int, content: bytes, content_type: str = "application/json") -> Handler:
    return lambda request: httpx2.Response(status, content=content, headers={"content-type": content_type})


def sse(*events: bytes) -> Handler:
    return lambda request: httpx2.Response(200, content=b"".join(events), headers={"content-type": "text/event-stream"})


def refused(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ConnectError("[Errno 111] Connection refused", request=request)


def timed_out(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ReadTimeout("timed out", request=request)


def call_sync(handler: Handler, *, stream: bool = False, **options: Any) -> BaseException:
    client, _ = make_client(handler, max_retries=0, **options)
    with pytest.raises(Exception) as info:
        result = client.chat.completions.create(model="m", messages=MESSAGES, stream=stream)
        if stream:
            list(result)  # pyright: ignore[reportArgumentType]
    return info.value


def call_async(handler: Handler, *, stream: bool = False, **options: Any) -> BaseException:
    async def run() -> None:
        client, _ = make_async_client(handler, max_retries=0, **options)
        result: Any = await client.chat.completions.create(model="m", messages=MESSAGES, stream=stream)
        if stream:
            async for _ in result:
                pass

    with pytest.raises(Exception) as info:
        asyncio.run(run())
    return info.value


CALLS = pytest.mark.parametrize("call", [call_sync, call_async], ids=["sync", "async"])

# (answer, error class, str(error), error.body)
STATUS_ANSWERS = {
    "the API's error": (raw(400, b'{"error": {"message": "bad thing", "type": "invalid_request_error", "param": "messages", "code": "bad_code"}}'),
                        BadRequestError, "Error code: 400 - bad thing",
                        {"message": "bad thing", "type": "invalid_request_error", "param": "messages", "code": "bad_code"}),
    "a message at the top level": (raw(400, b'{"message": "top", "code": "c"}'), BadRequestError, "Error code: 400 - top",
                                   {"message": "top", "code": "c"}),
    "JSON without a message": (raw(400, b'{"detail": "bad"}'), BadRequestError, "Error code: 400", {"detail": "bad"}),
    "an error without a message": (raw(400, b'{"error": {"type": "t", "code": "c"}}'), BadRequestError, "Error code: 400",
                                   {"type": "t", "code": "c"}),
    "a message that is not text": (raw(400, b'{"error": {"message": 5}}'), BadRequestError, "Error code: 400", {"message": 5}),
    "an empty message": (raw(400, b'{"error": {"message": ""}}'), BadRequestError, "Error code: 400", {"message": ""}),
    "an error that is a string": (raw(400, b'{"error": "just a string"}'), BadRequestError, "Error code: 400", "just a string"),
    "a JSON list": (raw(400, b"[1, 2]"), BadRequestError, "Error code: 400", [1, 2]),
    "a null error": (raw(400, b'{"error": null}'), BadRequestError, "Error code: 400", None),
    "plain text": (raw(500, b"oops not json", "text/plain"), InternalServerError, "Error code: 500", "oops not json"),
    "text around blank lines": (raw(400, b"  line one\n  line two  \n", "text/plain"), BadRequestError, "Error code: 400",
                                "line one\n  line two"),
    "an HTML page": (raw(502, b"<html><h1>502 Bad Gateway</h1></html>", "text/html"), InternalServerError, "Error code: 502",
                     "<html><h1>502 Bad Gateway</h1></html>"),
    "broken JSON": (raw(400, b'{"error": '), BadRequestError, "Error code: 400", '{"error":'),
    "an empty body": (raw(400, b""), BadRequestError, "Error code: 400", ""),
    "an unlisted status": (raw(418, b'{"error": {"message": "teapot"}}'), APIStatusError, "Error code: 418 - teapot",
                           {"message": "teapot"}),
}


@CALLS
@pytest.mark.parametrize("answer", list(STATUS_ANSWERS), ids=list(STATUS_ANSWERS))
def test_status_errors_say_the_status_and_the_apis_own_message(call: Callable[..., BaseException], answer: str) -> None:
    handler, cls, text, body = STATUS_ANSWERS[answer]
    error = call(handler)
    assert type(error) is cls
    assert isinstance(error, APIStatusError)
    assert (str(error), error.message, error.body) == (text, text, body)


@CALLS
def test_status_errors_read_code_param_and_type_from_the_error_object(call: Callable[..., BaseException]) -> None:
    error = call(raw(400, b'{"error": {"message": "m", "type": "t", "param": "p", "code": 123}}'))
    assert isinstance(error, APIStatusError)
    assert (error.code, error.param, error.type) == ("123", "p", "t")


@CALLS
def test_a_refused_connection_says_connection_error_caused_by_the_transports_error(call: Callable[..., BaseException]) -> None:
    error = call(refused)
    assert type(error) is APIConnectionError
    assert (str(error), error.body) == ("Connection error.", None)
    assert isinstance(error.__cause__, httpx2.ConnectError) and "refused" in str(error.__cause__)


@CALLS
def test_a_timeout_says_request_timed_out_caused_by_the_timeout(call: Callable[..., BaseException]) -> None:
    error = call(timed_out)
    assert type(error) is APITimeoutError and str(error) == "Request timed out."
    assert isinstance(error.__cause__, httpx2.ReadTimeout)


# (events, str(error), error.body, error.code)
ERROR_EVENTS = {
    "with a message": (b'data: {"error": {"message": "overloaded", "code": "c1"}}\n\n', "overloaded", {"message": "overloaded", "code": "c1"}, "c1"),
    "without a message": (b'data: {"error": {"code": "c2"}}\n\n', "An error occurred during streaming", {"code": "c2"}, "c2"),
    "whose message is not text": (b'data: {"error": {"message": 7}}\n\n', "An error occurred during streaming", {"message": 7}, None),
    "that is a string": (b'data: {"error": "a string"}\n\n', "An error occurred during streaming", "a string", None),
}


@CALLS
@pytest.mark.parametrize("event", list(ERROR_EVENTS), ids=list(ERROR_EVENTS))
def test_an_error_event_in_a_stream(call: Callable[..., BaseException], event: str) -> None:
    data, text, body, code = ERROR_EVENTS[event]
    error = call(sse(data), stream=True)
    assert type(error) is APIError
    assert (str(error), error.body, error.code) == (text, body, code)


CHUNK = b'{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": []}'
BAD_CHUNK = b'{"id": 1, "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": "x"}'


@CALLS
def test_a_strict_client_refuses_a_streamed_event_that_does_not_match(call: Callable[..., BaseException]) -> None:
    events = (b"data: " + CHUNK + b"\n\n", b"data: " + BAD_CHUNK + b"\n\n", b"data: [DONE]\n\n")
    error = call(sse(*events), stream=True, _strict_response_validation=True)
    assert type(error) is APIResponseValidationError
    assert str(error) == "Data returned by API invalid for expected schema."
    assert error.body == {"id": 1, "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": "x"}
    assert error.status_code == 200
    assert isinstance(error.__cause__, pydantic.ValidationError)  # says which fields did not match


def test_a_lenient_client_builds_the_same_streamed_event_as_it_came() -> None:
    client, _ = make_client(sse(b"data: " + BAD_CHUNK + b"\n\n", b"data: [DONE]\n\n"))
    (chunk,) = list(client.chat.completions.create(model="m", messages=MESSAGES, stream=True))
    assert (chunk.id, chunk.choices) == (1, "x")


def test_a_strict_client_streams_matching_events_as_usual() -> None:
    client, _ = make_client(sse(b"data: " + CHUNK + b"\n\n", b"data: [DONE]\n\n"), _strict_response_validation=True)
    assert [c.id for c in client.chat.completions.create(model="m", messages=MESSAGES, stream=True)] == ["c"]


@CALLS
def test_a_strict_client_says_the_result_does_not_match_caused_by_pydantics_error(call: Callable[..., BaseException]) -> None:
    error = call(lambda request: json_response({"id": 1, "choices": "x"}), _strict_response_validation=True)
    assert type(error) is APIResponseValidationError
    assert str(error) == "Data returned by API invalid for expected schema."
    assert error.body == {"id": 1, "choices": "x"}
    assert isinstance(error.__cause__, pydantic.ValidationError) and "ChatCompletion" in str(error.__cause__)


def test_finish_reason_errors_say_why_the_content_could_not_be_parsed() -> None:
    completion = ChatCompletion.model_validate({
        "id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
    })
    assert str(LengthFinishReasonError(completion=completion)) == (
        f"Could not parse response content as the length limit was reached - {completion.usage!r}"
    )
    assert str(ContentFilterFinishReasonError()) == (
        "Could not parse response content as the request was rejected by the content filter"
    )


@CALLS
def test_an_empty_body_where_json_was_promised_is_a_json_error_not_a_none_result(call: Callable[..., BaseException]) -> None:
    error = call(raw(200, b""))
    assert isinstance(error, APIResponseJSONError) and isinstance(error, json.JSONDecodeError)
    assert (error.status_code, error.msg, error.pos) == (200, "Expecting value", 0)
