"""Base classes of the generated resources, and the helpers their methods call.

A resource is bound to a client and a mode: "parse" (methods return results), "raw" (they return
an `APIResponse`) or "stream" (an unread `APIResponse`, for `with_streaming_response`). Sub-resources
inherit the mode, so `client.chat.with_raw_response.completions.create(...)` works too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import quote

from typing_extensions import Self

from ._request_plan import Mode, RequestPlan
from ._types import NOT_GIVEN, NotGiven, Omit, strip_not_given

if TYPE_CHECKING:
    import httpx2

    from ._base_client import AsyncAPIClient, SyncAPIClient
    from .pagination import AsyncPaginator

__all__ = ["AsyncAPIResource", "SyncAPIResource", "cached_property", "path_param"]

_T = TypeVar("_T")

# characters that may stand unescaped in a path segment (RFC 3986 pchar minus "/")
_SAFE_PATH_CHARS = "-._~!$&'()*+,;=:@"
_DOT_SEGMENTS = frozenset({".", ".."})


def path_param(name: str, value: object) -> str:
    """A path parameter, validated (a blank id would hit another endpoint) and escaped."""
    if not isinstance(value, str):
        value = str(value)
    if not value:
        raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
    if value in _DOT_SEGMENTS:
        # URL normalisation resolves "." and ".." against the path: the request would reach another endpoint
        raise ValueError(f"`{name}` is {value!r}, a dot-segment: it would change the request's path, not name a resource")
    return quote(value, safe=_SAFE_PATH_CHARS)


def _plan(
    method: str,
    path: str,
    *,
    body: Mapping[str, object] | None,
    query: Mapping[str, object] | None,
    headers: Mapping[str, object] | None,
    multipart: bool,
    file_fields: tuple[str, ...],
    content: bytes | str | None,
    content_type: str | None,
    accept: str | None,
    security: Literal["api_key", "admin"] | None,
    extra_headers: Mapping[str, str | Omit] | None,
    extra_query: Mapping[str, object] | None,
    extra_body: object | None,
    timeout: float | httpx2.Timeout | NotGiven | None,
    post_parse: Callable[[Any], Any] | None = None,
) -> RequestPlan:
    params = strip_not_given(query) if query else None
    if extra_query:
        params = {**(params or {}), **extra_query}
    merged_headers: dict[str, str | Omit] | None = None
    if headers:
        merged_headers = {k: v for k, v in strip_not_given(headers).items() if v is not None}
    if extra_headers:
        merged_headers = {**(merged_headers or {}), **extra_headers}
    return RequestPlan(
        method=method,
        url=path,
        params=params,
        headers=merged_headers,
        json_data=strip_not_given(body) if body is not None else None,
        # a GET carries no body, as with the official SDK: its `extra_body` is dropped
        extra_json=extra_body if isinstance(extra_body, Mapping) and method != "get" else None,  # pyright: ignore[reportUnknownArgumentType]
        multipart=multipart,
        file_fields=file_fields,
        content=content,
        content_type=content_type,
        accept=accept,
        security=security,
        timeout=timeout,
        post_parse=post_parse,
    )


# The official SDK's resources send through per-verb methods (`_get`, `_post`, ...), and code written
# for it replaces one on an instance to answer without a request (sentry-sdk's test suite does:
# `client.chat.completions._post = Mock(return_value=completion)`). pyopenai's resources have no such
# methods; a replacement set on the instance is honoured, at the cost of one dict lookup otherwise.
_VERB_ATTRIBUTES = {"get": "_get", "post": "_post", "put": "_put", "patch": "_patch", "delete": "_delete"}


def _replaced_verb(resource: object, method: str) -> Callable[..., Any] | None:
    name = _VERB_ATTRIBUTES.get(method)
    return resource.__dict__.get(name) if name is not None else None


def _verb_arguments(plan: RequestPlan, cast_to: Any, stream: object, stream_cls: Any) -> dict[str, Any]:
    """The keyword arguments the official SDK passes to its `_post`/`_get`/..., from the request's plan."""
    options = {"headers": plan.headers, "params": plan.params, "extra_json": plan.extra_json, "timeout": plan.timeout}
    return {"cast_to": cast_to, "body": plan.json_data, "options": options, "stream": stream is True, "stream_cls": stream_cls}


class _ResourceBase:
    _mode: Mode

    def _with_mode(self, mode: Mode) -> Self:
        return type(self)(self._client, mode)  # pyright: ignore[reportCallIssue,reportUnknownArgumentType,reportAttributeAccessIssue,reportUnknownMemberType]


class SyncAPIResource(_ResourceBase):
    _client: SyncAPIClient

    def __init__(self, client: SyncAPIClient, mode: Mode = "parse") -> None:
        self._client = client
        self._mode = mode

    def _sleep(self, seconds: float) -> None:
        """The wait between two polls of the polling helpers (tests patch it, as with the official SDK)."""
        time.sleep(seconds)

    def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        multipart: bool = False,
        file_fields: tuple[str, ...] = (),
        content: bytes | str | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        binary: bool = False,
        security: Literal["api_key", "admin"] | None = None,
        stream: bool | Omit | None = False,
        stream_cls: Any = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: object | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
        post_parse: Callable[[Any], Any] | None = None,
    ) -> _T:
        plan = _plan(
            method, path, body=body, query=query, headers=headers, multipart=multipart, file_fields=file_fields,
            content=content, content_type=content_type, accept=accept or ("application/binary" if binary else None),
            security=security, extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body,
            timeout=timeout, post_parse=post_parse,
        )
        replaced = _replaced_verb(self, method)
        if replaced is not None:
            return replaced(path, **_verb_arguments(plan, cast_to, stream, stream_cls))
        return self._client.request(plan, cast_to=cast_to, stream=stream is True, stream_cls=stream_cls, mode=self._mode)

    def _get_api_list(
        self,
        path: str,
        *,
        page: Any,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | None = None,
        method: str = "get",
        headers: Mapping[str, object] | None = None,
        security: Literal["api_key", "admin"] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: object | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> Any:
        return self._request(
            method, path, cast_to=page, body=body, query=query, headers=headers, security=security,
            extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout,
        )


class AsyncAPIResource(_ResourceBase):
    _client: AsyncAPIClient

    def __init__(self, client: AsyncAPIClient, mode: Mode = "parse") -> None:
        self._client = client
        self._mode = mode

    async def _sleep(self, seconds: float) -> None:
        """The wait between two polls of the polling helpers, on the running event loop."""
        import anyio

        await anyio.sleep(seconds)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T],
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        multipart: bool = False,
        file_fields: tuple[str, ...] = (),
        content: bytes | str | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        binary: bool = False,
        security: Literal["api_key", "admin"] | None = None,
        stream: bool | Omit | None = False,
        stream_cls: Any = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: object | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
        post_parse: Callable[[Any], Any] | None = None,
    ) -> _T:
        plan = _plan(
            method, path, body=body, query=query, headers=headers, multipart=multipart, file_fields=file_fields,
            content=content, content_type=content_type, accept=accept or ("application/binary" if binary else None),
            security=security, extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body,
            timeout=timeout, post_parse=post_parse,
        )
        replaced = _replaced_verb(self, method)
        if replaced is not None:
            return await replaced(path, **_verb_arguments(plan, cast_to, stream, stream_cls))
        return await self._client.request(
            plan, cast_to=cast_to, stream=stream is True, stream_cls=stream_cls, mode=self._mode
        )

    def _get_api_list(
        self,
        path: str,
        *,
        page: Any,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | None = None,
        method: str = "get",
        headers: Mapping[str, object] | None = None,
        security: Literal["api_key", "admin"] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: object | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> AsyncPaginator[Any, Any] | Any:
        plan = _plan(
            method, path, body=body, query=query, headers=headers, multipart=False, file_fields=(), content=None,
            content_type=None, accept=None, security=security, extra_headers=extra_headers, extra_query=extra_query,
            extra_body=extra_body, timeout=timeout,
        )
        if self._mode == "parse":
            return self._client.paginate(plan, page)
        # raw/streaming wrappers await the call: hand them the coroutine of the first page
        return self._client.request(plan, cast_to=page, mode=self._mode)
