from pydantic import BaseModel
from typing_extensions import assert_type

from pyopenai import OpenAI
from pyopenai.lib.parsed_types import ParsedChatCompletion


class Weather(BaseModel):
    city: str
    celsius: float


client = OpenAI(api_key="sk-test")
completion = client.chat.completions.parse(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Weather in Paris?"}],
    response_format=Weather,
)
assert_type(completion, ParsedChatCompletion[Weather])
parsed = completion.choices[0].message.parsed
assert_type(parsed, "Weather | None")
if parsed is not None:
    assert_type(parsed.celsius, float)

plain = client.chat.completions.parse(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
assert_type(plain, ParsedChatCompletion[None])
