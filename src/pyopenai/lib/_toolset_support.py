"""Machinery the computer and browser toolsets share: effects, their sync/async drivers, admission.

Each toolset writes its decisions once, as a generator (a "plan") that yields an `Effect` whenever
it needs the outside world (a driver method, a policy callback, a model request) and receives the
effect's result back. `drive_sync` and `drive_async` run the same plan, one calling the effects
directly and the other awaiting them, so the sync and async classes cannot drift apart. An effect
that raises is thrown back into the plan at the point that asked for it, so the plan can report
the failure (a diagnostic) before the exception leaves. Admission (`_tool_lifecycle`) and
diagnostics (`tool_diagnostics`) are the tool runners' own.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from typing_extensions import Literal, TypeAlias

__all__ = ["Effect", "Plan", "SyncAwaitableError", "drive_async", "drive_sync"]

T = TypeVar("T")

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
