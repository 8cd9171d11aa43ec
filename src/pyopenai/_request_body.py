"""A plan's body as the HTTP library takes it: JSON bytes, a raw body, or a multipart form.

`RequestBuilder` makes each attempt's `httpx2.Request`. For a JSON or raw body sent through a plain
httpx2 client it builds the request itself from parts it keeps between calls (the parsed URL of each
path, the client's headers merged with the ones every call carries), instead of going through
`client.build_request`, which parses the URL and normalises every header again on every call: that
was a fifth of a small call's CPU. Anything else (a client that overrides `build_request`, client-wide
query parameters, a header the call omits, multipart) takes `build_request` as before.
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

_URL_CACHE_SIZE = 1024  # distinct paths kept parsed; a path with a query string is parsed every time


class RequestBuilder:
    """One client's request factory: caches what does not change from call to call."""

    __slots__ = ("_merged", "_urls")

    def __init__(self) -> None:
        self._urls: dict[str, httpx2.URL] = {}
        # (what the merged headers were made from: the HTTP client, its headers, the static headers,
        # the auth headers; the merged headers), one tuple so that threads sharing the client never
        # pair one call's key with another's headers
        self._merged: tuple[tuple[Any, ...], httpx2.Headers] | None = None

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
        if (
            params is None
            and not plan.multipart
            and getattr(http_class, "build_request", None) is _PLAIN_BUILD_REQUEST
            and not http.params
            and all(type(v) is str for v in call_headers.values())
        ):
            headers = httpx2.Headers(self._merged_headers(http, static, auth))
            for key, value in call_headers.items():
                headers[key] = cast(str, value)
            content = plan.content
            if content is not None:
                if plan.content_type is not None:  # the raw body's own type wins, as below
                    headers["content-type"] = plan.content_type
            else:
                content = _json_body(plan)
                if content is not None and not ("content-type" in call_headers or "content-type" in static or "content-type" in auth):
                    headers["content-type"] = "application/json"
            request = httpx2.Request(
                plan.method, self._url(url), content=content, headers=headers, cookies=http.cookies,
                extensions=extensions,
            )
            return request, []
        headers = {**static, **auth}
        for key, value in call_headers.items():
            if isinstance(value, Omit):
                headers.pop(key, None)
            else:
                headers[key] = value
        return build_http_request(http, plan, url, params, headers, extensions)

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

    def _url(self, url: str) -> httpx2.URL | str:
        if "?" in url:
            return url
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= _URL_CACHE_SIZE:
                self._urls.clear()
            parsed = self._urls[url] = httpx2.URL(url)
        return parsed


def _same(key: tuple[Any, ...], cached: tuple[Any, ...]) -> bool:
    return key[0] is cached[0] and key[2] is cached[2] and key[1] == cached[1] and key[3] == cached[3]


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
    content: bytes | str | None = plan.content
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
