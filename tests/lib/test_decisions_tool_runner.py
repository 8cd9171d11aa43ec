"""DecisionsToolRunner / AsyncDecisionsToolRunner against a scripted `POST /decisions`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from helpers import Recorder, json_response, make_async_client, make_client

from pyopenai.lib.decisions_tool_runner import (
    AsyncDecisionsToolRunner,
    DecisionsRunResult,
    DecisionsToolRunner,
    DecisionsToolRunnerCancelledError,
    DecisionsToolRunnerError,
)
from pyopenai.lib.tool_diagnostics import ToolDiagnostic

PARAMS: Any = {"model": "gpt-5", "input": "Reach the last page."}
USAGE = {
    "input_tokens": 12,
    "input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": 0},
    "output_tokens": 3,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 15,
}


def choice(value: str) -> dict[str, Any]:
    answer = {"type": "choice", "name": "next_action", "choice": value, "confidence": 0.9,
              "probabilities": [{"value": value, "probability": 0.9}]}
    return {"answers": [answer], "model": "gpt-5", "usage": USAGE}


REFUSAL = {"answers": [{"type": "refusal", "name": "next_action"}], "model": "gpt-5", "usage": USAGE}


def scripted(*bodies: Any) -> Callable[[httpx2.Request], httpx2.Response]:
    queue = list(bodies)

    def answer(request: httpx2.Request) -> httpx2.Response:
        assert request.url.path == "/v1/decisions"
        body = queue.pop(0)
        if isinstance(body, httpx2.Response):
            return body
        return json_response(body)

    return answer


class Pages:
    """A tiny world: pages 1..3; the task is done on page 3."""

    def __init__(self) -> None:
        self.page = 1
        self.log: list[str] = []

    def observe(self) -> str:
        return f"page {self.page}"

    def next_page(self) -> None:
        self.log.append(f"next from {self.page}")
        self.page += 1

    def candidates(self, seen: Any) -> list[Any]:
        return [
            {"id": "next", "description": "Open the next page", "execute": self.next_page},
            {"id": "done", "description": "The task is complete", "done": True},
        ]


def run(lane: str, bodies: list[Any], world: Pages | None = None, *, verify: Callable[[Any], Any] | None = None,
        candidates: Callable[[Any], Any] | None = None, **options: Any) -> tuple[DecisionsRunResult, Recorder]:
    """Run the same scenario on the sync or the async runner (callbacks wrapped as coroutines)."""
    world = world or Pages()
    offer = candidates or world.candidates
    if lane == "sync":
        client, recorder = make_client(scripted(*bodies), max_retries=0)
        runner = DecisionsToolRunner(observe=world.observe, candidates=offer, verify=verify)
        return runner.run(client, PARAMS, **options), recorder

    def as_async(fn: Callable[..., Any]) -> Callable[..., Any]:
        async def wrapped(*args: Any) -> Any:
            return fn(*args)
        return wrapped

    async def offer_async(seen: Any) -> Any:
        offered = offer(seen)
        if isinstance(offered, list):
            return [{**c, "execute": as_async(c["execute"])} if "execute" in c else c for c in offered]
        return offered

    async def main() -> tuple[DecisionsRunResult, Recorder]:
        client, recorder = make_async_client(scripted(*bodies), max_retries=0)
        runner = AsyncDecisionsToolRunner(observe=as_async(world.observe), candidates=offer_async,
                                          verify=None if verify is None else as_async(verify))
        return await runner.run(client, PARAMS, **options), recorder

    return asyncio.run(main())


LANES = pytest.mark.parametrize("lane", ["sync", "async"])


@LANES
def test_runs_the_chosen_actions_until_done(lane: str) -> None:
    world = Pages()
    result, recorder = run(lane, [choice("next"), choice("next"), choice("done")], world)
    assert result["status"] == "unverified"
    assert world.log == ["next from 1", "next from 2"]
    assert result["attempted_candidate_ids"] == ["next", "next"]
    assert result["completed_candidate_ids"] == ["next", "next"]
    assert [d.answers[0].choice for d in result["decisions"]] == ["next", "next", "done"]  # type: ignore[union-attr]
    first = recorder.json(0)
    assert first["model"] == "gpt-5"
    assert first["input"][0] == {"role": "user", "content": "Reach the last page."}
    assert first["input"][1] == {"role": "user", "content": "page 1"}
    question = first["questions"][0]
    assert question["type"] == "choice" and question["name"] == "next_action"
    assert question["choices"] == [
        {"value": "next", "description": "Open the next page"},
        {"value": "done", "description": "The task is complete"},
    ]
    assert recorder.json(2)["input"][1]["content"] == "page 3"


@LANES
def test_verify_sees_a_fresh_observation_and_a_rejection_continues(lane: str) -> None:
    world = Pages()
    seen: list[Any] = []

    def verify(observation: Any) -> bool:
        seen.append(observation)
        return observation == "page 2"

    result, _ = run(lane, [choice("done"), choice("next"), choice("done")], world, verify=verify)
    assert result["status"] == "verified"
    assert seen == ["page 1", "page 2"]
    assert world.page == 2


@LANES
def test_refusal_returns_refused_without_acting(lane: str) -> None:
    world = Pages()
    result, _ = run(lane, [REFUSAL], world)
    assert result["status"] == "refused"
    assert world.log == [] and result["attempted_candidate_ids"] == []


@LANES
def test_a_lone_done_candidate_needs_no_request(lane: str) -> None:
    result, recorder = run(lane, [], candidates=lambda seen: [{"id": "done", "description": "Finished", "done": True}])
    assert result["status"] == "unverified" and result["decisions"] == []
    assert recorder.requests == []


@LANES
def test_step_limit_stops_before_an_action_it_could_not_observe(lane: str) -> None:
    world = Pages()
    with pytest.raises(DecisionsToolRunnerError) as caught:
        run(lane, [choice("next"), choice("next")], world, max_steps=2)
    assert caught.value.reason == "step_limit"
    assert world.log == ["next from 1"]  # the second choice arrived on the last step: not run
    assert caught.value.attempted_candidate_ids == ("next",)
    assert caught.value.completed_candidate_ids == ("next",)


@LANES
@pytest.mark.parametrize(
    "answer",
    [
        choice("jump"),  # not offered
        {"answers": [], "model": "gpt-5", "usage": USAGE},
        {**choice("next"), "answers": [{**choice("next")["answers"][0], "name": "other_question"}]},
    ],
    ids=["unknown-choice", "no-answer", "wrong-question"],
)
def test_an_answer_that_chose_nothing_offered_stops_the_run(lane: str, answer: Any) -> None:
    world = Pages()
    with pytest.raises(DecisionsToolRunnerError) as caught:
        run(lane, [answer], world)
    assert caught.value.reason == "invalid_answer"
    assert world.log == []


@LANES
@pytest.mark.parametrize(
    "offered",
    [
        [],
        [{"id": "a", "description": "A", "execute": print}],  # no done candidate
        [{"id": "a", "description": "A", "execute": print}, {"id": "a", "description": "B", "done": True}],
        [{"id": " ", "description": "A", "execute": print}, {"id": "d", "description": "D", "done": True}],
        [{"id": "a", "description": "A"}, {"id": "d", "description": "D", "done": True}],  # no executor
        [{"id": "d", "description": "D", "done": True, "execute": print}],
        "not a list",
    ],
)
def test_invalid_candidates_are_refused_before_any_request(lane: str, offered: Any) -> None:
    with pytest.raises(DecisionsToolRunnerError) as caught:
        run(lane, [], candidates=lambda seen: offered)  # no reply is scripted: a request would fail as "failed"
    assert caught.value.reason == "invalid_candidates"


@pytest.mark.parametrize("params", [{"model": "gpt-5"}, {"model": "gpt-5", "input": "x", "tools": []}, {"model": 3, "input": "x"}])
def test_invalid_params_are_named(params: Any) -> None:
    world = Pages()
    client, recorder = make_client(scripted())
    runner = DecisionsToolRunner(observe=world.observe, candidates=world.candidates)
    with pytest.raises(DecisionsToolRunnerError) as caught:
        runner.run(client, params)
    assert caught.value.reason == "invalid_params"
    assert recorder.requests == []


@LANES
def test_an_executor_error_is_kept_out_of_the_message_but_reachable(lane: str) -> None:
    class Broken(Pages):
        def next_page(self) -> None:
            raise ValueError("token=abc123 leaked")

    with pytest.raises(DecisionsToolRunnerError) as caught:
        run(lane, [choice("next")], Broken())
    assert caught.value.reason == "failed"
    assert "abc123" not in str(caught.value)
    assert isinstance(caught.value.__context__, ValueError)
    assert caught.value.attempted_candidate_ids == ("next",)
    assert caught.value.completed_candidate_ids == ()


@LANES
def test_an_api_error_stops_the_run_as_failed(lane: str) -> None:
    error = httpx2.Response(400, json={"error": {"message": "bad", "type": "invalid_request_error"}})
    with pytest.raises(DecisionsToolRunnerError) as caught:
        run(lane, [error])
    assert caught.value.reason == "failed"
    assert type(caught.value.__context__).__name__ == "BadRequestError"


@LANES
def test_cancelled_callable_stops_between_steps(lane: str) -> None:
    world = Pages()
    with pytest.raises(DecisionsToolRunnerError) as caught:
        run(lane, [choice("next"), choice("next")], world, cancelled=lambda: world.page >= 2)
    assert caught.value.reason == "cancelled"
    assert world.log == ["next from 1"]


def test_a_sync_executor_returning_an_awaitable_is_refused() -> None:
    async def later() -> None:
        return None

    offered = [{"id": "a", "description": "A", "execute": later}, {"id": "d", "description": "D", "done": True}]
    with pytest.raises(DecisionsToolRunnerError) as caught:
        run("sync", [choice("a")], candidates=lambda seen: offered)
    assert caught.value.reason == "async_executor"
    assert caught.value.attempted_candidate_ids == ("a",) and caught.value.completed_candidate_ids == ()


def test_task_cancellation_raises_a_cancelled_error_with_the_ids() -> None:
    async def main() -> None:
        started = asyncio.Event()

        async def observe() -> str:
            return "page"

        async def hang() -> None:
            started.set()
            await asyncio.Event().wait()

        async def candidates(seen: Any) -> list[Any]:
            return [{"id": "hang", "description": "Wait", "execute": hang}, {"id": "d", "description": "D", "done": True}]

        client, _ = make_async_client(scripted(choice("hang")))
        runner = AsyncDecisionsToolRunner(observe=observe, candidates=candidates)
        task = asyncio.ensure_future(runner.run(client, PARAMS))
        await started.wait()
        task.cancel()
        with pytest.raises(DecisionsToolRunnerCancelledError) as caught:
            await task
        assert isinstance(caught.value, asyncio.CancelledError)
        assert caught.value.attempted_candidate_ids == ("hang",) and caught.value.completed_candidate_ids == ()

    asyncio.run(main())


def test_follow_up_requests_get_a_fresh_pinned_idempotency_key() -> None:
    client, recorder = make_client(scripted(choice("next"), choice("done")), default_headers={"Idempotency-Key": "fixed"}, max_retries=0)
    world = Pages()
    DecisionsToolRunner(observe=world.observe, candidates=world.candidates).run(client, PARAMS)
    keys = [r.headers["idempotency-key"] for r in recorder.requests]
    assert keys[0] == "fixed" and keys[1] != "fixed"


def test_diagnostics_name_stages_without_content() -> None:
    seen: list[ToolDiagnostic] = []
    run("sync", [choice("next"), choice("done")], on_diagnostic=seen.append)
    assert [(d["stage"], d["reason"], d["call_id"]) for d in seen] == [
        ("request", "completed", None),
        ("selection", "completed", "next"),
        ("action", "completed", "next"),
        ("request", "completed", None),
        ("selection", "completed", "done"),
    ]
    assert seen[0]["usage"] == {"input_tokens": 12, "output_tokens": 3, "total_tokens": 15}
    assert "page" not in json.dumps(seen)


def test_one_run_at_a_time_and_none_after_close() -> None:
    world = Pages()
    client, _ = make_client(scripted())
    inner: list[BaseException] = []

    def observe() -> str:
        try:
            runner.run(client, PARAMS)
        except RuntimeError as exc:
            inner.append(exc)
        assert runner.close() == {"status": "draining"}
        return "page"

    runner = DecisionsToolRunner(observe=observe, candidates=lambda seen: [{"id": "d", "description": "D", "done": True}])
    assert runner.run(client, PARAMS)["status"] == "unverified"
    assert "busy" in str(inner[0])
    with pytest.raises(RuntimeError, match="closed"):
        runner.run(client, PARAMS)
    assert runner.close() == {"status": "closed"}
    assert world.log == []
