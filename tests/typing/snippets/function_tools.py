import pydantic
from typing_extensions import assert_type

from pyopenai import OpenAI, pydantic_function_tool, pydantic_responses_function_tool
from pyopenai.types.chat import ChatCompletionFunctionToolParam
from pyopenai.types.responses import FunctionToolParam, ToolParam


class GetWeather(pydantic.BaseModel):
    """The weather in a city."""

    city: str


tool = pydantic_function_tool(GetWeather)
assert_type(tool, ChatCompletionFunctionToolParam)
assert_type(tool["function"]["name"], str)

client = OpenAI(api_key="sk-test")
client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Paris?"}], tools=[tool])
pydantic_function_tool(GetWeather, nme="weather")  # expect-error

# the Responses API's flat function tool is a member of the tools union, as in the official SDK
responses_tool = pydantic_responses_function_tool(GetWeather)
assert_type(responses_tool, FunctionToolParam)
written: FunctionToolParam = {"type": "function", "name": "lookup", "parameters": {}, "strict": True}
tools: list[ToolParam] = [responses_tool, written, {"type": "web_search"}]
client.responses.create(model="gpt-4o", input="Paris?", tools=tools)
client.responses.create(model="gpt-4o", input="Paris?", tools=[{"type": "function", "nam": "lookup"}])  # expect-error
