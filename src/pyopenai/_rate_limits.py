"""Rate limits as data: the API's `x-ratelimit-*` headers, parsed into `RateLimits`.

A `RateLimits` made from a response keeps a reference to the headers and parses them the first time
a field is read, so a program that never looks pays one small object per call and no parsing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from typing_extensions import override

__all__ = ["RateLimits", "parse_reset"]

_FIELDS = (
    "limit_requests", "remaining_requests", "reset_requests", "limit_tokens", "remaining_tokens", "reset_tokens",
)
_HEADERS = tuple("x-ratelimit-" + name.replace("_", "-", 1) for name in _FIELDS)
# "6m0s", "1s", "20ms", "1h2m3.5s", "59.1s": Go-style durations, as the API writes them
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}

Values = tuple[int | None, int | None, float | None, int | None, int | None, float | None]


def parse_reset(value: str | None) -> float | None:
    """Seconds in a reset header ("6m0s", "1s", "20ms", or a bare number of seconds); None if unreadable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    total = 0.0
    end = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != end:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        end = match.end()
    return total if end == len(text) and end > 0 else None


def _count(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return max(int(value.strip()), 0)
    except ValueError:
        try:
            return max(int(float(value)), 0)
        except ValueError:
            return None


def _parse(headers: Mapping[str, str]) -> Values:
    get = headers.get
    return (
        _count(get(_HEADERS[0])),
        _count(get(_HEADERS[1])),
        parse_reset(get(_HEADERS[2])),
        _count(get(_HEADERS[3])),
        _count(get(_HEADERS[4])),
        parse_reset(get(_HEADERS[5])),
    )


class RateLimits:
    """The account's request and token limits as one response reported them.

    `limit_*` is the most allowed in the window, `remaining_*` what is left of it, and `reset_*` the
    seconds until it is full again. A field is None when the response did not carry its header (not
    every endpoint reports limits).
    """

    __slots__ = ("_headers", "_values")

    def __init__(
        self,
        *,
        limit_requests: int | None = None,
        remaining_requests: int | None = None,
        reset_requests: float | None = None,
        limit_tokens: int | None = None,
        remaining_tokens: int | None = None,
        reset_tokens: float | None = None,
    ) -> None:
        self._headers: Mapping[str, str] | None = None
        self._values: Values | None = (
            limit_requests, remaining_requests, reset_requests, limit_tokens, remaining_tokens, reset_tokens,
        )

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimits:
        """Limits read from response headers, parsed when first read."""
        limits = cls.__new__(cls)
        limits._headers = headers
        limits._values = None
        return limits

    def _all(self) -> Values:
        values = self._values
        if values is None:
            values = self._values = _parse(self._headers or {})
            self._headers = None
        return values

    @property
    def limit_requests(self) -> int | None:
        return self._all()[0]

    @property
    def remaining_requests(self) -> int | None:
        return self._all()[1]

    @property
    def reset_requests(self) -> float | None:
        return self._all()[2]

    @property
    def limit_tokens(self) -> int | None:
        return self._all()[3]

    @property
    def remaining_tokens(self) -> int | None:
        return self._all()[4]

    @property
    def reset_tokens(self) -> float | None:
        return self._all()[5]

    @property
    def reported(self) -> bool:
        """Whether the response carried any rate-limit header."""
        return any(value is not None for value in self._all())

    def to_dict(self) -> dict[str, Any]:
        return dict(zip(_FIELDS, self._all()))

    @override
    def __eq__(self, other: object) -> bool:
        return isinstance(other, RateLimits) and self._all() == other._all()

    @override
    def __hash__(self) -> int:
        return hash(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._all(),))

    @override
    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(_FIELDS, self._all()))
        return f"RateLimits({fields})"


def _rebuild(values: Values) -> RateLimits:
    return RateLimits(**dict(zip(_FIELDS, values)))  # pyright: ignore[reportArgumentType]


def has_rate_limits(headers: Mapping[str, str]) -> bool:
    """Whether these headers report limits (cheap: one lookup)."""
    return _HEADERS[0] in headers or _HEADERS[3] in headers


class LatestRateLimits:
    """The latest limits a client's answers reported (shared by the client and its `with_options` copies)."""

    __slots__ = ("headers",)

    def __init__(self) -> None:
        self.headers: Mapping[str, str] | None = None

    def observe(self, headers: Mapping[str, str]) -> None:
        if has_rate_limits(headers):  # an endpoint that reports none does not erase what is known
            self.headers = headers

    def snapshot(self) -> RateLimits | None:
        headers = self.headers
        return None if headers is None else RateLimits.from_headers(headers)
