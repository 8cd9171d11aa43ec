"""WebSocket endpoints: ``/v1/realtime`` (the Realtime API, GA and ``OpenAI-Beta: realtime=v1``) and
``/v1/responses`` (Responses over WebSocket), on a small RFC 6455 server codec (stdlib only).

The handshake is an ordinary request through the app (auth, faults, request log); the handler
answers ``101 Switching Protocols`` with a ``takeover`` that then owns the connection.

Realtime: ``session.created`` first; ``session.update`` -> ``session.updated``;
``conversation.item.create/retrieve/delete/truncate`` keep a conversation; the input audio buffer
counts appended bytes; ``response.create`` answers deterministically (the text of the chat and
responses endpoints: an echo of the last user message) as ``response.created``, output item and
content part events, several ``response.output_text.delta`` (or audio transcript and audio deltas
when the session's modalities are audio), then ``response.done``. Anything the server cannot accept
is answered with an ``error`` event, as the API does; the connection stays open.

Responses: each ``response.create`` runs ``POST /v1/responses`` with ``stream: true`` and sends its
events as WebSocket messages; a failure becomes an ``error`` event with the HTTP status. A
``stream_id`` (a named lane) is not part of the request body: it is echoed on every event answering it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import struct
from collections.abc import Awaitable, Callable
from typing import Any, cast

from ._chat import ToolPlan, scripted_tool_calls
from ._core import Core, Router
from ._errors import APIFailure, bad_request
from ._http import Request, Response, iter_chunks
from ._synth import compose_reply, split_tokens

__all__ = ["ServerWebSocket", "WebSocketClosed", "accept_key", "register", "upgrade"]

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
_CONTINUATION, _TEXT, _BINARY, _CLOSE, _PING, _PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

Session = Callable[["ServerWebSocket"], Awaitable[None]]


def accept_key(key: str) -> str:
    """The ``Sec-WebSocket-Accept`` answer to a ``Sec-WebSocket-Key``."""
    return base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()


class WebSocketClosed(Exception):
    """The connection is closed: the close code and reason (1006 when it was dropped without a close frame)."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason


class _ProtocolError(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _unmask(data: bytes, mask: bytes) -> bytes:
    if not data:
        return data
    n = len(data)
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "little") ^ int.from_bytes(key, "little")).to_bytes(n, "little")


class ServerWebSocket:
    """The server side of one WebSocket connection on asyncio streams (RFC 6455, no extensions)."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, max_message: int = MAX_MESSAGE_BYTES
    ) -> None:
        self._reader = reader
        self._writer = writer
        self.max_message = max_message
        self.closed: WebSocketClosed | None = None
        self._close_sent = False
        self.pings = 0  # pings received from the client
        self.pongs = 0  # pongs received from the client
        self.on_control: Callable[[], None] | None = None  # called after each ping or pong received (tests wait on it)

    async def recv(self) -> str | bytes:
        """The next message (``str`` for text, ``bytes`` for binary); answers pings and the closing handshake."""
        if self.closed is not None:
            raise self.closed
        parts: list[bytes] = []
        kind: int | None = None
        size = 0
        while True:
            try:
                fin, opcode, payload = await self._frame()
            except (asyncio.IncompleteReadError, ConnectionError):
                raise self._lost() from None
            except _ProtocolError as err:
                await self.close(err.code, err.reason)
                raise WebSocketClosed(err.code, err.reason) from None
            if opcode == _PING:
                self.pings += 1
                await self._write(_PONG, payload)
                if self.on_control is not None:
                    self.on_control()
                continue
            if opcode == _PONG:
                self.pongs += 1
                if self.on_control is not None:
                    self.on_control()
                continue
            if opcode == _CLOSE:
                code, reason = (struct.unpack("!H", payload[:2])[0], payload[2:].decode(errors="replace")) if len(
                    payload
                ) >= 2 else (1005, "")
                if not self._close_sent:
                    self._close_sent = True
                    await self._write(_CLOSE, payload[:2])
                self.closed = WebSocketClosed(code, reason)
                self._writer.close()
                raise self.closed
            if opcode in (_TEXT, _BINARY):
                if kind is not None:
                    await self.close(1002, "new message inside a fragmented one")
                    raise WebSocketClosed(1002)
                kind = opcode
            elif opcode != _CONTINUATION or kind is None:
                await self.close(1002, f"unexpected opcode {opcode}")
                raise WebSocketClosed(1002)
            size += len(payload)
            if size > self.max_message:
                await self.close(1009, "message too big")
                raise WebSocketClosed(1009, "message too big")
            parts.append(payload)
            if fin:
                data = b"".join(parts)
                if kind == _BINARY:
                    return data
                try:
                    return data.decode()
                except UnicodeDecodeError:
                    await self.close(1007, "invalid UTF-8")
                    raise WebSocketClosed(1007) from None

    async def send(self, data: str | bytes, *, fragments: int = 1) -> None:
        """Send one message, in ``fragments`` frames (a continuation sequence when more than one)."""
        if self.closed is not None or self._close_sent:
            raise self.closed or WebSocketClosed(1000)
        raw = data.encode() if isinstance(data, str) else data
        opcode = _TEXT if isinstance(data, str) else _BINARY
        step = max(1, -(-len(raw) // max(1, fragments)))
        chunks = [raw[i : i + step] for i in range(0, len(raw), step)] or [b""]
        for i, chunk in enumerate(chunks):
            await self._write(opcode if i == 0 else _CONTINUATION, chunk, fin=i == len(chunks) - 1)

    async def send_json(self, obj: Any) -> None:
        await self.send(json.dumps(obj, separators=(",", ":")))

    async def ping(self, payload: bytes = b"") -> None:
        await self._write(_PING, payload)

    async def close(self, code: int = 1000, reason: str = "", *, timeout: float = 5.0) -> None:
        """Send a close frame, wait (bounded) for the client's, then close the connection."""
        if self.closed is not None:
            return
        if not self._close_sent:
            self._close_sent = True
            try:
                await self._write(_CLOSE, struct.pack("!H", code) + reason.encode()[:123])
            except (ConnectionError, RuntimeError):
                pass
        try:
            await asyncio.wait_for(self._until_close_frame(), timeout)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError, _ProtocolError):
            pass
        self.closed = WebSocketClosed(code, reason)
        self._writer.close()

    async def _until_close_frame(self) -> None:
        while True:
            _, opcode, _ = await self._frame()
            if opcode == _CLOSE:
                return

    def abort(self) -> None:
        """Drop the connection without a close frame (the client sees code 1006)."""
        self.closed = WebSocketClosed(1006)
        self._writer.transport.abort()

    def _lost(self) -> WebSocketClosed:
        self.closed = WebSocketClosed(1006)
        self._writer.close()
        return self.closed

    async def _frame(self) -> tuple[bool, int, bytes]:
        b0, b1 = await self._reader.readexactly(2)
        if b0 & 0x70:
            raise _ProtocolError(1002, "reserved bits set")
        fin, opcode, length = bool(b0 & 0x80), b0 & 0x0F, b1 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self._reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self._reader.readexactly(8))
        if not b1 & 0x80:
            raise _ProtocolError(1002, "client frames must be masked")
        if opcode >= _CLOSE and (length > 125 or not fin):
            raise _ProtocolError(1002, "bad control frame")
        if length > self.max_message:
            raise _ProtocolError(1009, "message too big")
        mask = await self._reader.readexactly(4)
        return fin, opcode, _unmask(await self._reader.readexactly(length), mask)

    async def _write(self, opcode: int, payload: bytes, *, fin: bool = True) -> None:
        n = len(payload)
        first = (0x80 if fin else 0) | opcode
        if n < 126:
            head = struct.pack("!BB", first, n)
        elif n < 1 << 16:
            head = struct.pack("!BBH", first, 126, n)
        else:
            head = struct.pack("!BBQ", first, 127, n)
        self._writer.write(head + payload)
        await self._writer.drain()


def upgrade(req: Request, session: Session) -> Response:
    """The ``101`` answer to a WebSocket handshake, handing the connection to ``session``; 400 if it is not one."""
    key = req.headers.get("sec-websocket-key", "")
    if req.headers.get("upgrade", "").lower() != "websocket" or not key or req.headers.get(
        "sec-websocket-version"
    ) != "13":
        raise bad_request("This endpoint speaks WebSocket: send a WebSocket handshake (Upgrade: websocket).")

    async def takeover(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ws = ServerWebSocket(reader, writer)
        try:
            await session(ws)
        except WebSocketClosed:
            pass
        finally:
            if ws.closed is None:
                await ws.close()

    headers = [("upgrade", "websocket"), ("connection", "Upgrade"), ("sec-websocket-accept", accept_key(key))]
    return Response(101, headers=headers, content_type=None, takeover=takeover)


# -- the Realtime API -------------------------------------------------------------------------------

_GA_NAMES = {
    "text.delta": "response.output_text.delta",
    "text.done": "response.output_text.done",
    "transcript.delta": "response.output_audio_transcript.delta",
    "transcript.done": "response.output_audio_transcript.done",
    "audio.delta": "response.output_audio.delta",
    "audio.done": "response.output_audio.done",
}
_BETA_NAMES = {
    "text.delta": "response.text.delta",
    "text.done": "response.text.done",
    "transcript.delta": "response.audio_transcript.delta",
    "transcript.done": "response.audio_transcript.done",
    "audio.delta": "response.audio.delta",
    "audio.done": "response.audio.done",
}
_SILENCE = base64.b64encode(bytes(480)).decode()  # 10 ms of 24 kHz pcm16 silence


class RealtimeSession:
    """One scripted Realtime conversation (see the module docstring)."""

    def __init__(self, core: Core, ws: ServerWebSocket, model: str, beta: bool) -> None:
        self.core = core
        self.ws = ws
        self.beta = beta
        self.names = _BETA_NAMES if beta else _GA_NAMES
        self.session: dict[str, Any] = {
            "id": core.ids("sess_", 24),
            "object": "realtime.session",
            "type": "realtime",
            "model": model,
            "output_modalities": ["text"],
            "instructions": "",
            "tools": [],
            "tool_choice": "auto",
            "max_output_tokens": "inf",
        }
        if beta:
            self.session.pop("type")
            self.session["modalities"] = self.session.pop("output_modalities")
        self.conversation_id = core.ids("conv_", 24)
        self.items: dict[str, dict[str, Any]] = {}
        self.audio_bytes = 0

    async def emit(self, event_type: str, **fields: Any) -> None:
        await self.ws.send_json({"type": event_type, "event_id": self.core.ids("event_", 24), **fields})

    async def error(self, message: str, *, code: str | None = None, param: str | None = None, event_id: Any = None) -> None:
        await self.emit(
            "error",
            error={"type": "invalid_request_error", "code": code, "message": message, "param": param, "event_id": event_id},
        )

    async def run(self) -> None:
        await self.emit("session.created", session=self.session)
        while True:
            message = await self.ws.recv()
            try:
                event = json.loads(message)
            except ValueError:
                await self.error("The message is not valid JSON.", code="invalid_json")
                continue
            if not isinstance(event, dict) or not isinstance(event.get("type"), str):  # pyright: ignore[reportUnknownMemberType]
                await self.error("Each event must be a JSON object with a string 'type'.", code="invalid_event")
                continue
            body: dict[str, Any] = event  # pyright: ignore[reportUnknownVariableType]
            handler = getattr(self, "on_" + body["type"].replace(".", "_"), None)
            if handler is None:
                await self.error(
                    f"Invalid value: '{body['type']}'. This is not a client event the Realtime API accepts.",
                    code="invalid_value", param="type", event_id=body.get("event_id"),
                )
                continue
            await handler(body)

    # -- client events

    async def on_session_update(self, event: dict[str, Any]) -> None:
        session = event.get("session")
        if not isinstance(session, dict):
            await self.error("Missing required parameter: 'session'.", code="missing_required_parameter",
                             param="session", event_id=event.get("event_id"))
            return
        self.session.update({k: v for k, v in session.items() if k not in ("id", "object")})  # pyright: ignore[reportUnknownVariableType]
        await self.emit("session.updated", session=self.session)

    async def on_transcription_session_update(self, event: dict[str, Any]) -> None:
        given = event.get("session")
        session: dict[str, Any] = given if isinstance(given, dict) else {}  # pyright: ignore[reportUnknownVariableType]
        await self.emit("transcription_session.updated", session={"id": self.session["id"], **session})

    async def on_conversation_item_create(self, event: dict[str, Any]) -> None:
        item = event.get("item")
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):  # pyright: ignore[reportUnknownMemberType]
            await self.error("Missing required parameter: 'item'.", code="missing_required_parameter",
                             param="item", event_id=event.get("event_id"))
            return
        stored: dict[str, Any] = {"id": self.core.ids("item_", 24), "object": "realtime.item", "status": "completed", **item}  # pyright: ignore[reportUnknownArgumentType]
        previous = list(self.items)[-1] if self.items else None
        self.items[stored["id"]] = stored
        await self.emit("conversation.item.created", previous_item_id=previous, item=stored)

    async def on_conversation_item_retrieve(self, event: dict[str, Any]) -> None:
        item = self.items.get(str(event.get("item_id")))
        if item is None:
            await self._no_item(event)
            return
        await self.emit("conversation.item.retrieved", item=item)

    async def on_conversation_item_delete(self, event: dict[str, Any]) -> None:
        if self.items.pop(str(event.get("item_id")), None) is None:
            await self._no_item(event)
            return
        await self.emit("conversation.item.deleted", item_id=event["item_id"])

    async def on_conversation_item_truncate(self, event: dict[str, Any]) -> None:
        if str(event.get("item_id")) not in self.items:
            await self._no_item(event)
            return
        await self.emit(
            "conversation.item.truncated", item_id=event["item_id"],
            content_index=event.get("content_index", 0), audio_end_ms=event.get("audio_end_ms", 0),
        )

    async def _no_item(self, event: dict[str, Any]) -> None:
        await self.error(f"Item with item_id '{event.get('item_id')}' not found.", code="item_not_found",
                         param="item_id", event_id=event.get("event_id"))

    async def on_input_audio_buffer_append(self, event: dict[str, Any]) -> None:
        try:
            self.audio_bytes += len(base64.b64decode(str(event.get("audio", "")), validate=True))
        except (binascii.Error, ValueError):
            await self.error("Invalid 'audio': expected base64-encoded audio.", code="invalid_value",
                             param="audio", event_id=event.get("event_id"))

    async def on_input_audio_buffer_commit(self, event: dict[str, Any]) -> None:
        if self.audio_bytes == 0:
            await self.error("Error committing input audio buffer: the buffer is empty.",
                             code="input_audio_buffer_commit_empty", event_id=event.get("event_id"))
            return
        item_id = self.core.ids("item_", 24)
        self.audio_bytes = 0
        previous = list(self.items)[-1] if self.items else None
        await self.emit("input_audio_buffer.committed", previous_item_id=previous, item_id=item_id)
        item = {"id": item_id, "object": "realtime.item", "type": "message", "status": "completed", "role": "user",
                "content": [{"type": "input_audio", "transcript": None}]}
        self.items[item_id] = item
        await self.emit("conversation.item.created", previous_item_id=previous, item=item)

    async def on_input_audio_buffer_clear(self, event: dict[str, Any]) -> None:
        self.audio_bytes = 0
        await self.emit("input_audio_buffer.cleared")

    async def on_output_audio_buffer_clear(self, event: dict[str, Any]) -> None:
        await self.emit("output_audio_buffer.cleared", response_id=None)

    async def on_response_cancel(self, event: dict[str, Any]) -> None:
        await self.error("Cancellation failed: no active response found.", code="response_cancel_not_active",
                         event_id=event.get("event_id"))

    async def on_response_create(self, event: dict[str, Any]) -> None:
        options: dict[str, Any] = event.get("response") if isinstance(event.get("response"), dict) else {}  # pyright: ignore[reportAssignmentType]
        key = "modalities" if self.beta else "output_modalities"
        modalities = options.get(key) or self.session.get(key) or ["text"]
        instructions = options.get("instructions") or self.session.get("instructions") or None
        request = Request("POST", "/v1/realtime", {"content-type": "application/json"}, json.dumps(event).encode())
        try:
            scripted = self.core.scripted("realtime", request)
        except APIFailure as failure:
            await self.error(failure.message, code=failure.code, event_id=event.get("event_id"))
            return
        if scripted is None:
            text = compose_reply(self._turns(), instructions=instructions)
            pieces, calls = split_tokens(text), []
        else:
            text = scripted.text if scripted.text is not None else scripted.refusal or ""
            pieces = list(scripted.deltas) if scripted.deltas is not None else split_tokens(text)
            tools: list[Any] = options.get("tools") or self.session.get("tools") or []
            calls = scripted_tool_calls(scripted, tools, self._turns(), flat=True, seed=self.core.config.seed)
        response_id = self.core.ids("resp_", 24)
        response: dict[str, Any] = {
            "object": "realtime.response", "id": response_id, "status": "in_progress", "status_details": None,
            "output": [], "conversation_id": self.conversation_id, key: modalities,
            "max_output_tokens": options.get("max_output_tokens", "inf"), "metadata": options.get("metadata"),
            "usage": None,
        }
        await self.emit("response.created", response=response)
        output: list[dict[str, Any]] = []
        if text or not calls:
            output.append(await self._message_output(response_id, len(output), modalities, text, pieces))
        for plan in calls:
            output.append(await self._call_output(response_id, len(output), plan))
        if options.get("conversation") != "none":
            for item in output:
                self.items[item["id"]] = item
        tokens = len(split_tokens(text)) + sum(len(split_tokens(p.arguments)) for p in calls)
        usage = {"total_tokens": tokens + 10, "input_tokens": 10, "output_tokens": tokens}
        if scripted is not None and scripted.usage is not None:
            given = scripted.usage
            usage["input_tokens"] = 10 if given.input_tokens is None else given.input_tokens
            usage["output_tokens"] = tokens if given.output_tokens is None else given.output_tokens
            usage["total_tokens"] = usage["input_tokens"] + usage["output_tokens"]
        await self.emit("response.done", response={**response, "status": "completed", "output": output, "usage": usage})

    async def _message_output(
        self, response_id: str, index: int, modalities: list[str], text: str, pieces: list[str]
    ) -> dict[str, Any]:
        item_id = self.core.ids("item_", 24)
        audio = "audio" in modalities and "text" not in modalities
        part_type = ("audio" if self.beta else "output_audio") if audio else ("text" if self.beta else "output_text")
        item: dict[str, Any] = {"id": item_id, "object": "realtime.item", "type": "message", "status": "in_progress",
                                "role": "assistant", "content": []}
        where = {"response_id": response_id, "item_id": item_id, "output_index": index, "content_index": 0}
        await self.emit("response.output_item.added", response_id=response_id, output_index=index, item=item)
        empty = {"type": part_type, "transcript": ""} if audio else {"type": part_type, "text": ""}
        await self.emit("response.content_part.added", **where, part=empty)
        for piece in pieces:
            if audio:
                await self.emit(self.names["audio.delta"], **where, delta=_SILENCE)
                await self.emit(self.names["transcript.delta"], **where, delta=piece)
            else:
                await self.emit(self.names["text.delta"], **where, delta=piece)
        if audio:
            await self.emit(self.names["audio.done"], **where)
            await self.emit(self.names["transcript.done"], **where, transcript=text)
            part = {"type": part_type, "transcript": text}
        else:
            await self.emit(self.names["text.done"], **where, text=text)
            part = {"type": part_type, "text": text}
        await self.emit("response.content_part.done", **where, part=part)
        item = {**item, "status": "completed", "content": [part]}
        await self.emit("response.output_item.done", response_id=response_id, output_index=index, item=item)
        return item

    async def _call_output(self, response_id: str, index: int, plan: ToolPlan) -> dict[str, Any]:
        item_id = self.core.ids("item_", 24)
        call_id = plan.call_id or self.core.ids("call_", 24)
        item: dict[str, Any] = {"id": item_id, "object": "realtime.item", "type": "function_call",
                                "status": "in_progress", "name": plan.name, "call_id": call_id, "arguments": ""}
        await self.emit("response.output_item.added", response_id=response_id, output_index=index, item=item)
        where = {"response_id": response_id, "item_id": item_id, "output_index": index, "call_id": call_id}
        for start in range(0, len(plan.arguments), 16):
            await self.emit("response.function_call_arguments.delta", **where, delta=plan.arguments[start : start + 16])
        await self.emit("response.function_call_arguments.done", **where, name=plan.name, arguments=plan.arguments)
        item = {**item, "status": "completed", "arguments": plan.arguments}
        await self.emit("response.output_item.done", response_id=response_id, output_index=index, item=item)
        return item

    def _turns(self) -> list[tuple[str, str]]:
        turns: list[tuple[str, str]] = []
        for item in self.items.values():
            if item.get("type") != "message":
                continue
            content: list[Any] = item.get("content") or []
            parts: list[dict[str, Any]] = [c for c in content if isinstance(c, dict)]
            texts = [str(c.get("text") or c.get("transcript") or "") for c in parts]
            turns.append((str(item.get("role", "user")), " ".join(t for t in texts if t)))
        return turns


def realtime_endpoint(core: Core, req: Request, params: dict[str, str]) -> Response:
    model = req.query_value("model")
    if not model and not req.query_value("call_id"):
        raise bad_request("Missing required parameter: 'model'.", param="model", code="missing_required_parameter")
    beta = "realtime=v1" in req.headers.get("openai-beta", "")

    async def session(ws: ServerWebSocket) -> None:
        await RealtimeSession(core, ws, model or "gpt-realtime", beta).run()

    return upgrade(req, session)


# -- Responses over WebSocket -----------------------------------------------------------------------


def responses_endpoint(core: Core, req: Request, params: dict[str, str]) -> Response:
    from ._responses import create_response

    headers = {k: v for k, v in req.headers.items() if k in ("authorization", "api-key")}

    async def session(ws: ServerWebSocket) -> None:
        while True:
            message = await ws.recv()
            try:
                event = json.loads(message)
            except ValueError:
                event = None
            if not isinstance(event, dict) or event.get("type") != "response.create":  # pyright: ignore[reportUnknownMemberType]
                await ws.send_json({"type": "error", "status": 400, "error": {
                    "type": "invalid_request_error", "code": "invalid_event", "param": "type",
                    "message": "Expected a JSON object with type 'response.create'."}})
                continue
            body: dict[str, Any] = {k: v for k, v in cast("dict[str, Any]", event).items() if k != "type"}
            # a named lane: the API echoes the request's `stream_id` on every event it answers with
            lane: dict[str, Any] = {"stream_id": body.pop("stream_id")} if "stream_id" in body else {}
            body["stream"] = True
            request = Request("POST", "/v1/responses", {"content-type": "application/json", **headers},
                              json.dumps(body).encode())
            try:
                answer = create_response(core, request, {})
            except APIFailure as failure:
                await ws.send_json({"type": "error", "status": failure.status,
                                    "error": json.loads(failure.body())["error"], **lane})
                continue
            async for chunk in iter_chunks(answer.chunks or ()):
                for line in chunk.decode().splitlines():
                    if line.startswith("data: "):
                        await ws.send(json.dumps({**json.loads(line[6:]), **lane}) if lane else line[6:])

    return upgrade(req, session)


def register(router: Router) -> None:
    router.add("GET", "/realtime", realtime_endpoint)
    router.add("GET", "/responses", responses_endpoint)
