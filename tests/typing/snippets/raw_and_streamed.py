from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.types.model import Model

client = OpenAI(api_key="sk-test")

raw = client.models.with_raw_response.retrieve("gpt-4o")
assert_type(raw.text, str)
assert_type(raw.content, bytes)
assert_type(raw.parse(), Model)
assert_type(raw.headers.get("x-request-id"), "str | None")

with client.models.with_streaming_response.retrieve("gpt-4o") as response:
    assert_type(response.text(), str)
    assert_type(response.read(), bytes)
    assert_type(response.parse(), Model)
    assert_type(response.parse(to=dict), dict)
    response.text.upper()  # expect-error


async def main() -> None:
    async_client = AsyncOpenAI(api_key="sk-test")
    async with async_client.models.with_streaming_response.retrieve("gpt-4o") as streamed:
        assert_type(await streamed.text(), str)
        assert_type(await streamed.parse(), Model)
