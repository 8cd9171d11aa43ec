from typing import Optional

from pydantic import BaseModel
from typing_extensions import assert_type

from pyopenai import OpenAI, pydantic_function_tool
from pyopenai.types.chat import ParsedFunctionToolCall


class Weather(BaseModel):
    city: str
    celsius: float


client = OpenAI(api_key="sk-test")

# function tool calls read their parsed arguments without narrowing, as with the official SDK
completion = client.chat.completions.parse(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Weather in Paris?"}],
    tools=[pydantic_function_tool(Weather)],
)
for call in completion.choices[0].message.tool_calls or []:
    assert_type(call, ParsedFunctionToolCall)
    print(call.function.name, call.function.parsed_arguments)

# a message's text parts are the parsed ones; function calls carry parsed_arguments
response = client.responses.parse(model="gpt-4o-mini", input="Weather in Paris?", text_format=Weather)
for output in response.output:
    if output.type == "message":
        for part in output.content:
            if part.type == "output_text":
                assert_type(part.parsed, Optional[Weather])
            else:
                print(part.refusal)
        print(output.content[0].parsed)  # expect-error
    elif output.type == "function_call":
        print(output.name, output.parsed_arguments)
