from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.decisions_tool_runner import (
    AsyncDecisionsToolRunner,
    DecisionCandidate,
    DecisionObservation,
    DecisionsRunResult,
    DecisionsToolRunner,
    DecisionsToolRunnerError,
)
from pyopenai.lib.responses_tool_runner import (
    AsyncRegisteredFunction,
    AsyncResponsesToolRunner,
    RegisteredFunction,
    ResponsesRunnerTurn,
    ResponsesToolRunner,
    ToolRunnerError,
)
from pyopenai.lib.tool_diagnostics import ToolDiagnostic
from pyopenai.types.responses import Response


def weather(args: dict[str, object]) -> str:
    return f"sunny in {args['city']}"


async def weather_async(args: dict[str, object]) -> str:
    return weather(args)


client = OpenAI(api_key="sk-test")
function = RegisteredFunction(
    tool={"type": "function", "name": "get_weather", "parameters": {"type": "object"}, "strict": True},
    execute=weather,
    allow_output_override=True,
)
runner = ResponsesToolRunner(functions=[function])
response = runner.run(client, {"model": "gpt-5", "input": "Paris?"}, max_steps=4)
assert_type(response, Response)
for turn in runner.iterate(client, {"model": "gpt-5", "input": "Paris?"}):
    assert_type(turn, ResponsesRunnerTurn)
    turn.supply_outputs([{"type": "function_call_output", "call_id": "c1", "output": "22C"}])
    turn.append_user_text("In Celsius.")
closed: str = runner.close()["status"]


def on_diagnostic(diagnostic: ToolDiagnostic) -> None:
    print(diagnostic["stage"], diagnostic["duration_ms"])


runner.run(client, {"model": "gpt-5", "input": "Paris?"}, on_diagnostic=on_diagnostic, cancelled=lambda: False)
runner.run(client, {"model": "gpt-5", "input": "Paris?"}, max_steps="3")  # expect-error
RegisteredFunction(tool={"type": "function", "name": "w", "parameters": {}, "strict": True}, execute=weather_async)  # expect-error
ResponsesToolRunner(functions=[AsyncRegisteredFunction(tool=function.tool, execute=weather_async)])  # expect-error

try:
    runner.run(client, {"model": "gpt-5", "input": "Paris?"})
except ToolRunnerError as stopped:
    assert_type(stopped.attempted_call_ids, tuple[str, ...])


async def main() -> None:
    aclient = AsyncOpenAI(api_key="sk-test")
    arunner = AsyncResponsesToolRunner(functions=[AsyncRegisteredFunction(tool=function.tool, execute=weather_async)])
    final = await arunner.run(aclient, {"model": "gpt-5", "input": "Paris?"}, stream=True)
    assert_type(final, Response)
    async for step in arunner.iterate(aclient, {"model": "gpt-5", "input": "Paris?"}):
        assert_type(step.final, bool)

    async def observe() -> DecisionObservation:
        return "page 1"

    async def candidates(seen: DecisionObservation) -> list[dict[str, object]]:
        return []

    AsyncDecisionsToolRunner(observe=observe, candidates=candidates)  # expect-error


def observe() -> str:
    return "page 1"


def offer(seen: DecisionObservation) -> list[DecisionCandidate]:
    return [
        {"id": "next", "description": "Open the next page", "execute": lambda: None},
        {"id": "done", "description": "Finished", "done": True},
    ]


decisions = DecisionsToolRunner(observe=observe, candidates=offer, verify=lambda seen: seen == "page 2")
result = decisions.run(client, {"model": "gpt-5", "input": "Reach page 2."}, max_steps=5)
assert_type(result, DecisionsRunResult)
status: str = result["status"]
decisions.run(client, {"model": "gpt-5", "input": "x", "temperature": 1})  # expect-error
try:
    decisions.run(client, {"model": "gpt-5", "input": "x"})
except DecisionsToolRunnerError as failed:
    print(failed.reason, failed.completed_candidate_ids)
