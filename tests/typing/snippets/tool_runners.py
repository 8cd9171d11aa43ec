from typing import Callable

from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib import function_tool
from pyopenai.lib._function_tools import FunctionTool
from pyopenai.lib.tool_runner import AsyncResponsesToolRunner, ChatToolRunner, ResponsesToolRunner


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


# pyopenai's own helpers (the official SDK has no run_tools): typed constructors and decorators
named = function_tool(get_weather, name="weather", strict=True)
assert_type(named, FunctionTool)
decorate = function_tool(description="The weather, in a word.")
assert_type(decorate, Callable[[Callable[..., object]], FunctionTool])


@function_tool(name="forecast")
def forecast(city: str, days: int = 3) -> list[str]:
    return ["sunny"] * days


assert_type(forecast, FunctionTool)

client = OpenAI(api_key="sk-test")
runner = ChatToolRunner(client.chat.completions, messages=[{"role": "user", "content": "Paris?"}],
                        tools=[get_weather, forecast], params={"model": "gpt-4o-mini"})
assert_type(runner, ChatToolRunner)
ChatToolRunner(client.chat.completions, messages=[{"role": "robot", "content": "Paris?"}], tools=[])  # expect-error
ResponsesToolRunner(client.responses, input="Paris?", tools=[get_weather, {"type": "web_search"}])
ResponsesToolRunner(client.chat.completions, input="Paris?", tools=[])  # expect-error

aclient = AsyncOpenAI(api_key="sk-test")
arunner = AsyncResponsesToolRunner(aclient.responses, input=[{"role": "user", "content": "Paris?"}], tools=[forecast])
assert_type(arunner, AsyncResponsesToolRunner)
