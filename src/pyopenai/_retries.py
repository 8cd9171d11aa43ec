"""Whether, and when, a failed attempt is sent again: the retry and deadline decisions of one call.

`RetryDecisions` holds one call's state (retries taken, its deadline, whether its body can be sent
again) and, told how an attempt ended, answers what to do next: return the response, retry after a
delay, resend at once with a fresh credential, or raise. It does no network I/O and never sleeps:
the sync and async send loops in `_base_client` send, log and wait, and differ only in blocking or
awaiting. What is retried and how long to wait is the call's `RetryPolicy` (`_retry_policy`).
"""

from __future__ import annotations

import ssl
import sys
import time
from collections.abc import Callable
from typing import Any, NamedTuple, cast

import httpx2

from ._deadline import Deadline
from ._exceptions import APIConnectionError, APITimeoutError, OpenAIError, status_error_from
from ._retry_policy import RetryPolicy
from ._rewind import FileRewinder

__all__ = ["Retry", "RetryDecisions"]


class Retry(NamedTuple):
    """Send the call again after `delay` seconds."""

    delay: float
    retries_taken: int  # before this retry
    response: httpx2.Response | None  # the answer being retried; None after a connection failure
    # False: not a retry but an immediate resend with a freshly resolved credential (no wait, no count)
    counted: bool = True
    # what the failed attempt raised: the transport's error, or the status error its answer makes
    error: BaseException | None = None


class RetryDecisions:
    """The retry and deadline decisions of one call, driven by a send loop attempt by attempt.

    A loop calls `begin` before sending, `reads_body` when the response starts, then `after_failure`
    (an exception while sending) or `after_response`. Those return None (done: the response is the
    result), a `Retry`, or raise the error the call ends with.
    """

    __slots__ = (
        "_credential_refused", "_deadline", "_files", "_idle_read", "_max_retries", "_refreshed", "_waited",
        "policy", "retries_taken", "started",
    )

    def __init__(
        self,
        *,
        max_retries: int,
        rules: RetryPolicy,
        deadline: Deadline | None,
        credential_refused: Callable[[], bool] = lambda: False,
        body_resendable: bool = True,  # False: a raw body streamed from an iterator, read once
    ) -> None:
        self._max_retries = max_retries
        self.policy = rules
        self._deadline = deadline
        # told of a 401 (it may drop a cached credential): whether the key resolved again may be accepted
        self._credential_refused = credential_refused
        self._refreshed = False
        self._files = FileRewinder(body_resendable)
        self._idle_read: float | None = None
        self.retries_taken = 0
        self.started = time.monotonic()
        self._waited = 0.0  # the retry waits so far (the policy's total-time cap counts at least these)

    @property
    def may_retry(self) -> bool:
        """Whether this call may be sent more than once."""
        return self._max_retries > 0

    def begin(self, request: httpx2.Request) -> None:
        """Before an attempt: its files back at their start, its timeouts cut to the deadline."""
        self._files.prepare(request)
        if self._deadline is not None:
            self._idle_read = self._deadline.start(request, self.retries_taken)

    def reads_body(self, response: httpx2.Response, read_body: bool) -> bool:
        """Whether the loop reads the body now (a result or an error), bounded by the deadline.

        A stream's body is left to its reader, under the read timeout between chunks.
        """
        if read_body or response.status_code >= 300:
            if self._deadline is not None:
                self._deadline.bound_body(response)
            return True
        if self._deadline is not None:
            response.request.extensions["timeout"]["read"] = self._idle_read
        return False

    def after_failure(self, err: Exception, request: httpx2.Request) -> Retry:
        """An exception while sending: retry it as a connection failure, or raise `APIConnectionError`.
        An exception that is not the exchange failing (a hook's or a custom transport's own error)
        is raised as it is, never retried."""
        if not is_transport_failure(err):
            raise err
        delay = self._delay(None)
        if self._deadline is not None:  # with no retry left, still say so if it was the deadline that struck
            self._give_up_if_late(delay or 0.0, request, err, _what(err))
        if delay is None or not self._files.resendable:
            raise connection_error(err, request) from err
        return self._retry(delay, None, err)

    def after_response(self, response: httpx2.Response, request: httpx2.Request) -> Retry | None:
        """None for a success; a `Retry`; or raise the status error (a redirect not followed is one too)."""
        if response.status_code < 300:
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
        return self._retry(delay, response, error)

    def _delay(self, response: httpx2.Response | None) -> float | None:
        if self.retries_taken >= self._max_retries:
            return None
        elapsed = max(time.monotonic() - self.started, self._waited)
        return self.policy.delay_for(response, self.retries_taken, elapsed)

    def _retry(self, delay: float, response: httpx2.Response | None, error: BaseException) -> Retry:
        retry = Retry(delay, self.retries_taken, response, error=error)
        self.retries_taken += 1
        self._waited += delay
        return retry

    def _give_up_if_late(self, delay: float, request: httpx2.Request, cause: BaseException, reason: str) -> None:
        """Raise the deadline's error (caused by `cause`) when waiting `delay` s would pass the deadline."""
        late = cast(Deadline, self._deadline).too_late(delay, request, self.retries_taken + 1, reason)
        if late is not None:
            raise late from cause


def is_transport_failure(err: BaseException) -> bool:
    """Whether `err` says the HTTP exchange failed: an httpx2 (or httpx) error, a TLS error, a stream
    that ended early (raised by a transport that does not map its errors), or one of this library's
    own errors raised on the way (a provider refusing to send credentials), as the official SDK tells them."""
    if isinstance(err, (httpx2.HTTPError, ssl.SSLError, OpenAIError)):
        return True
    legacy: Any = sys.modules.get("httpx")
    if legacy is not None and isinstance(err, legacy.HTTPError):
        return True
    anyio: Any = sys.modules.get("anyio")  # imported if a transport that could raise this was used
    return anyio is not None and isinstance(err, anyio.EndOfStream)


def _is_timeout(err: BaseException) -> bool:
    if isinstance(err, httpx2.TimeoutException):
        return True
    legacy: Any = sys.modules.get("httpx")  # a caller's httpx client raises httpx's own errors
    return legacy is not None and isinstance(err, legacy.TimeoutException)


def connection_error(err: BaseException, request: httpx2.Request) -> APIConnectionError:
    """The error a failed send raises (from `err`): "Request timed out." or "Connection error.", the
    official SDK's words, with what the transport said as its `__cause__`; an error of this library
    raised on the way (a provider refusing to send credentials, a missing extra) keeps its own words."""
    if _is_timeout(err):
        return APITimeoutError(request)
    if isinstance(err, OpenAIError):
        return APIConnectionError(message=str(err), request=request)
    return APIConnectionError(request=request)


def _what(err: BaseException) -> str:
    return f"{'a timeout' if _is_timeout(err) else 'a connection error'} ({type(err).__name__})"
