"""The local server's `POST /decisions`: answers steered by the input text, and the decisions runner
driven against it end to end (sync and async)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from pyopenai import AsyncOpenAI, BadRequestError, OpenAI
from pyopenai.lib.decisions_tool_runner import AsyncDecisionsToolRunner, DecisionsToolRunner

QUESTIONS: list[Any] = [
    {"type": "choice", "name": "color", "instructions": "Which color?",
     "choices": [{"value": "red"}, {"value": "green"}, {"value": "blue", "description": "the sea"}]},
    {"type": "score", "name": "size", "instructions": "How big?",
     "levels": [{"label": "small"}, {"label": "medium"}, {"label": "large"}]},
    {"type": "predicate", "name": "ok", "instructions": "Is it fine?"},
]


def pick(client: OpenAI | AsyncOpenAI) -> Any:
    return lambda text, questions=QUESTIONS: client.decisions.create(model="gpt-5", input=text, questions=questions)


async def settle(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, openai_client: OpenAI, async_openai_client: AsyncOpenAI) -> Any:
    return async_openai_client if request.param == "async" else openai_client


async def test_answers_follow_what_the_input_mentions(client: Any) -> None:
    decision = await settle(pick(client)("A large one, like the sea. Yes."))
    color, size, ok = decision.answers
    assert (color.type, color.name, color.choice, color.confidence) == ("choice", "color", "blue", 0.9)
    assert [p.value for p in color.probabilities] == ["red", "green", "blue"]
    assert sum(p.probability for p in color.probabilities) == pytest.approx(1.0)
    assert (size.type, size.score, [p.label for p in size.probabilities]) == ("score", 2.0, ["small", "medium", "large"])
    assert (ok.type, ok.probability) == ("predicate", 0.9)
    assert decision.model == "gpt-5" and decision.usage.total_tokens > 0


async def test_unsteered_answers_take_the_defaults(client: Any) -> None:
    color, size, ok = (await settle(pick(client)("Anything."))).answers
    assert (color.choice, size.score, ok.probability) == ("red", 1.0, pytest.approx(0.1))


async def test_refuse_in_the_input_refuses_every_question(client: Any) -> None:
    decision = await settle(pick(client)("Please refuse."))
    assert [(a.type, a.name) for a in decision.answers] == [("refusal", "color"), ("refusal", "size"), ("refusal", "ok")]


@pytest.mark.parametrize(("questions", "param"), [
    ([], "questions"),
    ([{"type": "vote", "instructions": "?"}], "questions[0].type"),
    ([{"type": "choice", "instructions": "?", "choices": []}], "questions[0].choices"),
    ([{"type": "predicate"}], "questions[0].instructions"),
])
async def test_a_malformed_question_is_a_400_naming_it(client: Any, questions: Any, param: str) -> None:
    with pytest.raises(BadRequestError) as info:
        await settle(pick(client)("x", questions))
    assert info.value.param == param


class Pages:
    """Pages 1..3: the observation says "next" until the last page, which says "done"."""

    def __init__(self) -> None:
        self.page = 1

    def observe(self) -> str:
        return "page 3: done" if self.page == 3 else f"page {self.page}: go to the next"

    def turn(self) -> None:
        self.page += 1

    def candidates(self, _seen: Any) -> list[Any]:
        return [{"id": "next", "description": "Open the following page", "execute": self.turn},
                {"id": "done", "description": "Finished", "done": True}]


def test_the_decisions_runner_runs_against_the_local_server(openai_client: OpenAI) -> None:
    pages = Pages()
    runner = DecisionsToolRunner(observe=pages.observe, candidates=pages.candidates)
    result = runner.run(openai_client, {"model": "gpt-5", "input": "Reach the last page."})
    assert result["status"] == "unverified" and pages.page == 3
    assert result["completed_candidate_ids"] == ["next", "next"]


async def test_the_async_decisions_runner_runs_against_the_local_server(async_openai_client: AsyncOpenAI) -> None:
    pages = Pages()

    async def observe() -> str:
        return pages.observe()

    async def turn() -> None:
        pages.turn()

    async def candidates(seen: Any) -> list[Any]:
        return [{**c, "execute": turn} if "execute" in c else c for c in pages.candidates(seen)]

    runner = AsyncDecisionsToolRunner(observe=observe, candidates=candidates)
    result = await runner.run(async_openai_client, {"model": "gpt-5", "input": "Reach the last page."})
    assert result["status"] == "unverified" and pages.page == 3
    assert result["completed_candidate_ids"] == ["next", "next"]
