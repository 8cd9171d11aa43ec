"""Assistants stream helpers: event handlers over synthetic `thread.*` event streams."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import make_async_client, make_client
from libsupport import async_sse_response, sse_response

from pyopenai import APIError
from pyopenai.lib.streaming.assistants import AssistantEventHandler, AsyncAssistantEventHandler


def sse(events: list[tuple[str, dict[str, Any]]]) -> bytes:
    body = b"".join(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode() for name, data in events)
    return body + b"event: done\ndata: [DONE]\n\n"


RUN = {"id": "run_1", "object": "thread.run", "thread_id": "thread_1", "assistant_id": "asst_1"}
STEP = {"id": "step_1", "object": "thread.run.step", "run_id": "run_1", "type": "tool_calls",
        "step_details": {"type": "tool_calls", "tool_calls": []}}
ARGS = '{"city": "Paris"}'


def events(*, error: bool = False) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = [
        ("thread.run.created", {**RUN, "status": "queued"}),
        ("thread.run.in_progress", {**RUN, "status": "in_progress"}),
        ("thread.run.step.created", {**STEP, "status": "in_progress"}),
        ("thread.run.step.delta", {"id": "step_1", "object": "thread.run.step.delta", "delta": {"step_details": {
            "type": "tool_calls", "tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                                  "function": {"name": "weather", "arguments": ARGS[:7]}}]}}}),
        ("thread.run.step.delta", {"id": "step_1", "object": "thread.run.step.delta", "delta": {"step_details": {
            "type": "tool_calls", "tool_calls": [{"index": 0, "type": "function",
                                                  "function": {"arguments": ARGS[7:]}}]}}}),
        ("thread.run.step.completed", {**STEP, "status": "completed", "step_details": {"type": "tool_calls",
            "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": ARGS,
                                                                            "output": "sunny"}}]}}),
        ("thread.message.created", {"id": "msg_1", "object": "thread.message", "role": "assistant", "content": [],
                                    "status": "in_progress"}),
        ("thread.message.delta", {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [
            {"index": 0, "type": "text", "text": {"value": "It is ", "annotations": []}}]}}),
        ("thread.message.delta", {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [
            {"index": 0, "type": "text", "text": {"value": "sunny."}}]}}),
    ]
    if error:
        out.append(("error", {"error": {"message": "server exploded", "type": "server_error"}}))
    out += [
        ("thread.message.completed", {"id": "msg_1", "object": "thread.message", "role": "assistant",
                                      "status": "completed", "content": [
                                          {"type": "text", "text": {"value": "It is sunny.", "annotations": []}}]}),
        ("thread.run.completed", {**RUN, "status": "completed"}),
    ]
    return out


class Recording(AssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def on_tool_call_created(self, tool_call: Any) -> None:
        self.calls.append(f"tool created {tool_call.function.name}")

    def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
        self.calls.append(f"tool delta {snapshot.function.arguments}")

    def on_tool_call_done(self, tool_call: Any) -> None:
        self.calls.append(f"tool done {tool_call.function.arguments}")

    def on_run_step_done(self, run_step: Any) -> None:
        self.calls.append(f"step done {run_step.status}")

    def on_text_created(self, text: Any) -> None:
        self.calls.append("text created")

    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        self.calls.append(f"text {delta.value!r} -> {snapshot.value!r}")

    def on_text_done(self, text: Any) -> None:
        self.calls.append(f"text done {text.value!r}")

    def on_message_done(self, message: Any) -> None:
        self.calls.append("message done")

    def on_exception(self, exception: Exception) -> None:
        self.calls.append(f"exception {exception}")

    def on_end(self) -> None:
        self.calls.append("end")


def test_runs_stream_drives_the_handler() -> None:
    client, rec = make_client(lambda _r: sse_response(sse(events())))
    with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1",
                                         event_handler=Recording()) as handler:
        handler.until_done()
    assert handler.calls == [
        "tool created weather",
        f"tool delta {ARGS[:7]}",
        f"tool delta {ARGS}",
        f"tool done {ARGS}",
        "step done completed",
        "text created",
        "text 'It is ' -> 'It is '",
        "text 'sunny.' -> 'It is sunny.'",
        "text done 'It is sunny.'",
        "message done",
        "end",
    ]
    assert handler.get_final_run().status == "completed"
    assert [m.id for m in handler.get_final_messages()] == ["msg_1"]
    assert [s.id for s in handler.get_final_run_steps()] == ["step_1"]
    body = rec.json()
    assert body["stream"] is True and body["assistant_id"] == "asst_1"
    assert rec.last.url.path == "/v1/threads/thread_1/runs"


def test_iteration_text_deltas_and_snapshots() -> None:
    client, _ = make_client(lambda _r: sse_response(sse(events())))
    with client.beta.threads.create_and_run_stream(assistant_id="asst_1") as handler:
        first = next(iter(handler))
        run = handler.current_run
        assert first.event == "thread.run.created" and run is not None and run.status == "queued"
        assert "".join(handler.text_deltas) == "It is sunny."
    message = handler.current_message_snapshot
    assert message is not None and message.id == "msg_1"


def test_error_event_raises() -> None:
    client, _ = make_client(lambda _r: sse_response(sse(events(error=True))))
    with client.beta.threads.runs.submit_tool_outputs_stream(
            tool_outputs=[{"tool_call_id": "c", "output": "x"}], run_id="run_1", thread_id="thread_1",
            event_handler=Recording()) as handler:
        with pytest.raises(APIError, match="server exploded"):
            handler.until_done()
    assert handler.calls[-1] == "exception server exploded"


def test_stream_argument_is_refused_and_handlers_are_single_use() -> None:
    client, _ = make_client(lambda _r: sse_response(sse(events())))
    untyped: Any = client.beta.threads.runs  # a checker refuses `stream=` already
    with pytest.raises(TypeError, match="always stream"):
        untyped.stream(thread_id="t", assistant_id="a", stream=True)
    handler = AssistantEventHandler()
    with client.beta.threads.runs.stream(thread_id="t", assistant_id="a", event_handler=handler):
        pass
    with pytest.raises(RuntimeError, match="one stream"), client.beta.threads.runs.stream(
            thread_id="t", assistant_id="a", event_handler=handler):
        pass


class AsyncRecording(AsyncAssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    async def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        self.texts.append(delta.value)

    def on_end(self) -> None:  # a plain callback works too  # pyright: ignore[reportIncompatibleMethodOverride]
        self.texts.append("<end>")


async def test_async_handlers() -> None:
    client, _ = make_async_client(lambda _r: async_sse_response(sse(events())))
    async with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="a",
                                               event_handler=AsyncRecording()) as handler:
        run = await handler.get_final_run()
    assert run.status == "completed" and handler.texts == ["It is ", "sunny.", "<end>"]
    client, _ = make_async_client(lambda _r: async_sse_response(sse(events())))
    async with client.beta.threads.create_and_run_stream(assistant_id="a") as plain:
        assert "".join([t async for t in plain.text_deltas]) == "It is sunny."


def test_generated_methods_reach_the_helpers() -> None:
    client, rec = make_client(lambda _r: sse_response(sse(events())))
    with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="a", event_handler=Recording()) as h:
        assert h.get_final_run().status == "completed"
    with client.beta.threads.create_and_run_stream(assistant_id="a") as h2:
        assert "".join(h2.text_deltas) == "It is sunny."
    assert [r.url.path for r in rec.requests] == ["/v1/threads/thread_1/runs", "/v1/threads/runs"]


async def test_the_async_client_streams_with_the_async_handler() -> None:
    client, rec = make_async_client(lambda _r: async_sse_response(sse(events())))
    async with client.beta.threads.runs.submit_tool_outputs_stream(
            tool_outputs=[{"tool_call_id": "c", "output": "x"}], run_id="run_1", thread_id="thread_1") as handler:
        assert isinstance(handler, AsyncAssistantEventHandler)
        assert (await handler.get_final_run()).status == "completed"
    async with client.beta.threads.runs.create_and_stream(thread_id="thread_1", assistant_id="a") as again:
        assert [m.id for m in await again.get_final_messages()] == ["msg_1"]
    assert [r.url.path for r in rec.requests] == ["/v1/threads/thread_1/runs/run_1/submit_tool_outputs",
                                                  "/v1/threads/thread_1/runs"]
