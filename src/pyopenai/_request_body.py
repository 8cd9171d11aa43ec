"""A plan's body as the HTTP library takes it: JSON bytes, a raw body, or a multipart form.

`RequestBuilder` makes each attempt's `httpx2.Request`. For a JSON or raw body sent through a plain
httpx2 client it builds the request itself from parts it keeps between calls (the parsed URL of each
path, the client's headers merged with the ones every call carries and the `Host` of the URL),
instead of going through `client.build_request`, which parses the URL and normalises every header
again on every call: that was a fifth of a small call's CPU. The request is then made from its body
stream and finished headers (`Content-Length` set here, as httpx2 would), so httpx2 does not
normalise the whole header list a second time either. Anything else (a client that overrides
`build_request`, client-wide query parameters, a header the call omits or that httpx2 computes
itself, a streamed body, multipart) takes `build_request` as before.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

import httpx2

from ._files import build_multipart
from ._request_plan import RequestPlan
from ._serialize import json_default
from ._types import Omit

_PLAIN_BUILD_REQUEST = httpx2.Client.build_request

__all__ = ["RequestBuilder", "build_http_request"]

# headers httpx2 works out from the URL and the body: a request that sets one itself is built by httpx2
_COMPUTED_HEADERS = frozenset({"host", "content-length", "transfer-encoding"})
# methods httpx2 sends `Content-Length: 0` with when they have no body
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "QUERY"})

_URL_CACHE_SIZE = 1024  # distinct paths kept parsed; a URL with a query string is parsed every time


class RequestBuilder:
    """One client's request factory: caches what does not change from call to call."""

    __slots__ = ("_hosted", "_merged", "_urls")

    def __init__(self) -> None:
        self._urls: dict[str, httpx2.URL] = {}
        # (what the merged headers were made from: the HTTP client, its headers, the static headers,
        # the auth headers; the merged headers), one tuple so that threads sharing the client never
        # pair one call's key with another's headers
        self._merged: tuple[tuple[Any, ...], httpx2.Headers] | None = None
        # (the merged headers, the host, them with `Host` first or None), one tuple for the same reason
        self._hosted: tuple[httpx2.Headers, bytes, httpx2.Headers | None] | None = None

    def build(
        self,
        http: Any,
        plan: RequestPlan,
        url: str,
        params: list[tuple[str, str]] | None,
        static: dict[str, str],
        auth: Mapping[str, str],
        call_headers: dict[str, str | Omit],
        extensions: dict[str, Any],
    ) -> tuple[httpx2.Request, list[Any]]:
        """The request for one attempt: `static` then `auth` then `call_headers` over the HTTP client's
        own headers (an `Omit` removes the header); the files it opened (closed after sending)."""
        http_class: Any = cast(Any, type(http))
        content = plan.content
        if (
            params is None
            and not plan.multipart
            and (content is None or isinstance(content, (bytes, bytearray, str)))
            and getattr(http_class, "build_request", None) is _PLAIN_BUILD_REQUEST
            and not http.params
            and all(type(v) is str and k not in _COMPUTED_HEADERS for k, v in call_headers.items())
        ):
            target = self._url(url)
            merged = self._merged_headers(http, static, auth)
            if target.host:
                base = self._with_host(merged, target.netloc)
                if base is not None:
                    request = self._finished_request(plan, target, base, call_headers, static, auth, extensions)
                    if http.cookies:
                        http.cookies.set_cookie_header(request)  # as httpx2.Request does with `cookies=`
                    return request, []
            headers = _call_headers(merged, call_headers)
            content = _body(plan, headers, typed="content-type" in call_headers or "content-type" in static or "content-type" in auth)
            request = httpx2.Request(
                plan.method, target, content=content, headers=headers, cookies=http.cookies, extensions=extensions
            )
            return request, []
        headers = {**static, **auth}
        for key, value in call_headers.items():
            if isinstance(value, Omit):
                headers.pop(key, None)
            else:
                headers[key] = value
        return build_http_request(http, plan, url, params, headers, extensions)

    def _finished_request(
        self,
        plan: RequestPlan,
        url: httpx2.URL,
        base: httpx2.Headers,
        call_headers: dict[str, str | Omit],
        static: dict[str, str],
        auth: Mapping[str, str],
        extensions: dict[str, Any],
    ) -> httpx2.Request:
        """The request with every header httpx2 would add (`Host` is in `base`), made from its body
        stream: what `httpx2.Request(content=...)` makes, without normalising the headers twice."""
        headers = _call_headers(base, call_headers)
        content = _body(plan, headers, typed="content-type" in call_headers or "content-type" in static or "content-type" in auth)
        body = content.encode() if isinstance(content, str) else content or b""
        if body or plan.method.upper() in _BODY_METHODS:
            headers["Content-Length"] = str(len(body))  # spelled as httpx2 spells it
        request = httpx2.Request(plan.method, url, headers=headers, stream=httpx2.ByteStream(body), extensions=extensions)
        request.read()  # `request.content` readable, as for a request made from `content=`
        return request

    def _merged_headers(self, http: Any, static: dict[str, str], auth: Mapping[str, str]) -> httpx2.Headers:
        client_headers = http.headers.raw  # compared each call: users may change the client's headers
        key = (http, client_headers, static, auth)
        cached = self._merged
        if cached is not None and _same(key, cached[0]):
            return cached[1]
        merged = httpx2.Headers(http.headers)
        merged.update(static)
        merged.update(auth)
        self._merged = ((http, client_headers, static, dict(auth)), merged)
        return merged

    def _with_host(self, merged: httpx2.Headers, host: bytes) -> httpx2.Headers | None:
        """`merged` with `Host` first, as httpx2 puts it; None when `merged` sets a header httpx2 computes."""
        cached = self._hosted
        if cached is not None and cached[0] is merged and cached[1] == host:
            return cached[2]
        hosted = None
        if not any(name in _COMPUTED_HEADERS for name in merged.keys()):
            hosted = httpx2.Headers([(b"Host", host), *merged.raw], merged.encoding)
        self._hosted = (merged, host, hosted)
        return hosted

    def _url(self, url: str) -> httpx2.URL:
        if "?" in url:
            return httpx2.URL(url)  # as httpx2 would parse it: a page's cursor changes on every call
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= _URL_CACHE_SIZE:
                self._urls.clear()
            parsed = self._urls[url] = httpx2.URL(url)
        return parsed


def _same(key: tuple[Any, ...], cached: tuple[Any, ...]) -> bool:
    return key[0] is cached[0] and key[2] is cached[2] and key[1] == cached[1] and key[3] == cached[3]


def _call_headers(base: httpx2.Headers, call_headers: dict[str, str | Omit]) -> httpx2.Headers:
    headers = httpx2.Headers(base)
    for key, value in call_headers.items():
        headers[key] = cast(str, value)
    return headers


def _body(plan: RequestPlan, headers: httpx2.Headers, *, typed: bool) -> bytes | str | None:
    """The body of a plan without files, its content type set in `headers` (`typed`: a header given
    by the call, the client or the credentials already names one)."""
    content: bytes | str | None = _raw_body(plan)
    if content is not None:
        if plan.content_type is not None:  # the raw body's own type wins, as below
            headers["content-type"] = plan.content_type
        return content
    content = _json_body(plan)
    if content is not None and not typed:
        headers["content-type"] = "application/json"
    return content


def _raw_body(plan: RequestPlan) -> Any:
    # httpx2 would iterate a bytearray as a stream of ints
    return bytes(plan.content) if isinstance(plan.content, bytearray) else plan.content


def _json_body(plan: RequestPlan) -> bytes | None:
    body = plan.json_data
    if plan.extra_json:
        body = {**(body or {}), **plan.extra_json}
    return None if body is None else json.dumps(body, default=json_default, separators=(",", ":")).encode()


def build_http_request(
    http: Any,
    plan: RequestPlan,
    url: str,
    params: list[tuple[str, str]] | None,
    headers: dict[str, str],
    extensions: dict[str, Any],
) -> tuple[httpx2.Request, list[Any]]:
    """The request for one attempt, and the files it opened (the caller closes them after sending)."""
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
            content, headers["content-type"] = _fields_only_multipart(data)
            request = http.build_request(
                plan.method, url, params=params, headers=headers, content=content, extensions=extensions
            )
            return request, opened
        request = http.build_request(
            plan.method, url, params=params, headers=headers, data=data, files=files, extensions=extensions
        )
        return request, opened
    content: bytes | str | None = _raw_body(plan)
    if content is not None:
        if plan.content_type is not None:
            headers["content-type"] = plan.content_type
    elif body is not None:
        content = _json_body(plan)
        headers.setdefault("content-type", "application/json")
    request = http.build_request(plan.method, url, params=params, headers=headers, content=content, extensions=extensions)
    return request, []


def _fields_only_multipart(data: Mapping[str, str | list[str]]) -> tuple[bytes, str]:
    """A multipart/form-data body that carries only fields (httpx2 would send them urlencoded)."""
    import uuid

    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode() + item.encode() + b"\r\n"
            )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
