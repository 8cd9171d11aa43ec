from typing_extensions import assert_type

from pyopenai import AsyncOpenAI
from pyopenai.types.chat import ChatCompletion


async def main() -> None:
    client = AsyncOpenAI(api_key="sk-test")
    completion = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Say hello"}],
    )
    assert_type(completion, ChatCompletion)
    assert_type(completion.choices[0].message.content, "str | None")
    async with AsyncOpenAI(api_key="sk-test") as other:
        models = await other.models.list()
        assert_type(models.data[0].id, str)
