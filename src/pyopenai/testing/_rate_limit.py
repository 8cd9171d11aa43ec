"""The local server's rate limits: requests and tokens per minute, reported and (when set) enforced.

Each limit is a token bucket holding one minute's allowance and refilling continuously, which is
how the API describes its own limits. `remaining` is what the bucket holds, `reset` the time until
it is full again. Limits given as `requests_per_minute`/`tokens_per_minute` are enforced: a request
that does not fit gets a 429 with code `rate_limit_exceeded` and a `retry-after-ms` saying when it
would. Without them the server only reports generous default limits.
"""

from __future__ import annotations

import json
import threading
import time

from ._errors import error_body
from ._http import Request, Response

__all__ = ["ServerRateLimits", "format_duration"]

_REPORTED_REQUESTS = 10_000
_REPORTED_TOKENS = 30_000_000
_OUTPUT_TOKEN_FIELDS = ("max_completion_tokens", "max_output_tokens", "max_tokens")


def format_duration(seconds: float) -> str:
    """The API's way of writing a reset time: "20ms", "1s", "6m0s", "1h0m0s"."""
    if seconds <= 0:
        return "0s"
    if seconds < 1:
        return f"{max(int(seconds * 1000), 1)}ms"
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    text = f"{secs:.3f}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{hours}h{minutes}m{text}"
    if minutes:
        return f"{minutes}m{text}"
    return text


def request_tokens(req: Request) -> int:
    """What a request counts against the tokens limit: its input (~4 bytes a token) and the output it asks for."""
    output = 0
    if req.body[:1] == b"{":
        try:
            body = json.loads(req.body)
        except ValueError:
            body = None
        if isinstance(body, dict):
            for name in _OUTPUT_TOKEN_FIELDS:
                value = body.get(name)  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
                if isinstance(value, int):
                    output = value
                    break
    return len(req.body) // 4 + output


class _Bucket:
    def __init__(self, limit: int, enforced: bool) -> None:
        self.limit = limit
        self.enforced = enforced
        self.level = float(limit)
        self.updated = time.monotonic()

    def refill(self, now: float) -> None:
        self.level = min(float(self.limit), self.level + (now - self.updated) * self.limit / 60.0)
        self.updated = now

    def short_by(self, amount: float) -> float:
        """Seconds until `amount` fits (0 when it fits now)."""
        if not self.enforced or amount <= self.level:
            return 0.0
        return (amount - self.level) * 60.0 / self.limit

    def reset(self) -> float:
        return max(self.limit - self.level, 0.0) * 60.0 / self.limit


class ServerRateLimits:
    """The server's request and token buckets (thread-safe: the control API may read them)."""

    def __init__(self, requests_per_minute: int | None, tokens_per_minute: int | None) -> None:
        for name, value in (("requests_per_minute", requests_per_minute), ("tokens_per_minute", tokens_per_minute)):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be a positive integer or None, got {value!r}")
        self._lock = threading.Lock()
        self.requests = _Bucket(requests_per_minute or _REPORTED_REQUESTS, requests_per_minute is not None)
        self.tokens = _Bucket(tokens_per_minute or _REPORTED_TOKENS, tokens_per_minute is not None)
        self.rejected = 0  # 429s answered for exceeding a limit

    def admit(self, req: Request) -> tuple[Response | None, list[tuple[str, str]]]:
        """(a 429 to answer instead, or None to serve the request; the x-ratelimit headers to send)."""
        cost = request_tokens(req)
        with self._lock:
            now = time.monotonic()
            self.requests.refill(now)
            self.tokens.refill(now)
            wait_requests = self.requests.short_by(1)
            wait_tokens = self.tokens.short_by(cost) if cost <= self.tokens.limit else 0.0
            rejection: Response | None = None
            if wait_requests or wait_tokens:
                self.rejected += 1
                rejection = _too_many(self, wait_requests, wait_tokens, cost)
            else:
                self.requests.level -= 1
                self.tokens.level -= cost
            headers = self._headers()
        return rejection, headers

    def _headers(self) -> list[tuple[str, str]]:
        requests, tokens = self.requests, self.tokens
        return [
            ("x-ratelimit-limit-requests", str(requests.limit)),
            ("x-ratelimit-limit-tokens", str(tokens.limit)),
            ("x-ratelimit-remaining-requests", str(max(int(requests.level), 0))),
            ("x-ratelimit-remaining-tokens", str(max(int(tokens.level), 0))),
            ("x-ratelimit-reset-requests", format_duration(requests.reset())),
            ("x-ratelimit-reset-tokens", format_duration(tokens.reset())),
        ]


def _too_many(limits: ServerRateLimits, wait_requests: float, wait_tokens: float, cost: int) -> Response:
    if wait_requests >= wait_tokens:
        kind, bucket, asked, wait = "requests", limits.requests, 1, wait_requests
        label = "requests per min (RPM)"
    else:
        kind, bucket, asked, wait = "tokens", limits.tokens, cost, wait_tokens
        label = "tokens per min (TPM)"
    used = bucket.limit - max(int(bucket.level), 0)
    message = (
        f"Rate limit reached for {label}: Limit {bucket.limit}, Used {used}, Requested {asked}. "
        f"Please try again in {format_duration(wait)}."
    )
    body = error_body(message, kind, None, "rate_limit_exceeded")
    return Response(429, body, headers=[("retry-after-ms", str(max(int(wait * 1000) + 1, 1)))])
