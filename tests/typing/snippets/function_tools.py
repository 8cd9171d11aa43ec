import pydantic
from typing_extensions import assert_type

from pyopenai import OpenAI, pydantic_function_tool
from pyopenai.types.chat import ChatCompletionFunctionToolParam


class GetWeather(pydantic.BaseModel):
    """The weather in a city."""

    city: str


tool = pydantic_function_tool(GetWeather)
assert_type(tool, ChatCompletionFunctionToolParam)
assert_type(tool["function"]["name"], str)

client = OpenAI(api_key="sk-test")
client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Paris?"}], tools=[tool])
pydantic_function_tool(GetWeather, nme="weather")  # expect-error
