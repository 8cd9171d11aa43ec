"""Machinery the computer and browser toolsets share: effects, their sync/async drivers, admission.

Each toolset writes its decisions once, as a generator (a "plan") that yields an `Effect` whenever
it needs the outside world (a driver method, a policy callback, a model request) and receives the
effect's result back. `drive_sync` and `drive_async` run the same plan, one calling the effects
directly and the other awaiting them, so the sync and async classes cannot drift apart. An effect
that raises is thrown back into the plan at the point that asked for it, so the plan can report
the failure (a diagnostic) before the exception leaves. The loops are the tool runners'
(`_effect_loop`), as are admission (`_tool_lifecycle`) and diagnostics (`tool_diagnostics`).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar, cast

from typing_extensions import Literal, TypeAlias

from ._effect_loop import Pause, drive
from ._effect_loop import drive_async as drive_async_steps

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
    steps: Generator[None, None, T] = drive(cast("Generator[Effect | Pause[None], object, T]", plan), _call_sync)
    try:
        while True:
            next(steps)  # these plans never pause; the loop ends with the plan's result
    except StopIteration as done:
        return cast(T, done.value)


async def _call_async(effect: Effect) -> object:
    result = effect.target(*effect.args, **effect.kwargs)
    return await cast("Awaitable[object]", result) if inspect.isawaitable(result) else result


def _ending_in_pause(plan: Plan[T]) -> Generator[Effect | Pause[T], object, None]:
    # the async driver hands results out by pausing, so the plan's result becomes its last pause
    yield Pause((yield from plan))


async def drive_async(plan: Plan[T]) -> T:
    """Run `plan`, awaiting each effect that returns an awaitable."""
    steps = drive_async_steps(_ending_in_pause(plan), _call_async)
    try:
        async for result in steps:
            return result
    finally:
        await steps.aclose()
    raise AssertionError("unreachable: the plan ends by pausing on its result")
