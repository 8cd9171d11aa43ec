"""`pyopenai.lib.realtime_translation`: translation sessions against the local server (sync and async)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

from wssupport import Connection, ScriptServer

from pyopenai import AsyncOpenAI, AzureOpenAI, OpenAI, OpenAIError
from pyopenai.lib.realtime import WebSocketConnectionClosedError
from pyopenai.lib.realtime_translation import (
    AsyncTranslationConnection,
    AsyncTranslationSession,
    TranslationConnection,
    TranslationSession,
)
from pyopenai.testing import LocalServer

WAIT = 10.0
AUDIO = base64.b64encode(b"\0" * 320).decode()
APPEND: Any = {"type": "session.input_audio_buffer.append", "audio": AUDIO}
FINISH: Any = {"type": "session.close"}


@pytest.fixture
def local() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def test_round_trip(local: LocalServer) -> None:
    client = OpenAI(base_url=local.url, api_key="sk-test")
    with TranslationSession(client.realtime.translations, model="gpt-realtime-translate",
                            extra_query={"region": "eu"}) as connection:
        assert isinstance(connection, TranslationConnection)
        assert connection.recv(timeout=WAIT).type == "session.created"
        connection.send({"type": "session.update", "session": {"audio": {"output": {"language": "fr"}}}})
        assert connection.recv(timeout=WAIT).type == "session.updated"
        with pytest.raises(TimeoutError):  # nothing to read yet; nothing is lost to the timeout
            connection.recv(timeout=0.05)
        connection.send(APPEND)
        deltas = [connection.recv(timeout=WAIT) for _ in range(2)]
        connection.send(FINISH)
        connection.send(FINISH)  # already finishing: nothing more is sent
        with pytest.raises(OpenAIError, match="input is closed"):
            connection.send(APPEND)
        closed = connection.recv()
        with pytest.raises(WebSocketConnectionClosedError):  # `session.closed` closed the connection
            connection.recv(timeout=WAIT)
    assert [(e.type, getattr(e, "delta", None)) for e in deltas] == [
        ("session.input_transcript.delta", "[320 bytes]"), ("session.output_transcript.delta", "(fr) [320 bytes]")]
    assert closed.type == "session.closed"
    (handshake,) = local.requests
    assert (handshake.path, handshake.query) == ("/v1/realtime/translations", {"model": ["gpt-realtime-translate"],
                                                                             "region": ["eu"]})


async def test_async_round_trip(local: LocalServer) -> None:
    client = AsyncOpenAI(base_url=local.url, api_key="sk-test")
    async with AsyncTranslationSession(client.realtime.translations, model="gpt-realtime-translate") as connection:
        assert isinstance(connection, AsyncTranslationConnection)
        assert (await asyncio.wait_for(connection.recv(), WAIT)).type == "session.created"
        await connection.send(APPEND)
        assert (await asyncio.wait_for(connection.recv(), WAIT)).type == "session.input_transcript.delta"
        assert (await asyncio.wait_for(connection.recv(), WAIT)).type == "session.output_transcript.delta"
        await connection.send(FINISH)
        await connection.send(FINISH)
        with pytest.raises(OpenAIError, match="input is closed"):
            await connection.send(APPEND)
        assert (await asyncio.wait_for(connection.recv(), WAIT)).type == "session.closed"
        with pytest.raises(WebSocketConnectionClosedError):
            await asyncio.wait_for(connection.recv(), WAIT)


def test_refused_before_connecting(local: LocalServer) -> None:
    client = OpenAI(base_url=local.url, api_key="sk-test")
    with pytest.raises(ValueError, match="model is required"):
        TranslationSession(client.realtime.translations, model="").__enter__()
    with pytest.raises(ValueError, match="intent"):
        TranslationSession(client.realtime.translations, model="m", extra_query={"intent": "x"}).__enter__()
    with pytest.raises(ValueError, match="intent"):
        with_intent = OpenAI(base_url=local.url, api_key="sk-test", default_query={"intent": "x"})
        TranslationSession(with_intent.realtime.translations, model="m").__enter__()
    azure = AzureOpenAI(api_key="k", api_version="2025-04-01-preview", azure_endpoint="https://example.openai.azure.com")
    with pytest.raises(OpenAIError, match="not available through this provider"):
        TranslationSession(azure.realtime.translations, model="m").__enter__()
    assert local.requests == []  # none of them reached the server


def test_bad_events_and_entering_twice(local: LocalServer) -> None:
    client = OpenAI(base_url=local.url, api_key="sk-test")
    session = TranslationSession(client.realtime.translations, model="m")
    with session as connection:
        with pytest.raises(RuntimeError, match="entered once"):
            session.__enter__()
        with pytest.raises(TypeError, match="dict or a model"):
            connection.send("session.close")  # type: ignore[arg-type]
        connection.send(APPEND)  # still open after the refusal
        assert connection.recv(timeout=WAIT).type == "session.created"


async def _quiet(conn: Connection, server: ScriptServer) -> None:
    await conn.ws.send_json({"type": "session.created", "event_id": "e1", "session": {"type": "translation"}})
    while True:
        await server.next_message(conn)


def test_leaving_closes_the_connection_and_sends_are_not_replayed() -> None:
    with ScriptServer(_quiet) as server:
        client = OpenAI(base_url=server.url, api_key="sk-test")
        with TranslationSession(client.realtime.translations, model="m") as connection:
            connection.send(APPEND)
            server.wait_for(lambda: len(server.connections[0].received) == 1)
        server.wait_for(lambda: server.client_closes == [(1000, "")])
        with pytest.raises(OpenAIError, match="input is closed"):
            connection.send(APPEND)
        connection.close()  # idempotent
        assert len(server.connections) == 1 and server.connections[0].received == [APPEND]
