"""Logging of requests, responses and retries, with secrets redacted.

`OPENAI_LOG=debug|info|warn|error|off` (or the client's `log_level=`) turns it on; `logger=` takes any
object with the `logging.Logger` methods (stdlib, structlog, loguru's adapters, ...). Header values
that carry credentials are never logged.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, cast

__all__ = ["LoggerLike", "RequestLogger", "default_logger", "redact_headers"]

default_logger = logging.getLogger("pyopenai")


def log_as(name: str) -> None:
    """Send the records of clients created from now on to the logger `name` (see `install_as_openai`)."""
    global default_logger
    default_logger = logging.getLogger(name)

LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "off": logging.CRITICAL + 10,
}
SENSITIVE_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "proxy-authorization", "cookie", "set-cookie"})
REDACTED = "<redacted>"


class LoggerLike(Protocol):
    def debug(self, msg: str, /, *args: Any) -> Any: ...
    def info(self, msg: str, /, *args: Any) -> Any: ...
    def warning(self, msg: str, /, *args: Any) -> Any: ...
    def error(self, msg: str, /, *args: Any) -> Any: ...


def parse_level(value: str | None) -> int | None:
    if value is None:
        return None
    level = LEVELS.get(value.strip().lower())
    if level is None:
        raise ValueError(f"Unknown log level {value!r}; expected one of {', '.join(LEVELS)}")
    return level


def redact_headers(headers: Iterable[tuple[str, str]] | Mapping[str, str], secrets: Iterable[str] = ()) -> dict[str, str]:
    items: Iterable[tuple[str, str]] = (
        cast("Mapping[str, str]", headers).items() if isinstance(headers, Mapping) else headers
    )
    secret_values = [s for s in secrets if s]
    out: dict[str, str] = {}
    for key, value in items:
        if key.lower() in SENSITIVE_HEADERS or any(s in value for s in secret_values):
            out[key] = REDACTED
        else:
            out[key] = value
    return out


_stderr_handler_added = False


def _ensure_stderr_handler(level: int) -> None:
    """`OPENAI_LOG` should print even when the program configured no logging, like the official SDK."""
    global _stderr_handler_added
    default_logger.setLevel(level)
    if not _stderr_handler_added and not default_logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"))
        default_logger.addHandler(handler)
        _stderr_handler_added = True


def configure_from_env(value: str | None) -> None:
    """Apply an `OPENAI_LOG` value to the library's logger now (unset or empty: nothing changes)."""
    level = parse_level(value or None)
    if level is not None:
        _ensure_stderr_handler(level)


class RequestLogger:
    """The per-client logger. With a level set (`log_level=`, `OPENAI_LOG`) what is enabled is decided
    once; otherwise the logger is asked at each call (a cached lookup in `logging`), so logging
    configured after the client was created applies to it, as it does to the official SDK's clients."""

    __slots__ = ("_ask", "_level", "secrets", "target")

    def __init__(self, target: LoggerLike | None, level: str | None, secrets: Iterable[str] = ()) -> None:
        numeric = parse_level(level if level is not None else os.environ.get("OPENAI_LOG") or None)
        self.target: LoggerLike = target if target is not None else default_logger
        self.secrets = tuple(s for s in secrets if s)
        if target is None and numeric is not None:
            _ensure_stderr_handler(numeric)
        self._level = numeric
        is_enabled = getattr(self.target, "isEnabledFor", None)
        # a logger without `isEnabledFor` (and no level given) logs nothing
        self._ask: Any = is_enabled if numeric is None and callable(is_enabled) else None

    def _enabled(self, level: int) -> bool:
        if self._level is not None:
            return self._level <= level
        return self._ask is not None and bool(self._ask(level))

    @property
    def debug_enabled(self) -> bool:
        return self._enabled(logging.DEBUG)

    @property
    def info_enabled(self) -> bool:
        return self._enabled(logging.INFO)

    def request(self, request: Any, retries_taken: int) -> None:
        if self.debug_enabled:
            self.target.debug(
                "Request: %s %s (attempt %d) headers=%s",
                request.method,
                _redact_text(str(request.url), self.secrets),
                retries_taken + 1,
                redact_headers(request.headers.items(), self.secrets),
            )

    def response(self, response: Any) -> None:
        if self.debug_enabled:
            self.target.debug(
                "Response: %s %s -> %d request_id=%s headers=%s",
                response.request.method,
                _redact_text(str(response.request.url), self.secrets),
                response.status_code,
                response.headers.get("x-request-id"),
                redact_headers(response.headers.items(), self.secrets),
            )

    def retry(self, request: Any, response: Any | None, delay: float, retries_taken: int) -> None:
        if self.info_enabled:
            reason = f"status {response.status_code}" if response is not None else "a connection error"
            self.target.info(
                "Retrying %s %s in %.2f s after %s (retry %d)",
                request.method,
                _redact_text(str(request.url), self.secrets),
                delay,
                reason,
                retries_taken + 1,
            )


def _redact_text(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, REDACTED)
    return text
