"""How the computer and browser toolsets run their decisions, sync and async.

Each toolset writes its decisions once, as a generator (a "plan") that yields a `Call` whenever it
needs the outside world (a driver method, a policy callback, a model request) and receives the
call's result back, or has its exception thrown in at that point so the plan can report the
failure (a diagnostic) before it leaves. The tool runners' effect loop (`_effect_loop`) makes the
calls: plainly for the sync classes, awaiting what is awaitable for the async ones, so the two
cannot drift apart.
"""

from __future__ import annotations

import inspect
from collections.abc import Generator
from typing import TypeVar, Union

from typing_extensions import TypeAlias

from ._effect_loop import Call, Pause, drive
from ._effect_loop import drive_async as drive_async_steps

__all__ = ["Call", "Plan", "drive_async", "drive_sync", "unawaited"]

T = TypeVar("T")

Plan: TypeAlias = Generator[Call, object, T]


def unawaited(outcome: object) -> bool:
    """Whether a call answered with an awaitable, which only the sync lane hands back (the async lane
    awaits it): a synchronous toolset given an async callback. The coroutine is closed unawaited."""
    if not inspect.isawaitable(outcome):
        return False
    if inspect.iscoroutine(outcome):
        outcome.close()
    return True


def _ending_in_pause(plan: Plan[T]) -> Generator[Union[Call, Pause[T]], object, None]:
    # the effect loop hands values out by pausing, so the plan's result becomes its one pause
    yield Pause((yield from plan))


def drive_sync(plan: Plan[T]) -> T:
    """Run `plan`, making each call it yields."""
    steps = drive(_ending_in_pause(plan))
    try:
        for result in steps:
            return result
    finally:
        steps.close()
    raise AssertionError("unreachable: the plan ends by pausing on its result")


async def drive_async(plan: Plan[T]) -> T:
    """Run `plan`, awaiting what each call returns when it is awaitable."""
    steps = drive_async_steps(_ending_in_pause(plan))
    try:
        async for result in steps:
            return result
    finally:
        await steps.aclose()
    raise AssertionError("unreachable: the plan ends by pausing on its result")
