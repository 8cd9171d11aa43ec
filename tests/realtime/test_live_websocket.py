"""`client.live.connect()`, `client.live.forks.connect()`, `client.live.sideband.connect()` and
`client.realtime.translations.connect()`: against the local server (the protocol), and against the
scripted server (what reaches the wire: path, query, headers; closes)."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

from wssupport import Connection, ScriptServer, echo_script

import pyopenai
from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.realtime import WebSocketConnectionClosedError
from pyopenai.testing import LocalServer
from pyopenai.types.live.server_event import ServerEvent
from pyopenai.types.live.session_config_param import SessionConfigParam

START: SessionConfigParam = {"model": "gpt-live-1", "instructions": "Be brief."}


@pytest.fixture(scope="module")
def local() -> Any:
    with LocalServer() as server:
        yield server


def started(connection: Any) -> str:
    """Start a Live session on `connection` and return its id."""
    connection.session.start(session=START, event_id="evt_start")
    event = connection.recv()
    assert event.type == "session.started" and event.client_event_id == "evt_start"
    return event.session.id


# -- the protocol, sync -----------------------------------------------------------------------------


def test_live_session_round_trip(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with client.live.connect() as connection:
        started(connection)
        connection.session.update(session={"triggers": []})
        updated = connection.recv()
        assert updated.type == "session.updated" and updated.session.triggers == []
        assert updated.session.instructions == "Be brief."  # what the update left out is kept
        connection.session.thinking.append(content="The user sounds hurried.", delegation_id=None, event_id="t1")
        appended = connection.recv()
        assert appended.type == "session.thinking.appended" and appended.client_event_id == "t1"
        connection.session.input_audio.mute()
        connection.session.input_audio.unmute()
        assert [connection.recv().type, connection.recv().type] == ["session.input_audio.muted", "session.input_audio.unmuted"]
        connection.session.output_audio.fixture.play(audio="AAAA")
        assert [connection.recv().type, connection.recv().type] == [
            "session.output_audio.fixture.playing", "session.output_audio.fixture.played",
        ]
        connection.decision.item.create(item={"type": "function_call_output", "call_id": "call_1", "output": "42"})
        created = connection.recv()
        assert created.type == "decision.item.created" and created.item.type == "function_call_output"
        connection.decision.item.delete(item_id=created.item.id)
        assert connection.recv().type == "decision.item.deleted"
        connection.response.item.create(item={"type": "message", "role": "user", "content": "Good morning"})
        connection.response.create()
        connection.session.close()
        events: list[ServerEvent] = list(connection)  # the server closes after session.closed: the loop ends
    text = "".join(e.delta for e in events if e.type == "session.output_transcript.delta")
    assert text == 'You said: "Good morning"'
    assert events[-1].type == "session.closed" and events[-1].reason == "close_requested"


def test_a_fork_inherits_the_model_and_a_sideband_joins(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with client.live.connect() as connection:
        session_id = started(connection)
    with client.live.forks.connect(session_id=session_id) as fork:
        fork.session.start(session={"store": False})
        event = fork.recv()
        assert event.type == "session.started"
        assert (event.session.model, event.session.instructions, event.session.store) == ("gpt-live-1", "Be brief.", False)
        assert event.session.id != session_id
    with client.live.sideband.connect(session_id=session_id, graceful_close=False) as sideband:
        sideband.transport.dtmf.send(event="7", event_id="key_7")
        sent = sideband.recv()
        assert sent.type == "transport.dtmf.sent" and (sent.event, sent.client_event_id) == ("7", "key_7")
        sideband.send({"type": "session.start", "session": START})  # pyright: ignore[reportArgumentType]  # not on a sideband
        refused = sideband.recv()
        assert refused.type == "error" and refused.error.code == "session_already_started"


def test_translation_round_trip(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with client.realtime.translations.connect("gpt-realtime-translate") as connection:
        created = connection.recv()
        assert created.type == "session.created" and created.session.model == "gpt-realtime-translate"
        connection.session.update(session={"audio": {"output": {"language": "fr"}}})
        assert connection.recv().type == "session.updated"
        connection.session.input_audio_buffer.append(audio="AAAAAA==")
        deltas = [connection.recv(), connection.recv()]
        assert [(d.type, getattr(d, "delta", None)) for d in deltas] == [
            ("session.input_transcript.delta", "[4 bytes]"), ("session.output_transcript.delta", "(fr) [4 bytes]"),
        ]
        connection.session.close()
        assert [e.type for e in connection] == ["session.closed"]


# -- the protocol, async ----------------------------------------------------------------------------


async def test_async_live_fork_sideband_and_translation(local: LocalServer) -> None:
    client = AsyncOpenAI(api_key="sk-local", base_url=local.url)
    async with client.live.connect() as connection:
        await connection.session.start(session=START)
        first = await connection.recv()
        assert first.type == "session.started"
        session_id = first.session.id
        await connection.session.commentary.append(content="Looking it up.", delegation_id=None)
        assert (await connection.recv()).type == "session.commentary.appended"
    async with client.live.forks.connect(session_id=session_id) as fork:
        await fork.session.start(session={})
        assert (await fork.recv()).type == "session.started"
        await fork.session.close()
        assert [e.type async for e in fork] == ["session.closed"]
    async with client.live.sideband.connect(session_id=session_id) as sideband:
        await sideband.transport.dtmf.send(event="#")
        assert (await sideband.recv()).type == "transport.dtmf.sent"
    async with client.realtime.translations.connect(model="gpt-realtime-translate") as translation:
        assert (await translation.recv()).type == "session.created"
        await translation.send({"type": "session.input_audio_buffer.append", "audio": "AAAA"})
        assert (await translation.recv()).type == "session.input_transcript.delta"


# -- bad input --------------------------------------------------------------------------------------


def test_unknown_events_and_bad_values_get_error_events(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with client.live.connect() as connection:
        connection.session.update(session={"triggers": []}, event_id="early")
        early = connection.recv()
        assert early.type == "error" and early.error.code == "session_not_started"
        assert early.client_event_id == "early"
        started(connection)
        connection.send({"type": "no.such.event", "event_id": "x1"})  # pyright: ignore[reportArgumentType]  # on purpose
        unknown = connection.recv()
        assert unknown.type == "error" and unknown.error.param == "type" and "no.such.event" in unknown.error.message
        connection.session.input_audio.append(audio="not base64!")
        assert connection.recv().type == "error"
        connection.session.input_audio.mute()  # the connection is still usable
        assert connection.recv().type == "session.input_audio.muted"
    with client.realtime.translations.connect("gpt-realtime-translate") as translation:
        translation.recv()
        translation.send({"type": "session.start"})  # pyright: ignore[reportArgumentType]  # not a translation event
        assert translation.recv().type == "error"


def test_wrong_arguments_raise_before_anything_is_sent(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with pytest.raises(ValueError, match="session_id"):
        client.live.forks.connect(session_id="")
    with client.live.connect() as connection:
        with pytest.raises(TypeError):
            connection.session.start(sesion=START)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
        with pytest.raises(TypeError, match="dict or a model"):
            connection.send("session.start")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        started(connection)  # nothing was sent by the failed calls: the session starts normally


def test_forking_an_unknown_session_is_refused_at_the_handshake(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with pytest.raises(pyopenai.NotFoundError, match="sess_missing"), client.live.forks.connect(session_id="sess_missing"):
        pass
    with pytest.raises(pyopenai.BadRequestError, match="model"), client.realtime.translations.connect(model=""):
        pass


# -- the wire ---------------------------------------------------------------------------------------


@pytest.fixture
def echo() -> Any:
    with ScriptServer(echo_script) as server:
        yield server


def test_urls_queries_and_headers(echo: ScriptServer) -> None:
    client = OpenAI(
        api_key="sk-wire", base_url=echo.url, organization="org_1", project="proj_1",
        default_query={"dq": "1"}, default_headers={"X-Default": "d"},
    )
    calls = [
        (client.live.connect(extra_query={"a": "b"}, extra_headers={"X-Extra": "e"}), "/v1/live/sessions"),
        (client.live.forks.connect(session_id="a/b c"), "/v1/live/sessions/a%2Fb%20c/fork"),
        (client.live.sideband.connect(session_id="sess_2", graceful_close=True), "/v1/live/sessions/sess_2/attach"),
        (client.realtime.translations.connect("gpt-realtime-translate", extra_query={"z": 1}), "/v1/realtime/translations"),
    ]
    for manager, _ in calls:
        with manager as connection:
            connection.send({"type": "session.close", "event_id": "bye"})
            assert json.loads(connection.recv_bytes()) == {"type": "session.close", "event_id": "bye"}
    raw_paths = [h.path for h in echo.handshakes]
    assert raw_paths == [path for _, path in calls]
    live, fork, sideband, translation = echo.handshakes
    assert live.query == {"dq": ["1"], "a": ["b"]} and live.headers["x-extra"] == "e"
    assert fork.query == {"dq": ["1"]}
    assert sideband.query == {"dq": ["1"], "graceful_close": ["true"]}
    assert translation.query == {"dq": ["1"], "model": ["gpt-realtime-translate"], "z": ["1"]}
    for handshake in echo.handshakes:
        assert handshake.headers["authorization"] == "Bearer sk-wire"
        assert (handshake.headers["openai-organization"], handshake.headers["openai-project"]) == ("org_1", "proj_1")
        assert handshake.headers["x-default"] == "d" and "openai-beta" not in handshake.headers


async def test_async_helpers_send_the_events_the_api_reads(echo: ScriptServer) -> None:
    client = AsyncOpenAI(api_key="sk-wire", base_url=echo.url)
    async with client.live.connect() as connection:
        await connection.session.instructions.append(content="Hi", delegation_id="del_1")
        await connection.decision.create(event_id="d1")
        await connection.session.close(event_id=None)
        echoed = [json.loads(await connection.recv_bytes()) for _ in range(3)]  # what the server read, in order
    assert echoed == [
        {"type": "session.instructions.append", "content": "Hi", "delegation_id": "del_1"},
        {"type": "decision.create", "event_id": "d1"},
        {"type": "session.close", "event_id": None},
    ]


# -- closes -----------------------------------------------------------------------------------------


async def _close_with_1011(conn: Connection, server: ScriptServer) -> None:
    await server.next_message(conn)
    await conn.ws.close(1011, "internal error")


def test_a_server_close_other_than_normal_raises_with_its_code() -> None:
    with ScriptServer(_close_with_1011) as server:
        client = OpenAI(api_key="sk-x", base_url=server.url)
        with client.live.sideband.connect(session_id="sess_1") as sideband:
            sideband.session.close()
            with pytest.raises(WebSocketConnectionClosedError) as info:
                sideband.recv()
    assert (info.value.code, info.value.reason) == (1011, "internal error")


async def test_async_a_server_close_other_than_normal_raises_with_its_code() -> None:
    with ScriptServer(_close_with_1011) as server:
        client = AsyncOpenAI(api_key="sk-x", base_url=server.url)
        async with client.realtime.translations.connect(model="m") as translation:
            await translation.session.close()
            with pytest.raises(WebSocketConnectionClosedError) as info:
                async for _ in translation:
                    pass
    assert info.value.code == 1011
