"""Auto-pagination of the four page kinds, and raw / streamed responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client
from widgets import AsyncWidgets, Widget, Widgets

from pyopenai import APIResponse, AsyncAPIResponse, HttpxBinaryResponseContent
from pyopenai._request_plan import RequestPlan
from pyopenai._response import AsyncStreamedBinaryAPIResponse, LegacyAPIResponse, StreamedBinaryAPIResponse
from pyopenai.pagination import (
    AsyncConversationCursorPage,
    PageInfo,
    SyncConversationCursorPage,
    SyncCursorPage,
    SyncNextCursorPage,
    SyncPage,
)

ITEMS = [{"id": f"w_{i}", "object": "widget", "size": i} for i in range(7)]


def cursor_pages(request: httpx2.Request) -> httpx2.Response:
    after = request.url.params.get("after")
    limit = int(request.url.params.get("limit", "3"))
    start = 0 if after is None else next(i for i, item in enumerate(ITEMS) if item["id"] == after) + 1
    page = ITEMS[start : start + limit]
    return json_response({"object": "list", "data": page, "has_more": start + limit < len(ITEMS)})


def test_cursor_page_iterates_every_item_across_pages() -> None:
    client, rec = make_client(cursor_pages)
    page = Widgets(client).list(limit=3)
    assert isinstance(page, SyncCursorPage)
    assert [w.id for w in page.data] == ["w_0", "w_1", "w_2"] and isinstance(page.data[0], Widget)
    assert page.has_next_page()
    assert [w.id for w in page] == [item["id"] for item in ITEMS]
    assert [r.url.params.get("after") for r in rec.requests] == [None, "w_2", "w_5"]
    assert all(r.url.params["limit"] == "3" for r in rec.requests)  # the original query is kept


def test_get_next_page_and_iter_pages() -> None:
    client, _ = make_client(cursor_pages)
    first = Widgets(client).list(limit=3)
    second = first.get_next_page()
    assert [w.id for w in second.data] == ["w_3", "w_4", "w_5"]
    assert [len(p.data) for p in first.iter_pages()] == [3, 3, 1]
    last = list(first.iter_pages())[-1]
    assert not last.has_next_page()
    with pytest.raises(RuntimeError, match="has_next_page"):
        last.get_next_page()


async def test_async_pagination_with_async_for_and_await() -> None:
    client, _ = make_async_client(cursor_pages)
    ids = [w.id async for w in AsyncWidgets(client).list(limit=2)]
    assert ids == [item["id"] for item in ITEMS]
    first = await AsyncWidgets(client).list(limit=2)
    assert [w.id for w in first.data] == ["w_0", "w_1"]
    assert [w.id for w in (await first.get_next_page()).data] == ["w_2", "w_3"]


def test_next_page_info_is_a_page_info_with_the_next_query() -> None:
    # the official SDK's shape: code reads `.params` (and prints it as the README shows)
    client, _ = make_client(cursor_pages)
    first = Widgets(client).list(limit=3)
    info = first.next_page_info()
    assert isinstance(info, PageInfo)
    assert info.params == {"after": "w_2"} and not info.url and not info.json
    assert repr(info) == "PageInfo(params={'after': 'w_2'})"
    assert info == PageInfo(params={"after": "w_2"}) and info != PageInfo(params={"after": "w_3"})
    assert list(first.iter_pages())[-1].next_page_info() is None


async def test_async_next_page_info() -> None:
    client, _ = make_async_client(cursor_pages)
    first = await AsyncWidgets(client).list(limit=2)
    assert first.next_page_info() == PageInfo(params={"after": "w_1"})


def run_page(client: Any, page_type: Any) -> list[str]:
    plan = RequestPlan(method="get", url="/things")
    page = client.request(plan, cast_to=page_type)
    return [item.id for item in page]


def test_conversation_cursor_page_uses_last_id() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.params.get("after") == "b":
            return json_response({"data": [{"id": "c"}], "has_more": False, "last_id": "c"})
        return json_response({"data": [{"id": "a"}, {"id": "b"}], "has_more": True, "last_id": "b", "first_id": "a"})

    client, _ = make_client(handler)
    assert run_page(client, SyncConversationCursorPage[Widget]) == ["a", "b", "c"]


async def test_async_conversation_cursor_page() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.params.get("after") == "b":
            return json_response({"data": [{"id": "c"}], "has_more": False, "last_id": "c"})
        return json_response({"data": [{"id": "a"}, {"id": "b"}], "has_more": True, "last_id": "b"})

    client, _ = make_async_client(handler)
    page = await client.request(RequestPlan(method="get", url="/t"), cast_to=AsyncConversationCursorPage[Widget])
    assert [w.id async for w in page] == ["a", "b", "c"]


def test_next_cursor_page_uses_next() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.params.get("after") == "tok":
            return json_response({"data": [{"id": "c"}], "has_more": False, "next": None})
        return json_response({"data": [{"id": "a"}], "has_more": True, "next": "tok"})

    client, _ = make_client(handler)
    assert run_page(client, SyncNextCursorPage[Widget]) == ["a", "c"]


def test_page_repr_shows_items() -> None:
    client, _ = make_client(cursor_pages)
    page = Widgets(client).list(limit=1)
    assert repr(page).startswith("SyncCursorPage[Widget](data=[Widget(id='w_0'") and "has_more=True" in repr(page)


def test_single_page_has_no_next_page() -> None:
    client, rec = make_client(lambda r: json_response({"object": "list", "data": [{"id": "m1"}, {"id": "m2"}]}))
    assert run_page(client, SyncPage[Widget]) == ["m1", "m2"]
    assert len(rec.requests) == 1


def test_pagination_stops_on_an_empty_page_even_if_has_more() -> None:
    client, rec = make_client(lambda r: json_response({"data": [], "has_more": True}))
    assert run_page(client, SyncCursorPage[Widget]) == []
    assert len(rec.requests) == 1


# -- raw and streamed responses ------------------------------------------------------------------------


def test_with_raw_response_gives_headers_and_parse() -> None:
    client, _ = make_client(lambda r: json_response({"id": "w", "object": "widget"}, headers={"x-ratelimit-remaining-requests": "42"}))
    raw = Widgets(client).with_raw_response.retrieve("w")
    assert isinstance(raw, LegacyAPIResponse)  # the official SDK's raw response class
    assert raw.status_code == 200 and raw.headers["x-ratelimit-remaining-requests"] == "42"
    assert raw.request_id == "req_123" and raw.http_response.status_code == 200
    widget = raw.parse()
    assert isinstance(widget, Widget) and widget.id == "w" and widget._request_id == "req_123"
    assert raw.parse() is widget


def test_raw_list_response_parses_to_a_page() -> None:
    client, _ = make_client(cursor_pages)
    raw = Widgets(client).with_raw_response.list(limit=3)
    page = raw.parse()
    assert [w.id for w in page] == [item["id"] for item in ITEMS]


def test_with_streaming_response_reads_lazily() -> None:
    body = b'{"id": "w", "object": "widget"}'
    reads: list[int] = []

    class Body(httpx2.SyncByteStream):
        def __iter__(self):  # type: ignore[override]
            reads.append(1)
            yield body

    client, _ = make_client(lambda r: httpx2.Response(200, stream=Body()))
    with Widgets(client).with_streaming_response.retrieve("w") as response:
        assert isinstance(response, APIResponse)
        assert reads == []  # nothing read until asked
        assert b"".join(response.iter_bytes()) == body
        assert reads == [1]
    assert response.is_closed
    with Widgets(client).with_streaming_response.retrieve("w") as response:
        assert response.parse().id == "w"


def test_streamed_binary_goes_to_a_file(tmp_path: Path) -> None:
    payload = bytes(range(256)) * 1000
    client, _ = make_client(lambda r: httpx2.Response(200, content=payload))
    target = tmp_path / "out.bin"
    with Widgets(client).with_streaming_response.content("w") as response:
        response.stream_to_file(target)
    assert target.read_bytes() == payload


def test_a_streamed_binary_response_is_the_official_streamed_binary_class(tmp_path: Path) -> None:
    payload = b"RIFF" + bytes(range(256)) * 10
    client, _ = make_client(lambda r: httpx2.Response(200, content=payload))
    with client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input="hi") as response:
        assert isinstance(response, StreamedBinaryAPIResponse) and isinstance(response, APIResponse)
        response.stream_to_file(tmp_path / "speech.wav", chunk_size=64)
    assert (tmp_path / "speech.wav").read_bytes() == payload
    with client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input="hi") as response:
        assert response.parse() == payload  # its bytes, as the official SDK gives them
    # a JSON endpoint's streamed response stays a plain APIResponse
    json_client, _ = make_client(lambda r: json_response({"id": "w", "object": "widget"}))
    with Widgets(json_client).with_streaming_response.retrieve("w") as plain:
        assert type(plain) is APIResponse


async def test_an_async_streamed_binary_response_is_the_official_streamed_binary_class(tmp_path: Path) -> None:
    payload = bytes(range(256)) * 10
    client, _ = make_async_client(lambda r: httpx2.Response(200, content=payload))
    async with client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input="hi") as response:
        assert isinstance(response, AsyncStreamedBinaryAPIResponse)
        await response.stream_to_file(tmp_path / "speech.wav")
    assert (tmp_path / "speech.wav").read_bytes() == payload


def test_binary_results(tmp_path: Path) -> None:
    client, rec = make_client(lambda r: httpx2.Response(200, content=b"\x00\x01binary"))
    result = Widgets(client).content("w")
    assert isinstance(result, HttpxBinaryResponseContent)
    assert result.content == b"\x00\x01binary" and result.read() == b"\x00\x01binary"
    result.write_to_file(tmp_path / "f.bin")
    assert (tmp_path / "f.bin").read_bytes() == b"\x00\x01binary"
    assert rec.last.headers["accept"] == "application/binary"


async def test_async_raw_and_streamed_responses() -> None:
    client, _ = make_async_client(lambda r: json_response({"id": "w", "object": "widget"}))
    raw = await AsyncWidgets(client).with_raw_response.retrieve("w")
    assert raw.parse().id == "w"
    async with AsyncWidgets(client).with_streaming_response.retrieve("w") as response:
        assert isinstance(response, AsyncAPIResponse)
        parsed = await response.parse()
        assert parsed.id == "w"
    assert response.is_closed
    raw_page = await AsyncWidgets(client).with_raw_response.list()
    assert raw_page.status_code == 200


def test_raw_and_streamed_calls_say_so_on_the_wire_as_the_official_sdks_do() -> None:
    client, rec = make_client(lambda r: json_response({"id": "w", "object": "widget"}))
    Widgets(client).retrieve("w")
    Widgets(client).with_raw_response.retrieve("w")
    with Widgets(client).with_streaming_response.retrieve("w"):
        pass
    Widgets(client).with_raw_response.retrieve("w", extra_headers={"x-stainless-raw-response": "mine"})
    assert [r.headers.get("x-stainless-raw-response") for r in rec.requests] == [None, "true", "stream", "mine"]
    quiet, quiet_rec = make_client(lambda r: json_response({"id": "w", "object": "widget"}), platform_headers=False)
    Widgets(quiet).with_raw_response.retrieve("w")
    assert "x-stainless-raw-response" not in quiet_rec.last.headers  # no x-stainless header at all then


async def test_async_raw_and_streamed_calls_say_so_on_the_wire() -> None:
    client, rec = make_async_client(lambda r: json_response({"id": "w", "object": "widget"}))
    await AsyncWidgets(client).with_raw_response.retrieve("w")
    async with AsyncWidgets(client).with_streaming_response.retrieve("w"):
        pass
    await AsyncWidgets(client).retrieve("w")
    assert [r.headers.get("x-stainless-raw-response") for r in rec.requests] == ["true", "stream", None]


def test_streamed_binary_parses_to_bytes_raw_to_the_content_object() -> None:
    # as in the official SDK: with_streaming_response's parse() of a binary endpoint is its bytes,
    # with_raw_response's parse() is the binary content object
    client, _ = make_client(lambda r: httpx2.Response(200, content=b"\x00\x01binary"))
    with Widgets(client).with_streaming_response.content("w") as response:
        assert response.parse() == b"\x00\x01binary"
    raw = Widgets(client).with_raw_response.content("w")
    assert isinstance(raw.parse(), HttpxBinaryResponseContent)


async def test_async_streamed_binary_parses_to_bytes() -> None:
    client, _ = make_async_client(lambda r: httpx2.Response(200, content=b"\x00\x01binary"))
    speech = client.audio.speech
    args: dict[str, Any] = {"model": "gpt-4o-mini-tts", "voice": "alloy", "input": "hi"}
    async with speech.with_streaming_response.create(**args) as response:
        assert await response.parse() == b"\x00\x01binary"
    awaited = await speech.with_streaming_response.create(**args)
    assert await awaited.parse() == b"\x00\x01binary"
    await awaited.close()
    raw = await speech.with_raw_response.create(**args)
    assert isinstance(raw.parse(), HttpxBinaryResponseContent)
