"""Server-sent events: a decoder that works on raw bytes, and the `Stream` types users iterate.

Why not httpx2's own SSE support: it decodes text first and works line by line through a text
decoder; this decoder splits bytes and decodes only complete lines, so a UTF-8 character split
across network chunks can never be mangled, and it is faster on the per-chunk hot path.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from typing_extensions import Self

from ._exceptions import APIConnectionError, APIError, APIResponseValidationError, APITimeoutError

if TYPE_CHECKING:
    import httpx2

__all__ = ["AsyncEventStream", "AsyncStream", "EventStream", "SSEDecoder", "ServerSentEvent", "Stream"]

_T = TypeVar("_T")


class ServerSentEvent:
    __slots__ = ("data", "event", "id", "retry")

    def __init__(self, *, event: str | None = None, data: str = "", id: str | None = None, retry: int | None = None):
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def json(self) -> Any:
        return json.loads(self.data)

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, retry={self.retry!r})"


class SSEDecoder:
    """Incremental SSE parser: feed it byte chunks of any size, get complete events back."""

    __slots__ = ("_buffer", "_data", "_event", "_id", "_pending", "_retry", "_skip_lf")

    def __init__(self) -> None:
        self._buffer = b""  # the start of a line whose end has not arrived yet
        self._pending: list[bytes] = []  # more of that line, joined once its end arrives
        self._skip_lf = False  # the previous chunk ended in CR: a leading LF belongs to that line end
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if not chunk:
            return []  # nothing to add (and a CR at the end of the last chunk still awaits its LF)
        if self._skip_lf:
            self._skip_lf = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        if b"\n" not in chunk and b"\r" not in chunk:
            # the middle of a long line (a large event): appending to the buffer chunk by chunk would
            # copy it over and over, so keep the pieces
            self._pending.append(chunk)
            return []
        if self._pending:
            buffer = b"".join([self._buffer, *self._pending, chunk])
            self._pending = []
        else:
            buffer = self._buffer + chunk if self._buffer else chunk
        if b"\r" in buffer:
            if buffer.endswith(b"\r"):
                self._skip_lf = True
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = buffer.split(b"\n")
        self._buffer = lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def whole_data(self, chunk: bytes) -> list[bytes] | None:
        """The data of each event in `chunk` when it is whole events only, each of one `data:` line
        (after at most an `event:` line that is not an Assistants one) and nothing is pending: the
        shape of what the API sends, one event or, on a fast stream, many per network read. None
        otherwise. Nothing is consumed either way: `feed` takes the chunk when this cannot."""
        if self._buffer or self._pending or self._skip_lf or self._data or self._event is not None or self._retry is not None:
            return None
        if not chunk.endswith(b"\n\n") or b"\r" in chunk:
            return None
        payloads: list[bytes] = []
        for event in chunk[:-2].split(b"\n\n"):
            if event.startswith(b"data: "):
                payload = event[6:]
            elif event.startswith(b"event: ") and not event.startswith(b"event: thread."):
                end = event.find(b"\n")
                if not event.startswith(b"data: ", end + 1):
                    return None
                payload = event[end + 7 :]
            else:
                return None
            if b"\n" in payload:  # more lines than those
                return None
            payloads.append(payload)
        return payloads

    def flush(self) -> list[ServerSentEvent]:
        """At the end of the body: an event the server did not end with a blank line is incomplete, and
        is dropped (the SSE rules; its data may be cut anywhere). Returns no event, and resets the decoder."""
        self._buffer, self._pending, self._skip_lf = b"", [], False
        self._event, self._data, self._retry = None, [], None
        return []

    def _line(self, line: bytes) -> ServerSentEvent | None:
        if not line:
            if not self._data and self._event is None:
                return None
            event = ServerSentEvent(event=self._event, data="\n".join(self._data), id=self._id, retry=self._retry)
            self._event = None
            self._data = []
            self._retry = None
            return event
        if line[0] == 58:  # b":" starts a comment
            return None
        name, sep, value = line.partition(b":")
        if sep and value[:1] == b" ":
            value = value[1:]
        text = value.decode("utf-8", errors="replace")
        if name == b"data":
            self._data.append(text)
        elif name == b"event":
            self._event = text
        elif name == b"id":
            if "\0" not in text:
                self._id = text
        elif name == b"retry":
            if text.isascii() and text.isdigit():  # only ASCII digits (int() would take " 10", "1_0", "+1")
                self._retry = int(text)
        return None


class _ErrorEvent(Exception):
    """An event whose data is an error; the stream raises it as `APIError` with its request."""

    def __init__(self, message: str, body: object) -> None:
        super().__init__(message)
        self.message = message
        self.body = body


def request_of(response: httpx2.Response) -> httpx2.Request:
    """The request `response` answers; a response built by hand has none, and gets a stand-in."""
    import httpx2

    try:
        return response.request
    except RuntimeError:
        return httpx2.Request("GET", "http://response-without-request.invalid/")


def _event_item(sse: ServerSentEvent, errors_in_data: bool = True) -> tuple[bool, Any]:
    """(done, item) for one event, following how the API's streams are shaped.

    The item is the event's JSON text when it can be validated as is (the common case: no decoding
    in Python at all), else the decoded value. With `errors_in_data`, data carrying an `error`
    raises APIError; streams whose events include an error event of their own (the Agents API's)
    pass it on as an item instead.
    """
    data = sse.data
    if data.startswith("[DONE]"):
        return True, None
    event = sse.event
    if event is not None and event.startswith("thread."):
        # Assistants streams: the event name says what the data is; the data lacks a tag.
        return False, {"event": event, "data": json.loads(data)}
    if '"error"' not in data:
        return False, data
    decoded: Any = json.loads(data)
    if errors_in_data and type(decoded) is dict:
        error: Any = cast("dict[str, Any]", decoded).get("error")
        if error:
            said: Any = cast("dict[str, Any]", error).get("message") if isinstance(error, dict) else None
            message = said if isinstance(said, str) and said else "An error occurred during streaming"
            raise _ErrorEvent(message, cast(object, error))
    return False, cast(object, decoded)


class _InvalidEvent(Exception):
    """An event that does not match the stream's type, from a client made with
    `_strict_response_validation=True`; the stream raises it as `APIResponseValidationError`."""

    def __init__(self, body: object) -> None:
        super().__init__()
        self.body = body


def _strict_parsers(cast_to: Any) -> tuple[Callable[[bytes | str], Any], Callable[[Any, object], Any]]:
    """The two parsers of `_EventParser`, validating as pydantic does by default and raising
    `_InvalidEvent` (from pydantic's error) where the lenient ones would build what came."""
    import pydantic

    from ._models import validate_json, validate_obj

    def parse_json(content: bytes | str) -> Any:
        try:
            return validate_json(cast_to, content)
        except pydantic.ValidationError as exc:
            raise _InvalidEvent(json.loads(content)) from exc

    def parse_obj(type_: Any, data: object) -> Any:
        try:
            return validate_obj(type_, data)
        except pydantic.ValidationError as exc:
            raise _InvalidEvent(data) from exc

    return parse_json, parse_obj


def _strict(client: object | None) -> bool:
    """Whether the stream's client was made with `_strict_response_validation=True`."""
    return bool(getattr(client, "_strict_response_validation", False))


def _identity(response: httpx2.Response) -> bool:
    """Whether the body is sent as is and still unread: its raw chunks are then read without httpx2's
    decoder layer (a body already read in memory is only available through `iter_bytes`)."""
    if response.is_stream_consumed:
        return False
    encoding = response.headers.get("content-encoding")
    return encoding is None or encoding.strip().lower() in ("", "identity")


class _EventParser:
    """What the sync and async streams share: bytes in, typed items out, until `[DONE]`."""

    __slots__ = ("_cast_to", "_decoder", "_errors_in_data", "_parse_json", "_parse_obj", "done")

    def __init__(self, cast_to: Any, errors_in_data: bool = True, strict: bool = False) -> None:
        from ._models import json_parser, parse_obj  # pydantic loads with the first parsed result

        if strict:
            self._parse_json, self._parse_obj = _strict_parsers(cast_to)
        else:
            self._parse_json, self._parse_obj = json_parser(cast_to), parse_obj
        self._cast_to = cast_to
        self._errors_in_data = errors_in_data
        self._decoder = SSEDecoder()
        self.done = False

    def whole(self, chunk: bytes) -> list[bytes] | None:
        """The data of each event of a chunk of whole one-line events, the common case, up to `[DONE]`
        (which sets `done`): the caller validates each as bytes with `parse_json` (no
        `ServerSentEvent` made, nothing decoded in Python), one by one, so the items before an
        invalid one reach it first. None when the chunk is for `items` (partial events, an error,
        other fields, ...)."""
        payloads = self._decoder.whole_data(chunk)
        if payloads is None or b'"error"' in chunk:
            return None
        for at, payload in enumerate(payloads):
            if payload.startswith(b"[DONE]"):
                self.done = True
                return payloads[:at]
        return payloads

    @property
    def parse_json(self) -> Callable[[bytes | str], Any]:
        return self._parse_json

    def items(self, chunk: bytes) -> Iterator[Any]:
        """The items of the events a chunk completes; sets `done` at `[DONE]`."""
        return self._convert(self._decoder.feed(chunk))

    def _convert(self, events: list[ServerSentEvent]) -> Iterator[Any]:
        # a generator, so items before an error event reach the caller before the error is raised
        for sse in events:
            done, item = _event_item(sse, self._errors_in_data)
            if done:
                self.done = True
                return
            yield self._parse_json(item) if type(item) is str else self._parse_obj(self._cast_to, item)


class Stream(Generic[_T]):
    """The events of a streamed response, parsed. Iterate it; `close()` (or `with`) frees the connection."""

    response: httpx2.Response
    _errors_in_data: ClassVar[bool] = True

    def __init__(self, *, cast_to: Any, response: httpx2.Response, client: object | None = None) -> None:
        self.response = response
        self._cast_to = cast_to
        self._client = client
        self._iterator = self._events()

    def __next__(self) -> _T:
        return next(self._iterator)

    def __iter__(self) -> Iterator[_T]:
        # A fresh generator per `for` loop: when the loop breaks, it is finalized at once and the
        # connection goes back to the pool.
        try:
            yield from self._iterator
        finally:
            self.close()

    def _events(self) -> Generator[_T, None, None]:
        parser = _EventParser(self._cast_to, self._errors_in_data, _strict(self._client))
        chunks = self.response.iter_raw() if _identity(self.response) else self.response.iter_bytes()
        whole, general, parse = parser.whole, parser.items, parser.parse_json
        try:
            for chunk in chunks:
                payloads = whole(chunk)
                if payloads is None:
                    yield from general(chunk)
                else:
                    for payload in payloads:
                        yield parse(payload)
                if parser.done:
                    _drain(chunks)
                    return
        except APIError:
            raise
        except _ErrorEvent as event:
            raise APIError(event.message, request_of(self.response), body=event.body) from None
        except _InvalidEvent as invalid:
            raise APIResponseValidationError(self.response, invalid.body) from invalid.__cause__
        except Exception as err:
            if _is_transport_error(err):
                raise _stream_error(err, self.response) from err
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._iterator.close()
        self.response.close()

    def until_done(self) -> Self:
        for _ in self:
            pass
        return self


class AsyncStream(Generic[_T]):
    """The async twin of `Stream`: `async for`, `async with`, `await close()`."""

    response: httpx2.Response
    _errors_in_data: ClassVar[bool] = True

    def __init__(self, *, cast_to: Any, response: httpx2.Response, client: object | None = None) -> None:
        self.response = response
        self._cast_to = cast_to
        self._client = client
        self._iterator = self._events()

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def _events(self) -> AsyncGenerator[_T, None]:
        parser = _EventParser(self._cast_to, self._errors_in_data, _strict(self._client))
        chunks = self.response.aiter_raw() if _identity(self.response) else self.response.aiter_bytes()
        whole, general, parse = parser.whole, parser.items, parser.parse_json
        try:
            async for chunk in chunks:
                payloads = whole(chunk)
                if payloads is None:
                    for item in general(chunk):
                        yield item
                else:
                    for payload in payloads:
                        yield parse(payload)
                if parser.done:
                    await _adrain(chunks)
                    return
        except APIError:
            raise
        except _ErrorEvent as event:
            raise APIError(event.message, request_of(self.response), body=event.body) from None
        except _InvalidEvent as invalid:
            raise APIResponseValidationError(self.response, invalid.body) from invalid.__cause__
        except Exception as err:
            if _is_transport_error(err):
                raise _stream_error(err, self.response) from err
            raise
        finally:
            await _aclose(chunks)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._iterator.aclose()
        await self.response.aclose()

    async def aclose(self) -> None:
        """The same as `close()`, by the name async resources usually have (`contextlib.aclosing` uses it)."""
        await self.close()

    async def until_done(self) -> Self:
        async for _ in self:
            pass
        return self


# After `[DONE]` the API ends the body at once; reading that end lets the connection go back to the
# pool instead of being closed (a new TLS handshake per stream otherwise). A server that keeps
# talking past this many bytes is cut off.
_DRAIN_LIMIT = 64 * 1024


def _drain(chunks: Iterator[bytes]) -> None:
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > _DRAIN_LIMIT:
            return


async def _aclose(chunks: AsyncIterator[bytes]) -> None:
    """Close the body's async generator now, not whenever the garbage collector finds it: an early
    `break` (inside `async with`) would otherwise leave it to the event loop's finalizer, which trio
    reports as a ResourceWarning."""
    aclose = getattr(chunks, "aclose", None)
    if aclose is not None:
        try:
            await aclose()
        except RuntimeError:  # already being closed: the loop is finalizing an abandoned stream
            pass


async def _adrain(chunks: AsyncIterator[bytes]) -> None:
    seen = 0
    async for chunk in chunks:
        seen += len(chunk)
        if seen > _DRAIN_LIMIT:
            return


def _stream_error(err: BaseException, response: httpx2.Response) -> APIConnectionError:
    """What a transport error in the middle of a stream raises (from `err`, which says what happened:
    a read timeout for a stream that stalled, a protocol error for one that was cut)."""
    request = request_of(response)
    if any(cls.__name__ == "TimeoutException" for cls in type(err).__mro__):
        return APITimeoutError(request)
    return APIConnectionError(request=request)


def _is_transport_error(err: BaseException) -> bool:
    # httpx2's and httpx's TransportError share the name; checking the name spares importing either.
    return any(cls.__name__ in ("TransportError", "HTTPError", "StreamError") for cls in type(err).__mro__)


class EventStream(Stream[_T]):
    """A stream whose events include the API's own error event (`type: "error"`, the Agents
    API): such an event is an item like the others, not an exception."""

    _errors_in_data = False


class AsyncEventStream(AsyncStream[_T]):
    """The async twin of `EventStream`."""

    _errors_in_data = False
