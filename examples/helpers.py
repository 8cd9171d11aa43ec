"""Structured outputs, a stream helper, Response.output_text and the tool runner."""

import pydantic

from pyopenai import OpenAI


class City(pydantic.BaseModel):
    name: str
    population: int


client = OpenAI()

# structured output: the reply parsed into your model
completion = client.chat.completions.parse(
    model="gpt-4o", messages=[{"role": "user", "content": "A big city, please"}], response_format=City
)
print(completion.choices[0].message.parsed)

# a stream helper: typed events, and the accumulated completion at the end
with client.chat.completions.stream(model="gpt-4o", messages=[{"role": "user", "content": "Hello"}]) as stream:
    for event in stream:
        if event.type == "content.delta":
            print(event.delta, end="")
    print()
    print(stream.get_final_completion().choices[0].message.content)

print(client.responses.create(model="gpt-4o", input="Hi").output_text)


# the tool runner: plain python functions become tools; it loops until the model answers
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"It is sunny in {city}."


runner = client.chat.completions.run_tools(
    model="gpt-4o", messages=[{"role": "user", "content": "Weather in Paris?"}], tools=[get_weather]
)
print(runner.final_message().content)
