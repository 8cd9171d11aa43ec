"""Let the Decisions API pick the next of your actions until a task is done.

    runner = DecisionsToolRunner(
        observe=lambda: page_text(),                       # what the model sees each step
        candidates=lambda seen: [
            {"id": "next_page", "description": "Open the next page", "execute": open_next},
            {"id": "done", "description": "The answer is on this page", "done": True},
        ],
        verify=lambda seen: "answer" in seen,              # optional: check "done" really is done
    )
    result = runner.run(client, {"model": "gpt-5", "input": "Find the opening hours."})
    result["status"]          # "verified", "unverified" (no verify=) or "refused"

Each step observes, asks `client.decisions.create` to choose one candidate (a `choice` question
named `next_action`), and runs the chosen action's `execute()`. A step offering only the done
candidate needs no request. A choice is a selection, not a permission: `execute` is your code and
does its own checks. Every failure stops the run with a `DecisionsToolRunnerError` whose `reason`
says why and whose `attempted_candidate_ids`/`completed_candidate_ids` say which actions started and
which returned; the cause stays reachable as `__context__` but is kept out of the message, which may
reach logs. Cancelling an async run raises `DecisionsToolRunnerCancelledError` (an
`asyncio.CancelledError`) carrying the same ids; `cancelled=` (a callable) stops a run between steps.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable
from copy import deepcopy
from dataclasses import dataclass
from math import isfinite
from time import monotonic
from typing import TYPE_CHECKING, Union, cast

from typing_extensions import Literal, Required, TypeAlias, TypedDict

from ._effect_loop import Call, Engine, Pause, drive, drive_async
from ._tool_lifecycle import CloseStatus, ToolLifecycle, invoke, rotated_idempotency_headers
from .tool_diagnostics import ToolDiagnosticObserver, emit_tool_diagnostic

if TYPE_CHECKING:
    from .._client import AsyncOpenAI, OpenAI
    from ..types.decision import Decision
    from ..types.decision_create_params import DecisionCreateParams
    from ..types.decision_input_image_param import DecisionInputImageParam
    from ..types.decision_input_text_param import DecisionInputTextParam

__all__ = [
    "AsyncDecisionActionCandidate",
    "AsyncDecisionCandidate",
    "AsyncDecisionsToolRunner",
    "DecisionActionCandidate",
    "DecisionCandidate",
    "DecisionDoneCandidate",
    "DecisionObservation",
    "DecisionsRunResult",
    "DecisionsRunnerParams",
    "DecisionsToolRunner",
    "DecisionsToolRunnerCancelledError",
    "DecisionsToolRunnerError",
]

DecisionObservation: TypeAlias = Union[str, Iterable[Union["DecisionInputTextParam", "DecisionInputImageParam"]]]


class DecisionActionCandidate(TypedDict, total=False):
    id: Required[str]
    description: Required[str]
    execute: Required[Callable[[], object]]
    done: Literal[False]


class AsyncDecisionActionCandidate(TypedDict, total=False):
    id: Required[str]
    description: Required[str]
    execute: Required[Callable[[], Awaitable[object]]]
    done: Literal[False]


class DecisionDoneCandidate(TypedDict):
    id: str
    description: str
    done: Literal[True]


DecisionCandidate: TypeAlias = Union[DecisionActionCandidate, DecisionDoneCandidate]
AsyncDecisionCandidate: TypeAlias = Union[AsyncDecisionActionCandidate, DecisionDoneCandidate]


class DecisionsRunnerParams(TypedDict, total=False):
    model: Required[str]
    input: Required[str]
    safety_identifier: str | None


class DecisionsRunResult(TypedDict):
    status: Literal["verified", "unverified", "refused"]
    decisions: list[Decision]
    attempted_candidate_ids: list[str]
    completed_candidate_ids: list[str]


StopReason: TypeAlias = Literal[
    "invalid_params",
    "invalid_candidates",
    "invalid_answer",
    "async_executor",
    "invalid_verification",
    "verification_failed",
    "step_limit",
    "failed",
    "cancelled",
]

_EXPLANATIONS: dict[StopReason, str] = {
    "invalid_params": "The run needs params with a string `model` and `input` (and optionally "
    "`safety_identifier`) and a positive integer max_steps.",
    "invalid_candidates": "Candidates must be a list of 1 to 255 dicts with unique non-blank ids and "
    "descriptions, callable executors, and exactly one `done: True` candidate (without an executor).",
    "invalid_answer": "The decision did not choose one of the offered candidates.",
    "async_executor": "A candidate's executor returned an awaitable; use AsyncDecisionsToolRunner for async executors.",
    "invalid_verification": "verify() must return True or False.",
    "verification_failed": "verify() rejected completion and no other action was offered.",
    "step_limit": "The run used max_steps without reaching a done candidate.",
    "failed": "The run stopped before completion; the error that stopped it is its __context__.",
    "cancelled": "The run was cancelled.",
}

_QUESTION = "next_action"
_INSTRUCTIONS = "Choose the action that moves the task forward now; choose the done option once the task is complete."


class DecisionsToolRunnerError(RuntimeError):
    """Why a run stopped (`reason`), and which actions had started or returned by then."""

    def __init__(self, reason: StopReason, attempted: list[str], completed: list[str]) -> None:
        super().__init__(_EXPLANATIONS[reason])
        self.reason = reason
        self.attempted_candidate_ids = tuple(attempted)
        self.completed_candidate_ids = tuple(completed)


class DecisionsToolRunnerCancelledError(asyncio.CancelledError):
    """The run's task was cancelled; carries which actions had started or returned."""

    def __init__(self, attempted: list[str], completed: list[str]) -> None:
        super().__init__(_EXPLANATIONS["cancelled"])
        self.reason: Literal["cancelled"] = "cancelled"
        self.attempted_candidate_ids = tuple(attempted)
        self.completed_candidate_ids = tuple(completed)


@dataclass(frozen=True)
class _Candidate:
    id: str
    description: str
    execute: Callable[[], object] | None  # None: the done candidate


class _Stopped(Exception):
    """Raised inside the engine for a stop it decided itself (as opposed to a callback's error)."""

    def __init__(self, reason: StopReason) -> None:
        self.reason: StopReason = reason


def _checked_params(params: DecisionsRunnerParams, max_steps: int) -> DecisionsRunnerParams:
    if not isinstance(cast(object, params), dict):
        raise _Stopped("invalid_params")
    fields = cast("dict[str, object]", params)
    valid = (
        not set(fields) - {"model", "input", "safety_identifier"}
        and isinstance(fields.get("model"), str)
        and isinstance(fields.get("input"), str)
        and (fields.get("safety_identifier") is None or isinstance(fields.get("safety_identifier"), str))
        and type(max_steps) is int
        and max_steps >= 1
    )
    if not valid:
        raise _Stopped("invalid_params")
    return cast(DecisionsRunnerParams, dict(fields))


def _owned_observation(observation: object) -> DecisionObservation:
    """A private copy of what was observed (a one-shot iterable is read once), checked part by part."""
    if isinstance(observation, str):
        return observation
    if not isinstance(observation, Iterable):
        raise _Stopped("failed")
    parts = deepcopy(list(cast("Iterable[object]", observation)))
    for part in parts:
        if not isinstance(part, dict):
            raise _Stopped("failed")
        fields = cast("dict[str, object]", part)
        kind = fields.get("type")
        text_ok = kind == "input_text" and isinstance(fields.get("text"), str)
        image_ok = (
            kind == "input_image"
            and isinstance(fields.get("image_url"), str)
            and fields.get("detail") in (None, "low", "high", "auto", "original")
        )
        if not (text_ok or image_ok):
            raise _Stopped("failed")
    return cast("list[DecisionInputTextParam | DecisionInputImageParam]", parts)


def _checked_candidates(offered: object) -> list[_Candidate]:
    if not isinstance(offered, list) or not 1 <= len(cast("list[object]", offered)) <= 255:
        raise _Stopped("invalid_candidates")
    checked: list[_Candidate] = []
    for entry in cast("list[object]", offered):
        if not isinstance(entry, dict):
            raise _Stopped("invalid_candidates")
        fields = cast("dict[str, object]", entry)
        candidate_id, description = fields.get("id"), fields.get("description")
        done, execute = fields.get("done", False), fields.get("execute")
        valid = (
            not set(fields) - {"id", "description", "done", "execute"}
            and isinstance(candidate_id, str)
            and bool(candidate_id.strip())
            and all(candidate_id != seen.id for seen in checked)
            and isinstance(description, str)
            and bool(description.strip())
            and type(done) is bool
            and (("execute" not in fields) if done else callable(execute))
        )
        if not valid:
            raise _Stopped("invalid_candidates")
        action = None if done else cast("Callable[[], object]", execute)
        checked.append(_Candidate(cast(str, candidate_id), cast(str, description), action))
    if sum(candidate.execute is None for candidate in checked) != 1:
        raise _Stopped("invalid_candidates")
    return checked


def _request(params: DecisionsRunnerParams, observation: DecisionObservation, candidates: list[_Candidate]) -> DecisionCreateParams:
    request: DecisionCreateParams = {
        "model": params["model"],
        "input": [{"role": "user", "content": params["input"]}, {"role": "user", "content": observation}],
        "questions": [
            {
                "type": "choice",
                "name": _QUESTION,
                "instructions": _INSTRUCTIONS,
                "choices": [{"value": c.id, "description": c.description} for c in candidates],
            }
        ],
    }
    if "safety_identifier" in params:
        request["safety_identifier"] = params["safety_identifier"]
    return request


def _finite_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and isfinite(value)


def _chosen(decision: object, candidates: list[_Candidate]) -> _Candidate | None:
    """The candidate a decision chose (None: the model refused); anything else stops the run."""
    answers = getattr(decision, "answers", None)
    if not isinstance(answers, list) or len(cast("list[object]", answers)) != 1:
        raise _Stopped("invalid_answer")
    answer: object = cast("list[object]", answers)[0]
    if getattr(answer, "name", None) != _QUESTION:
        raise _Stopped("invalid_answer")
    kind = getattr(answer, "type", None)
    if kind == "refusal":
        return None
    choice = getattr(answer, "choice", None)
    probabilities = getattr(answer, "probabilities", None)
    well_formed = (
        kind == "choice"
        and isinstance(choice, str)
        and _finite_number(getattr(answer, "confidence", None))
        and isinstance(probabilities, list)
        and all(_finite_number(getattr(p, "probability", None)) for p in cast("list[object]", probabilities))
    )
    if not well_formed:
        raise _Stopped("invalid_answer")
    for candidate in candidates:
        if candidate.id == choice:
            return candidate
    raise _Stopped("invalid_answer")


class _Run:
    """One run's evidence: the decisions received and which actions started and returned."""

    def __init__(self, cancelled: Callable[[], bool] | None) -> None:
        self.cancelled = cancelled
        self.attempted: list[str] = []
        self.completed: list[str] = []
        self.decisions: list[Decision] = []

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise _Stopped("cancelled")

    def result(self, status: Literal["verified", "unverified", "refused"]) -> DecisionsRunResult:
        return {
            "status": status,
            "decisions": list(self.decisions),
            "attempted_candidate_ids": list(self.attempted),
            "completed_candidate_ids": list(self.completed),
        }


@dataclass(frozen=True)
class _Callbacks:
    """What a run calls, as one lane gives it (the async lane's return awaitables)."""

    client: OpenAI | AsyncOpenAI
    observe: Callable[[], object]
    candidates: Callable[[DecisionObservation], object]
    verify: Callable[[DecisionObservation], object] | None
    async_lane: bool


def _engine(
    params: DecisionsRunnerParams,
    lane: _Callbacks,
    *,
    max_steps: int,
    run: _Run,
    on_diagnostic: ToolDiagnosticObserver | None,
) -> Engine[DecisionsRunResult]:
    """The whole run, for both lanes; it ends by pausing on its result."""
    try:
        params = _checked_params(params, max_steps)
        for step in range(max_steps):
            last_step = step == max_steps - 1
            run.check()
            observation = _owned_observation((yield Call(lane.observe)))
            run.check()
            candidates = _checked_candidates((yield Call(lane.candidates, (deepcopy(observation),))))
            run.check()
            only_done = len(candidates) == 1
            choice: _Candidate | None = candidates[0]
            if not only_done:
                started = monotonic()
                try:
                    request = _request(params, observation, candidates)
                    headers = rotated_idempotency_headers(lane.client, None) if step > 0 else None
                    decision = yield Call(lane.client.decisions.create, kwargs={**request, "extra_headers": headers})
                except Exception:
                    emit_tool_diagnostic(on_diagnostic, "decisions", "request", "api_failed", started)
                    raise
                run.check()
                choice = _chosen(decision, candidates)
                run.decisions.append(cast("Decision", decision))
                usage = getattr(decision, "usage", None)
                emit_tool_diagnostic(on_diagnostic, "decisions", "request", "completed", started, usage=usage)
            emit_tool_diagnostic(
                on_diagnostic,
                "decisions",
                "selection",
                "refused" if choice is None else "completed",
                monotonic(),
                call_id=None if choice is None else choice.id,
            )
            if choice is None:
                run.check()
                yield Pause(run.result("refused"))
                return
            if choice.execute is None:
                if lane.verify is None:
                    run.check()
                    yield Pause(run.result("unverified"))
                    return
                run.check()
                fresh = _owned_observation((yield Call(lane.observe)))
                run.check()
                started = monotonic()
                verdict = yield Call(lane.verify, (deepcopy(fresh),))
                emit_tool_diagnostic(
                    on_diagnostic,
                    "decisions",
                    "verification",
                    "completed" if verdict is True else "refused",
                    started,
                    call_id=choice.id,
                )
                run.check()
                if verdict is True:
                    yield Pause(run.result("verified"))
                    return
                if verdict is not False:
                    raise _Stopped("invalid_verification")
                if only_done:
                    raise _Stopped("verification_failed")
                if last_step:
                    raise _Stopped("step_limit")
                continue
            if last_step:  # no action may run when no step is left to look at its effect
                raise _Stopped("step_limit")
            run.attempted.append(choice.id)
            started = monotonic()
            try:
                outcome = yield Call(invoke, (choice.execute,), {"cancelled": run.cancelled})
                if not lane.async_lane and inspect.isawaitable(outcome):
                    if inspect.iscoroutine(outcome):
                        outcome.close()
                    raise _Stopped("async_executor")
            except (Exception, asyncio.CancelledError):
                emit_tool_diagnostic(on_diagnostic, "decisions", "action", "driver_failed", started, call_id=choice.id)
                raise
            emit_tool_diagnostic(on_diagnostic, "decisions", "action", "completed", started, call_id=choice.id)
            run.completed.append(choice.id)
            run.check()
        raise AssertionError("max_steps >= 1 always reaches a return or a stop")
    except _Stopped as stop:
        if stop.reason == "step_limit":
            emit_tool_diagnostic(on_diagnostic, "decisions", "run", "step_limit", monotonic())
        raise DecisionsToolRunnerError(stop.reason, run.attempted, run.completed) from None
    except asyncio.CancelledError:
        raise DecisionsToolRunnerCancelledError(run.attempted, run.completed) from None
    except Exception:
        raise DecisionsToolRunnerError("failed", run.attempted, run.completed) from None


class DecisionsToolRunner:
    """Runs observe → decide → act steps with sync callbacks (see the module's documentation)."""

    def __init__(
        self,
        *,
        observe: Callable[[], DecisionObservation],
        candidates: Callable[[DecisionObservation], list[DecisionCandidate]],
        verify: Callable[[DecisionObservation], bool] | None = None,
    ) -> None:
        self.observe = observe
        self.candidates = candidates
        self.verify = verify
        self._lifecycle = ToolLifecycle("Decisions runner")

    def close(self) -> CloseStatus:
        """Refuse new runs; "draining" while a run is still going."""
        return self._lifecycle.close()

    def run(
        self,
        client: OpenAI,
        params: DecisionsRunnerParams,
        *,
        max_steps: int = 20,
        cancelled: Callable[[], bool] | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
    ) -> DecisionsRunResult:
        self._lifecycle.enter()
        try:
            lane = _Callbacks(client, self.observe, self.candidates, self.verify, async_lane=False)
            engine = _engine(params, lane, max_steps=max_steps, run=_Run(cancelled), on_diagnostic=on_diagnostic)
            for result in drive(engine):
                return result
            raise AssertionError("the engine ends with its result")
        finally:
            self._lifecycle.exit()


class AsyncDecisionsToolRunner:
    """`DecisionsToolRunner` with async callbacks and executors."""

    def __init__(
        self,
        *,
        observe: Callable[[], Awaitable[DecisionObservation]],
        candidates: Callable[[DecisionObservation], Awaitable[list[AsyncDecisionCandidate]]],
        verify: Callable[[DecisionObservation], Awaitable[bool]] | None = None,
    ) -> None:
        self.observe = observe
        self.candidates = candidates
        self.verify = verify
        self._lifecycle = ToolLifecycle("Decisions runner")

    def close(self) -> CloseStatus:
        """Refuse new runs; "draining" while a run is still going."""
        return self._lifecycle.close()

    async def run(
        self,
        client: AsyncOpenAI,
        params: DecisionsRunnerParams,
        *,
        max_steps: int = 20,
        cancelled: Callable[[], bool] | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
    ) -> DecisionsRunResult:
        self._lifecycle.enter()
        try:
            lane = _Callbacks(client, self.observe, self.candidates, self.verify, async_lane=True)
            engine = _engine(params, lane, max_steps=max_steps, run=_Run(cancelled), on_diagnostic=on_diagnostic)
            steps = drive_async(engine)
            try:
                async for result in steps:
                    return result
            finally:
                await steps.aclose()
            raise AssertionError("the engine ends with its result")
        finally:
            self._lifecycle.exit()
