from pydantic import BaseModel
from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI, pydantic_function_tool
from pyopenai.lib.parsed_types import ParsedChatCompletion, ParsedResponse
from pyopenai.types.chat import ChatCompletionFunctionToolParam, ChatCompletionMessageParam


class Weather(BaseModel):
    city: str
    celsius: float


client = OpenAI(api_key="sk-test")
messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Weather in Paris?"}]

# every create() argument goes through, typed
completion = client.chat.completions.parse(
    model="gpt-4o-mini", messages=messages, response_format=Weather, temperature=0.2, max_completion_tokens=200,
    extra_headers={"X-Trace": "1"}, timeout=30,
)
assert_type(completion, ParsedChatCompletion[Weather])

tool = pydantic_function_tool(Weather, name="get_weather")
assert_type(tool, ChatCompletionFunctionToolParam)
with_tools = client.chat.completions.parse(model="gpt-4o-mini", messages=messages, tools=[tool])
assert_type(with_tools, ParsedChatCompletion[None])

with client.chat.completions.stream(model="gpt-4o-mini", messages=messages, response_format=Weather) as stream:
    for event in stream:
        if event.type == "content.done":
            assert_type(event.content, str)
            if event.parsed is not None:
                assert_type(event.parsed.celsius, float)
        elif event.type == "tool_calls.function.arguments.delta":
            assert_type(event.index, int)
            assert_type(event.arguments_delta, str)
        elif event.type == "refusal.delta":
            assert_type(event.snapshot, str)
    final = stream.get_final_completion()
    assert_type(final, ParsedChatCompletion[Weather])

response = client.responses.parse(model="gpt-4o-mini", input="Weather in Paris?", text_format=Weather)
assert_type(response, ParsedResponse[Weather])
if response.output_parsed is not None:
    assert_type(response.output_parsed.city, str)
assert_type(client.responses.parse(model="gpt-4o-mini", input="hi"), ParsedResponse[None])
assert_type(client.responses.parse(model="gpt-4o-mini", input="hi", parse_as=Weather), ParsedResponse[Weather])
assert_type(client.responses.parse(model="gpt-4o-mini", input="hi", text_format=Weather, parse_as=None), ParsedResponse[None])

with client.responses.stream(model="gpt-4o-mini", input="Weather?", text_format=Weather, temperature=0) as rstream:
    for revent in rstream:
        if revent.type == "response.output_text.done":
            assert_type(revent.text, str)
        elif revent.type == "response.completed":
            assert_type(revent.response, ParsedResponse[Weather])
        elif revent.type == "response.function_call_arguments.delta":
            assert_type(revent.snapshot, str)
    assert_type(rstream.get_final_response(), ParsedResponse[Weather])

with client.responses.stream(response_id="resp_123", starting_after=3) as resumed:
    assert_type(resumed.get_final_response(), ParsedResponse[None])

raw = client.chat.completions.with_raw_response.parse(model="gpt-4o-mini", messages=messages, response_format=Weather)
assert_type(raw.parse(), ParsedChatCompletion[Weather])
rraw = client.responses.with_raw_response.parse(model="gpt-4o-mini", input="hi", text_format=Weather)
assert_type(rraw.parse(), ParsedResponse[Weather])
with client.chat.completions.with_streaming_response.parse(model="gpt-4o-mini", messages=messages) as streamed:
    assert_type(streamed.parse(), ParsedChatCompletion[None])


async def main() -> None:
    aclient = AsyncOpenAI(api_key="sk-test")
    acompletion = await aclient.chat.completions.parse(model="gpt-4o-mini", messages=messages, response_format=Weather)
    assert_type(acompletion, ParsedChatCompletion[Weather])
    async with aclient.chat.completions.stream(model="gpt-4o-mini", messages=messages) as astream:
        async for aevent in astream:
            if aevent.type == "content.delta":
                assert_type(aevent.delta, str)
    aresponse = await aclient.responses.parse(model="gpt-4o-mini", input="hi", text_format=Weather)
    assert_type(aresponse, ParsedResponse[Weather])
    async with aclient.responses.stream(model="gpt-4o-mini", input="hi") as arstream:
        async for arevent in arstream:
            if arevent.type == "response.output_text.delta":
                assert_type(arevent.snapshot, str)
        assert_type(await arstream.get_final_response(), ParsedResponse[None])
