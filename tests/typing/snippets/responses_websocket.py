from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.realtime_translation import (
    AsyncTranslationConnection,
    AsyncTranslationSession,
    TranslationConnection,
    TranslationSession,
)
from pyopenai.lib.responses_websocket import (
    AsyncResponsesWebSocketLane,
    AsyncResponsesWebSocketSession,
    ResponsesWebSocketAccumulator,
    ResponsesWebSocketError,
    ResponsesWebSocketLane,
    ResponsesWebSocketLimits,
    ResponsesWebSocketOutput,
    ResponsesWebSocketSession,
    ResponsesWebSocketSnapshot,
)
from pyopenai.types.realtime.realtime_translation_server_event import RealtimeTranslationServerEvent
from pyopenai.types.responses import Response
from pyopenai.types.responses.responses_server_event import ResponsesServerEvent

client = OpenAI(api_key="sk-test")
limits = ResponsesWebSocketLimits(
    max_lanes=8, max_events_per_lane=128, max_events=512, max_bytes_per_lane=1 << 24, max_bytes=1 << 25
)
ResponsesWebSocketLimits(max_lanes=8)  # expect-error

with client.responses.connect() as connection, ResponsesWebSocketSession(connection, limits=limits) as session:
    assert_type(session, ResponsesWebSocketSession)
    lane = session.lane("conversation")
    assert_type(lane, ResponsesWebSocketLane)
    assert_type(session.default, ResponsesWebSocketLane)
    lane.send({"type": "response.create", "model": "gpt-4o-mini", "input": "Say hello."})
    lane.send({"type": "response.craete", "model": "gpt-4o-mini"})  # expect-error
    assert_type(lane.recv(timeout=5), ResponsesServerEvent)
    response = lane.get_final_response(timeout=60)
    assert_type(response, Response)
    accumulator = ResponsesWebSocketAccumulator()
    accumulator.add_event(lane.recv())
    snapshot = accumulator.snapshot()
    assert_type(snapshot, ResponsesWebSocketSnapshot)
    assert_type(snapshot.output_text, str)
    assert_type(snapshot.output[0], ResponsesWebSocketOutput)
    assert_type(accumulator.get_final_response(), Response)
    lane.close()

try:
    pass
except ResponsesWebSocketError as error:
    assert_type(error.event, ResponsesServerEvent)

with TranslationSession(client.realtime.translations, model="gpt-realtime-translate") as translation:
    assert_type(translation, TranslationConnection)
    translation.send({"type": "session.close"})
    assert_type(translation.recv(timeout=5), RealtimeTranslationServerEvent)


async def main() -> None:
    async_client = AsyncOpenAI(api_key="sk-test")
    async with async_client.responses.connect() as async_connection:
        async with AsyncResponsesWebSocketSession(
            async_connection, limits=limits, isolate_lane_overflow=True
        ) as async_session:
            async_lane = async_session.lane()
            assert_type(async_lane, AsyncResponsesWebSocketLane)
            await async_lane.send({"type": "response.create", "model": "gpt-4o-mini", "input": "Hi"})
            assert_type(await async_lane.recv(), ResponsesServerEvent)
            assert_type(await async_lane.get_final_response(), Response)
    async with AsyncTranslationSession(async_client.realtime.translations, model="m") as async_translation:
        assert_type(async_translation, AsyncTranslationConnection)
        assert_type(await async_translation.recv(), RealtimeTranslationServerEvent)
        await async_translation.close()
