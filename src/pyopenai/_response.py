"""Turning HTTP responses into results, and the raw/streamed response objects users can ask for.

`client.x.with_raw_response.y(...)` returns a `LegacyAPIResponse` (body read; `.parse()` gives what
`client.x.y(...)` would have returned; `.text`/`.content` are properties). `client.x.with_streaming_response.y(...)`
is a context manager yielding an `APIResponse`/`AsyncAPIResponse` whose body is read only when asked
(`.read()`, `.text()`, `.json()` are methods). The names and shapes are the official SDK's.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, get_args, get_origin, overload

from typing_extensions import ParamSpec

from ._exceptions import APIResponseJSONError, APIResponseValidationError
from ._rate_limits import RateLimits

if TYPE_CHECKING:
    import httpx2

    from ._request_plan import RequestPlan

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "AsyncStreamedBinaryAPIResponse",
    "HttpxBinaryResponseContent",
    "LegacyAPIResponse",
    "ResponseContextManager",
    "StreamedBinaryAPIResponse",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

_T = TypeVar("_T")
_P = ParamSpec("_P")
_R = TypeVar("_R")
_R_co = TypeVar("_R_co", covariant=True)  # what a response context manager opens
_P2 = TypeVar("_P2")  # what parse(to=...) validates into
_NoneType = type(None)


class HttpxBinaryResponseContent:
    """A binary result (file content, speech audio): bytes in memory, or written to a file."""

    def __init__(self, response: httpx2.Response) -> None:
        self.response = response

    @property
    def content(self) -> bytes:
        return self.response.content

    @property
    def text(self) -> str:
        return self.response.text

    @property
    def encoding(self) -> str | None:
        return self.response.encoding

    @property
    def charset_encoding(self) -> str | None:
        return self.response.charset_encoding

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self.response.content, **kwargs)

    def read(self) -> bytes:
        return self.response.read()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.response.iter_lines()

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        with open(file, mode="wb") as f:
            for data in self.response.iter_bytes():
                f.write(data)

    def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        with open(file, mode="wb") as f:
            for data in self.response.iter_bytes(chunk_size):
                f.write(data)

    def close(self) -> None:
        self.response.close()

    async def aread(self) -> bytes:
        return await self.response.aread()

    async def astream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        with open(file, mode="wb") as f:
            async for data in self.response.aiter_bytes(chunk_size):
                f.write(data)

    async def aclose(self) -> None:
        await self.response.aclose()


def response_classes() -> tuple[type, ...]:
    """The HTTP libraries' response classes: `cast_to=` one of them returns the response itself."""
    import httpx2

    legacy: Any = sys.modules.get("httpx")  # a caller's httpx client answers with httpx responses
    return (httpx2.Response,) if legacy is None else (httpx2.Response, legacy.Response)


_NOT_A_PAGE = (None, None, None)
_page_setups: dict[Any, tuple[Any, Any, Any]] = {}


def _page_setup(cast_to: Any) -> tuple[Any, Any, Any] | None:
    """(page class, its `_setup_page`, item type) when `cast_to` is a page type, else None; worked
    out once per type (a missing attribute on a pydantic model class costs a failed lookup through
    pydantic's metaclass on every call)."""
    try:
        found = _page_setups[cast_to]
    except KeyError:
        origin = get_origin(cast_to) or cast_to
        setup = getattr(origin, "_setup_page", None)
        args = get_args(cast_to)
        found = _NOT_A_PAGE if setup is None else (origin, setup, args[0] if args else Any)
        _page_setups[cast_to] = found
    except TypeError:  # an unhashable annotation
        return None
    return None if found is _NOT_A_PAGE else found


def parse_body(
    response: httpx2.Response,
    *,
    cast_to: Any,
    plan: RequestPlan | None,
    client: Any,
    stream: bool,
    stream_cls: Any,
) -> Any:
    """What a method returns for a response whose body is available (or, for streams, about to be)."""
    if stream:
        origin = get_origin(stream_cls) or stream_cls
        args = get_args(stream_cls)
        events = origin(cast_to=args[0] if args else Any, response=response, client=client)
        # a post-parse step may set the stream up (the Agents creation stream gets its tool handlers)
        return plan.post_parse(events) if plan is not None and plan.post_parse is not None else events
    if cast_to is _NoneType or cast_to is None:
        return None
    if cast_to is HttpxBinaryResponseContent:
        return HttpxBinaryResponseContent(response)
    if cast_to is str:
        return response.text
    if cast_to is bytes:
        return response.content
    if cast_to in response_classes():
        return response
    content = response.content
    if not content:
        if response.status_code != 204 and _says_json(response):  # JSON promised, nothing sent: not a None result
            return _not_json(response, cast_to, json.JSONDecodeError("Expecting value", "", 0))
        return None
    from ._models import attach_request_id, parse_json, parse_obj  # pydantic loads with the first result

    # a post-parse step may read the body itself (base64 embeddings: decoded, not validated as text)
    read_content: Any = getattr(plan.post_parse, "parse_content", None) if plan is not None else None
    strict = bool(getattr(client, "_strict_response_validation", False))
    try:
        if read_content is not None:
            result: Any = read_content(cast_to, content)
        elif strict:
            result = _validated_or_raise(response, cast_to, content)
        else:
            result = parse_json(cast_to, content)
    except ValueError as err:
        return _not_json(response, cast_to, err, strict=strict)
    page = _page_setup(cast_to)
    if page is not None:
        origin, page_setup, item_type = page
        if not isinstance(result, origin):  # a bare list: the items of a single page
            result = parse_obj(cast_to, {"data": result})
        page_setup(result, client=client, plan=plan, item_type=item_type, page_type=cast_to)
    headers = response.headers
    attach_request_id(result, headers.get("x-request-id"), RateLimits.from_headers(headers))
    if plan is not None and plan.post_parse is not None:
        result = plan.post_parse(result)
    return result


def _validated_or_raise(response: httpx2.Response, cast_to: Any, content: bytes) -> Any:
    """A client made with `_strict_response_validation=True`: a body that does not match its type
    raises `APIResponseValidationError` (a `ValueError` only when it is not JSON at all)."""
    import pydantic

    from ._models import validate_json

    try:
        return validate_json(cast_to, content)
    except pydantic.ValidationError as exc:
        body = json.loads(content)  # JSON that does not match (not JSON: pydantic says json_invalid)
        raise APIResponseValidationError(response, body) from exc  # pydantic's error says what did not match


def _says_json(response: httpx2.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip().lower().endswith("json")


def _not_json(response: httpx2.Response, cast_to: Any, err: ValueError, *, strict: bool = False) -> Any:
    """A body that is not JSON: its text where that is the answer (plain text, unless the client
    validates results strictly), else an error that says what came back."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if cast_to is object or (content_type == "text/plain" and not strict):
        return response.text  # e.g. a transcription asked for as plain text
    if _says_json(response):
        if not isinstance(err, json.JSONDecodeError):  # bytes that are not even text
            err = json.JSONDecodeError(str(err), response.text, 0)
        raise APIResponseJSONError(response, err) from None
    raise APIResponseValidationError(
        response,
        response.text,
        message=f"Expected a JSON body (status {response.status_code}, content-type {content_type!r}) "
        f"but could not decode it: {response.text[:200]!r}",
    ) from None


class _ResponseBase(Generic[_T]):
    def __init__(
        self,
        *,
        raw: httpx2.Response,
        cast_to: Any,
        client: Any,
        plan: RequestPlan | None,
        stream: bool,
        stream_cls: Any,
        retries_taken: int = 0,
    ) -> None:
        self.http_response = raw
        self.retries_taken = retries_taken
        self._cast_to = cast_to
        self._client = client
        self._plan = plan
        self._stream = stream
        self._stream_cls = stream_cls
        self._parsed: dict[Any, Any] = {}
        # set for `with_streaming_response`: a binary body then parses to its bytes (see `_streamed`)
        self._binary_as_bytes = False

    @property
    def headers(self) -> httpx2.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx2.Request:
        return self.http_response.request

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx2.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> Any:
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @property
    def request_id(self) -> str | None:
        return self.http_response.headers.get("x-request-id")

    @property
    def rate_limits(self) -> RateLimits:
        """The account's request and token limits as this answer reported them."""
        return RateLimits.from_headers(self.http_response.headers)

    def _parse_now(self, to: Any) -> Any:
        key = to if to is not None else self._cast_to
        if key in self._parsed:
            return self._parsed[key]
        if key is HttpxBinaryResponseContent and self._binary_as_bytes:
            return self.http_response.content  # read by parse() before it gets here
        value = parse_body(
            self.http_response,
            cast_to=key,
            plan=self._plan,
            client=self._client,
            stream=self._stream and to is None,
            stream_cls=self._stream_cls,
        )
        self._parsed[key] = value
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] type={self._cast_to}>"


class _SyncResponse(_ResponseBase[_T]):
    """What the sync raw and streamed responses share; they differ only in `text`/`content`."""

    @overload
    def parse(self, *, to: type[_P2]) -> _P2: ...
    @overload
    def parse(self) -> _T: ...
    def parse(self, *, to: type[object] | None = None) -> object:
        if not self._stream or to is not None:
            self.read()
        return self._parse_now(to)

    def read(self) -> bytes:
        return self.http_response.read()

    def json(self) -> Any:
        return json.loads(self.read())

    def close(self) -> None:
        self.http_response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        with open(file, mode="wb") as f:
            for data in self.http_response.iter_bytes(chunk_size):
                f.write(data)

    write_to_file = stream_to_file


class APIResponse(_SyncResponse[_T]):
    """A `with_streaming_response` response: the body is read when asked (`read()`, `text()`, ...)."""

    def text(self) -> str:
        self.read()
        return self.http_response.text


class LegacyAPIResponse(_SyncResponse[_T]):
    """A `with_raw_response` response (sync and async clients): the body is already read, so
    `text` and `content` are properties, as in the official SDK."""

    @property
    def content(self) -> bytes:
        return self.read()

    @property
    def text(self) -> str:
        self.read()
        return self.http_response.text


class AsyncAPIResponse(_ResponseBase[_T]):
    """The async twin of `APIResponse`, for `async with ....with_streaming_response...`."""

    @overload
    async def parse(self, *, to: type[_P2]) -> _P2: ...
    @overload
    async def parse(self) -> _T: ...
    async def parse(self, *, to: type[object] | None = None) -> object:
        if not self._stream or to is not None:
            await self.read()
        return self._parse_now(to)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        return json.loads(await self.read())

    async def close(self) -> None:
        await self.http_response.aclose()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        with open(file, mode="wb") as f:
            async for data in self.http_response.aiter_bytes(chunk_size):
                f.write(data)


class StreamedBinaryAPIResponse(APIResponse[bytes]):
    """`with_streaming_response` of a binary endpoint (`audio.speech`, file content): the body unread,
    `stream_to_file()` writes it chunk by chunk; `.parse()` gives its bytes."""


class AsyncStreamedBinaryAPIResponse(AsyncAPIResponse[bytes]):
    """The async `StreamedBinaryAPIResponse`."""


def _streamed(response: _R) -> _R:
    """Mark a response as opened by `with_streaming_response`: as in the official SDK, its
    `.parse()` on a binary endpoint gives the body's bytes (the raw response gives the content object),
    and it is a `StreamedBinaryAPIResponse`, the class its static type names."""
    opened: Any = response
    if isinstance(opened, _ResponseBase):
        opened._binary_as_bytes = True  # pyright: ignore[reportPrivateUsage]  # same module, its one writer
        if opened._cast_to is HttpxBinaryResponseContent:  # pyright: ignore[reportPrivateUsage]
            # the subclasses add no state: the client core builds one response class for every endpoint
            binary = AsyncStreamedBinaryAPIResponse if isinstance(opened, AsyncAPIResponse) else StreamedBinaryAPIResponse
            cast(Any, opened).__class__ = binary
    return response


class ResponseContextManager(Generic[_R_co]):
    """`with client.x.with_streaming_response.y(...) as response:` sends on enter, closes on exit."""

    def __init__(self, send: Callable[[], _R_co]) -> None:
        self._send = send
        self._response: _R_co | None = None

    def __enter__(self) -> _R_co:
        self._response = _streamed(self._send())
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            cast(Any, self._response).close()


class AsyncResponseContextManager(Generic[_R_co]):
    def __init__(self, send: Awaitable[_R_co]) -> None:
        self._send = send
        self._response: _R_co | None = None

    async def __aenter__(self) -> _R_co:
        self._response = _streamed(await self._send)
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await cast(Any, self._response).close()

    def __await__(self) -> Any:
        # `await ...with_streaming_response.y()` without `async with` still works; the caller closes.
        async def send() -> _R_co:
            return _streamed(await self._send)

        return send().__await__()

    def __del__(self) -> None:
        # Never entered: close the coroutine so Python does not warn that it was never awaited.
        if self._response is None and hasattr(self._send, "close"):
            try:
                cast(Any, self._send).close()
            except RuntimeError:
                pass


_Resp = TypeVar("_Resp", bound="_ResponseBase[Any]")


def finish_parse_with(response: _Resp, finish: Callable[[Any], Any]) -> _Resp:
    """Make `response.parse()` return `finish(result)`: how a helper built on a generated method
    (`chat.completions.parse()` on `create()`) keeps its own result in raw and streamed mode."""
    from dataclasses import replace

    from ._request_plan import RequestPlan

    plan = response._plan  # pyright: ignore[reportPrivateUsage]
    if plan is None:
        plan = RequestPlan(method=response.method, url=str(response.url))
    earlier = plan.post_parse

    def chained(result: Any) -> Any:
        return finish(result if earlier is None else earlier(result))

    response._plan = replace(plan, post_parse=chained)  # pyright: ignore[reportPrivateUsage]
    response._parsed.clear()  # pyright: ignore[reportPrivateUsage]
    return response


# The wrappers generated `*WithRawResponse` / `*WithStreamingResponse` classes use. The resource
# they wrap is already in "raw" or "stream" mode, so the raw wrappers only change the static type.


def to_raw_response_wrapper(func: Callable[_P, _R]) -> Callable[_P, LegacyAPIResponse[_R]]:
    return cast(Any, func)


def async_to_raw_response_wrapper(func: Callable[_P, Awaitable[_R]]) -> Callable[_P, Awaitable[LegacyAPIResponse[_R]]]:
    return cast(Any, func)


@overload
def to_streamed_response_wrapper(
    func: Callable[_P, HttpxBinaryResponseContent],
) -> Callable[_P, ResponseContextManager[StreamedBinaryAPIResponse]]: ...
@overload
def to_streamed_response_wrapper(func: Callable[_P, _R]) -> Callable[_P, ResponseContextManager[APIResponse[_R]]]: ...
def to_streamed_response_wrapper(func: Callable[_P, Any]) -> Callable[_P, ResponseContextManager[Any]]:
    # a binary endpoint's streamed response parses to bytes (see `_streamed`), hence the first overload
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> ResponseContextManager[APIResponse[Any]]:
        return ResponseContextManager(lambda: func(*args, **kwargs))

    return wrapped


@overload
def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[HttpxBinaryResponseContent]],
) -> Callable[_P, AsyncResponseContextManager[AsyncStreamedBinaryAPIResponse]]: ...
@overload
def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, AsyncResponseContextManager[AsyncAPIResponse[_R]]]: ...
def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[Any]],
) -> Callable[_P, AsyncResponseContextManager[Any]]:
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncResponseContextManager[AsyncAPIResponse[Any]]:
        return AsyncResponseContextManager(cast(Any, func(*args, **kwargs)))

    return wrapped
