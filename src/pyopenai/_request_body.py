"""A plan's body as the HTTP library takes it: JSON bytes, a raw body, or a multipart form."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx2

from ._files import build_multipart
from ._request_plan import RequestPlan
from ._serialize import json_default

__all__ = ["build_http_request"]


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
        content = json.dumps(body, default=json_default, separators=(",", ":")).encode()
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
