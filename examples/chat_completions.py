"""A Chat Completions call, sync and async."""

import asyncio

from pyopenai import AsyncOpenAI, OpenAI

client = OpenAI()
completion = client.chat.completions.create(
    model="gpt-4o",
    messages=[{"role": "developer", "content": "Talk like a pirate."}, {"role": "user", "content": "Hello"}],
)
print(completion.choices[0].message.content)


async def main() -> None:
    async with AsyncOpenAI() as aclient:
        reply = await aclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi async"}])
        print(reply.choices[0].message.content)


asyncio.run(main())
