from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, AsyncStream, OpenAI, Stream
from pyopenai.types.chat import ChatCompletionChunk

client = OpenAI(api_key="sk-test")
stream = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Count to three"}],
    stream=True,
)
assert_type(stream, Stream[ChatCompletionChunk])
for chunk in stream:
    assert_type(chunk, ChatCompletionChunk)
    if chunk.choices:
        assert_type(chunk.choices[0].delta.content, "str | None")


async def main() -> None:
    aclient = AsyncOpenAI(api_key="sk-test")
    astream = await aclient.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Count to three"}],
        stream=True,
    )
    assert_type(astream, AsyncStream[ChatCompletionChunk])
    async for chunk in astream:
        assert_type(chunk, ChatCompletionChunk)
