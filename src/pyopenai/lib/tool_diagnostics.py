"""Diagnostics of the local tool runners: what happened, how long it took, never what was said.

A runner given `on_diagnostic=` calls it with one `ToolDiagnostic` per stage it passes (the model
request, a function's execution, its output, an approval, a selection, a verification). Each
carries the call id and member name when there is one and the token counts of a request, but no
arguments, outputs or messages, so it can go to logs and metrics as it is. The observer must not
stop a run: whatever it raises, or an awaitable it returns, is dropped.
"""

from __future__ import annotations

import asyncio
import inspect
from time import monotonic
from typing import Callable, cast

from typing_extensions import Literal, TypeAlias, TypedDict

__all__ = ["ToolDiagnostic", "ToolDiagnosticObserver", "ToolDiagnosticUsage"]

DiagnosticApi: TypeAlias = Literal["responses", "decisions", "browser", "computer"]
DiagnosticStage: TypeAlias = Literal[
    "run", "request", "arguments", "approval", "action", "output", "selection", "verification"
]
DiagnosticReason: TypeAlias = Literal[
    "started",
    "completed",
    "refused",
    "cancelled",
    "invalid_input",
    "invalid_output",
    "api_failed",
    "driver_failed",
    "policy_failed",
    "step_limit",
    "busy",
    "closed",
]


class ToolDiagnosticUsage(TypedDict):
    input_tokens: int
    output_tokens: int
    total_tokens: int


class ToolDiagnostic(TypedDict):
    api: DiagnosticApi
    stage: DiagnosticStage
    reason: DiagnosticReason
    call_id: str | None
    member: str | None
    duration_ms: float
    usage: ToolDiagnosticUsage | None


ToolDiagnosticObserver: TypeAlias = Callable[[ToolDiagnostic], None]


def _token_counts(usage: object) -> ToolDiagnosticUsage | None:
    counts = [getattr(usage, name, None) for name in ("input_tokens", "output_tokens", "total_tokens")]
    if all(type(count) is int and count >= 0 for count in counts):
        numbers = cast("list[int]", counts)
        return {"input_tokens": numbers[0], "output_tokens": numbers[1], "total_tokens": numbers[2]}
    return None


def emit_tool_diagnostic(
    observer: ToolDiagnosticObserver | None,
    api: DiagnosticApi,
    stage: DiagnosticStage,
    reason: DiagnosticReason,
    started: float,
    *,
    call_id: str | None = None,
    member: str | None = None,
    usage: object = None,
) -> None:
    """Report one stage to `observer` (if any); `started` is the stage's `time.monotonic()` start."""
    if observer is None:
        return
    diagnostic: ToolDiagnostic = {
        "api": api,
        "stage": stage,
        "reason": reason,
        "call_id": call_id,
        "member": member,
        "duration_ms": max(0.0, (monotonic() - started) * 1000.0),
        "usage": None if usage is None else _token_counts(usage),
    }
    try:
        outcome = cast("Callable[[ToolDiagnostic], object]", observer)(diagnostic)
    except (Exception, asyncio.CancelledError):
        return  # an observer's failure is its own; the run goes on
    if inspect.iscoroutine(outcome):
        outcome.close()  # never awaited: close it so Python does not warn
    elif isinstance(outcome, asyncio.Future):
        cast("asyncio.Future[object]", outcome).add_done_callback(_retrieve)


def _retrieve(future: asyncio.Future[object]) -> None:
    # Reading the outcome keeps asyncio from logging "exception was never retrieved".
    if not future.cancelled():
        future.exception()
