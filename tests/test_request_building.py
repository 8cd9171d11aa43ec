"""Each attempt's HTTP request: what reaches the wire when the client builds requests from the parts it
keeps between calls (parsed URLs, the HTTP client's headers merged with the static ones), and when a
custom HTTP client or an omitted header sends it through `build_request` instead."""

from __future__ import annotations

from typing import Any

import httpx2
from helpers import Recorder, json_response

from pyopenai import AsyncOpenAI, OpenAI, omit


def _client(http: httpx2.Client, **options: Any) -> OpenAI:
    return OpenAI(api_key="sk-test-key", base_url="http://api.test/v1", http_client=http, **options)


def _ok(request: httpx2.Request) -> httpx2.Response:
    return json_response({"object": "list", "data": []})


def test_the_http_clients_own_headers_and_cookies_go_out_and_later_changes_are_seen() -> None:
    recorder = Recorder(_ok)
    http = httpx2.Client(transport=httpx2.MockTransport(recorder), headers={"X-Team": "a"}, cookies={"lb": "1"})
    client = _client(http)
    client.models.list()
    first = recorder.last
    assert first.headers["x-team"] == "a" and first.headers["cookie"] == "lb=1"
    assert first.headers["authorization"] == "Bearer sk-test-key" and first.headers["x-stainless-retry-count"] == "0"
    http.headers["X-Team"] = "b"  # changed in place between two calls
    client.models.list()
    assert recorder.last.headers["x-team"] == "b"
    assert str(recorder.last.url) == "http://api.test/v1/models"


def test_a_json_body_is_sent_with_its_type_and_length_and_a_raw_body_with_its_own_type() -> None:
    recorder = Recorder(_ok)
    client = _client(httpx2.Client(transport=httpx2.MockTransport(recorder)))
    client.post("/things", cast_to=object, body={"a": 1})
    assert recorder.last.content == b'{"a":1}'
    assert recorder.last.headers["content-type"] == "application/json"
    assert recorder.last.headers["content-length"] == "7"
    client.post("/things", cast_to=object, content=b"raw", options={"headers": {"Content-Type": "text/x-call"}})
    assert recorder.last.content == b"raw" and recorder.last.headers["content-type"] == "text/x-call"


def test_a_content_type_among_the_default_headers_is_kept_for_json() -> None:
    recorder = Recorder(_ok)
    client = _client(
        httpx2.Client(transport=httpx2.MockTransport(recorder)), default_headers={"Content-Type": "application/vnd+json"}
    )
    client.post("/things", cast_to=object, body={"a": 1})
    assert recorder.last.headers["content-type"] == "application/vnd+json"


def test_a_header_the_call_omits_falls_back_to_the_http_clients_own_value() -> None:
    recorder = Recorder(_ok)
    http = httpx2.Client(transport=httpx2.MockTransport(recorder), headers={"User-Agent": "team-agent"})
    client = _client(http)
    client.models.list(extra_headers={"User-Agent": omit, "X-Stainless-Lang": omit})
    assert recorder.last.headers["user-agent"] == "team-agent"
    assert "x-stainless-lang" not in recorder.last.headers
    client.models.list()
    assert recorder.last.headers["user-agent"].startswith("pyopenai/")


def test_an_http_client_that_builds_its_own_requests_is_still_asked_to() -> None:
    built: list[str] = []

    class Tagging(httpx2.Client):
        def build_request(self, method: str, url: httpx2.URL | str, **kwargs: Any) -> httpx2.Request:
            built.append(str(url))
            request = super().build_request(method, url, **kwargs)
            request.headers["x-tag"] = "1"
            return request

    recorder = Recorder(_ok)
    _client(Tagging(transport=httpx2.MockTransport(recorder))).models.list()
    assert built == ["http://api.test/v1/models"] and recorder.last.headers["x-tag"] == "1"


def test_client_wide_query_parameters_of_the_http_client_are_kept() -> None:
    recorder = Recorder(_ok)
    http = httpx2.Client(transport=httpx2.MockTransport(recorder), params={"tenant": "t1"})
    _client(http).models.list()
    assert recorder.last.url.params["tenant"] == "t1"


def test_a_key_that_changes_between_calls_is_sent_as_it_is_now() -> None:
    keys = iter(["sk-first", "sk-second"])
    recorder = Recorder(_ok)
    client = OpenAI(
        api_key=lambda: next(keys), base_url="http://api.test/v1",
        http_client=httpx2.Client(transport=httpx2.MockTransport(recorder)),
    )
    client.models.list()
    client.models.list()
    assert [r.headers["authorization"] for r in recorder.requests] == ["Bearer sk-first", "Bearer sk-second"]


async def test_async_requests_carry_the_same_headers_and_body() -> None:
    recorder = Recorder(_ok)
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(recorder), headers={"X-Team": "a"})
    client = AsyncOpenAI(api_key="sk-test-key", base_url="http://api.test/v1", http_client=http)
    await client.post("/things", cast_to=object, body={"a": 1})
    request = recorder.last
    assert request.headers["x-team"] == "a" and request.headers["x-stainless-async"] == "async:asyncio"
    assert request.content == b'{"a":1}' and request.headers["content-type"] == "application/json"


class _BuildsItsOwn(httpx2.Client):
    """An HTTP client the library hands every request to `build_request`: httpx2's own reference."""

    def build_request(self, method: str, url: httpx2.URL | str, **kwargs: Any) -> httpx2.Request:
        return super().build_request(method, url, **kwargs)


def _wire(request: httpx2.Request) -> tuple[Any, ...]:
    # a POST's idempotency key is new on every call: compared as present, not by value
    headers = sorted((k, "<key>" if k == "idempotency-key" else v) for k, v in request.headers.multi_items())
    return request.method, str(request.url), headers, request.content


def _same_calls(client: OpenAI) -> None:
    client.models.list()  # GET, no body
    client.files.list(limit=2, after="file-1")  # a query string
    client.post("/things", cast_to=object, body={"a": 1, "b": "é"})  # JSON
    client.post("/things", cast_to=object)  # POST without a body: Content-Length 0
    client.post("/things", cast_to=object, content=b"raw", options={"headers": {"Content-Type": "text/x-call"}})
    client.post("/things", cast_to=object, content=bytearray(b"array body"))  # sent as its bytes
    client.delete("/things/1", cast_to=object)
    client.models.list(extra_headers={"X-Call": "yes", "Accept": "text/plain"})


def test_requests_built_from_kept_parts_are_the_ones_httpx2_builds() -> None:
    # the same calls through a plain client (requests built here) and one that builds its own (httpx2)
    sent: dict[str, list[httpx2.Request]] = {}
    for name, http_class in (("kept", httpx2.Client), ("httpx2", _BuildsItsOwn)):
        recorder = Recorder(_ok)
        http = http_class(transport=httpx2.MockTransport(recorder), headers={"X-Team": "a"}, cookies={"lb": "1"})
        _same_calls(_client(http, default_headers={"X-Default": "d"}))
        sent[name] = recorder.requests
    assert len(sent["kept"]) == len(sent["httpx2"]) == 8
    for kept, built in zip(sent["kept"], sent["httpx2"]):
        assert _wire(kept) == _wire(built)
        assert kept.headers.raw[0] == (b"Host", b"api.test")  # first, as httpx2 puts it
    post_without_body = sent["kept"][3]
    assert post_without_body.headers["content-length"] == "0" and post_without_body.content == b""
    assert "content-length" not in sent["kept"][0].headers  # a GET carries none
    assert sent["kept"][1].url.params["after"] == "file-1" and sent["kept"][0].headers["cookie"] == "lb=1"
    assert sent["kept"][5].content == b"array body"


def test_a_host_or_length_header_set_by_the_caller_is_left_to_httpx2() -> None:
    recorder = Recorder(_ok)
    client = _client(httpx2.Client(transport=httpx2.MockTransport(recorder), headers={"Host": "front.test"}))
    client.models.list()
    assert recorder.last.headers.get_list("host") == ["front.test"]
    client.post("/things", cast_to=object, content=b"abc", options={"headers": {"Content-Length": "3"}})
    assert recorder.last.headers.get_list("content-length") == ["3"] and recorder.last.content == b"abc"
