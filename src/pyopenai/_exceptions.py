"""The exception tree users catch, mirroring the official SDK's names.

Every error keeps what a user needs to act on it (status, request id, the API's error code) and
nothing secret: requests are referenced, never printed with their headers.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal, cast

from typing_extensions import override

from ._rate_limits import RateLimits

if TYPE_CHECKING:
    import httpx2

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseJSONError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContentFilterFinishReasonError",
    "InternalServerError",
    "InvalidWebhookSignatureError",
    "LengthFinishReasonError",
    "NotFoundError",
    "OAuthError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "SubjectTokenProviderError",
    "UnprocessableEntityError",
    "WebSocketConnectionClosedError",
    "WebSocketQueueFullError",
]


class OpenAIError(Exception):
    """Base class of every error this library raises."""


def _error_fields(body: object) -> tuple[str | None, str | None, str | None, str | None]:
    """(message, code, param, type) from the API's `{"error": {...}}` body, or from a bare error object."""
    if isinstance(body, dict):
        inner: Any = cast("dict[str, Any]", body).get("error", body)
        if isinstance(inner, dict):
            def text(key: str) -> str | None:
                value = inner.get(key)  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
                return None if value is None else str(value)  # pyright: ignore[reportUnknownArgumentType]

            return text("message"), text("code"), text("param"), text("type")
        if isinstance(inner, str):
            return inner, None, None, None
    return None, None, None, None


class APIError(OpenAIError):
    """An error that involved a request to the API."""

    message: str
    request: httpx2.Request
    body: object | None
    code: str | None
    param: str | None
    type: str | None

    def __init__(self, message: str, request: httpx2.Request, *, body: object | None) -> None:
        # not super(): a subclass may also derive from an exception whose constructor takes other arguments
        Exception.__init__(self, message)
        self.message = message
        self.request = _without_credentials(request)
        self.body = body
        _, self.code, self.param, self.type = _error_fields(body)

    @override
    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # httpx2 requests and responses do not pickle; keep what is data.
        state = {k: v for k, v in self.__dict__.items() if k not in ("request", "response")}
        return (_rebuild_error, (type(self), self.message, state))


# Errors get logged, reported and printed whole, and the request an error carries is done (a retry
# builds a new one): it keeps no credential. The headers this library sends a key in are removed (as
# the official SDK removes them); other credential-looking headers keep their name, not their value.
_CREDENTIAL_HEADERS = ("authorization", "api-key")
_MASKED_HEADERS = ("x-api-key", "proxy-authorization")


def _without_credentials(request: httpx2.Request) -> httpx2.Request:
    """A copy of `request` without its credentials (the request itself, as the transport, hooks and
    mocks saw it, is left alone); `request` itself when it carries none."""
    import httpx2  # loaded by then: the request was built with it (`import pyopenai` does not load it)

    try:
        headers = request.headers
        if not any(name in headers for name in (*_CREDENTIAL_HEADERS, *_MASKED_HEADERS)):
            return request
        kept = httpx2.Headers(
            [(name, value) for name, value in headers.multi_items() if name.lower() not in _CREDENTIAL_HEADERS]
        )
        for name in _MASKED_HEADERS:
            if name in kept:
                kept[name] = "<redacted>"
        # the body as read (a request is read once it was sent), else the same stream
        body: dict[str, Any] = {"content": request.content} if _was_read(request) else {"stream": request.stream}
        return httpx2.Request(request.method, request.url, headers=kept, extensions=request.extensions, **body)
    except Exception:  # not an httpx2 request: leave it alone
        return request


def _was_read(request: httpx2.Request) -> bool:
    import httpx2

    try:
        request.content  # noqa: B018 - raises when the body was never read
    except httpx2.RequestNotRead:
        return False
    return True


def _answered_by(response: httpx2.Response, request: httpx2.Request) -> None:
    """The response an error carries names the error's request, without credentials, as its request."""
    try:
        if response.request is not request:
            response.request = request
    except Exception:  # a response that is not an httpx2 one, or that has no request
        pass


def _rebuild_error(cls: type[APIError], message: str, state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    error.__dict__.setdefault("request", None)
    if isinstance(error, APIStatusError):
        error.__dict__.setdefault("response", None)
    return error


class APIResponseValidationError(APIError):
    """The API answered with data this library could not interpret (e.g. not JSON where JSON was expected)."""

    response: httpx2.Response
    status_code: int

    def __init__(self, response: httpx2.Response, body: object | None, *, message: str | None = None) -> None:
        super().__init__(
            message or "Data returned by API invalid for expected schema.",
            response.request,
            body=body,
        )
        self.response = response
        _answered_by(response, self.request)
        self.status_code = response.status_code


class APIResponseJSONError(APIResponseValidationError, json.JSONDecodeError):
    """A successful answer whose JSON body is invalid (also a `json.JSONDecodeError`, as the official SDK raises)."""

    def __init__(self, response: httpx2.Response, error: json.JSONDecodeError) -> None:
        content_type = response.headers.get("content-type", "")
        APIResponseValidationError.__init__(
            self,
            response,
            response.text,
            message=f"Expected a JSON body (status {response.status_code}, content-type {content_type!r}) "
            f"but could not decode it ({error.msg}, at character {error.pos}): {response.text[:200]!r}",
        )
        self.msg, self.doc, self.pos = error.msg, error.doc, error.pos
        self.lineno, self.colno = error.lineno, error.colno


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status."""

    response: httpx2.Response
    status_code: int
    request_id: str | None
    # the account's limits as this answer reported them (a 429's say which one was hit, and when it resets)
    rate_limits: RateLimits

    def __init__(self, message: str, *, response: httpx2.Response, body: object | None) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        _answered_by(response, self.request)
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")
        self.rate_limits = RateLimits.from_headers(response.headers)

    @property
    def headers(self) -> httpx2.Headers | None:
        response = self.__dict__.get("response")
        return None if response is None else response.headers


class APIConnectionError(APIError):
    """The request did not get an answer: DNS, refused connection, reset, TLS, ..."""

    def __init__(self, *, message: str = "Connection error.", request: httpx2.Request) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    """The request timed out (after the retries the client was allowed)."""

    def __init__(self, request: httpx2.Request, *, message: str = "Request timed out.") -> None:
        super().__init__(message=message, request=request)


class BadRequestError(APIStatusError):
    status_code: Literal[400] = 400  # pyright: ignore[reportIncompatibleVariableOverride]


class AuthenticationError(APIStatusError):
    status_code: Literal[401] = 401  # pyright: ignore[reportIncompatibleVariableOverride]


class OAuthError(AuthenticationError):
    """The token exchange refused the workload's identity (`pyopenai.auth`); `error` is the OAuth error code."""

    error: str | None

    def __init__(self, *, response: httpx2.Response, body: object | None) -> None:
        raw: object = body
        fields = cast("dict[str, Any]", raw) if isinstance(raw, dict) else {}
        error, description = fields.get("error"), fields.get("error_description")
        message = description if isinstance(description, str) and description else "OAuth authentication error."
        super().__init__(f"Error code: {response.status_code} - {message}", response=response, body=body)
        self.error = error if isinstance(error, str) else None


class SubjectTokenProviderError(OpenAIError):
    """A workload identity's subject-token provider could not produce a token (a metadata server, a token file)."""

    response: httpx2.Response | None

    def __init__(self, message: str, *, response: httpx2.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class PermissionDeniedError(APIStatusError):
    status_code: Literal[403] = 403  # pyright: ignore[reportIncompatibleVariableOverride]


class NotFoundError(APIStatusError):
    status_code: Literal[404] = 404  # pyright: ignore[reportIncompatibleVariableOverride]


class ConflictError(APIStatusError):
    status_code: Literal[409] = 409  # pyright: ignore[reportIncompatibleVariableOverride]


class UnprocessableEntityError(APIStatusError):
    status_code: Literal[422] = 422  # pyright: ignore[reportIncompatibleVariableOverride]


class RateLimitError(APIStatusError):
    status_code: Literal[429] = 429  # pyright: ignore[reportIncompatibleVariableOverride]


class InternalServerError(APIStatusError):
    pass


_ERROR_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_from(response: httpx2.Response) -> APIStatusError:
    """The typed error for an error answer whose body has been read: its JSON, else its text (stripped)."""
    try:
        body: object = json.loads(response.content)
    except ValueError:  # not JSON (an empty body included): the text, as a proxy's error page says it
        body = response.text.strip()
    return make_status_error(response, body)


def make_status_error(response: httpx2.Response, body: object) -> APIStatusError:
    """The typed error for a non-2xx response whose body is `body` (decoded JSON, or the text when not JSON).

    The error's `body` is the `error` object of the API's `{"error": {...}}` answer (the whole body
    otherwise). Its message is `Error code: <status>`, followed by the API's own message when the body
    has one (`str(err)` reads as the official SDK's for the same answer).
    """
    error, said = _error_object(body)
    status = response.status_code
    message = f"Error code: {status}" + (f" - {said}" if said else "")
    cls = _ERROR_BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    return cls(message, response=response, body=error)


def _error_object(body: object) -> tuple[object, str | None]:
    """The `error` object of the API's `{"error": {...}}` answer (else the whole body), and its message."""
    if not isinstance(body, dict):
        return body, None
    whole = cast("dict[str, object]", body)
    error = whole.get("error", whole)
    if not isinstance(error, dict):
        return error, None
    said = cast("dict[str, object]", error).get("message")
    return cast(object, error), said if isinstance(said, str) else None


class LengthFinishReasonError(OpenAIError):
    """Structured output could not be parsed: the model stopped at its token limit."""

    def __init__(self, *, completion: object | None = None) -> None:
        msg = "Could not parse response content as the length limit was reached"
        usage = getattr(completion, "usage", None)
        if usage is not None:
            msg += f" - {usage}"
        super().__init__(msg)
        self.completion = completion


class ContentFilterFinishReasonError(OpenAIError):
    """Structured output could not be parsed: the content filter stopped the model."""

    def __init__(self, *, completion: object | None = None) -> None:
        super().__init__("Could not parse response content as the request was rejected by the content filter")
        self.completion = completion


class InvalidWebhookSignatureError(ValueError, OpenAIError):
    """A webhook payload failed verification (bad signature, stale timestamp, missing headers)."""


class WebSocketConnectionClosedError(OpenAIError):
    """The WebSocket closed: abnormally (`code` 1006 when the peer vanished without a close frame), with a
    close code other than a normal one, or with messages still waiting to be sent.

    `code` and `reason` are the close frame's (the peer's, or ours when we closed first);
    `unsent_messages` holds what was queued but never sent, oldest first, so it can be resent.
    """

    code: int
    reason: str
    unsent_messages: list[str | bytes]

    def __init__(
        self, message: str, *, code: int = 1006, reason: str = "", unsent_messages: list[str | bytes] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.unsent_messages = list(unsent_messages or [])


class WebSocketQueueFullError(OpenAIError):
    """A message could not be queued while (re)connecting: the send queue's byte budget is used up."""
