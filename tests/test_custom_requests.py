"""Custom requests (`client.get/post/...`) honour their options; answers read as the official SDK reads them."""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2
import pytest
from helpers import Recorder, json_response, make_async_client, make_client

from pyopenai import (
    APIResponseValidationError,
    APIStatusError,
    AsyncStream,
    BadRequestError,
    OpenAI,
    OpenAIError,
    Stream,
)

WIDGET = {"id": "w_1", "object": "widget"}


def ok(_: httpx2.Request) -> httpx2.Response:
    return json_response(WIDGET)


def test_security_option_authorises_with_the_admin_key() -> None:
    client, rec = make_client(ok, admin_api_key="sk-admin-key")
    client.get("/organization/users", cast_to=object, options={"security": {"admin_api_key_auth": True}})
    assert rec.last.headers["authorization"] == "Bearer sk-admin-key"
    client.get("/models", cast_to=object)
    assert rec.last.headers["authorization"] == "Bearer sk-test-key"


async def test_async_security_option_without_an_admin_key_is_a_clear_error() -> None:
    client, rec = make_async_client(ok)
    with pytest.raises(OpenAIError, match="admin API key"):
        await client.get("/organization/users", cast_to=object, options={"security": {"admin_api_key_auth": True}})
    assert rec.requests == []


def redirect(request: httpx2.Request) -> httpx2.Response:
    if request.url.path.endswith("/old"):
        return httpx2.Response(307, headers={"location": "http://api.test/v1/new"})
    return json_response(WIDGET)


def test_follow_redirects_false_is_honoured_per_request() -> None:
    """A redirect not followed is an answer that is not a result: an `APIStatusError` holding the 3xx,
    as the official SDK raises it, even for `cast_to=httpx2.Response`."""
    rec = Recorder(redirect)
    client = OpenAI(api_key="k", base_url="http://api.test/v1",
                    http_client=httpx2.Client(transport=httpx2.MockTransport(rec), follow_redirects=True))
    with pytest.raises(APIStatusError) as info:
        client.get("/old", cast_to=httpx2.Response, options={"follow_redirects": False})
    assert info.value.status_code == 307 and len(rec.requests) == 1
    assert info.value.response.headers["location"] == "http://api.test/v1/new"
    assert client.get("/old", cast_to=object) == WIDGET  # the HTTP client's own setting still applies
    assert len(rec.requests) == 3


async def test_async_follow_redirects_false() -> None:
    client, rec = make_async_client(redirect)
    with pytest.raises(APIStatusError) as info:
        await client.get("/old", cast_to=httpx2.Response, options={"follow_redirects": False})
    assert info.value.status_code == 307 and len(rec.requests) == 1


def test_post_content_uploads_a_raw_body() -> None:
    client, rec = make_client(ok)
    client.post("/raw", cast_to=object, content=b"\x00raw bytes", options={"headers": {"content-type": "application/x"}})
    assert rec.last.content == b"\x00raw bytes" and rec.last.headers["content-type"] == "application/x"

    def chunks() -> Iterator[bytes]:
        yield b"one,"
        yield b"two"

    client.post("/raw", cast_to=object, content=chunks())
    assert rec.last.content == b"one,two"


async def test_async_post_content_from_an_async_iterator() -> None:
    client, rec = make_async_client(ok)

    async def chunks() -> AsyncIterator[bytes]:
        yield b"a"
        yield b"b"

    await client.post("/raw", cast_to=object, content=chunks())
    assert rec.last.content == b"ab"


def test_a_raw_body_from_an_iterator_is_not_retried_since_it_cannot_be_read_twice() -> None:
    client, rec = make_client(lambda r: json_response({"error": {"message": "busy"}}, status=503))
    with pytest.raises(OpenAIError, match="busy"):
        client.post("/raw", cast_to=object, content=iter([b"x"]))
    assert len(rec.requests) == 1


def test_raw_bytes_as_body_still_work_with_a_deprecation_warning() -> None:
    client, rec = make_client(ok)
    with pytest.warns(DeprecationWarning, match="content="):
        client.post("/raw", cast_to=object, body=b"payload")
    assert rec.last.content == b"payload"
    with pytest.raises(TypeError, match="not both"):
        client.post("/raw", cast_to=object, body={"a": 1}, content=b"x")


class MyResponse(httpx2.Response):
    pass


def test_cast_to_a_subclass_of_the_response_class_is_a_value_error() -> None:
    client, rec = make_client(ok)
    with pytest.raises(ValueError, match="subclass"):
        client.get("/x", cast_to=MyResponse)
    assert rec.requests == []  # refused before anything was sent
    assert isinstance(client.get("/x", cast_to=httpx2.Response), httpx2.Response)


async def test_async_cast_to_a_response_subclass_is_a_value_error() -> None:
    client, _ = make_async_client(ok)
    with pytest.raises(ValueError, match="subclass"):
        await client.post("/x", cast_to=MyResponse)


# -- what answers come back as -----------------------------------------------------------------------


def test_a_text_plain_answer_returns_its_text() -> None:
    client, _ = make_client(lambda r: httpx2.Response(200, text="just words", headers={"content-type": "text/plain"}))
    assert client.post("/audio/transcriptions", cast_to=dict, body={}) == "just words"


def test_api_error_body_is_the_error_object() -> None:
    error = {"message": "bad model", "type": "invalid_request_error", "param": "model", "code": "model_not_found"}
    client, _ = make_client(lambda r: json_response({"error": error}, status=400))
    with pytest.raises(BadRequestError) as info:
        client.get("/x", cast_to=object)
    assert info.value.body == error and info.value.code == "model_not_found" and info.value.param == "model"


def test_a_200_with_invalid_json_is_a_json_decode_error_and_not_retried() -> None:
    client, rec = make_client(lambda r: httpx2.Response(200, content=b'{"id": "w_', headers={"content-type": "application/json"}))
    with pytest.raises(json.JSONDecodeError) as info:
        client.get("/x", cast_to=dict)
    assert isinstance(info.value, APIResponseValidationError) and info.value.pos == 7
    assert len(rec.requests) == 1


async def test_async_200_with_invalid_json_is_a_json_decode_error() -> None:
    client, rec = make_async_client(lambda r: httpx2.Response(200, content=b"{oops", headers={"content-type": "application/json"}))
    with pytest.raises(json.JSONDecodeError):
        await client.get("/x", cast_to=dict)
    assert len(rec.requests) == 1


CUT = b'data: {"id":"c1"}\n\ndata: {"id":"c2"}\n\ndata: {"id":"c3", "delta": "hal'


def test_a_stream_ending_mid_event_drops_the_incomplete_event() -> None:
    response = httpx2.Response(200, content=CUT, request=httpx2.Request("GET", "http://x"))
    stream: Stream[Any] = Stream(cast_to=object, response=response)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [item["id"] for item in stream] == ["c1", "c2"]


async def test_async_stream_ending_mid_event_drops_the_incomplete_event() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield CUT

    response = httpx2.Response(200, content=body(), request=httpx2.Request("GET", "http://x"))
    stream: AsyncStream[Any] = AsyncStream(cast_to=object, response=response)
    assert [item["id"] async for item in stream] == ["c1", "c2"]


# -- what the generated methods ask for -------------------------------------------------------------


def accept_seen() -> tuple[list[str | None], Any]:
    seen: list[str | None] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.headers.get("accept"))
        if request.url.path.endswith("/speech"):
            return httpx2.Response(200, content=b"RIFF", headers={"content-type": "audio/wav"})
        return json_response({"id": "f", "object": "file", "deleted": True})

    return seen, handler


def test_accept_headers_as_the_official_sdk_sends_them() -> None:
    seen, handler = accept_seen()
    client, _ = make_client(handler)
    client.audio.speech.create(model="tts-1", voice="alloy", input="hi")
    client.files.delete("f")
    client.responses.delete("resp_1")  # answers with no body
    assert seen == ["application/octet-stream", "application/json", "*/*"]


async def test_async_accept_headers() -> None:
    seen, handler = accept_seen()
    client, _ = make_async_client(handler)
    await client.audio.speech.create(model="tts-1", voice="alloy", input="hi")
    await client.responses.delete("resp_1")
    assert seen == ["application/octet-stream", "*/*"]


def test_hasattr_of_a_module_resource_needs_no_api_key() -> None:
    import pyopenai

    assert hasattr(pyopenai, "chat") and hasattr(pyopenai, "files")
    assert not hasattr(pyopenai, "no_such_resource")
    with pytest.raises(OpenAIError, match="OPENAI_API_KEY"):
        pyopenai.chat.completions  # noqa: B018  # using it needs the key
