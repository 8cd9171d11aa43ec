"""Drive a runner's logic, written once as a generator of effects, from sync or from async code.

A runner's decisions (what to ask next, what a reply means, when to stop) live in one generator
that never does I/O itself: it yields an *effect* (call the model, run this function, ask this
callback) and receives the effect's outcome, or has the effect's exception thrown in at the same
`yield`, so its own `try` blocks see failures exactly where a direct call would raise them. The
sync runner performs effects by calling; the async runner by awaiting. A `Pause` effect hands a
value to the runner's caller (an iteration step) and resumes when the caller asks for the next one.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

_EffectT = TypeVar("_EffectT")
_ResultT = TypeVar("_ResultT")
_ShownT = TypeVar("_ShownT")


@dataclass(frozen=True)
class Pause(Generic[_ShownT]):
    """Show `value` to whoever iterates the run; resume when they ask for more."""

    value: _ShownT


def drive(
    engine: Generator[_EffectT | Pause[_ShownT], object, _ResultT], perform: Callable[[_EffectT], object]
) -> Generator[_ShownT, None, _ResultT]:
    """Run `engine` to its end, performing its effects by calling `perform`."""
    outcome: object = None
    failure: BaseException | None = None
    try:
        while True:
            try:
                effect = engine.throw(failure) if failure is not None else engine.send(outcome)
            except StopIteration as end:
                return cast(_ResultT, end.value)
            outcome, failure = None, None
            if isinstance(effect, Pause):
                yield cast("Pause[_ShownT]", effect).value
                continue
            try:
                outcome = perform(cast(_EffectT, effect))
            except BaseException as exc:  # the engine decides what a failure means for the run
                failure = exc
    finally:
        engine.close()


async def drive_async(
    engine: Generator[_EffectT | Pause[_ShownT], object, object],
    perform: Callable[[_EffectT], Awaitable[object]],
) -> AsyncGenerator[_ShownT, None]:
    """`drive` for the async runners: effects are awaited; the engine's result is not returned
    (an async generator cannot), so an async engine ends by pausing on its final value."""
    outcome: object = None
    failure: BaseException | None = None
    try:
        while True:
            try:
                effect = engine.throw(failure) if failure is not None else engine.send(outcome)
            except StopIteration:
                return
            outcome, failure = None, None
            if isinstance(effect, Pause):
                yield cast("Pause[_ShownT]", effect).value
                continue
            try:
                outcome = await perform(cast(_EffectT, effect))
            except BaseException as exc:
                failure = exc
    finally:
        engine.close()

