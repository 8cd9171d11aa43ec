"""`RetryPolicy`: which failures are retried, how long to wait, and a hook called before each retry.

The default policy is the client's long-standing behaviour: 2 retries of connection errors, 408,
409, 429 and 5xx; exponential backoff from 0.5 s up to 8 s, minus up to 25 % jitter; the server's
`retry-after-ms`/`retry-after` honoured up to 60 s (a longer wait is not retried); `x-should-retry`
obeyed; a 429 whose code says the quota is exhausted never retried.

`delay_for` is pure (no I/O, no sleeping): the send loops ask it, then sleep or await themselves.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Union, cast

from . import _constants as C

if TYPE_CHECKING:
    import httpx2

__all__ = ["DEFAULT_RETRY_STATUSES", "RetryAttempt", "RetryPolicy", "new_idempotency_key", "parse_retry_after"]

DEFAULT_RETRY_STATUSES: frozenset[int] = frozenset({408, 409, 429, *range(500, 600)})


@dataclass(frozen=True)
class RetryAttempt:
    """What `on_retry` is told before a retry.

    `attempt` is the number of the retry about to be made (1 for the first retry); `error` the
    exception the failed attempt raised (a connection error, or the `APIStatusError` its answer
    makes), `response` the failed answer (None after a connection error), `delay` the seconds the
    client will wait before the retry, `elapsed` the seconds since the call began.
    """

    attempt: int
    error: BaseException | None
    response: httpx2.Response | None
    delay: float
    elapsed: float
    method: str
    url: str

    @property
    def status_code(self) -> int | None:
        return None if self.response is None else self.response.status_code


OnRetry = Callable[[RetryAttempt], Union[Awaitable[None], None]]


def _check_max_retries(value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"max_retries must be an int, 0 or more, got {value!r}")


@dataclass(frozen=True)
class RetryPolicy:
    """How a client retries: `OpenAI(retry=RetryPolicy(...))`, `client.with_options(retry=...)`, or per call.

    - `max_retries`: retries after the first attempt (0: never retry);
    - `initial_delay`, `max_delay`: backoff seconds, doubling from `initial_delay` up to `max_delay`;
    - `jitter`: the share of each backoff taken off at random (0: exact delays, 0.25: up to 25 % shorter);
    - `retry_statuses`: HTTP statuses that retry (connection errors and timeouts always may);
    - `retry_error_codes`: API error codes that retry whatever their status;
    - `never_retry_error_codes`: API error codes that never retry (`insufficient_quota` by default);
    - `max_retry_after`: the longest server-requested wait honoured; a longer one is not retried;
    - `max_elapsed`: seconds after the call began past which no retry starts (None: no cap);
    - `on_retry`: called with a `RetryAttempt` before each retry (an async client also awaits a coroutine);
      an exception it raises stops the call and reaches the caller;
    - `idempotency_header`: the header carrying a key generated once per POST call and sent with
      every attempt, so a retried POST can be recognised as a repeat (None: send no key).
    """

    max_retries: int = C.DEFAULT_MAX_RETRIES
    initial_delay: float = C.INITIAL_RETRY_DELAY
    max_delay: float = C.MAX_RETRY_DELAY
    jitter: float = 0.25
    retry_statuses: Collection[int] = DEFAULT_RETRY_STATUSES
    retry_error_codes: Collection[str] = ()
    never_retry_error_codes: Collection[str] = ("insufficient_quota",)
    max_retry_after: float = C.MAX_RETRY_AFTER_SECONDS
    max_elapsed: float | None = None
    on_retry: OnRetry | None = field(default=None, compare=False)
    idempotency_header: str | None = "Idempotency-Key"

    def __post_init__(self) -> None:
        _check_max_retries(self.max_retries)
        for name in ("initial_delay", "max_delay", "max_retry_after", "jitter"):
            value: object = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a number, 0 or more, got {value!r}")
        if self.max_delay < self.initial_delay:
            raise ValueError(f"max_delay ({self.max_delay}) must not be less than initial_delay ({self.initial_delay})")
        if self.jitter > 1:
            raise ValueError(f"jitter must be between 0 and 1, got {self.jitter!r}")
        if self.max_elapsed is not None and not self.max_elapsed > 0:
            raise ValueError(f"max_elapsed must be a positive number of seconds or None, got {self.max_elapsed!r}")
        if self.on_retry is not None and not callable(self.on_retry):
            raise TypeError(f"on_retry must be callable, got {type(self.on_retry).__name__}")
        if isinstance(self.retry_statuses, (str, bytes)) or isinstance(self.retry_error_codes, str) or isinstance(
            self.never_retry_error_codes, str
        ):
            raise TypeError("retry_statuses, retry_error_codes and never_retry_error_codes take collections, not a str")

    def with_max_retries(self, max_retries: int) -> RetryPolicy:
        return self if max_retries == self.max_retries else replace(self, max_retries=max_retries)

    # -- the decision --------------------------------------------------------------------------------

    def backoff(self, retries_taken: int) -> float:
        delay = min(self.initial_delay * 2.0 ** min(retries_taken, 64), self.max_delay)  # 2.0**1100 overflows
        return delay * (1 - self.jitter * random.random())

    def server_wait(self, headers: Mapping[str, str]) -> float | None:
        """The wait the server asked for (`retry-after-ms`/`retry-after`) when it is one this policy
        honours; None when it asked for none, for a moment already past or for longer than `max_retry_after`."""
        wait = parse_retry_after(headers)
        return wait if wait is not None and 0 < wait <= self.max_retry_after else None

    def delay_for(self, response: httpx2.Response | None, retries_taken: int, elapsed: float = 0.0) -> float | None:
        """Seconds to wait before the next attempt, or None when this failure must not be retried.

        `response` is the failed answer (None for a connection error or timeout); `elapsed` the
        seconds since the call began.
        """
        if retries_taken >= self.max_retries:
            return None
        delay: float | None = None
        if response is not None:
            status = response.status_code
            should_retry = response.headers.get("x-should-retry")
            if should_retry == "false":
                return None
            code = _error_code(response) if status >= 400 else None
            if code is not None and code in self.never_retry_error_codes:
                return None
            listed = status in self.retry_statuses or (code is not None and code in self.retry_error_codes)
            if should_retry != "true" and not listed:
                return None
            wait = parse_retry_after(response.headers)
            if wait is not None:
                if wait > self.max_retry_after:
                    return None
                if wait > 0:  # zero or a moment past: the usual backoff
                    delay = wait
        if delay is None:
            delay = self.backoff(retries_taken)
        if self.max_elapsed is not None and elapsed + delay > self.max_elapsed:
            return None
        return delay


DEFAULT_RETRY_POLICY = RetryPolicy()

# Idempotency keys: random per process, counted within it (unique without a random draw per call)
_KEY_PREFIX = f"pyopenai-retry-{os.urandom(8).hex()}"
_key_counter = itertools.count(1)


def new_idempotency_key() -> str:
    return f"{_KEY_PREFIX}-{next(_key_counter)}"


def _error_code(response: httpx2.Response) -> str | None:
    """The API's error code from an error body (`{"error": {"code": ...}}`), if it has one."""
    try:
        body = json.loads(response.content)
    except (ValueError, RuntimeError):  # RuntimeError: a body not read (never the case for errors)
        return None
    error: Any = cast("dict[str, Any]", body).get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        code = cast("dict[str, Any]", error).get("code")
        return code if isinstance(code, str) else None
    return None


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms` when sent, else `retry-after` (seconds or an
    HTTP date); None when the header says nothing we read as a wait. A number too large for a float
    is an infinite wait (too long to honour); `inf` or `nan` spelled out is not a number of seconds."""
    value = headers.get("retry-after-ms")
    scale = 1000.0
    if value is None:
        value, scale = headers.get("retry-after"), 1.0
        if value is None:
            return None
    try:
        number: float | None = float(value)
    except ValueError:
        number = None
    if number is not None and "n" in value.lower():  # "inf", "infinity", "nan": no digits of a wait
        return None
    if number is not None:
        return number / scale
    if scale != 1.0:
        return None
    import email.utils

    try:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed.timestamp() - time.time()
