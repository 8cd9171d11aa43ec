from typing_extensions import assert_type

from pyopenai import OpenAI
from pyopenai.types.chat import ChatCompletion

client = OpenAI(api_key="sk-test", max_retries=3, timeout=20.0)
completion = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Say hello"},
    ],
    temperature=0.2,
)
assert_type(completion, ChatCompletion)
assert_type(completion.id, str)
message = completion.choices[0].message
assert_type(message.content, "str | None")
if completion.usage is not None:
    assert_type(completion.usage.total_tokens, int)
