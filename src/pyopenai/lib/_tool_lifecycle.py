"""What every local tool runner shares: one call at a time, `close()`, and how handlers are called."""

from __future__ import annotations

import inspect
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from typing_extensions import Literal, TypedDict

if TYPE_CHECKING:
    from .._client import AsyncOpenAI, OpenAI


class CloseStatus(TypedDict):
    status: Literal["closed", "draining"]


class ToolLifecycle:
    """Admits one run at a time and none after `close()`.

    A runner owns mutable per-run state (its tools, approvals, its lane's callbacks), so a second
    concurrent run on the same instance is refused rather than interleaved. `close()` reports
    "draining" while a run is still going (it finishes; nothing new starts) and "closed" otherwise.
    """

    def __init__(self, label: str) -> None:
        self._label = label
        self._lock = threading.Lock()
        self._running = False
        self._closed = False

    def enter(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self._label} is closed.")
            if self._running:
                raise RuntimeError(f"{self._label} is busy with another call.")
            self._running = True

    def exit(self) -> None:
        with self._lock:
            self._running = False

    def close(self) -> CloseStatus:
        with self._lock:
            self._closed = True
            return {"status": "draining" if self._running else "closed"}


def invoke(handler: Callable[..., object], *args: object, cancelled: Callable[[], bool] | None) -> object:
    """Call `handler(*args)`, adding `cancelled=` when the handler declares a parameter of that name,
    so long-running tools can poll the run's cancellation without every tool having to accept it."""
    try:
        parameters = inspect.signature(handler).parameters
    except (TypeError, ValueError):  # builtins and C callables without a signature
        return handler(*args)
    declared = parameters.get("cancelled")
    takes_keyword = declared is not None and declared.kind in (
        inspect.Parameter.KEYWORD_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )
    if takes_keyword and list(parameters).index("cancelled") >= len(args):
        return handler(*args, cancelled=cancelled)
    return handler(*args)


def rotated_idempotency_headers(
    client: OpenAI | AsyncOpenAI, extra_headers: Mapping[str, str] | None
) -> dict[str, str] | None:
    """Headers for a follow-up request of a run.

    When the client or the request pins an `Idempotency-Key`, every request of the run would carry
    the same key and the server would answer the second step with the first step's response; each
    follow-up gets a fresh key instead. Otherwise the headers are left as they were.
    """
    headers = dict(extra_headers) if extra_headers is not None else {}
    pinned = any(name.lower() == "idempotency-key" for name in (*client.default_headers, *headers))
    if not pinned:
        return headers if extra_headers is not None else None
    kept = {name: value for name, value in headers.items() if name.lower() != "idempotency-key"}
    return {**kept, "Idempotency-Key": f"pyopenai-run-{uuid.uuid4()}"}
