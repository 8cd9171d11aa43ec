"""permessage-deflate (RFC 7692) on WebSocket connections: when it is offered, and that compressed
messages arrive intact both ways. The peer is a wsproto server on 127.0.0.1 that accepts the
extension when offered and records what it was offered and how many bytes each message took on the wire."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Request, TextMessage
from wsproto.extensions import PerMessageDeflate

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.types.websocket_connection_options import WebSocketConnectionOptions

# a large, very compressible event: deflate shrinks it to a small fraction on the wire
EVENT = json.dumps({"type": "input_audio_buffer.cleared", "event_id": "evt_1", "padding": "abc" * 20_000})
REPLY = json.dumps({"type": "input_audio_buffer.clear", "padding": "xyz" * 20_000})


@dataclass
class Peer:
    port: int = 0
    offered: list[str] = field(default_factory=list[str])  # the Sec-WebSocket-Extensions the client sent
    sent_wire_bytes: list[int] = field(default_factory=list[int])
    received: list[str] = field(default_factory=list[str])
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


def _serve_one(listener: socket.socket, peer: Peer) -> None:
    conn, _ = listener.accept()
    ws = WSConnection(ConnectionType.SERVER)
    parts: list[str] = []
    try:
        with conn:
            while True:
                data = conn.recv(65_536)
                if not data:
                    return
                ws.receive_data(data)
                for event in ws.events():
                    if isinstance(event, Request):
                        peer.offered.extend(str(offer) for offer in event.extensions)
                        conn.sendall(ws.send(AcceptConnection(extensions=[PerMessageDeflate()])))
                        wire = ws.send(TextMessage(data=EVENT))
                        peer.sent_wire_bytes.append(len(wire))
                        conn.sendall(wire)
                    elif isinstance(event, Message):
                        parts.append(str(event.data))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
                        if event.message_finished:
                            peer.received.append("".join(parts))
                            parts.clear()
                    elif isinstance(event, CloseConnection):
                        conn.sendall(ws.send(event.response()))
                        return
    finally:
        peer.done.set()


@contextmanager
def deflate_peer() -> Iterator[Peer]:
    peer = Peer()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        peer.port = listener.getsockname()[1]
        thread = threading.Thread(target=_serve_one, args=(listener, peer), daemon=True)
        thread.start()
        yield peer
        assert peer.done.wait(10), "the peer did not see the client close"
        thread.join(10)


CASES: list[tuple[WebSocketConnectionOptions, bool]] = [
    ({"compression": "deflate"}, True),
    ({}, False),  # no message limit: not offered, so a small frame cannot inflate without bound
    ({"max_size": 1 << 20}, True),  # a finite limit bounds what a compressed message may inflate to
    ({"max_size": 1 << 20, "compression": None}, False),
]


def _check(peer: Peer, compressed: bool) -> None:
    assert any("permessage-deflate" in offer for offer in peer.offered) is compressed
    assert (peer.sent_wire_bytes[0] < len(EVENT) // 10) is compressed
    assert peer.received == [REPLY]


@pytest.mark.parametrize(("options", "compressed"), CASES)
def test_compression_offered_and_used(options: WebSocketConnectionOptions, compressed: bool) -> None:
    with deflate_peer() as peer, OpenAI(api_key="k", base_url=peer.url) as client:
        with client.realtime.connect(model="m", websocket_connection_options=options) as connection:
            assert connection.recv_bytes() == EVENT.encode()
            connection.send_raw(REPLY)
    _check(peer, compressed)


@pytest.mark.parametrize(("options", "compressed"), CASES)
async def test_async_compression_offered_and_used(options: WebSocketConnectionOptions, compressed: bool) -> None:
    with deflate_peer() as peer:
        async with AsyncOpenAI(api_key="k", base_url=peer.url) as client:
            async with client.realtime.connect(model="m", websocket_connection_options=options) as connection:
                assert await connection.recv_bytes() == EVENT.encode()
                await connection.send_raw(REPLY)
    _check(peer, compressed)

