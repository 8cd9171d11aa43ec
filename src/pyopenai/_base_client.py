"""The transport: building requests, sending them with retries, turning answers into results.

Everything that does not wait on I/O lives in `BaseClient` and is shared; `SyncAPIClient` and
`AsyncAPIClient` differ only in their send loops (which must block or await) and in how they
resolve a callable API key (which may be async).
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import time
import weakref
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast
from urllib.parse import urlencode

import httpx2

from . import _constants as C
from ._exceptions import APIConnectionError, APITimeoutError, OpenAIError, make_status_error
from ._files import build_multipart, file_positions
from ._logging import RequestLogger
from ._models import json_default
from ._qs import flatten
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    parse_body,
)
from ._types import NOT_GIVEN, NotGiven, Omit, RequestOptions
from ._version import __version__

if TYPE_CHECKING:
    from .pagination import AsyncBasePage

__all__ = ["AsyncAPIClient", "AsyncPaginator", "BaseClient", "RequestPlan", "SyncAPIClient"]

_T = TypeVar("_T")
_PageT = TypeVar("_PageT", bound="AsyncBasePage[Any]")
Mode = Literal["parse", "raw", "stream"]


@dataclass
class RequestPlan:
    """Everything one API call needs to be sent (and re-sent on retry or for the next page)."""

    method: str
    url: str
    params: Mapping[str, object] | None = None
    headers: Mapping[str, str | Omit] | None = None
    json_data: Mapping[str, object] | None = None
    extra_json: Mapping[str, object] | None = None
    multipart: bool = False
    file_fields: tuple[str, ...] = ()
    content: bytes | str | None = None
    content_type: str | None = None
    accept: str | None = None
    security: Literal["api_key", "admin"] | None = None
    max_retries: int | NotGiven = NOT_GIVEN
    timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN
    deadline: float | NotGiven | None = NOT_GIVEN
    idempotency_key: str | None = None
    # applied to the parsed result (e.g. decoding base64 embeddings the client asked for)
    post_parse: Callable[[Any], Any] | None = None

    def with_params(self, params: Mapping[str, object]) -> RequestPlan:
        return replace(self, params={**(self.params or {}), **params})


def plan_from_options(method: str, url: str, options: RequestOptions | None, **fields: Any) -> RequestPlan:
    options = options or {}
    return RequestPlan(
        method=method,
        url=url,
        params=options.get("params"),
        headers=options.get("headers"),
        extra_json=options.get("extra_json"),
        max_retries=options.get("max_retries", NOT_GIVEN),
        timeout=options.get("timeout", NOT_GIVEN),
        deadline=options.get("deadline", NOT_GIVEN),
        idempotency_key=options.get("idempotency_key"),
        **fields,
    )


_platform_headers: dict[str, str] | None = None


def platform_headers() -> dict[str, str]:
    """Who is calling (library, OS, runtime), computed once per process."""
    global _platform_headers
    if _platform_headers is None:
        import platform

        _platform_headers = {
            "x-stainless-lang": "python",
            "x-stainless-package-version": __version__,
            "x-stainless-os": platform.system() or "unknown",
            "x-stainless-arch": platform.machine() or "unknown",
            "x-stainless-runtime": platform.python_implementation(),
            "x-stainless-runtime-version": platform.python_version(),
        }
    return _platform_headers


def _transport_errors(http_client: object) -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """(transport errors, timeout errors) of the HTTP library behind `http_client` (httpx2 or httpx)."""
    module_name = type(http_client).__module__.split(".")[0]
    if module_name == "httpx":
        import httpx  # pyright: ignore[reportMissingImports]

        legacy: Any = httpx
        return (httpx2.TransportError, legacy.TransportError), (httpx2.TimeoutException, legacy.TimeoutException)
    return (httpx2.TransportError,), (httpx2.TimeoutException,)


def _quota_exhausted(response: httpx2.Response) -> bool:
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    error: Any = cast("dict[str, Any]", body).get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and cast("dict[str, Any]", error).get("code") == "insufficient_quota"


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, else `retry-after` (seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if value else None
    if parsed is None:
        return None
    return parsed.timestamp() - time.time()


class BaseClient:
    """Options, request building and retry decisions shared by the sync and async clients."""

    _http: Any
    _base_url: str
    _log: RequestLogger
    max_retries: int
    timeout: httpx2.Timeout
    # extra keywords for every `send` of the HTTP client: a provider's auth flow, no redirects
    _send_options: Mapping[str, Any] = {}
    # A time budget in seconds for a whole call (connect, every attempt and retry wait, the body);
    # None: only the per-request `timeout` applies. See `_Deadline`.
    deadline: float | None = None

    def _init_transport(
        self,
        *,
        base_url: str,
        timeout: float | httpx2.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        platform_headers_enabled: bool,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {max_retries}")
        self._base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.timeout = timeout if isinstance(timeout, httpx2.Timeout) else httpx2.Timeout(timeout, connect=(
            C.DEFAULT_CONNECT_TIMEOUT_SECONDS if timeout is None or timeout > C.DEFAULT_CONNECT_TIMEOUT_SECONDS
            else timeout))
        self._default_headers: dict[str, str | Omit] = dict(default_headers or {})
        self._default_query = dict(default_query or {})
        self._platform_headers_enabled = platform_headers_enabled
        self._static_headers = self._compute_static_headers()

    @property
    def base_url(self) -> httpx2.URL:
        return httpx2.URL(self._base_url + "/")

    @base_url.setter
    def base_url(self, url: str | httpx2.URL) -> None:
        self._base_url = str(url).rstrip("/")

    @property
    def default_headers(self) -> dict[str, str]:
        return {**self._static_headers}

    def _compute_static_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {
            "accept": "application/json",
            "user-agent": f"pyopenai/{__version__}",
        }
        if self._platform_headers_enabled:
            headers.update(platform_headers())
            headers["x-stainless-async"] = self._async_label()
        headers.update(self._identity_headers())
        for key, value in self._default_headers.items():
            if isinstance(value, Omit):
                headers.pop(key.lower(), None)
            else:
                headers[key.lower()] = value
        return headers

    def _async_label(self) -> str:
        return "false"

    def _identity_headers(self) -> dict[str, str]:
        """Organization/project headers; the OpenAI client fills these in."""
        return {}

    def _auth_headers_for(self, security: str | None, key: str) -> dict[str, str]:
        return {"authorization": f"Bearer {key}"} if key else {}

    def _auth_refreshable(self, security: str | None) -> bool:
        """Whether the credential for `security` comes from a provider that may hand out a new one."""
        return False

    def _refresh_auth_on(self, response: httpx2.Response, plan: RequestPlan, refreshed: bool) -> bool:
        """A 401 on a provider's key: resend once, at once, with a freshly resolved key (not a retry)."""
        return response.status_code == 401 and not refreshed and self._auth_refreshable(plan.security)

    # -- building a request ----------------------------------------------------------------------

    def _build_request(
        self, plan: RequestPlan, retries_taken: int, auth: Mapping[str, str]
    ) -> tuple[httpx2.Request, list[Any]]:
        """The httpx2 request for an attempt, and the file objects it opened (closed after sending)."""
        headers = dict(self._static_headers)
        headers.update(auth)
        if plan.accept is not None:
            headers["accept"] = plan.accept
        if plan.headers:
            for key, value in plan.headers.items():
                if isinstance(value, Omit):
                    headers.pop(key.lower(), None)
                else:
                    headers[key.lower()] = value
        if plan.idempotency_key is not None:
            headers["idempotency-key"] = plan.idempotency_key
        timeout = self.timeout if isinstance(plan.timeout, NotGiven) else plan.timeout
        if self._platform_headers_enabled:
            headers["x-stainless-retry-count"] = str(retries_taken)
            read_timeout = timeout.read if isinstance(timeout, httpx2.Timeout) else timeout
            if read_timeout is not None:
                headers["x-stainless-read-timeout"] = str(read_timeout)

        url = plan.url if "://" in plan.url else self._base_url + plan.url
        params: list[tuple[str, str]] | None = None
        if plan.params or self._default_query:
            params = flatten({**self._default_query, **(plan.params or {})})
            if "?" not in url:
                # encoded here, in order: httpx2 groups repeated keys, which would reorder
                # `a[][x]=1&a[][y]=2&a[][x]=3` (arrays of objects) into a different array
                url = f"{url}?{urlencode(params)}"
                params = None

        opened: list[Any] = []
        request_timeout = timeout.as_dict() if isinstance(timeout, httpx2.Timeout) else httpx2.Timeout(timeout).as_dict()
        extensions = {"timeout": request_timeout}
        body = plan.json_data
        if plan.extra_json:
            body = {**(body or {}), **plan.extra_json}
        if plan.multipart:
            fields, files, opened = build_multipart(body or {}, plan.file_fields)
            data: dict[str, str | list[str]] = {}
            for key, value in fields:
                existing = data.get(key)
                if existing is None:
                    data[key] = value
                elif isinstance(existing, list):
                    existing.append(value)
                else:
                    data[key] = [existing, value]
            headers.pop("content-type", None)
            if not files:
                # httpx2 switches to multipart only when a file is present: encode fields-only forms here
                request = _multipart_without_files(plan.method, url, params, headers, data, extensions, self._http)
                return request, opened
            request = self._http.build_request(
                plan.method, url, params=params, headers=headers, data=data, files=files, extensions=extensions
            )
            return request, opened
        content: bytes | str | None = plan.content
        if content is not None:
            if plan.content_type is not None:
                headers["content-type"] = plan.content_type
        elif body is not None:
            content = json.dumps(body, default=json_default, separators=(",", ":")).encode()
            headers.setdefault("content-type", "application/json")
        request = self._http.build_request(
            plan.method, url, params=params, headers=headers, content=content, extensions=extensions
        )
        return request, opened

    # -- deciding about retries ------------------------------------------------------------------

    def _max_retries(self, plan: RequestPlan) -> int:
        return self.max_retries if isinstance(plan.max_retries, NotGiven) else plan.max_retries

    def _backoff(self, retries_taken: int) -> float:
        delay = min(C.INITIAL_RETRY_DELAY * 2.0**retries_taken, C.MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())

    def _retry_delay(self, response: httpx2.Response | None, retries_taken: int, max_retries: int) -> float | None:
        """Seconds to wait before the next attempt, or None when this answer must not be retried."""
        if retries_taken >= max_retries:
            return None
        if response is not None:
            status = response.status_code
            if status == 429 and _quota_exhausted(response):
                return None  # retrying cannot help: the account is out of quota
            should_retry = response.headers.get("x-should-retry")
            if should_retry == "false":
                return None
            if should_retry != "true" and status not in (408, 409, 429) and status < 500:
                return None
            wait = parse_retry_after(response.headers)
            if wait is not None:
                if wait > C.MAX_RETRY_AFTER_SECONDS:
                    return None
                if wait >= 0:
                    return wait
        return self._backoff(retries_taken)

    def _rewind(self, plan: RequestPlan, opened: list[Any]) -> bool:
        """Whether the request body can be sent again (file bodies must be seekable)."""
        return True

    def _deadline_for(self, plan: RequestPlan) -> _Deadline | None:
        budget = self.deadline if isinstance(plan.deadline, NotGiven) else plan.deadline
        return None if budget is None else _Deadline(budget)


def check_deadline(deadline: float | None) -> float | None:
    if deadline is not None and not deadline > 0:
        raise ValueError(f"deadline must be a positive number of seconds or None, got {deadline!r}")
    return deadline


class _Deadline:
    """The time budget of one call, when it has one.

    Each attempt's connect/read/write/pool timeouts are cut to the time left; a streamed upload and a
    response body are checked chunk by chunk and abandoned when the time is up (each socket read or
    write is bounded by the time left when it began); a retry whose wait would end past the deadline
    is not waited for. Streams
    (`stream=True`, `with_streaming_response`) are covered until their response starts: their body is
    bounded by the read timeout between two chunks (an idle timeout), not by the deadline.
    """

    __slots__ = ("at", "budget")

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.at = time.monotonic() + budget

    def exceeded(self, request: httpx2.Request | None, attempts: int, reason: str) -> APITimeoutError:
        return APITimeoutError(
            request,
            message=f"Request deadline of {self.budget:g} s exceeded after {attempts} attempt(s) ({reason}).",
        )

    def start(self, request: httpx2.Request, attempts: int) -> float | None:
        """Cut this attempt's timeouts to the time left; returns its read timeout before the cut."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise self.exceeded(request, attempts, "no time left for another attempt")
        timeouts: dict[str, float | None] = request.extensions["timeout"]
        read = timeouts.get("read")
        for key, value in timeouts.items():
            if value is None or value > left:
                timeouts[key] = left
        if not isinstance(request.stream, httpx2.ByteStream):  # a streamed upload (files): checked per chunk
            request.stream = _DeadlineStream(request.stream, self.at, upload=True)
        return read

    def bound_body(self, response: httpx2.Response) -> None:
        """Make reading this response's body give up when the deadline passes."""
        timeouts: dict[str, float | None] = response.request.extensions["timeout"]
        left = max(self.at - time.monotonic(), 0.001)
        read = timeouts.get("read")
        # the transport reads this value when the body starts: no single socket read outlasts the deadline
        timeouts["read"] = left if read is None else min(read, left)
        response.stream = _DeadlineStream(response.stream, self.at)

    def too_late(self, delay: float, request: httpx2.Request, attempts: int, reason: str) -> APITimeoutError | None:
        """The error to raise instead of waiting `delay` s for a retry that would start past the deadline."""
        now = time.monotonic()
        if now + delay < self.at:
            return None
        when = "no time left" if now >= self.at else f"a retry in {delay:.2f} s would start after it"
        return self.exceeded(request, attempts, f"last: {reason}; {when}")


class _DeadlineStream(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A body (an upload, or a response) that raises a timeout once the call's deadline has passed."""

    def __init__(self, inner: Any, at: float, upload: bool = False) -> None:
        self._inner = inner
        self._at = at
        self._upload = upload

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)  # e.g. a multipart body's `fields`, which retries rewind

    def _late(self) -> httpx2.TimeoutException:
        if self._upload:
            return httpx2.WriteTimeout("The call's deadline passed while sending the request body")
        return httpx2.ReadTimeout("The call's deadline passed while reading the response body")

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if time.monotonic() > self._at:
                raise self._late()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            if time.monotonic() > self._at:
                raise self._late()
            yield chunk

    def close(self) -> None:
        self._inner.close()

    async def aclose(self) -> None:
        await self._inner.aclose()


def _multipart_without_files(
    method: str,
    url: str,
    params: list[tuple[str, str]] | None,
    headers: dict[str, str],
    data: Mapping[str, str | list[str]],
    extensions: dict[str, Any],
    http: Any,
) -> httpx2.Request:
    """A multipart/form-data request that carries only fields (httpx2 would send urlencoded)."""
    import uuid

    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode() + item.encode() + b"\r\n"
            )
    parts.append(f"--{boundary}--\r\n".encode())
    headers["content-type"] = f"multipart/form-data; boundary={boundary}"
    return cast(
        httpx2.Request,
        http.build_request(method, url, params=params, headers=headers, content=b"".join(parts), extensions=extensions),
    )


def _connection_error(err: BaseException, request: httpx2.Request | None, timeouts: tuple[type[BaseException], ...]) -> APIConnectionError:
    if isinstance(err, timeouts):
        return APITimeoutError(request)
    detail = _first_words(err)
    return APIConnectionError(
        message=f"Connection error: {type(err).__name__}" + (f": {detail}" if detail else ""), request=request
    )


def _read_error(response: httpx2.Response) -> OpenAIError:
    text = response.text
    try:
        body: object = json.loads(response.content) if response.content else None
    except ValueError:
        body = text or None
    return make_status_error(response, body, text)


def _orphan_stream(response: httpx2.Response) -> Any:
    """The network stream under a response that arrived after its client was closed.

    Closing the pool drops connections that were still connecting without closing them; the
    request then completes on a connection no pool knows of, whose socket would never be closed.
    """
    return response.extensions.get("network_stream")


def _closed_meanwhile(request: httpx2.Request) -> APIConnectionError:
    return APIConnectionError(message="The client was closed while this request was in flight", request=request)


def _start_attempt(deadline: _Deadline, request: httpx2.Request, attempts: int, opened: list[Any]) -> float | None:
    try:
        return deadline.start(request, attempts)
    except APITimeoutError:
        _close_opened(opened)
        raise


def _give_up_if_late(
    deadline: _Deadline, delay: float, request: httpx2.Request, retries_taken: int, opened: list[Any],
    cause: BaseException, reason: str,
) -> None:
    """Raise the deadline's error (caused by `cause`) when waiting `delay` s would pass the deadline."""
    late = deadline.too_late(delay, request, retries_taken + 1, reason)
    if late is not None:
        _close_opened(opened)
        raise late from cause


def _first_words(err: BaseException) -> str:
    """The transport's own words ("Connection reset by peer", ...), from the error or what caused it."""
    cause: BaseException | None = err
    for _ in range(6):  # async transports wrap the OS error a few levels deep, some wrappers say nothing
        if cause is None:
            break
        text = " ".join(str(cause).split())
        if text:
            return text[:200]
        cause = cause.__cause__ or cause.__context__
    return ""


def _what(err: BaseException, timeouts: tuple[type[BaseException], ...]) -> str:
    return f"{'a timeout' if isinstance(err, timeouts) else 'a connection error'} ({type(err).__name__})"


def _close_opened(opened: list[Any]) -> None:
    for f in opened:
        try:
            f.close()
        except Exception:
            pass


class SyncAPIClient(BaseClient):
    _http: httpx2.Client

    def _resolve_key(self, security: str | None) -> str:
        raise NotImplementedError

    def request(
        self,
        plan: RequestPlan,
        *,
        cast_to: Any,
        stream: bool = False,
        stream_cls: Any = None,
        mode: Mode = "parse",
    ) -> Any:
        read_body = not stream and mode != "stream"
        response, retries_taken = self._send(plan, read_body=read_body)
        if mode == "parse":
            return parse_body(response, cast_to=cast_to, plan=plan, client=self, stream=stream, stream_cls=stream_cls)
        return APIResponse[Any](
            raw=response, cast_to=cast_to, client=self, plan=plan, stream=stream, stream_cls=stream_cls,
            retries_taken=retries_taken,
        )

    def _send(self, plan: RequestPlan, *, read_body: bool) -> tuple[httpx2.Response, int]:
        max_retries = self._max_retries(plan)
        errors, timeouts = self._errors
        retries_taken = 0
        refreshed = False
        positions: list[int | None] | None = None
        deadline = self._deadline_for(plan)
        while True:
            request, opened = self._build_request(plan, retries_taken, self._auth(plan.security))
            if plan.multipart and positions is None:
                positions = _file_positions(request)
            idle_timeout = None if deadline is None else _start_attempt(deadline, request, retries_taken, opened)
            self._log.request(request, retries_taken)
            try:
                response = self._http.send(request, stream=True, **self._send_options)
                try:
                    if read_body or response.status_code >= 400:
                        if deadline is not None:
                            deadline.bound_body(response)
                        response.read()
                    elif deadline is not None:
                        request.extensions["timeout"]["read"] = idle_timeout  # a stream's body: idle timeout
                except BaseException:
                    response.close()
                    raise
            except errors as err:
                delay = self._retry_delay(None, retries_taken, max_retries)
                if deadline is not None:  # with no retry left, still say so if it was the deadline that struck
                    _give_up_if_late(deadline, delay or 0.0, request, retries_taken, opened, err, _what(err, timeouts))
                if delay is None or not _rewind_files(request, positions):
                    _close_opened(opened)
                    raise _connection_error(err, request, timeouts) from err
                self._log.retry(request, None, delay, retries_taken)
                time.sleep(delay)
                retries_taken += 1
                continue
            if self._http.is_closed:  # closed by another thread while this request was in flight
                _close_opened(opened)
                response.close()
                orphan = _orphan_stream(response)
                if orphan is not None:
                    orphan.close()
                raise _closed_meanwhile(request)
            self._log.response(response)
            if response.status_code >= 400:
                if self._refresh_auth_on(response, plan, refreshed) and _rewind_files(request, positions):
                    refreshed = True  # the loop resolves the key again
                    continue
                delay = self._retry_delay(response, retries_taken, max_retries)
                if delay is not None and deadline is not None:
                    _give_up_if_late(deadline, delay, request, retries_taken, opened, _read_error(response),
                                     f"status {response.status_code}")
                if delay is not None and _rewind_files(request, positions):
                    self._log.retry(request, response, delay, retries_taken)
                    time.sleep(delay)
                    retries_taken += 1
                    continue
                _close_opened(opened)
                raise _read_error(response)
            _close_opened(opened)
            return response, retries_taken

    def _auth(self, security: str | None) -> dict[str, str]:
        return self._auth_headers_for(security, self._resolve_key(security))

    @property
    def _errors(self) -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
        cached = self.__dict__.get("_errors_cache")
        if cached is None:
            cached = self.__dict__["_errors_cache"] = _transport_errors(self._http)
        return cached

    def request_page(self, plan: RequestPlan, page_type: Any) -> Any:
        return self.request(plan, cast_to=page_type)

    # -- custom requests: client.get/post/... ------------------------------------------------------

    def get(self, path: str, *, cast_to: type[_T], options: RequestOptions | None = None, stream: bool = False, stream_cls: Any = None) -> _T:
        return cast(_T, self.request(plan_from_options("get", path, options), cast_to=cast_to, stream=stream, stream_cls=stream_cls))

    def post(
        self, path: str, *, cast_to: type[_T], body: Mapping[str, object] | None = None, options: RequestOptions | None = None,
        files: Mapping[str, Any] | None = None, stream: bool = False, stream_cls: Any = None,
    ) -> _T:
        plan = _body_plan("post", path, options, body, files)
        return cast(_T, self.request(plan, cast_to=cast_to, stream=stream, stream_cls=stream_cls))

    def put(self, path: str, *, cast_to: type[_T], body: Mapping[str, object] | None = None, options: RequestOptions | None = None, files: Mapping[str, Any] | None = None) -> _T:
        return cast(_T, self.request(_body_plan("put", path, options, body, files), cast_to=cast_to))

    def patch(self, path: str, *, cast_to: type[_T], body: Mapping[str, object] | None = None, options: RequestOptions | None = None) -> _T:
        return cast(_T, self.request(_body_plan("patch", path, options, body, None), cast_to=cast_to))

    def delete(self, path: str, *, cast_to: type[_T], body: Mapping[str, object] | None = None, options: RequestOptions | None = None) -> _T:
        return cast(_T, self.request(_body_plan("delete", path, options, body, None), cast_to=cast_to))


class AsyncAPIClient(BaseClient):
    _http: httpx2.AsyncClient

    def _async_label(self) -> str:
        return "async:asyncio"

    async def _resolve_key(self, security: str | None) -> str:
        raise NotImplementedError

    async def request(
        self,
        plan: RequestPlan,
        *,
        cast_to: Any,
        stream: bool = False,
        stream_cls: Any = None,
        mode: Mode = "parse",
    ) -> Any:
        read_body = not stream and mode != "stream"
        response, retries_taken = await self._send(plan, read_body=read_body)
        if mode == "parse":
            return parse_body(response, cast_to=cast_to, plan=plan, client=self, stream=stream, stream_cls=stream_cls)
        cls = AsyncAPIResponse[Any] if mode == "stream" else APIResponse[Any]
        return cls(
            raw=response, cast_to=cast_to, client=self, plan=plan, stream=stream, stream_cls=stream_cls,
            retries_taken=retries_taken,
        )

    async def _send(self, plan: RequestPlan, *, read_body: bool) -> tuple[httpx2.Response, int]:
        max_retries = self._max_retries(plan)
        errors, timeouts = self._errors
        retries_taken = 0
        refreshed = False
        positions: list[int | None] | None = None
        deadline = self._deadline_for(plan)
        while True:
            auth = self._auth_headers_for(plan.security, await self._resolve_key(plan.security))
            request, opened = self._build_request(plan, retries_taken, auth)
            if plan.multipart and positions is None:
                positions = _file_positions(request)
            idle_timeout = None if deadline is None else _start_attempt(deadline, request, retries_taken, opened)
            self._log.request(request, retries_taken)
            try:
                response = await self._http.send(request, stream=True, **self._send_options)
                try:
                    if read_body or response.status_code >= 400:
                        if deadline is not None:
                            deadline.bound_body(response)
                        await response.aread()
                    elif deadline is not None:
                        request.extensions["timeout"]["read"] = idle_timeout  # a stream's body: idle timeout
                except BaseException:
                    await response.aclose()
                    raise
            except errors as err:
                delay = self._retry_delay(None, retries_taken, max_retries)
                if deadline is not None:  # with no retry left, still say so if it was the deadline that struck
                    _give_up_if_late(deadline, delay or 0.0, request, retries_taken, opened, err, _what(err, timeouts))
                if delay is None or not _rewind_files(request, positions):
                    _close_opened(opened)
                    raise _connection_error(err, request, timeouts) from err
                self._log.retry(request, None, delay, retries_taken)
                await _async_sleep(delay)
                retries_taken += 1
                continue
            if self._http.is_closed:  # closed by another task while this request was in flight
                _close_opened(opened)
                await response.aclose()
                orphan = _orphan_stream(response)
                if orphan is not None:
                    await orphan.aclose()
                raise _closed_meanwhile(request)
            self._log.response(response)
            if response.status_code >= 400:
                if self._refresh_auth_on(response, plan, refreshed) and _rewind_files(request, positions):
                    refreshed = True  # the loop resolves the key again
                    continue
                delay = self._retry_delay(response, retries_taken, max_retries)
                if delay is not None and deadline is not None:
                    _give_up_if_late(deadline, delay, request, retries_taken, opened, _read_error(response),
                                     f"status {response.status_code}")
                if delay is not None and _rewind_files(request, positions):
                    self._log.retry(request, response, delay, retries_taken)
                    await _async_sleep(delay)
                    retries_taken += 1
                    continue
                _close_opened(opened)
                raise _read_error(response)
            _close_opened(opened)
            return response, retries_taken

    @property
    def _errors(self) -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
        cached = self.__dict__.get("_errors_cache")
        if cached is None:
            cached = self.__dict__["_errors_cache"] = _transport_errors(self._http)
        return cached

    async def request_page(self, plan: RequestPlan, page_type: Any) -> Any:
        return await self.request(plan, cast_to=page_type)

    def paginate(self, plan: RequestPlan, page_type: Any) -> AsyncPaginator[Any, Any]:
        return AsyncPaginator(self, plan, page_type)

    async def get(self, path: str, *, cast_to: type[_T], options: RequestOptions | None = None, stream: bool = False, stream_cls: Any = None) -> _T:
        return cast(_T, await self.request(plan_from_options("get", path, options), cast_to=cast_to, stream=stream, stream_cls=stream_cls))

    async def post(
        self, path: str, *, cast_to: type[_T], body: Mapping[str, object] | None = None, options: RequestOptions | None = None,
        files: Mapping[str, Any] | None = None, stream: bool = False, stream_cls: Any = None,
    ) -> _T:
        plan = _body_plan("post", path, options, body, files)
        return cast(_T, await self.request(plan, cast_to=cast_to, stream=stream, stream_cls=stream_cls))

    async def put(self, path: str, *, cast_to: type[_T], body: Mapping[str, object] | None = None, options: RequestOptions | None = None, files: Mapping[str, Any] | None = None) -> _T:
        return cast(_T, await self.request(_body_plan("put", path, options, body, files), cast_to=cast_to))

    async def patch(self, path: str, *, cast_to: type[_T], body: Mapping[str, object] | None = None, options: RequestOptions | None = None) -> _T:
        return cast(_T, await self.request(_body_plan("patch", path, options, body, None), cast_to=cast_to))

    async def delete(self, path: str, *, cast_to: type[_T], body: Mapping[str, object] | None = None, options: RequestOptions | None = None) -> _T:
        return cast(_T, await self.request(_body_plan("delete", path, options, body, None), cast_to=cast_to))


def _body_plan(
    method: str, path: str, options: RequestOptions | None, body: Mapping[str, object] | None, files: Mapping[str, Any] | None
) -> RequestPlan:
    if files:
        return plan_from_options(
            method, path, options, json_data={**(body or {}), **files}, multipart=True, file_fields=tuple(files)
        )
    return plan_from_options(method, path, options, json_data=body)


def _request_files(request: httpx2.Request) -> list[Any]:
    """The file objects a multipart request reads from (httpx2 keeps them on its stream's fields)."""
    fields: list[Any] = getattr(getattr(request, "stream", None), "fields", None) or []
    return [f.file for f in fields if hasattr(getattr(f, "file", None), "read")]


def _file_positions(request: httpx2.Request) -> list[int | None]:
    return file_positions(_request_files(request))


def _rewind_files(request: httpx2.Request, positions: list[int | None] | None) -> bool:
    """Seek file bodies back for a retry; False when one cannot be re-read (then no retry)."""
    if not positions:
        return True
    if any(p is None for p in positions):
        return False
    for file_object, position in zip(_request_files(request), positions):
        file_object.seek(position)
    return True


async def _async_sleep(seconds: float) -> None:
    # anyio works under asyncio and trio alike; imported only when a retry actually waits.
    import anyio

    await anyio.sleep(seconds)


class AsyncPaginator(Generic[_T, _PageT]):
    """What an async `list()` returns: `await` it for the first page, `async for` it for every item."""

    def __init__(self, client: AsyncAPIClient, plan: RequestPlan, page_type: Any) -> None:
        self._client = client
        self._plan = plan
        self._page_type = page_type

    async def _first_page(self) -> _PageT:
        return cast(_PageT, await self._client.request(self._plan, cast_to=self._page_type))

    def __await__(self) -> Generator[Any, None, _PageT]:
        return self._first_page().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self._first_page()
        async for item in page:
            yield item


# -- fork safety ----------------------------------------------------------------------------------
#
# A client created before `os.fork()` (a module-level client in a pre-forking server, say) carries
# its keep-alive connections into the child, where they are the same sockets as the parent's: two
# processes writing requests on one TCP connection read each other's answers. In the child, the
# pools of every client's HTTP client are emptied at once (no cost per request): the sync
# connections are closed (closing the child's descriptor does not touch the parent's connection),
# the async ones belong to the parent's event loop and are only set aside. The pool's lock is
# replaced too, as a thread of the parent may have held it at the moment of the fork.

_http_clients: weakref.WeakSet[Any] = weakref.WeakSet()
_left_by_parent: list[Any] = []


def watch_for_fork(http_client: object) -> None:
    try:
        _http_clients.add(http_client)
    except TypeError:  # an object that cannot be weakly referenced: not ours to reset
        pass


def _reset_pools_after_fork() -> None:
    for http_client in list(_http_clients):
        mounts: dict[Any, Any] = getattr(http_client, "_mounts", None) or {}
        for transport in (getattr(http_client, "_transport", None), *mounts.values()):
            pool = getattr(transport, "_pool", None)
            connections = getattr(pool, "_connections", None)
            if not isinstance(connections, list):
                continue
            lock = getattr(pool, "_optional_thread_lock", None)
            if lock is not None:
                pool._optional_thread_lock = type(lock)()  # pyright: ignore[reportOptionalMemberAccess]
            pool._connections = []  # pyright: ignore[reportOptionalMemberAccess]
            pool._requests = []  # pyright: ignore[reportOptionalMemberAccess]
            for connection in cast("list[Any]", connections):
                close = getattr(connection, "close", None)  # async connections have `aclose` instead
                if close is None:
                    _left_by_parent.append(connection)
                    continue
                try:
                    close()
                except Exception:
                    _left_by_parent.append(connection)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_pools_after_fork)


def env(name: str) -> str | None:
    """An environment variable, with empty values treated as unset."""
    value = os.environ.get(name)
    return value if value else None
