"""What every polling helper shares: how long to wait between polls, how a poll is marked on the
wire, and the error of a wait that ran out (the rules are in `polling`'s docstring)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._types import NotGiven, Omit, is_given

__all__ = ["DEFAULT_POLL_INTERVAL_MS", "Pacing", "PollingTimeoutError", "poll_delay", "poll_headers"]

DEFAULT_POLL_INTERVAL_MS = 1000
_POLL_HELPER = "X-Stainless-Poll-Helper"
_CUSTOM_INTERVAL = "X-Stainless-Custom-Poll-Interval"


class PollingTimeoutError(RuntimeError, TimeoutError):
    """The object was still in progress when `max_wait_seconds` ran out."""


def _server_hint_ms(headers: Mapping[str, str] | None) -> float | None:
    raw = headers.get("openai-poll-after-ms") if headers is not None else None
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return None  # a hint we cannot read is no hint


def poll_delay(headers: Mapping[str, str] | None, poll_interval_ms: float | Omit | NotGiven | None) -> float:
    """Seconds to wait: the caller's interval, else the server's hint, else one second."""
    if is_given(poll_interval_ms) and poll_interval_ms is not None:
        return float(poll_interval_ms) / 1000
    hint = _server_hint_ms(headers)
    return (DEFAULT_POLL_INTERVAL_MS if hint is None else hint) / 1000


class Pacing:
    """The waits of one poll: decided at the first answer that is not final, then kept."""

    def __init__(self, poll_interval_ms: float | Omit | NotGiven | None) -> None:
        self._interval_ms = poll_interval_ms
        self._chosen: float | None = None

    def next_wait(self, headers: Mapping[str, str] | None) -> float:
        if self._chosen is None:
            self._chosen = poll_delay(headers, self._interval_ms)
        return self._chosen


def poll_headers(poll_interval_ms: Any, extra_headers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The headers of a poll request; the caller's `extra_headers` win over ours, whatever their case."""
    headers: dict[str, Any] = {_POLL_HELPER: "true"}
    if is_given(poll_interval_ms) and poll_interval_ms is not None:
        headers[_CUSTOM_INTERVAL] = str(poll_interval_ms)
    for name, value in (extra_headers or {}).items():
        for ours in [k for k in headers if k.lower() == name.lower()]:
            del headers[ours]
        headers[name] = value
    return headers
