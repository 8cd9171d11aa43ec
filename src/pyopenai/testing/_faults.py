"""Scripted faults: errors, latency, dropped connections, stalled bodies and cut streams.

A :class:`Fault` is queued on ``server.faults`` and consumed by the next matching request(s), in
the order queued. A request may also carry its own fault in the ``x-pyopenai-fault`` header.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Fault", "FaultQueue", "FAULT_HEADER", "parse_fault_header"]

FAULT_HEADER = "x-pyopenai-fault"


@dataclass
class Fault:
    """One scripted misbehaviour. Unset fields leave the normal behaviour alone.

    - ``status``: answer with this status and the API's error body (``message``/``type``/``code``/
      ``param``), or with ``body`` verbatim if given (bytes, str or a JSON-able value);
    - ``headers``: extra response headers (e.g. ``{"retry-after-ms": "10"}``);
    - ``delay``: seconds to wait before answering (latency);
    - ``drop``: close the connection without answering;
    - ``stall``: send the response head, then wait this many seconds before the body;
    - ``cut_after``: streamed responses: close the connection after this many events
      (non-streamed: after half of the body);
    - ``path`` (exact, or a glob such as ``/v1/chat/*``) and ``method`` restrict which requests match;
    - ``times``: how many requests it applies to (``None``: every matching request until cleared).
    """

    status: int | None = None
    message: str | None = None
    type: str | None = None
    code: str | None = None
    param: str | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict[str, str])
    delay: float = 0.0
    drop: bool = False
    stall: float = 0.0
    cut_after: int | None = None
    path: str | None = None
    method: str | None = None
    times: int | None = 1
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        if self.path is None:
            return True
        pattern = self.path if self.path.startswith("/v1") or self.path.startswith("*") else "/v1" + self.path
        return path == pattern or fnmatch.fnmatchcase(path, pattern)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times


class FaultQueue:
    """Thread-safe queue of faults; ``push`` from the test thread, consumed by the server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.triggered = 0  # how many requests a queued fault was applied to

    def push(self, fault: Fault | None = None, /, **fields: Any) -> Fault:
        """Queue ``fault`` (or ``Fault(**fields)``); returns it, so ``fault.hits`` can be checked."""
        item = fault if fault is not None else Fault(**fields)
        with self._lock:
            self._faults.append(item)
        return item

    # -- shorthands ----------------------------------------------------------------------------

    def error(self, status: int, *, times: int | None = 1, **fields: Any) -> Fault:
        return self.push(status=status, times=times, **fields)

    def rate_limit(
        self,
        *,
        retry_after_ms: int | None = None,
        retry_after: float | None = None,
        times: int | None = 1,
        **fields: Any,
    ) -> Fault:
        headers: dict[str, str] = dict(fields.pop("headers", {}))
        if retry_after_ms is not None:
            headers["retry-after-ms"] = str(retry_after_ms)
        if retry_after is not None:
            headers["retry-after"] = f"{retry_after:g}"
        fields.setdefault("code", "rate_limit_exceeded")
        fields.setdefault("message", "Rate limit reached for requests (local server fault).")
        return self.push(status=429, headers=headers, times=times, **fields)

    def insufficient_quota(self, *, times: int | None = 1, **fields: Any) -> Fault:
        fields.setdefault("message", "You exceeded your current quota (local server fault).")
        return self.push(status=429, type="insufficient_quota", code="insufficient_quota", times=times, **fields)

    def latency(self, seconds: float, *, times: int | None = 1, **fields: Any) -> Fault:
        return self.push(delay=seconds, times=times, **fields)

    def drop(self, *, times: int | None = 1, **fields: Any) -> Fault:
        return self.push(drop=True, times=times, **fields)

    def stall(self, seconds: float, *, times: int | None = 1, **fields: Any) -> Fault:
        return self.push(stall=seconds, times=times, **fields)

    def cut_stream(self, after: int, *, times: int | None = 1, **fields: Any) -> Fault:
        return self.push(cut_after=after, times=times, **fields)

    # -- inspection -----------------------------------------------------------------------------

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.triggered = 0

    @property
    def pending(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if not f.exhausted]

    def take(self, method: str, path: str) -> Fault | None:
        """The first queued fault matching this request, counted as used; ``None`` if there is none."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    self.triggered += 1
                    if fault.exhausted:
                        self._faults.remove(fault)
                    return fault
        return None


_FLOAT_KEYS = {"delay", "stall"}
_INT_KEYS = {"status", "cut_after", "times"}
_STR_KEYS = {"message", "type", "code", "param"}


def parse_fault_header(value: str, retry_count: int) -> Fault | None:
    """Parse ``x-pyopenai-fault`` (``status=429; retry-after-ms=10; times=2`` style).

    Keys: ``status``, ``code``, ``type``, ``message``, ``param``, ``delay``, ``stall``,
    ``cut_after`` (alias ``cut``), ``drop`` (flag), ``times``; ``header.NAME=VALUE`` adds a response
    header; any other ``name=value`` with a ``-`` in the name (``retry-after-ms``) too. With ``times=N``
    the fault only applies while the client's ``x-stainless-retry-count`` is below N, so a retrying
    client eventually gets through. Returns ``None`` when not applicable or unparseable.
    """
    fault = Fault(times=None)
    for raw in value.replace(",", ";").split(";"):
        item = raw.strip()
        if not item:
            continue
        key, sep, val = item.partition("=")
        key = key.strip().lower().replace("cut_after", "cut").replace("cut", "cut_after")
        val = val.strip()
        try:
            if key == "drop" and not sep:
                fault.drop = True
            elif key.startswith("header."):
                fault.headers[key[len("header.") :]] = val
            elif key in _FLOAT_KEYS:
                setattr(fault, key, float(val))
            elif key in _INT_KEYS:
                setattr(fault, key, int(val))
            elif key in _STR_KEYS:
                setattr(fault, key, val)
            elif "-" in key and sep:
                fault.headers[key] = val
            else:
                return None
        except ValueError:
            return None
    if fault.times is not None and retry_count >= fault.times:
        return None
    return fault
