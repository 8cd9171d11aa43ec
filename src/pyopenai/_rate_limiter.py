"""A client-side rate limiter: pace requests so the API does not answer 429.

One `RateLimiter` is shared by a client and its `with_options` copies. Its decisions (`reserve`,
`observe`) take a lock, do arithmetic and return how long to wait; they never sleep. The sync send
loop sleeps with `time.sleep`, the async one awaits, so threads and tasks share one decision core.

Each limit is a token bucket as the API describes its own: it holds up to a minute's allowance
and refills continuously. A request takes 1 from the requests bucket and its estimated tokens from
the tokens bucket at once, even when that drives a bucket below zero: the request then waits until
the bucket is back to zero, and later requests queue behind it (first come, first served).

Fixed limits (`RateLimiter(requests_per_minute=..., tokens_per_minute=...)`) are for servers that
send no headers. The adaptive limiter (`"auto"`) learns the limits from the `x-ratelimit-*` headers:
until the first answer arrives only one request is in flight, then each answer's `remaining_*`
corrects the local estimate (never upwards: our own requests still in flight are not in it yet).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

from ._rate_limits import RateLimits, has_rate_limits, parse_reset

__all__ = ["RateLimiter", "estimate_tokens", "resolve_rate_limiter", "waits"]

# What the limiter keeps unused of each allowance: a second of refill (at most a tenth of the
# allowance), so requests that reach the server closer together than they were sent (network
# jitter) still find room there.
_HEADROOM_SECONDS = 1.0
_HEADROOM_SHARE = 0.1
# While the adaptive limiter waits for its first answer, the other callers check again this often.
_PROBE_POLL = 0.02
_OUTPUT_TOKEN_FIELDS = ("max_completion_tokens", "max_output_tokens", "max_tokens")


class _Bucket:
    __slots__ = ("capacity", "headroom", "level", "per_minute", "rate", "updated")

    def __init__(self, per_window: float, window: float, now: float) -> None:
        self.rate = per_window / window  # per second
        self.per_minute = per_window if window == 60.0 else self.rate * 60
        self.headroom = min(per_window * _HEADROOM_SHARE, self.rate * _HEADROOM_SECONDS)
        self.capacity = max(per_window - self.headroom, 1.0)
        self.level = self.capacity
        self.updated = now

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
            self.updated = now

    def take(self, amount: float, now: float) -> float:
        """Take `amount` (possibly going below zero); seconds until the level is back to zero."""
        self.refill(now)
        self.level -= amount
        return 0.0 if self.level >= 0 else -self.level / self.rate

    def cap(self, remaining: float, now: float) -> None:
        """The server says at most `remaining` is left: believe it when it is less than our estimate."""
        self.refill(now)
        self.level = min(self.level, remaining - self.headroom)


class RateLimiter:
    """Paces a client's requests under a requests-per-minute and/or tokens-per-minute limit.

    `RateLimiter(requests_per_minute=500, tokens_per_minute=200_000)` enforces fixed limits;
    `RateLimiter.adaptive()` (what `rate_limiter="auto"` builds) follows the limits the API reports.
    Thread- and task-safe; share one instance between clients that share an account's limits.
    """

    def __init__(
        self,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        for name, value in (("requests_per_minute", requests_per_minute), ("tokens_per_minute", tokens_per_minute)):
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be a positive number or None, got {value!r}")
        self._clock = clock
        self._lock = threading.Lock()
        now = clock()
        self._requests = None if requests_per_minute is None else _Bucket(requests_per_minute, 60.0, now)
        self._tokens = None if tokens_per_minute is None else _Bucket(tokens_per_minute, 60.0, now)
        self.adaptive_mode = False
        self._probing = False  # adaptive: the first request is in flight, the others wait for its answer
        self._learned = False  # adaptive: an answer has told us whether the server reports limits
        # sent and not yet answered: what a server's `remaining` does not count yet
        self._inflight_requests = 0
        self._inflight_tokens = 0
        self.waited = 0.0  # total seconds callers were asked to wait (for reports and tests)

    @classmethod
    def adaptive(cls, *, clock: Callable[[], float] = time.monotonic) -> RateLimiter:
        limiter = cls(clock=clock)
        limiter.adaptive_mode = True
        return limiter

    @property
    def requests_per_minute(self) -> float | None:
        return None if self._requests is None else self._requests.per_minute

    @property
    def tokens_per_minute(self) -> float | None:
        return None if self._tokens is None else self._tokens.per_minute

    # -- the decisions ------------------------------------------------------------------------------

    def reserve(self, tokens: int) -> tuple[float, bool]:
        """Ask to send a request estimated at `tokens` tokens: (seconds to wait, granted).

        Granted: wait that long, then send. Not granted (the adaptive limiter is still learning the
        limits): wait that long, then ask again.
        """
        with self._lock:
            now = self._clock()
            if self.adaptive_mode and not self._learned:
                if self._probing:
                    return _PROBE_POLL, False
                self._probing = True
                self._sent(tokens)
                return 0.0, True
            self._sent(tokens)
            delay = 0.0
            if self._requests is not None:
                delay = self._requests.take(1, now)
            if self._tokens is not None and tokens:
                delay = max(delay, self._tokens.take(min(tokens, self._tokens.capacity), now))
            self.waited += delay
            return delay, True

    def _sent(self, tokens: int) -> None:
        self._inflight_requests += 1
        self._inflight_tokens += tokens

    def _settled(self, tokens: int) -> None:
        self._inflight_requests = max(self._inflight_requests - 1, 0)
        self._inflight_tokens = max(self._inflight_tokens - tokens, 0)

    def observe(self, headers: Mapping[str, str], status: int | None = None, tokens: int = 0) -> None:
        """Learn from an answer (to a request reserved for `tokens`): its headers (adaptive), a 429's `retry-after`."""
        with self._lock:
            self._settled(tokens)
        if not self.adaptive_mode:
            if status == 429:
                self._pause(headers)
            return
        if not has_rate_limits(headers):
            with self._lock:
                if self._probing:  # the server reports no limits: nothing to pace by until it does
                    self._learned, self._probing = True, False
            if status == 429:
                self._pause(headers)
            return
        limits = RateLimits.from_headers(headers)
        with self._lock:
            now = self._clock()
            self._requests = _learn(self._requests, limits.limit_requests, limits.remaining_requests,
                                    limits.reset_requests, now, self._inflight_requests)
            self._tokens = _learn(self._tokens, limits.limit_tokens, limits.remaining_tokens,
                                  limits.reset_tokens, now, self._inflight_tokens)
            self._learned, self._probing = True, False
        if status == 429:
            self._pause(headers)

    def failed(self, tokens: int = 0) -> None:
        """The request got no answer: if it was the adaptive probe, let the next request probe."""
        with self._lock:
            self._settled(tokens)
            self._probing = False

    def _pause(self, headers: Mapping[str, str]) -> None:
        wait = parse_reset(headers.get("retry-after-ms"))
        wait = wait / 1000 if wait is not None else parse_reset(headers.get("retry-after"))
        with self._lock:
            now = self._clock()
            for bucket in (self._requests, self._tokens):
                if bucket is not None:
                    bucket.refill(now)
                    bucket.level = min(bucket.level, -(wait or 0.0) * bucket.rate)

    def __repr__(self) -> str:
        if self.adaptive_mode:
            return f"RateLimiter.adaptive(requests_per_minute={self.requests_per_minute}, tokens_per_minute={self.tokens_per_minute})"
        return f"RateLimiter(requests_per_minute={self.requests_per_minute}, tokens_per_minute={self.tokens_per_minute})"


def _learn(
    bucket: _Bucket | None, limit: int | None, remaining: int | None, reset: float | None, now: float, inflight: int
) -> _Bucket | None:
    if limit is None or limit <= 0:
        return bucket
    # the window a limit counts over: a minute, unless the reset time says the refill is slower (per-day limits)
    window = 60.0
    if remaining is not None and reset is not None and reset > 0 and remaining < limit:
        window = max(60.0, reset * limit / (limit - remaining))
    if bucket is None or abs(bucket.rate - limit / window) > bucket.rate * 0.01:
        fresh = _Bucket(limit, window, now)
        if bucket is not None:
            bucket.refill(now)
            fresh.level = min(fresh.capacity, bucket.level)
        bucket = fresh
    if remaining is not None:
        # our requests still in flight may not be in `remaining` yet: count them as spent
        bucket.cap(remaining - inflight, now)
    return bucket


def waits(limiter: RateLimiter, tokens: int) -> Iterator[float]:
    """The waits before a request may go: the sync loop sleeps each, the async one awaits each."""
    while True:
        delay, granted = limiter.reserve(tokens)
        if delay > 0:
            yield delay
        if granted:
            return


def estimate_tokens(body: Mapping[str, Any] | None, content: bytes | None = None) -> int:
    """A request's token cost as rate limits count it: about 4 bytes of input per token, plus the
    output it may produce (`max_tokens` and its successors) when it says."""
    if body is None:
        return 0 if content is None else (len(content) + 3) // 4
    size = len(content) if content is not None else len(json.dumps(body, default=str, separators=(",", ":")))
    output = 0
    for name in _OUTPUT_TOKEN_FIELDS:
        value = body.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            output = value
            break
    n = body.get("n")
    if isinstance(n, int) and not isinstance(n, bool) and n > 1:
        output *= n
    return (size + 3) // 4 + output


def resolve_rate_limiter(value: RateLimiter | Literal["auto"] | None) -> RateLimiter | None:
    """The client's `rate_limiter=` argument as a limiter object (or None: no pacing)."""
    if value is None or isinstance(value, RateLimiter):
        return value
    if value == "auto":
        return RateLimiter.adaptive()
    raise ValueError(f"rate_limiter must be 'auto', a pyopenai.RateLimiter or None, got {value!r}")
