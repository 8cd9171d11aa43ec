"""``/v1/agents/...``: agent sessions that answer turns, their event streams, artifacts and environment files.

A session is created idle. Input sent to it (``POST .../events``) starts a turn whose events are
published at once: the turn takes the next reply of ``server.script.agents`` (or the server's own
echo) and either answers with a final message, or calls tools and waits in ``requires_action`` until
every call has a ``tool_result``; then it takes one more reply. A completed turn writes its answer
as the artifact ``/workspace/outputs/answer.md``, so artifact downloads have something to read.

``GET .../events`` streams the events published after the subscription, and ends after the session
is idle (or failed) again at the end of a turn.
"""

from __future__ import annotations

import asyncio
import copy
import json
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from ._core import Core, Router, json_response, page_response, sse_event, sse_response
from ._errors import APIFailure, bad_request, not_found
from ._http import Request, Response
from ._script import Reply
from ._synth import compose_reply, count_tokens, instance_for_schema, split_tokens
from ._validate import JSONObject, as_list, as_object, json_body, opt_object, req_list, req_str

__all__ = ["register"]

ANSWER_ARTIFACT = "/workspace/outputs/answer.md"


@dataclass
class _Session:
    obj: JSONObject
    events: list[JSONObject] = field(default_factory=lambda: [])
    turn: JSONObject | None = None
    transcript: list[tuple[str, str]] = field(default_factory=lambda: [])
    pending_calls: dict[str, JSONObject] = field(default_factory=lambda: {})
    tool_outputs: list[str] = field(default_factory=lambda: [])
    output_index: int = 0
    # the event loops of open subscriptions, each woken when an event is published
    waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = field(default_factory=lambda: [])


@dataclass
class _Agents:
    store: object  # the core's store this state goes with: a server reset() replaces it
    sessions: dict[str, _Session] = field(default_factory=lambda: {})
    artifacts: dict[str, list[JSONObject]] = field(default_factory=lambda: {})
    artifact_data: dict[str, bytes] = field(default_factory=lambda: {})
    environment_files: dict[str, list[JSONObject]] = field(default_factory=lambda: {})


_STATE: weakref.WeakKeyDictionary[Core, _Agents] = weakref.WeakKeyDictionary()


def _state(core: Core) -> _Agents:
    state = _STATE.get(core)
    if state is None or state.store is not core.store:
        state = _STATE[core] = _Agents(core.store)
    return state


def _session(core: Core, session_id: str) -> _Session:
    session = _state(core).sessions.get(session_id)
    if session is None:
        raise not_found("session", session_id, param="session_id")
    return session


def _usage(input_text: str, output_text: str) -> JSONObject:
    inp, out = count_tokens(input_text), count_tokens(output_text)
    return {
        "input_tokens": inp,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": out,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": inp + out,
    }


def _agent(core: Core, given: JSONObject | None) -> JSONObject:
    given = given or {}
    return {
        "id": str(given.get("id") or core.ids("agent_", 24)),
        "instructions": given.get("instructions"),
        "model": str(given.get("model") or "gpt-5"),
        "multi_agent": {"enabled": False},
        "name": given.get("name"),
        "reasoning": {"effort": "medium"},
        "service_tier": "auto",
        "text": {"format": _text_format(given)},
        "tools": list(given.get("tools") or []),
    }


def _text_format(agent: JSONObject) -> JSONObject:
    """The agent's answer format: the JSON schema it was given (`output_type=`), else plain text."""
    text = as_object(agent.get("text")) or {}
    given = as_object(text.get("format"))
    if given is not None and given.get("type") == "json_schema":
        return copy.deepcopy(given)
    return {"type": "text"}


def _create_session(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req) if req.body else {}
    now = core.now()
    environment_id = core.ids("env_", 24)
    obj: JSONObject = {
        "id": core.ids("sess_", 24),
        "object": "agent.session",
        "agent": _agent(core, opt_object(body, "agent")),
        "created_at": now,
        "last_active_at": now,
        "environment": {
            "type": "openai_hosted",
            "id": environment_id,
            "capability_directories": [],
            "files": [],
            "network": {"access": "disabled", "allowed_domains": []},
            "packages": {"npm": [], "python": [], "system": []},
            "plugins": [],
            "skills": [],
        },
        "error": None,
        "metadata": dict(opt_object(body, "metadata") or {}),
        "required_actions": [],
        "spend_control": {"consumed": 0, "limit": None},
        "status": "idle",
        "usage": None,
        "vault_ids": [],
    }
    session = _Session(obj)
    _state(core).sessions[obj["id"]] = session
    turn = _Turn(core, session)
    if body.get("stream") is True:
        # the stream starts with the new session, then follows its first turn (if it has input)
        turn.publish("agent.session.created", session=copy.deepcopy(obj))
    text = _creation_input(body)
    if text is not None:
        turn.start(text)
        turn.answer(req)
    if body.get("stream") is True:
        return sse_response(_follow(session, 0, idle_ends=text is None))
    return json_response(obj)


def _creation_input(body: JSONObject) -> str | None:
    """The text of a new session's initial `input` (a string, or input messages), if it has one."""
    given = body.get("input")
    if given is None:
        return None
    if isinstance(given, str):
        return given
    return _message_text({"input": given})


def _retrieve_session(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_session(core, params["session_id"]).obj)


def _list_sessions(core: Core, req: Request, params: dict[str, str]) -> Response:
    return page_response(req, [s.obj for s in _state(core).sessions.values()])


def _delete_session(core: Core, req: Request, params: dict[str, str]) -> Response:
    session_id = params["session_id"]
    _session(core, session_id)
    del _state(core).sessions[session_id]
    return json_response({"id": session_id, "object": "agent.session.deleted", "deleted": True})


# -- the turn ------------------------------------------------------------------------------------


class _Turn:
    """Publishes the events of one session's turns."""

    def __init__(self, core: Core, session: _Session) -> None:
        self.core = core
        self.session = session
        self.session_id: str = session.obj["id"]

    def publish(self, event_type: str, **fields: Any) -> None:
        event: JSONObject = {"type": event_type, "event_id": self.core.ids("event_", 24), **fields}
        self.session.events.append(event)
        for loop, ready in self.session.waiters:
            loop.call_soon_threadsafe(ready.set)

    def set_status(self, status: str, event_type: str, required_actions: list[JSONObject] | None = None) -> None:
        obj = self.session.obj
        obj["status"] = status
        obj["required_actions"] = required_actions or []
        obj["last_active_at"] = self.core.now()
        self.publish(event_type, session=copy.deepcopy(obj))

    def turn_event(self, event_type: str, status: str, **fields: Any) -> None:
        turn = self.session.turn
        assert turn is not None
        turn["status"] = status
        self.publish(event_type, session_id=self.session_id, turn=copy.deepcopy(turn), turn_id=turn["id"], **fields)

    def start(self, text: str) -> None:
        now = self.core.now()
        self.session.turn = {
            "id": self.core.ids("turn_", 24),
            "object": "agent.session.turn",
            "agent_id": self.session.obj["agent"]["id"],
            "session_id": self.session_id,
            "created_at": now,
            "started_at": now,
            "completed_at": None,
            "error": None,
            "status": "queued",
            "subagent_id": None,
        }
        self.session.transcript.append(("user", text))
        self.session.tool_outputs = []
        self.session.output_index = 0
        self.turn_event("agent.session.turn.created", "queued")
        self.set_status("in_progress", "agent.session.in_progress")
        self.turn_event("agent.session.turn.in_progress", "in_progress")

    def answer(self, req: Request) -> None:
        """Carry out the next reply: fail, call tools (and wait), or say the final message. A
        scripted error fails the turn (the input itself was accepted); an unscripted call in strict
        mode is still refused."""
        try:
            reply = self.core.scripted("agents", req)
        except APIFailure as failure:
            if failure.code in ("unscripted_call", "responder_failed"):
                raise
            self.fail(failure.message)
            return
        if reply is not None and reply.tool_calls:
            self.call_tools(reply)
        else:
            self.say(reply.text if reply is not None and reply.text is not None else self.default_text(), reply)

    def default_text(self) -> str:
        text_format = self.session.obj["agent"]["text"]["format"]
        if text_format.get("type") == "json_schema":  # an answer in the agent's schema
            return json.dumps(instance_for_schema(text_format.get("schema") or {}, self.session.transcript[-1][1]))
        if self.session.tool_outputs:
            return "The tools returned: " + "; ".join(self.session.tool_outputs)
        instructions = self.session.obj["agent"].get("instructions")
        return compose_reply(self.session.transcript, instructions=instructions)

    def call_tools(self, reply: Reply) -> None:
        turn = self.session.turn
        assert turn is not None
        actions: list[JSONObject] = []
        for call in reply.tool_calls:
            arguments: str | JSONObject = (
                call.arguments if isinstance(call.arguments, str) else dict(call.arguments or {})
            )
            call_id = call.call_id or self.core.ids("call_", 24)
            item: JSONObject = {
                "id": self.core.ids("fc_", 24),
                "type": "function_call",
                "call_id": call_id,
                "name": call.name,
                "arguments": arguments,
                "status": "completed",
                "turn_id": turn["id"],
            }
            self.session.pending_calls[call_id] = item
            self.publish(
                "agent.session.turn.item.added",
                item=item,
                output_index=self.next_index(),
                session_id=self.session_id,
                turn_id=turn["id"],
            )
            actions.append({k: item[k] for k in ("type", "call_id", "name", "arguments", "turn_id")})
        turn["status"] = "waiting"
        self.set_status("requires_action", "agent.session.requires_action", actions)

    def next_index(self) -> int:
        index = self.session.output_index
        self.session.output_index += 1
        return index

    def say(self, text: str, reply: Reply | None) -> None:
        turn = self.session.turn
        assert turn is not None
        item_id = self.core.ids("msg_", 24)
        index = self.next_index()
        message: JSONObject = {
            "id": item_id,
            "type": "message",
            "role": "assistant",
            "phase": "final_answer",
            "status": "in_progress",
            "content": [],
            "turn_id": turn["id"],
        }
        where: JSONObject = {"session_id": self.session_id, "turn_id": turn["id"]}
        self.publish("agent.session.turn.item.added", item=copy.deepcopy(message), output_index=index, **where)
        deltas = reply.deltas if reply is not None and reply.deltas is not None else split_tokens(text)
        for delta in deltas:
            self.publish(
                "agent.session.turn.output_text.delta",
                content_index=0,
                delta=delta,
                item_id=item_id,
                output_index=index,
                **where,
            )
        self.publish(
            "agent.session.turn.output_text.done",
            content_index=0,
            item_id=item_id,
            output_index=index,
            text=text,
            **where,
        )
        message["status"] = "completed"
        message["content"] = [{"type": "output_text", "text": text}]
        self.publish("agent.session.turn.item.done", item=message, output_index=index, **where)
        self.session.transcript.append(("assistant", text))
        usage = _usage(self.session.transcript[-2][1] if len(self.session.transcript) > 1 else "", text)
        turn["completed_at"] = self.core.now()
        turn["usage"] = usage
        self.write_artifact(text)
        self.turn_event("agent.session.turn.completed", "completed", usage=usage)
        self.set_status("idle", "agent.session.idle")

    def fail(self, message: str) -> None:
        turn = self.session.turn
        assert turn is not None
        turn["error"] = {"code": "server_error", "message": message}
        turn["completed_at"] = self.core.now()
        self.turn_event("agent.session.turn.failed", "failed")
        self.session.obj["error"] = message
        self.set_status("failed", "agent.session.failed")

    def write_artifact(self, text: str) -> None:
        turn = self.session.turn
        assert turn is not None
        state = _state(self.core)
        data = text.encode()
        artifact: JSONObject = {
            "id": self.core.ids("art_", 24),
            "object": "agent.session.artifact",
            "created_at": self.core.now(),
            "environment_id": self.session.obj["environment"]["id"],
            "path": ANSWER_ARTIFACT,
            "session_id": self.session_id,
            "size_bytes": len(data),
            "turn_id": turn["id"],
        }
        state.artifacts.setdefault(self.session_id, []).append(artifact)
        state.artifact_data[artifact["id"]] = data


def _message_text(event: JSONObject) -> str:
    texts: list[str] = []
    for message in req_list(event, "input", param="events[].input"):
        entry = as_object(message)
        if entry is None:
            raise bad_request("Each input message must be an object.", param="events[].input")
        for part in as_list(entry.get("content")) or []:
            content = as_object(part)
            if content is not None and content.get("type") == "input_text":
                texts.append(str(content.get("text", "")))
    return "\n".join(texts)


def _tool_output(event: JSONObject) -> str:
    if event.get("success") is False:
        return f"error: {event.get('error')}"
    output = event.get("output")
    if isinstance(output, str) or output is None:
        return str(output)
    return json.dumps(output, separators=(",", ":"))


def _post_events(core: Core, req: Request, params: dict[str, str]) -> Response:
    session = _session(core, params["session_id"])
    turn = _Turn(core, session)
    for raw in req_list(json_body(req), "events"):
        event = as_object(raw)
        if event is None:
            raise bad_request("Each event must be an object.", param="events")
        kind = req_str(event, "type", "events[].type")
        if kind == "agent.session.input.message":
            if session.obj["status"] not in ("idle", "failed"):
                raise APIFailure(
                    409, f"Session '{turn.session_id}' is busy ({session.obj['status']}).", code="conflict"
                )
            turn.start(_message_text(event))
            turn.answer(req)
        elif kind == "agent.session.input.tool_result":
            call_id = req_str(event, "call_id", "events[].call_id")
            if session.pending_calls.pop(call_id, None) is None:
                raise bad_request(f"Unknown pending tool call: {call_id}", param="call_id")
            session.tool_outputs.append(_tool_output(event))
            if not session.pending_calls:
                assert session.turn is not None
                session.turn["status"] = "in_progress"
                turn.set_status("in_progress", "agent.session.in_progress")
                turn.answer(req)
        elif kind == "agent.session.input.cancel":
            if session.turn is not None and session.turn["status"] not in ("completed", "failed", "cancelled"):
                session.pending_calls.clear()
                turn.turn_event("agent.session.turn.cancelled", "cancelled")
                turn.set_status("idle", "agent.session.idle")
        else:
            raise bad_request(f"The local server does not handle '{kind}' session input.", param="events[].type")
    return Response(204, b"", content_type=None)


def _stream_events(core: Core, req: Request, params: dict[str, str]) -> Response:
    session = _session(core, params["session_id"])
    return sse_response(_follow(session, len(session.events)))


_TURN_ENDS = ("agent.session.turn.completed", "agent.session.turn.failed", "agent.session.turn.cancelled")


async def _follow(session: _Session, start: int, *, idle_ends: bool = False) -> AsyncIterator[bytes]:
    """The events from `start` on, as they are published, up to the session's return to idle (or
    failure) after a turn ended; `idle_ends`: a session with no turn to wait for ends at once."""
    ready = asyncio.Event()
    waiter = (asyncio.get_running_loop(), ready)
    session.waiters.append(waiter)
    position = start
    turn_ended = False
    try:
        while True:
            ready.clear()
            while position < len(session.events):
                event = session.events[position]
                position += 1
                yield sse_event(event, event["type"])
                turn_ended = turn_ended or event["type"] in _TURN_ENDS
                if event["type"] == "agent.session.failed" or (turn_ended and event["type"] == "agent.session.idle"):
                    return
            if idle_ends and session.turn is None:
                return
            await ready.wait()
    finally:
        session.waiters.remove(waiter)


# -- artifacts and environment files ---------------------------------------------------------------


def _list_artifacts(core: Core, req: Request, params: dict[str, str]) -> Response:
    _session(core, params["session_id"])
    return page_response(req, _state(core).artifacts.get(params["session_id"], []))


def _artifact(core: Core, params: dict[str, str]) -> JSONObject:
    for artifact in _state(core).artifacts.get(params["session_id"], []):
        if artifact["id"] == params["artifact_id"]:
            return artifact
    raise not_found("artifact", params["artifact_id"], param="artifact_id")


def _retrieve_artifact(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_artifact(core, params))


def _artifact_content(core: Core, req: Request, params: dict[str, str]) -> Response:
    artifact = _artifact(core, params)
    return Response(200, _state(core).artifact_data[artifact["id"]], content_type="application/octet-stream")


def _add_environment_file(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    path = req_str(body, "path")
    kind = req_str(body, "type")
    if kind == "file_id":
        file_id = req_str(body, "file_id")
        if file_id not in core.store.file_data:
            raise not_found("file", file_id, param="file_id")
        size = len(core.store.file_data[file_id])
    elif kind == "inline":
        size = len(req_str(body, "data").encode())
    else:
        raise bad_request(f"Invalid value for 'type': '{kind}'.", param="type", code="invalid_value")
    placed: JSONObject = {
        "object": "agent.environment.file",
        "environment_id": params["environment_id"],
        "path": path,
        "size_bytes": size,
    }
    files = _state(core).environment_files.setdefault(params["environment_id"], [])
    files[:] = [f for f in files if f["path"] != path] + [placed]
    return json_response(placed)


def register(router: Router) -> None:
    router.add("POST", "/agents/sessions", _create_session)
    router.add("GET", "/agents/sessions", _list_sessions)
    router.add("GET", "/agents/sessions/{session_id}", _retrieve_session)
    router.add("DELETE", "/agents/sessions/{session_id}", _delete_session)
    router.add("POST", "/agents/sessions/{session_id}/events", _post_events)
    router.add("GET", "/agents/sessions/{session_id}/events", _stream_events)
    router.add("GET", "/agents/sessions/{session_id}/artifacts", _list_artifacts)
    router.add("GET", "/agents/sessions/{session_id}/artifacts/{artifact_id}", _retrieve_artifact)
    router.add("GET", "/agents/sessions/{session_id}/artifacts/{artifact_id}/content", _artifact_content)
    router.add("POST", "/agents/environments/{environment_id}/files", _add_environment_file)
