"""SSE decoding and the Stream types: chunking, line endings, errors, connection release."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx2
import pytest
from helpers import make_async_client, make_client
from hypothesis import given, settings
from hypothesis import strategies as st
from widgets import AsyncWidgets, WidgetChunk, Widgets

from pyopenai import APIConnectionError, APIError
from pyopenai._streaming import (  # pyright: ignore[reportPrivateUsage]
    SSEDecoder,
    Stream,
    _EventParser,
)


def decode_all(chunks: list[bytes]) -> list[tuple[str | None, str, str | None]]:
    decoder = SSEDecoder()
    events = [e for c in chunks for e in decoder.feed(c)] + decoder.flush()
    return [(e.event, e.data, e.id) for e in events]


def test_basic_events_with_names_ids_comments_and_multiline_data() -> None:
    raw = (
        b": keep-alive comment\n"
        b"event: response.created\nid: 7\ndata: {\"a\":1}\n\n"
        b"data: line one\ndata: line two\n\n"
        b"data:no-space\n\n"
        b"retry: 100\ndata: x\n\n"
    )
    assert decode_all([raw]) == [
        ("response.created", '{"a":1}', "7"),
        (None, "line one\nline two", "7"),
        (None, "no-space", "7"),
        (None, "x", "7"),
    ]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending(newline: bytes) -> None:
    raw = newline.join([b"event: e", b"data: 1", b"", b"data: 2", b"", b""])
    assert decode_all([raw]) == [("e", "1", None), (None, "2", None)]


def test_crlf_split_between_chunks_is_one_line_end() -> None:
    assert decode_all([b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n"]) == [(None, "a", None), (None, "b", None)]


def test_utf8_character_split_across_chunks() -> None:
    raw = "data: héllo ✓ 世界\n\n".encode()
    cut = raw.index("✓".encode()) + 1
    assert decode_all([raw[:cut], raw[cut:]]) == [(None, "héllo ✓ 世界", None)]


def test_an_event_cut_off_by_the_end_of_the_body_is_dropped() -> None:
    # the SSE rules: only a blank line dispatches an event; a cut one may hold half a JSON document
    assert decode_all([b'data: {"a":1}\n\ndata: {"b"']) == [(None, '{"a":1}', None)]
    assert decode_all([b"data: tail\n"]) == []


EVENT_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=20)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(st.tuples(st.one_of(st.none(), EVENT_TEXT), st.lists(EVENT_TEXT, min_size=1, max_size=3)), max_size=6),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=12),
)
def test_any_chunking_gives_the_same_events(
    events: list[tuple[str | None, list[str]]], newline: str, cuts: list[int]
) -> None:
    text = ""
    for name, lines in events:
        if name is not None:
            text += f"event: {name}{newline}"
        text += "".join(f"data: {line}{newline}" for line in lines) + newline
    raw = text.encode()
    whole = decode_all([raw])
    points = sorted({min(c, len(raw)) for c in cuts})
    chunks = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    assert decode_all(chunks) == whole
    assert [(e, d) for e, d, _ in whole] == [(n, "\n".join(lines)) for n, lines in events]


@settings(max_examples=200, deadline=None)
@given(
    deltas=st.lists(EVENT_TEXT, max_size=6),
    named=st.lists(st.booleans(), min_size=6, max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=1200), max_size=10),
)
def test_the_parser_gives_the_same_items_for_any_chunking(deltas: list[str], named: list[bool], cuts: list[int]) -> None:
    # chunks of whole events take the whole-events path, the others the decoder: same items
    events = [
        ("event: widget.delta\n" if named[i] else "") + f"data: {json.dumps({'id': 'c', 'delta': d})}\n\n"
        for i, d in enumerate(deltas)
    ]
    raw = ("".join(events) + "data: [DONE]\n\n").encode()
    points = sorted({min(c, len(raw)) for c in cuts})
    for chunks in ([e.encode() for e in [*events, "data: [DONE]\n\n"]], [raw],
                   [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]):
        parser = _EventParser(WidgetChunk)
        items: list[str] = []
        for chunk in chunks:
            whole = parser.whole(chunk)
            found = list(parser.items(chunk)) if whole is None else [parser.parse_json(data) for data in whole]
            items.extend(item.delta for item in found)
            if parser.done:
                break
        assert items == deltas and parser.done


def sse_body(*events: str) -> bytes:
    return "".join(events).encode()


class ChunkedStream(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A body delivered in small pieces, optionally failing midway; records whether it was closed."""

    def __init__(self, body: bytes, size: int = 7, fail_after: int | None = None) -> None:
        self.body = body
        self.size = size
        self.fail_after = fail_after
        self.closed = False

    def _pieces(self) -> Iterator[bytes]:
        for i in range(0, len(self.body), self.size):
            if self.fail_after is not None and i >= self.fail_after:
                raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body")
            yield self.body[i : i + self.size]

    def __iter__(self) -> Iterator[bytes]:
        yield from self._pieces()

    async def __aiter__(self):  # type: ignore[override]
        for piece in self._pieces():
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


CHAT_STREAM = sse_body(
    'data: {"id":"c","delta":"Hel"}\n\n',
    'data: {"id":"c","delta":"lo"}\n\n',
    "data: [DONE]\n\n",
    'data: {"id":"never","delta":"x"}\n\n',
)


def streaming_client(body: bytes, **kw: int | None) -> tuple[Widgets, ChunkedStream]:
    stream = ChunkedStream(body, **kw)  # type: ignore[arg-type]
    client, _ = make_client(lambda r: httpx2.Response(200, stream=stream, headers={"content-type": "text/event-stream"}))
    return Widgets(client), stream


def test_stream_yields_parsed_events_and_stops_at_done() -> None:
    widgets, body = streaming_client(CHAT_STREAM)
    stream = widgets.create(name="x", stream=True)
    assert isinstance(stream, Stream)
    chunks = list(stream)
    assert [type(c) for c in chunks] == [WidgetChunk, WidgetChunk]
    assert "".join(c.delta for c in chunks) == "Hello"
    assert body.closed


def test_break_releases_the_connection() -> None:
    widgets, body = streaming_client(CHAT_STREAM)
    for _ in widgets.create(name="x", stream=True):
        break
    assert body.closed


def test_with_block_releases_the_connection() -> None:
    widgets, body = streaming_client(CHAT_STREAM)
    with widgets.create(name="x", stream=True) as stream:
        next(stream)
    assert body.closed


def test_error_event_raises_api_error() -> None:
    widgets, _ = streaming_client(
        sse_body('data: {"id":"c","delta":"a"}\n\n', 'data: {"error":{"message":"overloaded","code":"server_error"}}\n\n')
    )
    received: list[str] = []
    with pytest.raises(APIError, match="overloaded") as info:
        for chunk in widgets.create(name="x", stream=True):
            received.append(chunk.delta)
    assert received == ["a"] and info.value.code == "server_error"


def test_events_before_a_cut_are_delivered_then_a_connection_error() -> None:
    body = sse_body(*[f'data: {{"id":"c","delta":"{i}"}}\n\n' for i in range(5)])
    widgets, _ = streaming_client(body, fail_after=len(body) // 2)
    received: list[str] = []
    with pytest.raises(APIConnectionError) as info:
        for chunk in widgets.create(name="x", stream=True):
            received.append(chunk.delta)
    assert received == ["0", "1"]
    # the official SDK's words; the transport's own error (what happened) is the cause
    assert str(info.value) == "Connection error." and isinstance(info.value.__cause__, httpx2.TransportError)


def test_assistants_style_events_are_wrapped_with_their_name() -> None:
    from typing import Any

    body = sse_body('event: thread.run.created\ndata: {"id":"run_1"}\n\n', "event: done\ndata: [DONE]\n\n")
    stream: Stream[Any] = Stream(
        cast_to=object, response=httpx2.Response(200, content=body, request=httpx2.Request("GET", "http://x"))
    )
    assert list(stream) == [{"event": "thread.run.created", "data": {"id": "run_1"}}]


async def test_async_stream_iterates_and_closes() -> None:
    body = ChunkedStream(CHAT_STREAM, size=5)
    client, _ = make_async_client(lambda r: httpx2.Response(200, stream=body))
    stream = await AsyncWidgets(client).create(name="x", stream=True)
    deltas = [chunk.delta async for chunk in stream]
    assert deltas == ["Hel", "lo"]
    async with await AsyncWidgets(client).create(name="x", stream=True) as s2:
        first = await s2.__anext__()
        assert first.delta == "Hel"
    assert body.closed


def test_stream_request_body_has_stream_true() -> None:
    widgets, _ = streaming_client(CHAT_STREAM)
    client = widgets._client
    rec = client._http._transport.handler  # type: ignore[attr-defined]
    list(widgets.create(name="x", stream=True))
    assert json.loads(rec.last.content)["stream"] is True


# -- one event per network chunk, as the API sends them (the decoder's single-event path) ----------------

class PieceStream(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A body delivered in exactly the given pieces."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.pieces

    async def __aiter__(self):  # type: ignore[override]
        for piece in self.pieces:
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


EVENT_PIECES = [
    b'data: {"id":"c","delta":"a"}\n\n',
    b'event: widget.delta\ndata: {"id":"c","delta":"b"}\n\n',  # a named event alone in its chunk
    b"id: 7\n",  # a field alone, then the data in the next chunk: the general path
    b'data: {"id":"c","delta":"c"}\n\n',
    b'data: {"id":"c",',  # an event split over two chunks
    b'"delta":"d"}\n\n',
    b'data: {"id":"c","delta":"e"}\n\ndata: {"id":"c","delta":"f"}\n\n',  # two events in one chunk
    b'data: {"id":"c","delta":"\xc3\xa9"}\n\n',
    b"data: [DONE]\n\n",
    b'data: {"id":"never","delta":"x"}\n\n',
]
EXPECTED_DELTAS = ["a", "b", "c", "d", "e", "f", "é"]


def test_events_one_per_chunk_in_every_shape() -> None:
    body = PieceStream(EVENT_PIECES)
    client, _ = make_client(lambda r: httpx2.Response(200, stream=body))
    assert [c.delta for c in Widgets(client).create(name="x", stream=True)] == EXPECTED_DELTAS
    assert body.closed


async def test_async_events_one_per_chunk_in_every_shape() -> None:
    body = PieceStream(EVENT_PIECES)
    client, _ = make_async_client(lambda r: httpx2.Response(200, stream=body))
    stream = await AsyncWidgets(client).create(name="x", stream=True)
    assert [c.delta async for c in stream] == EXPECTED_DELTAS


def test_an_error_event_alone_in_its_chunk_raises_after_the_events_before_it() -> None:
    body = PieceStream([b'data: {"id":"c","delta":"a"}\n\n', b'data: {"error":{"message":"overloaded"}}\n\n'])
    client, _ = make_client(lambda r: httpx2.Response(200, stream=body))
    received: list[str] = []
    with pytest.raises(APIError, match="overloaded"):
        for chunk in Widgets(client).create(name="x", stream=True):
            received.append(chunk.delta)
    assert received == ["a"]


def test_an_assistants_event_alone_in_its_chunk_keeps_its_name() -> None:
    from typing import Any

    body = PieceStream([b'event: thread.run.created\ndata: {"id":"run_1"}\n\n', b"data: [DONE]\n\n"])
    stream: Stream[Any] = Stream(
        cast_to=object, response=httpx2.Response(200, stream=body, request=httpx2.Request("GET", "http://x"))
    )
    assert list(stream) == [{"event": "thread.run.created", "data": {"id": "run_1"}}]


def test_a_compressed_stream_is_decoded_before_its_events_are_read() -> None:
    import gzip

    packed = gzip.compress(b"".join(EVENT_PIECES))
    body = PieceStream([packed[:10], packed[10:]])
    client, _ = make_client(lambda r: httpx2.Response(200, stream=body, headers={"content-encoding": "gzip"}))
    assert [c.delta for c in Widgets(client).create(name="x", stream=True)] == EXPECTED_DELTAS


def test_events_read_together_reach_the_caller_one_by_one_before_an_invalid_one() -> None:
    """A fast stream delivers many events per read: a strict client still yields those before the
    event that does not match, then raises."""
    from pyopenai import APIResponseValidationError

    good = b'{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": []}'
    bad = b'{"id": 1, "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": "x"}'
    body = b"data: " + good + b"\n\ndata: " + good + b"\n\ndata: " + bad + b"\n\ndata: [DONE]\n\n"
    client, _ = make_client(
        lambda request: httpx2.Response(200, content=body, headers={"content-type": "text/event-stream"}),
        _strict_response_validation=True,
    )
    seen: list[str] = []
    with pytest.raises(APIResponseValidationError):
        for chunk in client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True):
            seen.append(chunk.id)
    assert seen == ["c", "c"]
