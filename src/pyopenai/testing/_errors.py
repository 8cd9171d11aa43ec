"""The API's error body, ``{"error": {"message", "type", "param", "code"}}``, and the exception carrying it."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["APIFailure", "error_body", "bad_request", "not_found", "model_not_found"]

_DEFAULT_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "invalid_request_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "requests",
}


def default_error_type(status: int) -> str:
    if status >= 500:
        return "server_error"
    return _DEFAULT_TYPES.get(status, "invalid_request_error")


def error_body(message: str, type: str, param: str | None = None, code: str | None = None) -> bytes:
    payload: dict[str, Any] = {"error": {"message": message, "type": type, "param": param, "code": code}}
    return json.dumps(payload).encode()


class APIFailure(Exception):
    """Raised by handlers to answer with the API's error body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str | None = None,
        param: str | None = None,
        code: str | None = None,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type or default_error_type(status)
        self.param = param
        self.code = code
        self.headers = headers or []

    def body(self) -> bytes:
        return error_body(self.message, self.type, self.param, self.code)


def bad_request(message: str, param: str | None = None, code: str | None = None) -> APIFailure:
    return APIFailure(400, message, param=param, code=code)


def not_found(what: str, ident: str, param: str | None = None) -> APIFailure:
    return APIFailure(404, f"No {what} found with id '{ident}'.", param=param, code=None)


def model_not_found(model: str) -> APIFailure:
    return APIFailure(
        404,
        f"The model '{model}' is not served by this local server (see GET /v1/models).",
        param="model",
        code="model_not_found",
    )
