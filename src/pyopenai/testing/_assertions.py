"""Assertions on what a client sent: method, path, JSON body, headers, uploaded files.

``find_requests`` filters; ``assert_requested`` raises ``AssertionError`` listing what was received
and, for the closest request, the first difference, so a failing test says what went wrong.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from typing import Any, cast

from ._http import Request
from ._redact import redact_headers

__all__ = ["assert_requested", "find_requests", "path_matches", "subset_difference"]


def path_matches(pattern: str | None, path: str) -> bool:
    """Exact path or glob (``/v1/files/*``); the ``/v1`` prefix may be left out of ``pattern``."""
    if pattern is None:
        return True
    if not pattern.startswith("/v1") and not pattern.startswith("*"):
        pattern = "/v1" + (pattern if pattern.startswith("/") else "/" + pattern)
    return path == pattern or fnmatch.fnmatchcase(path, pattern)


def find_requests(requests: Sequence[Request], method: str | None = None, path: str | None = None) -> list[Request]:
    return [r for r in requests if (method is None or r.method == method.upper()) and path_matches(path, r.path)]


def subset_difference(expected: Any, actual: Any, where: str = "") -> str | None:
    """Where ``actual`` fails to contain ``expected`` (dicts: a subset of keys, recursively; anything
    else: equality), or ``None`` when it does."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return f"{where or 'body'}: expected an object, got {actual!r}"
        actual_map = cast(Mapping[str, Any], actual)
        for key, value in cast(Mapping[str, Any], expected).items():
            here = f"{where}.{key}" if where else str(key)
            if key not in actual_map:
                return f"{here}: missing"
            diff = subset_difference(value, actual_map[key], here)
            if diff is not None:
                return diff
        return None
    if expected != actual:
        return f"{where or 'body'}: expected {expected!r}, got {actual!r}"
    return None


def _difference(
    req: Request,
    json: Any,
    headers: Mapping[str, str] | None,
    files: Mapping[str, str | bytes] | None,
) -> str | None:
    if json is not None:
        try:
            body = req.json()
        except ValueError:
            return "the body is not JSON"
        diff = subset_difference(json, body)
        if diff is not None:
            return f"json {diff}"
    for name, value in (headers or {}).items():
        got = req.headers.get(name.lower())
        if got != value:
            shown = redact_headers({name.lower(): got}).get(name.lower()) if got is not None else None
            return f"header {name}: expected {value!r}, got {shown!r}"
    if files:
        sent = req.files
        for field, value in files.items():
            part = sent.get(field)
            if part is None:
                return f"file field {field!r}: missing (sent: {sorted(sent) or 'none'})"
            if isinstance(value, bytes) and part.data != value:
                return f"file field {field!r}: content differs ({len(part.data)} bytes sent)"
            if isinstance(value, str) and part.filename != value:
                return f"file field {field!r}: expected filename {value!r}, got {part.filename!r}"
    return None


def assert_requested(
    requests: Sequence[Request],
    method: str | None = None,
    path: str | None = None,
    *,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    files: Mapping[str, str | bytes] | None = None,
    times: int | None = None,
) -> Request:
    """The last request matching every condition; ``AssertionError`` (with what was received) if none,
    or if ``times`` is given and the number of matches differs."""
    candidates = find_requests(requests, method, path)
    matching: list[Request] = []
    closest: str | None = None
    for req in candidates:
        diff = _difference(req, json, headers, files)
        if diff is None:
            matching.append(req)
        else:
            closest = f"{req.method} {req.path}: {diff}"
    wanted = " ".join(x for x in (method and method.upper(), path) if x) or "any request"
    if matching and (times is None or len(matching) == times):
        return matching[-1]
    if matching:
        raise AssertionError(f"expected {wanted} {times} time(s), it was sent {len(matching)} time(s)")
    received = "\n".join(f"  {i}. {r.method} {r.path}" for i, r in enumerate(requests, 1)) or "  (none)"
    hint = f"\nclosest: {closest}" if closest else ""
    raise AssertionError(f"no request matched {wanted}{hint}\nreceived:\n{received}")
