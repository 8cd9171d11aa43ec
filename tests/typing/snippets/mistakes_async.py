from pyopenai import AsyncOpenAI


async def main() -> None:
    client = AsyncOpenAI(api_key="sk-test")
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    print(completion.choices)  # expect-error
    for chunk in await client.chat.completions.create(  # expect-error
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    ):
        print(chunk)
