"""A scripted WebSocket server for the realtime tests: 127.0.0.1, port 0, its own thread and event loop.

Each connection's handshake (path, query, headers) is recorded, then a script runs over the
socket (the RFC 6455 codec of `pyopenai.testing._realtime`). The default script speaks enough of the
Realtime protocol, and a `response.create` whose `response.metadata.script` names a scenario makes it
misbehave on purpose: `error`, `abort` (no close frame, mid-stream), `close:CODE`, `large:BYTES`,
`fragmented`, `ping`, `silent` (stop reading and answering).

Waiting is done on conditions (`wait_for`), never by sleeping; every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pyopenai.testing._http import read_request
from pyopenai.testing._realtime import ServerWebSocket, WebSocketClosed, accept_key

TIMEOUT = 10.0


@dataclass
class Handshake:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    def q(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass
class Connection:
    handshake: Handshake
    ws: ServerWebSocket
    received: list[Any] = field(default_factory=list[Any])  # decoded JSON (or raw) messages from the client


Script = Callable[[Connection, "ScriptServer"], Awaitable[None]]


class ScriptServer:
    def __init__(
        self,
        script: Script | None = None,
        *,
        reject: tuple[int, dict[str, Any]] | None = None,
        reject_if: Callable[[int], bool] | None = None,
        bad_accept: bool = False,
    ) -> None:
        self.script = script or realtime_script
        self.reject = reject  # answer handshakes with this status and JSON body instead of 101...
        self.reject_if = reject_if  # ...for the handshakes whose index (0, 1, ...) this accepts (default: all)
        self.bad_accept = bad_accept  # answer 101 with a wrong Sec-WebSocket-Accept
        self.connections: list[Connection] = []
        self.client_closes: list[tuple[int, str]] = []  # close frames the clients sent
        self._cond = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    # -- lifecycle

    def __enter__(self) -> ScriptServer:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        assert ready.wait(TIMEOUT), "server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        loop, thread = self._loop, self._thread
        assert loop is not None and thread is not None
        loop.call_soon_threadsafe(loop.stop)
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "server thread did not stop"

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._server = loop.run_until_complete(asyncio.start_server(self._on_connection, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            if self._tasks:
                loop.run_until_complete(asyncio.gather(*self._tasks, return_exceptions=True))
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def handshakes(self) -> list[Handshake]:
        with self._cond:
            return [c.handshake for c in self.connections]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = TIMEOUT) -> None:
        with self._cond:
            assert self._cond.wait_for(predicate, timeout), "condition not reached in time"

    def notify(self) -> None:
        with self._cond:
            self._cond.notify_all()

    # -- one connection

    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            req = await read_request(reader)
            if req is None:
                return
            split = urlsplit(req.target)
            handshake = Handshake(split.path, parse_qs(split.query, keep_blank_values=True), dict(req.headers))
            with self._cond:
                index = len(self.connections)
                rejecting = self.reject is not None and (self.reject_if is None or self.reject_if(index))
            if rejecting:
                assert self.reject is not None
                with self._cond:
                    self.connections.append(Connection(handshake, ServerWebSocket(reader, writer)))
                    self._cond.notify_all()
                status, body = self.reject
                data = json.dumps(body).encode()
                writer.write(
                    f"HTTP/1.1 {status} Refused\r\ncontent-type: application/json\r\ncontent-length: {len(data)}\r\n"
                    f"x-request-id: req_refused\r\nconnection: close\r\n\r\n".encode() + data
                )
                await writer.drain()
                writer.close()
                return
            key = req.headers.get("sec-websocket-key", "") + ("x" if self.bad_accept else "")
            writer.write(
                b"HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
                + f"sec-websocket-accept: {accept_key(key)}\r\nx-request-id: req_ws\r\n\r\n".encode()
            )
            conn = Connection(handshake, ServerWebSocket(reader, writer))
            conn.ws.on_control = self.notify
            with self._cond:
                self.connections.append(conn)
                self._cond.notify_all()
            try:
                await self.script(conn, self)
            except WebSocketClosed as closed:
                self._record_close(closed)
            finally:
                if conn.ws.closed is None:
                    await conn.ws.close()
                self.notify()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    def _record_close(self, closed: WebSocketClosed) -> None:
        with self._cond:
            if closed.code != 1006:
                self.client_closes.append((closed.code, closed.reason))
            self._cond.notify_all()

    async def next_message(self, conn: Connection) -> Any:
        raw = await conn.ws.recv()
        try:
            message: Any = json.loads(raw)
        except ValueError:
            message = raw
        with self._cond:
            conn.received.append(message)
            self._cond.notify_all()
        return message


# -- scripts ----------------------------------------------------------------------------------------


def _event(event_type: str, n: int, **fields: Any) -> dict[str, Any]:
    return {"type": event_type, "event_id": f"event_{n}", **fields}


async def realtime_script(conn: Connection, server: ScriptServer) -> None:
    ws = conn.ws
    n = 0
    await ws.send_json(_event("session.created", n, session={"id": "sess_1", "object": "realtime.session", "type": "realtime"}))
    while True:
        message = await server.next_message(conn)
        n += 1
        if not isinstance(message, dict):
            continue
        kind = message.get("type")
        if kind == "session.update":
            await ws.send_json(_event("session.updated", n, session={"id": "sess_1", **message.get("session", {})}))
        elif kind == "response.create":
            await _respond(conn, message, n)
        elif kind == "close.me":
            await ws.close(int(message.get("code", 1000)), str(message.get("reason", "")))
            return


async def _respond(conn: Connection, message: dict[str, Any], n: int) -> None:
    ws = conn.ws
    scenario = str(((message.get("response") or {}).get("metadata") or {}).get("script", ""))
    response = {"object": "realtime.response", "id": f"resp_{n}", "status": "in_progress", "output": []}
    where = {"response_id": f"resp_{n}", "item_id": f"item_{n}", "output_index": 0, "content_index": 0}
    if scenario == "error":
        await ws.send_json(_event("error", n, error={
            "type": "invalid_request_error", "code": "invalid_value", "message": "Scripted failure", "param": None,
            "event_id": message.get("event_id"),
        }))
        return
    await ws.send_json(_event("response.created", n, response=response))
    for i, piece in enumerate(["Hel", "lo", "!"]):
        await ws.send_json(_event("response.output_text.delta", n, **where, delta=piece))
        if scenario == "abort" and i == 1:
            ws.abort()
            return
    if scenario.startswith("close:"):
        code, _, reason = scenario[6:].partition(":")
        await ws.close(int(code), reason)
        return
    if scenario.startswith("large:"):
        size = int(scenario[6:])
        await ws.send_json(_event("response.output_text.delta", n, **where, delta="x" * size))
    if scenario == "fragmented":
        await ws.send(json.dumps(_event("response.output_text.delta", n, **where, delta="in pieces")), fragments=7)
    if scenario == "ping":
        await ws.ping(b"are you there")
    if scenario == "silent":
        await asyncio.Event().wait()  # neither reads nor answers pings until the test ends
    await ws.send_json(_event("response.output_text.done", n, **where, text="Hello!"))
    await ws.send_json(_event("response.done", n, response={**response, "status": "completed"}))


async def responses_script(conn: Connection, server: ScriptServer) -> None:
    """Responses over WebSocket: each `response.create` gets created / delta / completed (or `abort`),
    every event carrying the request's `stream_id` when it named one (the server's lanes)."""
    ws = conn.ws
    while True:
        message = await server.next_message(conn)
        if not isinstance(message, dict) or message.get("type") != "response.create":
            continue
        lane = {"stream_id": message["stream_id"]} if "stream_id" in message else {}
        seq = 0
        rid = f"resp_{len(conn.received)}"
        resp = {"id": rid, "object": "response", "status": "in_progress", "output": [], "model": message.get("model")}
        await ws.send_json({"type": "response.created", "sequence_number": seq, "response": resp, **lane})
        if message.get("input") == "abort":
            ws.abort()
            return
        seq += 1
        await ws.send_json({
            "type": "response.output_text.delta", "sequence_number": seq, "item_id": "msg_1", "output_index": 0,
            "content_index": 0, "delta": f"echo: {message.get('input')}", "logprobs": [], **lane,
        })
        completed = {"type": "response.completed", "sequence_number": seq + 1, "response": {**resp, "status": "completed"}}
        await ws.send_json({**completed, **lane})


async def echo_script(conn: Connection, server: ScriptServer) -> None:
    """Echoes each message back as it came (text or binary)."""
    while True:
        raw = await conn.ws.recv()
        with server._cond:  # pyright: ignore[reportPrivateUsage]
            conn.received.append(raw)
            server._cond.notify_all()  # pyright: ignore[reportPrivateUsage]
        await conn.ws.send(raw)
