"""The transport: building requests, sending them with retries, turning answers into results.

Everything that does not wait on I/O is shared: `BaseClient` builds each attempt's request from a
`RequestPlan`, and a `RetryDecisions` (`_retries`) decides after each attempt what happens next.
`SyncAPIClient` and `AsyncAPIClient` are the two drivers of that decision: their send loops only
send, log and wait, blocking or awaiting; they also resolve a callable API key (which may be async).
"""

from __future__ import annotations

import functools
import platform
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Union, cast
from urllib.parse import urlencode

import httpx2

from ._deadline import Deadline
from ._default_clients import DEFAULT_TIMEOUT, DefaultAsyncHttpxClient, DefaultHttpxClient
from ._exceptions import APIConnectionError
from ._logging import RequestLogger
from ._options import HTTPX_DEFAULT_TIMEOUT, ClientOptions, HeaderMap, as_timeout
from ._qs import flatten
from ._rate_limiter import RateLimiter, estimate_tokens, waits
from ._rate_limits import LatestRateLimits, RateLimits
from ._request_body import RequestBuilder
from ._request_plan import FinalRequestOptions, Mode, RequestPlan, body_plan, plan_from_options
from ._response import APIResponse, AsyncAPIResponse, LegacyAPIResponse, parse_body, response_classes
from ._retries import Retry, RetryDecisions
from ._retry_policy import DEFAULT_RETRY_POLICY, RetryAttempt, RetryPolicy, new_idempotency_key
from ._telemetry import CallSpan, Telemetry, current_call, global_telemetry
from ._types import NOT_GIVEN, AsyncBinaryTypes, BinaryTypes, Body, NotGiven, Omit, RequestOptions, SecurityOptions
from ._version import __version__

if TYPE_CHECKING:
    from .pagination import AsyncPaginator

__all__ = [
    "DEFAULT_TIMEOUT",
    "HTTPX_DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "BaseClient",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "FinalRequestOptions",
    "Mode",
    "OtherPlatform",
    "RequestPlan",
    "SyncAPIClient",
    "get_platform",
    "make_request_options",
    "platform_headers",
]

_T = TypeVar("_T")


class OtherPlatform:
    """An operating system outside the named ones; `str()` says which (as `x-stainless-os` sends it)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"Other:{self.name}"


Platform = Union[str, OtherPlatform]

# systems that name themselves in `platform.system()` or in the os-release `ID` of a Linux-like one
_SYSTEM_NAMES = {"darwin": "MacOS", "windows": "Windows", "freebsd": "FreeBSD", "openbsd": "OpenBSD"}


def get_platform() -> Platform:
    """The operating system under the names the API's telemetry expects (`MacOS`, `Linux`, `iOS`, ...)."""
    try:
        system, name = platform.system().lower(), platform.platform().lower()
    except Exception:
        return "Unknown"
    if "iphone" in name or "ipad" in name:
        return "iOS"
    if "android" in name:
        return "Android"
    if system == "linux":
        return _linux_flavour()
    if system in _SYSTEM_NAMES:
        return _SYSTEM_NAMES[system]
    return OtherPlatform(name) if name else "Unknown"


def _linux_flavour() -> str:
    """A BSD that reports itself as Linux (a compatibility layer) says so in its os-release file."""
    try:
        release_id = platform.freedesktop_os_release().get("ID", "").lower()
    except OSError:
        return "Linux"
    return _SYSTEM_NAMES.get(release_id, "Linux") if release_id in ("freebsd", "openbsd") else "Linux"


@functools.cache
def platform_headers() -> dict[str, str]:
    """Who is calling (library, OS, runtime), computed once per process."""
    return {
        "x-stainless-lang": "python",
        "x-stainless-package-version": __version__,
        "x-stainless-os": str(get_platform()),
        "x-stainless-arch": _architecture(platform.machine()),
        "x-stainless-runtime": platform.python_implementation(),
        "x-stainless-runtime-version": platform.python_version(),
    }


def make_request_options(
    *,
    query: Mapping[str, object] | None = None,
    extra_headers: Mapping[str, str | Omit] | None = None,
    extra_query: Mapping[str, object] | None = None,
    extra_body: Mapping[str, object] | None = None,
    idempotency_key: str | None = None,
    timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    post_parser: Callable[[Any], Any] | NotGiven = NOT_GIVEN,
    security: SecurityOptions | None = None,
    **_unused: object,
) -> dict[str, Any]:
    """The official SDK's per-call keywords (`extra_headers=`, `extra_query=`, ...) as the keywords
    of a `FinalRequestOptions` (`FinalRequestOptions(method=..., url=..., **make_request_options(...))`)."""
    options: dict[str, Any] = {}
    if query or extra_query:
        options["params"] = {**(query or {}), **(extra_query or {})}
    if extra_headers:
        options["headers"] = extra_headers
    if extra_body:
        options["extra_json"] = extra_body
    if idempotency_key is not None:
        options["idempotency_key"] = idempotency_key
    if not isinstance(timeout, NotGiven):
        options["timeout"] = timeout
    if not isinstance(post_parser, NotGiven):
        options["post_parser"] = post_parser
    if security is not None:
        options["security"] = security
    return options


def _architecture(machine: str) -> str:
    """The architecture in the official SDK's vocabulary (`x64`, `arm64`, ...), which the API's telemetry expects."""
    name = machine.lower()
    if name in ("arm64", "aarch64"):
        return "arm64"
    if name == "arm":
        return "arm"
    if name == "x86_64":
        return "x64"
    if sys.maxsize <= 2**32:
        return "x32"
    return f"other:{name}" if name else "unknown"


class BaseClient:
    """Options and request building shared by the sync and async clients."""

    _http: Any
    _base_url: str
    _log: RequestLogger
    timeout: float | httpx2.Timeout | None
    # extra keywords for every `send` of the HTTP client: a provider's auth flow, no redirects
    _send_options: Mapping[str, Any] = {}
    # A time budget in seconds for a whole call (connect, every attempt and retry wait, the body);
    # None: only the per-request `timeout` applies. See `Deadline`.
    deadline: float | None = None
    # what is retried and how long to wait (`max_retries` is its `max_retries`)
    retry: RetryPolicy = DEFAULT_RETRY_POLICY
    _rate_limiter: RateLimiter | None = None
    _telemetry: Telemetry | None = None
    _latest_rate_limits: LatestRateLimits

    @property
    def max_retries(self) -> int:
        return self.retry.max_retries

    @max_retries.setter
    def max_retries(self, value: int) -> None:
        self.retry = self.retry.with_max_retries(value)

    @property
    def rate_limiter(self) -> RateLimiter | None:
        """The limiter pacing this client's requests (shared with its `with_options` copies), if any."""
        return self._rate_limiter

    @property
    def rate_limits(self) -> RateLimits | None:
        """The account's limits as the latest answer that reported them said (None before any did)."""
        return self._latest_rate_limits.snapshot()

    def _apply_transport_options(self, options: ClientOptions) -> None:
        """The options this class reads when building and retrying requests."""
        self._base_url = options.base_url.rstrip("/")
        self.retry = options.retry
        self._rate_limiter = options.rate_limiter
        self._telemetry = options.telemetry
        self.timeout = options.timeout
        self.deadline = options.deadline
        self._default_headers = options.default_headers
        self._default_query = options.default_query
        self._platform_headers_enabled = options.platform_headers
        self._static_headers = self._compute_static_headers()
        # a credential header the caller set in `default_headers` (or omitted there) wins over the key's
        self._pinned_auth = frozenset(name.lower() for name in self._default_headers)
        self._requests = RequestBuilder()
        self._latest_rate_limits = LatestRateLimits()

    @property
    def base_url(self) -> httpx2.URL:
        # a host-only URL stays as given; one with a path ends with "/", ready to join
        return httpx2.URL(self._base_url + "/" if httpx2.URL(self._base_url).raw_path.strip(b"/") else self._base_url)

    @base_url.setter
    def base_url(self, url: str | httpx2.URL) -> None:
        self._base_url = str(url).rstrip("/")

    @property
    def default_headers(self) -> HeaderMap:
        """The headers every request carries (before credentials), names as given, read case-insensitively."""
        spelled = {name.lower(): name for name in self._default_headers}
        return HeaderMap({spelled.get(name, name): value for name, value in self._static_headers.items()})

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

    def _plan_for_mode(self, plan: RequestPlan, mode: Mode) -> RequestPlan:
        """`with_raw_response` / `with_streaming_response` calls say so on the wire, as the official SDK's do."""
        if mode == "parse" or not self._platform_headers_enabled:
            return plan
        return plan.with_default_headers({"x-stainless-raw-response": "true" if mode == "raw" else "stream"})

    def _identity_headers(self) -> dict[str, str]:
        """Organization/project headers; the OpenAI client fills these in."""
        return {}

    def _auth_headers_for(self, security: str | None, key: str) -> dict[str, str]:
        return {"authorization": f"Bearer {key}"} if key else {}

    @property
    def auth_headers(self) -> dict[str, str]:
        """The credential headers for the client's API key, under the official SDK's name and spelling
        (`{"Authorization": "Bearer ..."}`; Azure's `api-key`): libraries copy them into WebSocket
        handshakes they open themselves. Empty without a key (a key provider is asked per request)."""
        key: object = getattr(self, "api_key", None)
        if not isinstance(key, str) or not key:
            return {}
        spelled = {"authorization": "Authorization"}
        return {spelled.get(name, name): value for name, value in self._auth_headers_for(None, key).items()}

    def _auth_refreshable(self, security: str | None) -> bool:
        """Whether the credential for `security` comes from a provider that may hand out a new one."""
        return False

    def _credential_refused(self, security: str | None) -> bool:
        """The API answered 401: drop a cached credential; whether resolving the key again may help."""
        return self._auth_refreshable(security)

    # -- building a request ----------------------------------------------------------------------

    def _build_request(
        self, plan: RequestPlan, retries_taken: int = 0, auth: Mapping[str, str] | None = None
    ) -> httpx2.Request:
        """The httpx2 request for an attempt (`auth` None: the client's current credentials), as
        code written against the official SDK builds one to inspect it; nothing is sent."""
        if auth is None:
            auth = self._auth_headers_for(plan.security, self._current_key(plan.security))
        return self._build_attempt(plan, retries_taken, auth)[0]

    def _current_key(self, security: str | None) -> str:
        """The key a request would carry now, without asking a key provider (the clients know how)."""
        raise NotImplementedError

    def _build_attempt(
        self, plan: RequestPlan, retries_taken: int, auth: Mapping[str, str]
    ) -> tuple[httpx2.Request, list[Any]]:
        """The httpx2 request for an attempt, and the file objects it opened (closed after sending)."""
        if auth and self._pinned_auth and not self._pinned_auth.isdisjoint(auth):
            auth = {name: value for name, value in auth.items() if name not in self._pinned_auth}
        # this call's own headers, over the static ones and the credentials (an `Omit` removes one)
        headers: dict[str, str | Omit] = {}
        if plan.accept is not None:
            headers["accept"] = plan.accept
        timeout = as_timeout(self.timeout if isinstance(plan.timeout, NotGiven) else plan.timeout)
        if self._platform_headers_enabled:
            # before the call's own headers, which may replace or omit them
            headers["x-stainless-retry-count"] = str(retries_taken)
            if timeout.read is not None:
                headers["x-stainless-read-timeout"] = str(timeout.read)
        if plan.headers:
            for key, value in plan.headers.items():
                headers[key.lower()] = value
        if plan.idempotency_key is not None:
            headers["idempotency-key"] = plan.idempotency_key

        url = plan.url if "://" in plan.url else self._base_url + ("" if plan.url.startswith("/") else "/") + plan.url
        if plan.params or self._default_query:
            # encoded here, in order: httpx2 groups repeated keys, which would reorder
            # `a[][x]=1&a[][y]=2&a[][x]=3` (arrays of objects) into a different array; after a
            # query written into the path (`/files?beta=true`), which httpx2 would replace
            pairs = flatten({**self._default_query, **(plan.params or {})})
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(pairs)}"

        return self._requests.build(
            self._http, plan, url, None, self._static_headers, auth, headers, {"timeout": timeout.as_dict()}
        )

    def _retry_decisions(self, plan: RequestPlan) -> RetryDecisions:
        """The retry and deadline decisions of one call, for a send loop to drive."""
        budget = self.deadline if isinstance(plan.deadline, NotGiven) else plan.deadline
        policy = plan.retry or self.retry
        return RetryDecisions(
            max_retries=policy.max_retries if isinstance(plan.max_retries, NotGiven) else plan.max_retries,
            rules=policy,
            deadline=None if budget is None else Deadline(budget),
            credential_refused=lambda: self._credential_refused(plan.security),
            body_resendable=plan.content is None or isinstance(plan.content, (bytes, bytearray, str)),
        )

    def _calculate_retry_timeout(
        self, remaining_retries: int, options: RequestPlan, response_headers: Mapping[str, str] | None = None
    ) -> float:
        """The official SDK's name for the wait before a retry, given the retries left: the server's
        `retry-after` when the policy honours it, else the policy's backoff."""
        policy = options.retry or self.retry
        max_retries = policy.max_retries if isinstance(options.max_retries, NotGiven) else options.max_retries
        wait = policy.server_wait(response_headers or {})
        return policy.backoff(max(max_retries - remaining_retries, 0)) if wait is None else wait

    def _should_retry(self, response: httpx2.Response) -> bool:
        """The official SDK's name for whether an answer like `response` is retried (a retry left)."""
        policy = self.retry
        return policy.with_max_retries(max(policy.max_retries, 1)).delay_for(response, 0) is not None

    # -- operations: rate limits, the limiter, retry notices, telemetry ---------------------------------

    def _tokens(self, plan: RequestPlan) -> int:
        """What the limiter charges this call's attempts against a tokens-per-minute limit."""
        return estimate_tokens(plan.json_data) if plan.json_data is not None else 0

    def _answered(self, response: httpx2.Response, tokens: int) -> None:
        """An answer arrived: keep its rate limits, and let the limiter learn from them."""
        self._latest_rate_limits.observe(response.headers)
        limiter = self._rate_limiter
        if limiter is not None:
            limiter.observe(response.headers, response.status_code, tokens)

    def _unanswered(self, tokens: int) -> None:
        limiter = self._rate_limiter
        if limiter is not None:
            limiter.failed(tokens)

    @staticmethod
    def _stamp_idempotency(request: httpx2.Request, idempotency: tuple[str, str] | None) -> None:
        # a key the caller pinned (default_headers, extra_headers) is the one sent, as the official SDK does
        if idempotency is not None and idempotency[0] not in request.headers:
            request.headers[idempotency[0]] = idempotency[1]

    @staticmethod
    def _idempotency_header(plan: RequestPlan, call: RetryDecisions) -> tuple[str, str] | None:
        """A POST that may be retried carries one key on every attempt, so the API can tell a repeat."""
        header = call.policy.idempotency_header
        if header is None or plan.idempotency_key is not None or plan.method.lower() != "post" or not call.may_retry:
            return None
        return header, new_idempotency_key()

    @staticmethod
    def _retry_notice(call: RetryDecisions, request: httpx2.Request, retry: Retry) -> Any:
        """Tell the call's span and the policy's `on_retry` about a retry; returns what `on_retry` returned."""
        span = current_call()
        on_retry = call.policy.on_retry
        if span is None and on_retry is None:
            return None
        attempt = RetryAttempt(
            attempt=retry.retries_taken + 1, error=retry.error, response=retry.response, delay=retry.delay,
            elapsed=time.monotonic() - call.started, method=request.method, url=str(request.url),
        )
        if span is not None:
            span.retry(attempt)
        return None if on_retry is None else on_retry(attempt)

    def _start_span(self, plan: RequestPlan) -> CallSpan | None:
        """The call's span when telemetry is on (the client's own, else `pyopenai.instrument()`'s)."""
        telemetry = self._telemetry or global_telemetry()
        if telemetry is None:
            return None
        span = telemetry.start(plan.method, plan.url, plan.json_data, self._base_url)
        span.enter()
        return span

    def _send_arguments(self, plan: RequestPlan) -> dict[str, Any]:
        """The HTTP client's `send` arguments for every attempt of a call."""
        arguments: dict[str, Any] = {"stream": True, **self._send_options}
        if plan.follow_redirects is not None:
            # the client's own setting wins: a provider's signed request is never sent elsewhere
            arguments.setdefault("follow_redirects", plan.follow_redirects)
        return arguments

    @staticmethod
    def _check_cast_to(cast_to: object) -> None:
        if isinstance(cast_to, type) and issubclass(cast_to, response_classes()) and cast_to not in response_classes():
            raise ValueError(f"cast_to= takes the HTTP library's response class itself, not a subclass ({cast_to.__name__})")


def _close_opened(opened: list[Any]) -> None:
    for f in opened:
        try:
            f.close()
        except Exception:
            pass


def _orphan_stream(response: httpx2.Response) -> Any:
    """The network stream under a response that arrived after its client was closed.

    Closing the pool drops connections that were still connecting without closing them; the
    request then completes on a connection no pool knows of, whose socket would never be closed.
    """
    return response.extensions.get("network_stream")


def _closed_meanwhile(request: httpx2.Request) -> APIConnectionError:
    return APIConnectionError(message="The client was closed while this request was in flight", request=request)


class SyncAPIClient(BaseClient):
    _http: httpx2.Client

    def _resolve_key(self, security: str | None) -> str:
        raise NotImplementedError

    def request(
        self,
        plan: RequestPlan,
        *,
        cast_to: type[_T],
        stream: bool = False,
        stream_cls: Any = None,
        mode: Mode = "parse",
    ) -> Any:
        span = self._start_span(plan)
        if span is None:
            return self._request(plan, cast_to, stream, stream_cls, mode)
        with span:
            result = self._request(plan, cast_to, stream, stream_cls, mode)
        return span.succeeded(result)

    def _request(self, plan: RequestPlan, cast_to: type[Any], stream: bool, stream_cls: Any, mode: Mode) -> Any:
        self._check_cast_to(cast_to)
        read_body = not stream and mode != "stream"
        plan = self._plan_for_mode(plan, mode)
        response, retries_taken = self._send(plan, read_body=read_body)
        if mode == "parse":
            return parse_body(response, cast_to=cast_to, plan=plan, client=self, stream=stream, stream_cls=stream_cls)
        cls = APIResponse[Any] if mode == "stream" else LegacyAPIResponse[Any]
        return cls(
            raw=response, cast_to=cast_to, client=self, plan=plan, stream=stream, stream_cls=stream_cls,
            retries_taken=retries_taken,
        )

    def _send(self, plan: RequestPlan, *, read_body: bool) -> tuple[httpx2.Response, int]:
        """Send until `RetryDecisions` says done (or raises): this loop only sends, logs and sleeps."""
        call, send_options = self._retry_decisions(plan), self._send_arguments(plan)
        idempotency, limiter = self._idempotency_header(plan, call), self._rate_limiter
        tokens = 0 if limiter is None else self._tokens(plan)
        while True:
            if limiter is not None:
                for wait in waits(limiter, tokens):
                    time.sleep(wait)
            request, opened = self._build_attempt(plan, call.retries_taken, self._credential_headers(plan.security))
            self._stamp_idempotency(request, idempotency)
            try:
                call.begin(request)
                self._log.request(request, call.retries_taken)
                try:
                    response = self._http.send(request, **send_options)
                    try:
                        if call.reads_body(response, read_body):
                            response.read()
                    except BaseException:
                        response.close()
                        raise
                except Exception as err:
                    self._unanswered(tokens)
                    retry: Retry | None = call.after_failure(err, request)
                else:
                    if self._http.is_closed:  # closed by another thread while this request was in flight
                        response.close()
                        orphan = _orphan_stream(response)
                        if orphan is not None:
                            orphan.close()
                        raise _closed_meanwhile(request)
                    self._log.response(response)
                    self._answered(response, tokens)
                    retry = call.after_response(response, request)
                    if retry is None:
                        return response, call.retries_taken
            finally:
                _close_opened(opened)
            if retry.counted:
                self._log.retry(request, retry.response, retry.delay, retry.retries_taken)
                if self._retry_notice(call, request, retry) is not None:
                    raise TypeError("on_retry returned a value (a coroutine?): a sync client's hook returns None")
                time.sleep(retry.delay)

    # not `_auth`: code written for the official SDK reads settings off a client by name (instructor's
    # cache keys), and a bound method under that name reads as an unhashable setting
    def _credential_headers(self, security: str | None) -> dict[str, str]:
        return self._auth_headers_for(security, self._resolve_key(security))

    def request_page(self, plan: RequestPlan, page_type: type[Any]) -> Any:
        return self.request(plan, cast_to=page_type)

    # -- custom requests: client.get/post/... ------------------------------------------------------

    def get(self, path: str, *, cast_to: type[_T], options: RequestOptions | None = None, stream: bool = False, stream_cls: Any = None) -> _T:
        return cast(_T, self.request(plan_from_options("get", path, options), cast_to=cast_to, stream=stream, stream_cls=stream_cls))

    def post(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, content: BinaryTypes | None = None,
        options: RequestOptions | None = None, files: Mapping[str, Any] | None = None, stream: bool = False,
        stream_cls: Any = None,
    ) -> _T:
        plan = body_plan("post", path, options, body, files, content)
        return cast(_T, self.request(plan, cast_to=cast_to, stream=stream, stream_cls=stream_cls))

    def put(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, content: BinaryTypes | None = None,
        options: RequestOptions | None = None, files: Mapping[str, Any] | None = None,
    ) -> _T:
        return cast(_T, self.request(body_plan("put", path, options, body, files, content), cast_to=cast_to))

    def patch(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, content: BinaryTypes | None = None,
        options: RequestOptions | None = None, files: Mapping[str, Any] | None = None,
    ) -> _T:
        return cast(_T, self.request(body_plan("patch", path, options, body, files, content), cast_to=cast_to))

    def delete(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, content: BinaryTypes | None = None,
        options: RequestOptions | None = None,
    ) -> _T:
        return cast(_T, self.request(body_plan("delete", path, options, body, None, content), cast_to=cast_to))


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
        cast_to: type[_T],
        stream: bool = False,
        stream_cls: Any = None,
        mode: Mode = "parse",
    ) -> Any:
        span = self._start_span(plan)
        if span is None:
            return await self._request(plan, cast_to, stream, stream_cls, mode)
        with span:
            result = await self._request(plan, cast_to, stream, stream_cls, mode)
        return span.succeeded(result)

    async def _request(self, plan: RequestPlan, cast_to: type[Any], stream: bool, stream_cls: Any, mode: Mode) -> Any:
        self._check_cast_to(cast_to)
        read_body = not stream and mode != "stream"
        plan = self._plan_for_mode(plan, mode)
        response, retries_taken = await self._send(plan, read_body=read_body)
        if mode == "parse":
            return parse_body(response, cast_to=cast_to, plan=plan, client=self, stream=stream, stream_cls=stream_cls)
        cls = AsyncAPIResponse[Any] if mode == "stream" else LegacyAPIResponse[Any]
        return cls(
            raw=response, cast_to=cast_to, client=self, plan=plan, stream=stream, stream_cls=stream_cls,
            retries_taken=retries_taken,
        )

    async def _send(self, plan: RequestPlan, *, read_body: bool) -> tuple[httpx2.Response, int]:
        """The async twin of `SyncAPIClient._send`: the same decisions, awaited I/O."""
        call, send_options = self._retry_decisions(plan), self._send_arguments(plan)
        idempotency, limiter = self._idempotency_header(plan, call), self._rate_limiter
        tokens = 0 if limiter is None else self._tokens(plan)
        while True:
            if limiter is not None:
                for wait in waits(limiter, tokens):
                    await _async_sleep(wait)
            auth = self._auth_headers_for(plan.security, await self._resolve_key(plan.security))
            request, opened = self._build_attempt(plan, call.retries_taken, auth)
            self._stamp_idempotency(request, idempotency)
            try:
                call.begin(request)
                self._log.request(request, call.retries_taken)
                try:
                    response = await self._http.send(request, **send_options)
                    try:
                        if call.reads_body(response, read_body):
                            await response.aread()
                    except BaseException:
                        await response.aclose()
                        raise
                except Exception as err:
                    self._unanswered(tokens)
                    retry: Retry | None = call.after_failure(err, request)
                else:
                    if self._http.is_closed:  # closed by another task while this request was in flight
                        await response.aclose()
                        orphan = _orphan_stream(response)
                        if orphan is not None:
                            await orphan.aclose()
                        raise _closed_meanwhile(request)
                    self._log.response(response)
                    self._answered(response, tokens)
                    retry = call.after_response(response, request)
                    if retry is None:
                        return response, call.retries_taken
            finally:
                _close_opened(opened)
            if retry.counted:
                self._log.retry(request, retry.response, retry.delay, retry.retries_taken)
                notified = self._retry_notice(call, request, retry)
                if notified is not None and hasattr(notified, "__await__"):
                    await notified
                await _async_sleep(retry.delay)

    async def request_page(self, plan: RequestPlan, page_type: type[Any]) -> Any:
        return await self.request(plan, cast_to=page_type)

    def paginate(self, plan: RequestPlan, page_type: type[Any]) -> AsyncPaginator[Any, Any]:
        # imported here: the page models are pydantic models, and creating a client must not load pydantic
        from .pagination import AsyncPaginator

        return AsyncPaginator(self, plan, page_type)

    async def get(self, path: str, *, cast_to: type[_T], options: RequestOptions | None = None, stream: bool = False, stream_cls: Any = None) -> _T:
        return cast(_T, await self.request(plan_from_options("get", path, options), cast_to=cast_to, stream=stream, stream_cls=stream_cls))

    async def post(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, content: AsyncBinaryTypes | None = None,
        options: RequestOptions | None = None, files: Mapping[str, Any] | None = None, stream: bool = False,
        stream_cls: Any = None,
    ) -> _T:
        plan = body_plan("post", path, options, body, files, content)
        return cast(_T, await self.request(plan, cast_to=cast_to, stream=stream, stream_cls=stream_cls))

    async def put(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, content: AsyncBinaryTypes | None = None,
        options: RequestOptions | None = None, files: Mapping[str, Any] | None = None,
    ) -> _T:
        return cast(_T, await self.request(body_plan("put", path, options, body, files, content), cast_to=cast_to))

    async def patch(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, content: AsyncBinaryTypes | None = None,
        options: RequestOptions | None = None, files: Mapping[str, Any] | None = None,
    ) -> _T:
        return cast(_T, await self.request(body_plan("patch", path, options, body, files, content), cast_to=cast_to))

    async def delete(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, content: AsyncBinaryTypes | None = None,
        options: RequestOptions | None = None,
    ) -> _T:
        return cast(_T, await self.request(body_plan("delete", path, options, body, None, content), cast_to=cast_to))


async def _async_sleep(seconds: float) -> None:
    # anyio works under asyncio and trio alike; imported only when a retry actually waits.
    import anyio

    await anyio.sleep(seconds)
