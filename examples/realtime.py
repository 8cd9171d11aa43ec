"""Realtime API over WebSocket: a text conversation, listeners with dispatch_events(), and the async client.

Offline, the embedded local server answers on ws://127.0.0.1:PORT/v1/realtime with a scripted session.
"""

import asyncio
import importlib.util
import sys

from pyopenai import AsyncOpenAI, OpenAI

if importlib.util.find_spec("wsproto") is None:
    print("skipped: WebSocket support needs the realtime extra (pip install 'pyopenai[realtime]')")
    sys.exit(0)

MODEL = "gpt-realtime"
client = OpenAI()


def ask(text: str) -> dict[str, object]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


# 1. Iterate over typed server events.
with client.realtime.connect(model=MODEL) as connection:
    connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
    connection.conversation.item.create(item=ask("Say hello in three words."))
    connection.response.create()
    for event in connection:
        if event.type == "session.created":
            print("session:", event.session.id)
        elif event.type == "response.output_text.delta":
            print(event.delta, end="", flush=True)
        elif event.type == "error":  # errors arrive as events; the connection stays open
            print("\nerror:", event.error.message)
        elif event.type == "response.done":
            print(f"\nresponse {event.response.id}: {event.response.status}")
            break

# 2. Listeners: handlers run inside dispatch_events(), which returns when the connection closes.
with client.realtime.connect(model=MODEL) as connection:
    connection.on("response.output_text.delta", lambda event: print(event.delta, end="", flush=True))

    @connection.on("response.done")
    def finished(event: object) -> None:
        print()
        connection.close()

    connection.conversation.item.create(item=ask("And now in four?"))
    connection.response.create(response={"output_modalities": ["text"]})
    connection.dispatch_events()


# 3. The async client: the same calls, awaited.
async def main() -> None:
    async with AsyncOpenAI().realtime.connect(model=MODEL) as connection:
        await connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        await connection.conversation.item.create(item=ask("One more, asynchronously."))
        await connection.response.create()
        async for event in connection:
            if event.type == "response.output_text.done":
                print("async:", event.text)
            elif event.type == "response.done":
                break


asyncio.run(main())
