from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.types.live import ForkServerEvent, ServerEvent
from pyopenai.types.live.connect_server_event import ConnectServerEvent
from pyopenai.types.realtime import RealtimeServerEvent
from pyopenai.types.realtime.realtime_translation_server_event import RealtimeTranslationServerEvent
from pyopenai.types.responses.responses_server_event import ResponsesServerEvent

client = OpenAI(api_key="sk-test")

with client.realtime.connect(model="gpt-realtime") as connection:
    connection.send({"type": "session.update", "session": {"type": "realtime", "instructions": "Be brief."}})
    connection.send({"type": "response.create"})
    connection.send({"type": "response.craete"})  # expect-error
    assert_type(connection.recv(), RealtimeServerEvent)
    for event in connection:
        assert_type(event, RealtimeServerEvent)
        if event.type == "response.output_text.delta":
            assert_type(event.delta, str)

with client.responses.connect() as responses_connection:
    assert_type(responses_connection.recv(), ResponsesServerEvent)

with client.live.connect() as live:
    live.session.start(session={"model": "gpt-live-1", "instructions": "Be brief."})
    live.send({"type": "session.input_audio.mute"})
    live.send({"type": "response.item.create", "item": {"type": "message", "role": "user", "content": "Hi"}})
    live.send({"type": "session.start"})  # expect-error
    live.session.instructions.append(content="The user is on a train.", delegation_id=None)
    live.session.instructions.append(content="no delegation given")  # expect-error
    assert_type(live.recv(), ServerEvent)
    for live_event in live:
        if live_event.type == "session.started":
            assert_type(live_event.session.id, str)

with client.live.forks.connect(session_id="sess_123") as fork:
    fork.session.start(session={})
    assert_type(fork.recv(), ForkServerEvent)

with client.live.sideband.connect(session_id="sess_123", graceful_close=True) as sideband:
    sideband.transport.dtmf.send(event="5")
    sideband.send({"type": "transport.dtmf.send", "event": "5"})
    sideband.send({"type": "session.input_audio.append", "audio": "AAAA"})  # expect-error
    sideband.session.start(session={})  # expect-error
    assert_type(sideband.recv(), ConnectServerEvent)

with client.realtime.translations.connect("gpt-realtime-translate") as translation:
    translation.session.update(session={"audio": {"output": {"language": "fr"}}})
    translation.send({"type": "session.close"})
    assert_type(translation.recv(), RealtimeTranslationServerEvent)


async def main() -> None:
    aclient = AsyncOpenAI(api_key="sk-test")
    async with aclient.live.forks.connect(session_id="sess_123") as afork:
        await afork.session.start(session={})
        await afork.session.input_audio.append(audio="AAAA")
        await afork.send({"type": "session.close"})
        async for fork_event in afork:
            assert_type(fork_event, ForkServerEvent)
    async with aclient.realtime.translations.connect(model="gpt-realtime-translate") as atranslation:
        await atranslation.session.input_audio_buffer.append(audio="AAAA")
        assert_type(await atranslation.recv(), RealtimeTranslationServerEvent)
