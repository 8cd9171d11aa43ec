"""Machinery the computer and browser toolsets share: effects, their sync/async drivers, admission.

Each toolset writes its decisions once, as a generator (a "plan") that yields an `Effect` whenever
it needs the outside world (a driver method, a policy callback, a model request) and receives the
effect's result back. `drive_sync` and `drive_async` run the same plan, one calling the effects
directly and the other awaiting them, so the sync and async classes cannot drift apart. An effect
that raises is thrown back into the plan at the point that asked for it, so the plan can report
the failure (a diagnostic) before the exception leaves.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from time import monotonic
from typing import Any, TypeVar, cast

from typing_extensions import Literal, TypeAlias, TypedDict

__all__ = [
    "CloseStatus",
    "Effect",
    "Plan",
    "ToolDiagnostic",
    "ToolDiagnosticObserver",
    "Admission",
    "drive_async",
    "drive_sync",
    "emit_diagnostic",
    "accepts_cancelled_keyword",
]

T = TypeVar("T")

# The shape of `pyopenai.lib.tool_diagnostics.ToolDiagnostic` (the runners' public module); typed
# dictionaries compare by their keys, so an observer written against either accepts the other.
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
    api: Literal["responses", "decisions", "browser", "computer"]
    stage: DiagnosticStage
    reason: DiagnosticReason
    call_id: str | None
    member: str | None
    duration_ms: float
    usage: ToolDiagnosticUsage | None


ToolDiagnosticObserver: TypeAlias = Callable[[ToolDiagnostic], None]


class CloseStatus(TypedDict):
    status: Literal["closed", "draining"]


def emit_diagnostic(
    observer: ToolDiagnosticObserver | None,
    api: Literal["browser", "computer"],
    stage: DiagnosticStage,
    reason: DiagnosticReason,
    started: float,
    *,
    call_id: str | None = None,
    member: str | None = None,
) -> None:
    """Tell `observer` about one stage. Diagnostics carry no content and never stop a run."""
    if observer is None:
        return
    event: ToolDiagnostic = {
        "api": api,
        "stage": stage,
        "reason": reason,
        "call_id": call_id,
        "member": member,
        "duration_ms": max(0.0, (monotonic() - started) * 1000),
        "usage": None,
    }
    try:
        result = cast("Callable[[ToolDiagnostic], object]", observer)(event)
        if inspect.iscoroutine(result):
            result.close()  # an async observer cannot be awaited here; do not leak the coroutine
    except Exception:
        pass


@dataclass(frozen=True)
class Effect:
    """One call a plan needs made: a driver method (`kind="driver"`), a policy callback, a request."""

    kind: Literal["driver", "policy", "request"]
    target: Callable[..., object]
    args: tuple[object, ...] = ()
    kwargs: Mapping[str, object] = field(default_factory=lambda: {})


Plan: TypeAlias = Generator[Effect, object, T]


class SyncAwaitableError(Exception):
    """A synchronous toolset's driver returned an awaitable (thrown into the plan to word it)."""


def _call_sync(effect: Effect) -> object:
    result = effect.target(*effect.args, **effect.kwargs)
    if inspect.isawaitable(result):
        if inspect.iscoroutine(result):
            result.close()
        if effect.kind == "policy":
            return None  # an approval that is not exactly True refuses; an awaitable is not True
        raise SyncAwaitableError
    return result


def drive_sync(plan: Plan[T]) -> T:
    """Run `plan`, making each effect it yields with plain calls."""
    reply: object = None
    failure: BaseException | None = None
    while True:
        try:
            effect = plan.send(reply) if failure is None else plan.throw(failure)
        except StopIteration as done:
            return cast(T, done.value)
        failure = None
        try:
            reply = _call_sync(effect)
        except BaseException as exc:  # handed back to the plan, which re-raises after reporting
            failure = exc
            reply = None


async def drive_async(plan: Plan[T]) -> T:
    """Run `plan`, awaiting each effect that returns an awaitable."""
    reply: object = None
    failure: BaseException | None = None
    while True:
        try:
            effect = plan.send(reply) if failure is None else plan.throw(failure)
        except StopIteration as done:
            return cast(T, done.value)
        failure = None
        try:
            result = effect.target(*effect.args, **effect.kwargs)
            reply = await cast("Any", result) if inspect.isawaitable(result) else result
        except BaseException as exc:
            failure = exc
            reply = None


def accepts_cancelled_keyword(callback: Callable[..., object]) -> bool:
    """Whether a policy callback takes a keyword-only `cancelled` (it then receives the probe)."""
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "cancelled" and p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)


class Admission:
    """One run or execution at a time per toolset, none after `close()`.

    A toolset drives one caller-owned driver; two interleaved runs would mix their actions on the
    same screen, so the second is refused instead. `close()` while a run is going reports
    "draining": that run finishes, nothing new starts.
    """

    def __init__(self, label: str) -> None:
        self._label = label
        self._lock = threading.Lock()
        self._active = False
        self._closed = False

    def enter(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self._label} is closed.")
            if self._active:
                raise RuntimeError(f"{self._label} is busy with another run or execution.")
            self._active = True

    def leave(self) -> None:
        with self._lock:
            self._active = False

    def close(self) -> CloseStatus:
        with self._lock:
            self._closed = True
            return {"status": "draining" if self._active else "closed"}
