"""Drive a runner's logic, written once as a generator of effects, from sync or from async code.

A runner's decisions (what to ask next, what a reply means, when to stop) live in one generator
that never does I/O itself: it yields an *effect* (`Call`: call this callback, this API method)
and receives the effect's outcome, or has the effect's exception thrown in at the same `yield`, so
its own `try` blocks see failures exactly where a direct call would raise them. The sync runner
makes each call; the async runner also awaits what the call returns. A `Pause` effect hands a value
to the runner's caller (an iteration step) and resumes when the caller asks for the next one.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, Union, cast

from typing_extensions import TypeAlias

_ShownT = TypeVar("_ShownT")


@dataclass(frozen=True)
class Call:
    """Call `target(*args, **kwargs)`; the async lane awaits the result when it is awaitable."""

    target: Callable[..., object]
    args: tuple[object, ...] = ()
    kwargs: Mapping[str, object] = field(default_factory=lambda: {})


@dataclass(frozen=True)
class Pause(Generic[_ShownT]):
    """Show `value` to whoever iterates the run; resume when they ask for more."""

    value: _ShownT


Engine: TypeAlias = Generator[Union[Call, Pause[_ShownT]], object, None]


def _advance(engine: Engine[_ShownT], outcome: object, failure: BaseException | None) -> Call | Pause[_ShownT] | None:
    """The engine's next effect, given the last call's outcome (or its failure, thrown in); None at its end."""
    try:
        return engine.throw(failure) if failure is not None else engine.send(outcome)
    except StopIteration:
        return None


def drive(engine: Engine[_ShownT]) -> Generator[_ShownT, None, None]:
    """Run `engine` to its end, making its calls; yields what it pauses on."""
    outcome: object = None
    failure: BaseException | None = None
    try:
        while (effect := _advance(engine, outcome, failure)) is not None:
            outcome, failure = None, None
            if isinstance(effect, Pause):
                yield effect.value
                continue
            try:
                outcome = effect.target(*effect.args, **effect.kwargs)
            except BaseException as exc:  # the engine decides what a failure means for the run
                failure = exc
    finally:
        engine.close()


async def drive_async(engine: Engine[_ShownT]) -> AsyncGenerator[_ShownT, None]:
    """`drive` for the async runners: what a call returns is awaited when it is awaitable."""
    outcome: object = None
    failure: BaseException | None = None
    try:
        while (effect := _advance(engine, outcome, failure)) is not None:
            outcome, failure = None, None
            if isinstance(effect, Pause):
                yield effect.value
                continue
            try:
                result = effect.target(*effect.args, **effect.kwargs)
                outcome = await cast(Any, result) if inspect.isawaitable(result) else result
            except BaseException as exc:
                failure = exc
    finally:
        engine.close()
