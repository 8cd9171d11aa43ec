"""Whether, and when, a failed attempt is sent again: the retry and deadline decisions of one call.

`RetryDecisions` holds one call's state (retries taken, its deadline, whether its body can be sent
again) and, told how an attempt ended, answers what to do next: return the response, retry after a
delay, resend at once with a fresh credential, or raise. It does no network I/O and never sleeps:
the sync and async send loops in `_base_client` send, log and wait, and differ only in blocking or
awaiting.
"""

from __future__ import annotations

import email.utils
import json
import random
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

import httpx2

from . import _constants as C
from ._deadline import Deadline
from ._exceptions import APIConnectionError, APITimeoutError, status_error_from
from ._rewind import FileRewinder

__all__ = ["DEFAULT_RETRY_RULES", "Retry", "RetryDecisions", "RetryRules", "parse_retry_after"]


@dataclass(frozen=True)
class RetryRules:
    """What every call of a client retries, and how long it waits (the official SDK's defaults).

    This is the seam for a user-settable retry policy. `RetryDecisions` reads nothing else about
    retrying than these fields and the two methods below, so an object providing them (a policy
    with its own delays, jitter, retryable statuses and error codes) can be set as the client's
    `retry_rules` without touching the send loops. The rest of such a policy has one place each:
    `max_retries` is the client's and the request's `max_retries` (given to `RetryDecisions`); a
    total-time cap is the call's `Deadline`; an `on_retry` hook is called from
    `RetryDecisions._retry`, the one place where a retry is decided.
    """

    initial_delay: float = C.INITIAL_RETRY_DELAY
    max_delay: float = C.MAX_RETRY_DELAY
    # each backoff delay is shortened by a random fraction up to this, so clients do not retry in step
    jitter: float = 0.25
    retry_statuses: frozenset[int] = frozenset({408, 409, 429})
    retry_server_errors: bool = True
    # a server asking for a longer wait than this gets its error raised instead of a silent wait
    max_retry_after: float = C.MAX_RETRY_AFTER_SECONDS
    # error codes no retry can help with (the account is out of quota)
    final_error_codes: frozenset[str] = frozenset({"insufficient_quota"})

    def backoff(self, retries_taken: int) -> float:
        """The delay before retry number `retries_taken + 1` when the server did not ask for one."""
        delay = min(self.initial_delay * 2.0**retries_taken, self.max_delay)
        return delay * (1 - self.jitter * random.random())

    def delay_for(self, response: httpx2.Response | None, retries_taken: int) -> float | None:
        """Seconds to wait before retrying this answer (None for a connection failure), or None: no retry."""
        if response is None:
            return self.backoff(retries_taken)
        status = response.status_code
        should_retry = response.headers.get("x-should-retry")
        if should_retry == "false":
            return None
        if should_retry != "true" and status not in self.retry_statuses and not (
            status >= 500 and self.retry_server_errors
        ):
            return None
        if self.final_error_codes and _error_code(response) in self.final_error_codes:
            return None
        wait = parse_retry_after(response.headers)
        if wait is not None:
            if wait > self.max_retry_after:
                return None
            if wait >= 0:
                return wait
        return self.backoff(retries_taken)


DEFAULT_RETRY_RULES = RetryRules()


class Retry(NamedTuple):
    """Send the call again after `delay` seconds."""

    delay: float
    retries_taken: int  # before this retry
    response: httpx2.Response | None  # the answer being retried; None after a connection failure
    # False: not a retry but an immediate resend with a freshly resolved credential (no wait, no count)
    counted: bool = True


class RetryDecisions:
    """The retry and deadline decisions of one call, driven by a send loop attempt by attempt.

    A loop calls `begin` before sending, `reads_body` when the response starts, then `after_failure`
    (an exception while sending) or `after_response`. Those return None (done: the response is the
    result), a `Retry`, or raise the error the call ends with.
    """

    __slots__ = (
        "_credential_refused", "_deadline", "_files", "_idle_read", "_max_retries", "_refreshed", "_rules",
        "retries_taken",
    )

    def __init__(
        self,
        *,
        max_retries: int,
        rules: RetryRules,
        deadline: Deadline | None,
        credential_refused: Callable[[], bool] = lambda: False,
        body_resendable: bool = True,  # False: a raw body streamed from an iterator, read once
    ) -> None:
        self._max_retries = max_retries
        self._rules = rules
        self._deadline = deadline
        # told of a 401 (it may drop a cached credential): whether the key resolved again may be accepted
        self._credential_refused = credential_refused
        self._refreshed = False
        self._files = FileRewinder(body_resendable)
        self._idle_read: float | None = None
        self.retries_taken = 0

    def begin(self, request: httpx2.Request) -> None:
        """Before an attempt: its files back at their start, its timeouts cut to the deadline."""
        self._files.prepare(request)
        if self._deadline is not None:
            self._idle_read = self._deadline.start(request, self.retries_taken)

    def reads_body(self, response: httpx2.Response, read_body: bool) -> bool:
        """Whether the loop reads the body now (a result or an error), bounded by the deadline.

        A stream's body is left to its reader, under the read timeout between chunks.
        """
        if read_body or response.status_code >= 400:
            if self._deadline is not None:
                self._deadline.bound_body(response)
            return True
        if self._deadline is not None:
            response.request.extensions["timeout"]["read"] = self._idle_read
        return False

    def after_failure(self, err: Exception, request: httpx2.Request) -> Retry:
        """An exception while sending: retry it as a connection failure, or raise `APIConnectionError`."""
        delay = self._delay(None)
        if self._deadline is not None:  # with no retry left, still say so if it was the deadline that struck
            self._give_up_if_late(delay or 0.0, request, err, _what(err))
        if delay is None or not self._files.resendable:
            raise connection_error(err, request) from err
        return self._retry(delay, None)

    def after_response(self, response: httpx2.Response, request: httpx2.Request) -> Retry | None:
        """None for a success; a `Retry`; or raise the status error."""
        if response.status_code < 400:
            return None
        if response.status_code == 401 and not self._refreshed and self._credential_refused() and self._files.resendable:
            self._refreshed = True  # once: the key is resolved again for the resend
            return Retry(0.0, self.retries_taken, response, counted=False)
        delay = self._delay(response)
        error = status_error_from(response)
        if delay is not None and self._deadline is not None:
            self._give_up_if_late(delay, request, error, f"status {response.status_code}")
        if delay is None or not self._files.resendable:
            raise error
        return self._retry(delay, response)

    def _delay(self, response: httpx2.Response | None) -> float | None:
        if self.retries_taken >= self._max_retries:
            return None
        return self._rules.delay_for(response, self.retries_taken)

    def _retry(self, delay: float, response: httpx2.Response | None) -> Retry:
        retry = Retry(delay, self.retries_taken, response)
        self.retries_taken += 1
        return retry

    def _give_up_if_late(self, delay: float, request: httpx2.Request, cause: BaseException, reason: str) -> None:
        """Raise the deadline's error (caused by `cause`) when waiting `delay` s would pass the deadline."""
        late = cast(Deadline, self._deadline).too_late(delay, request, self.retries_taken + 1, reason)
        if late is not None:
            raise late from cause


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, else `retry-after` (seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if value else None
    if parsed is None:
        return None
    return parsed.timestamp() - time.time()


def _error_code(response: httpx2.Response) -> object:
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    error: Any = cast("dict[str, Any]", body).get("error") if isinstance(body, dict) else None
    return cast("dict[str, Any]", error).get("code") if isinstance(error, dict) else None


def _is_timeout(err: BaseException) -> bool:
    if isinstance(err, httpx2.TimeoutException):
        return True
    legacy: Any = sys.modules.get("httpx")  # a caller's httpx client raises httpx's own errors
    return legacy is not None and isinstance(err, legacy.TimeoutException)


def connection_error(err: BaseException, request: httpx2.Request | None) -> APIConnectionError:
    if _is_timeout(err):
        return APITimeoutError(request)
    detail = first_words(err)
    return APIConnectionError(
        message=f"Connection error: {type(err).__name__}" + (f": {detail}" if detail else ""), request=request
    )


def first_words(err: BaseException) -> str:
    """The transport's own words ("Connection reset by peer", ...), from the error or what caused it."""
    cause: BaseException | None = err
    for _ in range(6):  # async transports wrap the OS error a few levels deep, some wrappers say nothing
        if cause is None:
            break
        text = " ".join(str(cause).split())
        if text:
            return text[:200]
        cause = cause.__cause__ or cause.__context__
    return ""


def _what(err: BaseException) -> str:
    return f"{'a timeout' if _is_timeout(err) else 'a connection error'} ({type(err).__name__})"
