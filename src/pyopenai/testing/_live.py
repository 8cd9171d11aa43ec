"""WebSocket endpoints of the Live API and of Realtime translation, scripted and deterministic.

``/v1/live/sessions``: the first event must be ``session.start`` (with ``session.model``), answered
by ``session.started``; the session is then kept (``core.store.live_sessions``) so that
``/v1/live/sessions/{id}/fork`` (``session.start`` with overrides; the model is inherited) and
``/v1/live/sessions/{id}/attach`` (a sideband: no ``session.start``; ``transport.dtmf.send`` allowed)
can find it; an unknown id refuses the handshake with 404. On a running session every client event
is acknowledged the way the API does (``session.updated``, ``session.input_audio.muted``,
``session.instructions.appended``, ``decision.item.created``, ...); ``response.create`` speaks an
echo of the last ``response.item.create`` text as ``session.output_transcript.delta`` events;
``session.close`` answers ``session.closed`` and closes the connection (1000). Anything else gets an
``error`` event naming the event type, and the connection stays open. Every answer carries the
client's ``event_id`` as ``client_event_id``.

``/v1/realtime/translations?model=...``: ``session.created`` first; ``session.update`` ->
``session.updated``; each ``session.input_audio_buffer.append`` is "translated" into an input and an
output transcript delta naming the byte count and the target language; ``session.close`` ->
``session.closed`` then close.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ._core import Core, Router
from ._errors import bad_request, not_found
from ._http import Request, Response
from ._realtime import ServerWebSocket, upgrade
from ._synth import split_tokens

__all__ = ["register"]

_ACKS = {  # client events answered by one event, with no state to change
    "session.input_audio.mute": "session.input_audio.muted",
    "session.input_audio.unmute": "session.input_audio.unmuted",
}
_TEXT_ACKS = {  # text appended to the model's context: answered with where it landed on the timeline
    "session.instructions.append": "session.instructions.appended",
    "session.thinking.append": "session.thinking.appended",
    "session.commentary.append": "session.commentary.appended",
}


class LiveSession:
    """One Live connection: a new session, a fork of a stored one, or a sideband attached to one."""

    def __init__(self, core: Core, ws: ServerWebSocket, *, mode: str, stored: dict[str, Any] | None = None) -> None:
        self.core = core
        self.ws = ws
        self.mode = mode  # "live", "fork" or "sideband"
        self.stored = stored
        self.session: dict[str, Any] | None = stored if mode == "sideband" else None
        self.decision_items: dict[str, dict[str, Any]] = {}
        self.last_text = ""
        self.elapsed_ms = 0
        self.audio_bytes = 0

    async def emit(self, event_type: str, client_event: dict[str, Any], **fields: Any) -> None:
        body: dict[str, Any] = {"type": event_type, "event_id": self.core.ids("event_", 24), **fields}
        if client_event.get("event_id") is not None:
            body["client_event_id"] = client_event["event_id"]
        await self.ws.send_json(body)

    async def error(self, client_event: dict[str, Any], message: str, *, code: str, param: str | None = None) -> None:
        error = {"type": "invalid_request_error", "code": code, "message": message, "param": param,
                 "client_event_id": client_event.get("event_id")}
        await self.emit("error", client_event, error=error)

    async def run(self) -> None:
        while True:
            message = await self.ws.recv()
            try:
                event: Any = json.loads(message)
            except ValueError:
                await self.error({}, "The message is not valid JSON.", code="invalid_json")
                continue
            if not isinstance(event, dict) or not isinstance(event.get("type"), str):  # pyright: ignore[reportUnknownMemberType]
                await self.error({}, "Each event must be a JSON object with a string 'type'.", code="invalid_event")
                continue
            body: dict[str, Any] = event  # pyright: ignore[reportUnknownVariableType]
            if await self.handle(body):
                return

    async def handle(self, event: dict[str, Any]) -> bool:
        """Answer one client event; True once the session is closed."""
        kind: str = event["type"]
        if kind == "session.start":
            await self.start(event)
            return False
        if self.session is None:
            await self.error(event, f"Send 'session.start' before '{kind}'.", code="session_not_started", param="type")
            return False
        if kind in _ACKS:
            await self.emit(_ACKS[kind], event)
        elif kind in _TEXT_ACKS:
            await self.append_text(event, _TEXT_ACKS[kind])
        elif kind == "session.input_audio.append" and self.mode != "sideband":
            await self.append_audio(event)
        elif kind == "session.output_audio.fixture.play":
            await self.emit("session.output_audio.fixture.playing", event)
            await self.emit("session.output_audio.fixture.played", event)
        elif kind == "session.update":
            await self.update(event)
        elif kind == "decision.item.create":
            await self.create_decision_item(event)
        elif kind == "decision.item.delete":
            if self.decision_items.pop(str(event.get("item_id")), None) is None:
                await self.error(event, f"Item with item_id '{event.get('item_id')}' not found.", code="item_not_found",
                                 param="item_id")
            else:
                await self.emit("decision.item.deleted", event, item_id=event["item_id"])
        elif kind == "response.item.create":
            self.last_text = _text_of(event.get("item"))
        elif kind == "response.create":
            await self.respond(event)
        elif kind == "transport.dtmf.send" and self.mode == "sideband":
            await self.emit("transport.dtmf.sent", event, event=str(event.get("event", "")))
        elif kind == "session.close":
            usage = {"seconds": self.elapsed_ms / 1000}
            await self.emit("session.closed", event, reason="close_requested", session=self.session, usage=usage)
            await self.ws.close(1000, "session closed")
            return True
        else:
            await self.error(event, f"Invalid value: '{kind}'. This is not a client event this endpoint accepts.",
                             code="invalid_value", param="type")
        return False

    async def start(self, event: dict[str, Any]) -> None:
        if self.mode == "sideband" or self.session is not None:
            await self.error(event, "The session has already started.", code="session_already_started", param="type")
            return
        given = event.get("session")
        if not isinstance(given, dict):
            await self.error(event, "Missing required parameter: 'session'.", code="missing_required_parameter",
                             param="session")
            return
        config: dict[str, Any] = given  # pyright: ignore[reportUnknownVariableType]
        base = dict(self.stored or {})
        model = base.get("model") if self.mode == "fork" else config.get("model")
        if not isinstance(model, str) or not model:
            await self.error(event, "Missing required parameter: 'session.model'.", code="missing_required_parameter",
                             param="session.model")
            return
        session = {**base, **{k: v for k, v in config.items() if k != "model"}}
        session.update(id=self.core.ids("sess_", 24), model=model, status="active", expires_at=self.core.now() + 3600)
        self.core.store.live_sessions[session["id"]] = session
        self.session = session
        await self.emit("session.started", event, session=session)

    async def update(self, event: dict[str, Any]) -> None:
        given = event.get("session")
        if not isinstance(given, dict) or "model" in given:
            await self.error(event, "'session' must be an object without 'model' (the model cannot change).",
                             code="invalid_value", param="session")
            return
        assert self.session is not None
        self.session.update({k: v for k, v in given.items() if k not in ("id", "status", "expires_at")})  # pyright: ignore[reportUnknownVariableType]
        await self.emit("session.updated", event, session=self.session)

    async def append_text(self, event: dict[str, Any], answer: str) -> None:
        content = event.get("content")
        if not isinstance(content, str):
            await self.error(event, "Missing required parameter: 'content'.", code="missing_required_parameter",
                             param="content")
            return
        start = self.elapsed_ms
        self.elapsed_ms += 10 * len(split_tokens(content))
        await self.emit(answer, event, start_ms=start, end_ms=self.elapsed_ms)

    async def append_audio(self, event: dict[str, Any]) -> None:
        try:
            self.audio_bytes += len(base64.b64decode(str(event.get("audio", "")), validate=True))
        except (binascii.Error, ValueError):
            await self.error(event, "Invalid 'audio': expected base64-encoded audio.", code="invalid_value",
                             param="audio")

    async def create_decision_item(self, event: dict[str, Any]) -> None:
        given = event.get("item")
        if not isinstance(given, dict) or not isinstance(given.get("type"), str):  # pyright: ignore[reportUnknownMemberType]
            await self.error(event, "Missing required parameter: 'item'.", code="missing_required_parameter",
                             param="item")
            return
        item: dict[str, Any] = {"id": self.core.ids("item_", 24), "status": "completed", **given}  # pyright: ignore[reportUnknownArgumentType]
        self.decision_items[item["id"]] = item
        await self.emit("decision.item.created", event, item=item)

    async def respond(self, event: dict[str, Any]) -> None:
        text = f'You said: "{self.last_text}"' if self.last_text else "Hello from the local Live server."
        for piece in split_tokens(text):
            start = self.elapsed_ms
            self.elapsed_ms += 40
            await self.emit("session.output_transcript.delta", event, delta=piece, start_ms=start, end_ms=self.elapsed_ms)


def _text_of(item: Any) -> str:
    """The text of a message input item (`content` as a string or as `input_text` parts)."""
    if not isinstance(item, dict):
        return ""
    message: dict[str, Any] = item  # pyright: ignore[reportUnknownVariableType]
    content: Any = message.get("content")
    if isinstance(content, str):
        return content
    parts: list[Any] = content if isinstance(content, list) else []  # pyright: ignore[reportUnknownVariableType]
    return " ".join(str(p.get("text", "")) for p in parts if isinstance(p, dict))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def _stored(core: Core, params: dict[str, str]) -> dict[str, Any]:
    session = core.store.live_sessions.get(params["session_id"])
    if session is None:
        raise not_found("Live session", params["session_id"], param="session_id")
    return session


def live_endpoint(core: Core, req: Request, params: dict[str, str]) -> Response:
    async def session(ws: ServerWebSocket) -> None:
        await LiveSession(core, ws, mode="live").run()

    return upgrade(req, session)


def fork_endpoint(core: Core, req: Request, params: dict[str, str]) -> Response:
    stored = _stored(core, params)

    async def session(ws: ServerWebSocket) -> None:
        await LiveSession(core, ws, mode="fork", stored=dict(stored)).run()

    return upgrade(req, session)


def attach_endpoint(core: Core, req: Request, params: dict[str, str]) -> Response:
    stored = _stored(core, params)
    graceful = req.query_value("graceful_close")
    if graceful not in (None, "true", "false"):
        raise bad_request("Invalid 'graceful_close': expected true or false.", param="graceful_close")

    async def session(ws: ServerWebSocket) -> None:
        await LiveSession(core, ws, mode="sideband", stored=stored).run()

    return upgrade(req, session)


# -- Realtime translation ---------------------------------------------------------------------------


async def _translate(core: Core, ws: ServerWebSocket, model: str) -> None:
    session: dict[str, Any] = {"id": core.ids("sess_", 24), "type": "translation", "model": model,
                               "expires_at": core.now() + 3600, "audio": {"output": {"language": "en"}}}

    async def emit(event_type: str, **fields: Any) -> None:
        await ws.send_json({"type": event_type, "event_id": core.ids("event_", 24), **fields})

    async def error(message: str, code: str, param: str | None, client_event: dict[str, Any]) -> None:
        await emit("error", error={"type": "invalid_request_error", "code": code, "message": message, "param": param,
                                   "event_id": client_event.get("event_id")})

    await emit("session.created", session=session)
    while True:
        try:
            event: Any = json.loads(await ws.recv())
        except ValueError:
            event = None
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):  # pyright: ignore[reportUnknownMemberType]
            await error("Each event must be a JSON object with a string 'type'.", "invalid_event", None, {})
            continue
        body: dict[str, Any] = event  # pyright: ignore[reportUnknownVariableType]
        kind = body["type"]
        if kind == "session.update" and isinstance(body.get("session"), dict):
            _merge(session, body["session"])
            await emit("session.updated", session=session)
        elif kind == "session.input_audio_buffer.append":
            try:
                size = len(base64.b64decode(str(body.get("audio", "")), validate=True))
            except (binascii.Error, ValueError):
                await error("Invalid 'audio': expected base64-encoded audio.", "invalid_value", "audio", body)
                continue
            language = str(session["audio"].get("output", {}).get("language", "en"))
            await emit("session.input_transcript.delta", delta=f"[{size} bytes]")
            await emit("session.output_transcript.delta", delta=f"({language}) [{size} bytes]")
        elif kind == "session.close":
            await emit("session.closed")
            await ws.close(1000, "session closed")
            return
        else:
            await error(f"Invalid value: '{kind}'. This is not a client event this endpoint accepts.",
                        "invalid_value", "type", body)


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)  # pyright: ignore[reportUnknownArgumentType]
        else:
            target[key] = value


def translations_endpoint(core: Core, req: Request, params: dict[str, str]) -> Response:
    model = req.query_value("model")
    if not model:
        raise bad_request("Missing required parameter: 'model'.", param="model", code="missing_required_parameter")

    async def session(ws: ServerWebSocket) -> None:
        await _translate(core, ws, model)

    return upgrade(req, session)


def register(router: Router) -> None:
    router.add("GET", "/live/sessions", live_endpoint)
    router.add("GET", "/live/sessions/{session_id}/fork", fork_endpoint)
    router.add("GET", "/live/sessions/{session_id}/attach", attach_endpoint)
    router.add("GET", "/realtime/translations", translations_endpoint)
