import pydantic
from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.beta.agents import AgentTurnResult, PreparedAgentFiles, StagedAgentFile


class Answer(pydantic.BaseModel):
    text: str


client = OpenAI(api_key="sk-test")
with client.beta.agents.sessions.stream("sess_1", input="hi", output_type=Answer) as stream:
    for event in stream:
        if event.type == "agent.session.turn.output_text.delta":
            assert_type(event.delta, str)
    result = stream.get_final_result()
    assert_type(result, AgentTurnResult[Answer])
    assert_type(result.output_parsed, "Answer | None")
    assert_type(result.output_text, str)

client.beta.agents.sessions.stream("sess_1", imput="hi")  # expect-error
assert_type(client.beta.agents.environments.files.prepare({"/workspace/a.txt": "a.txt"}), PreparedAgentFiles)
assert_type(client.beta.agents.environments.files.upload("env_1", file=b"x", path="/workspace/x"), StagedAgentFile)
artifacts = client.beta.agents.sessions.artifacts.for_result(result)
assert_type(artifacts.content("/workspace/outputs/answer.md").read(), bytes)


async def main() -> None:
    async_client = AsyncOpenAI(api_key="sk-test")
    async with async_client.beta.agents.sessions.stream("sess_1", input="hi") as events:
        async for event in events:
            if event.type == "agent.session.turn.item.added" and event.item.type == "function_call":
                assert_type(event.item.name, str)
        assert_type((await events.get_final_result()).turn_id, str)
