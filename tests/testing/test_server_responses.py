"""The Responses API over plain HTTP: shapes, conversation state, tools, streaming, background."""

from __future__ import annotations

import json
from typing import Any

import httpx2

from pyopenai.testing import LocalServer

TOOL: dict[str, Any] = {
    "type": "function",
    "name": "lookup",
    "parameters": {
        "type": "object",
        "properties": {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1, "maximum": 5}},
        "required": ["query", "limit"],
        "additionalProperties": False,
    },
    "strict": True,
}


def output_text(response: dict[str, Any]) -> str:
    return "".join(
        part["text"]
        for item in response["output"]
        if item["type"] == "message"
        for part in item["content"]
        if part["type"] == "output_text"
    )


def parse_sse(text: str) -> list[tuple[str, dict[str, Any]]]:
    events: list[tuple[str, dict[str, Any]]] = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_create_shape(http: httpx2.Client) -> None:
    r = http.post("/responses", json={"model": "gpt-4.1", "input": "Tell me a joke", "instructions": "Be funny"}).json()
    assert r["id"].startswith("resp_") and r["object"] == "response" and r["status"] == "completed"
    assert isinstance(r["created_at"], int) and r["instructions"] == "Be funny" and r["model"] == "gpt-4.1"
    (message,) = r["output"]
    assert message["type"] == "message" and message["role"] == "assistant" and message["id"].startswith("msg_")
    assert message["content"][0]["type"] == "output_text" and message["content"][0]["annotations"] == []
    assert "Tell me a joke" in output_text(r) and "Be funny" in output_text(r)
    usage = r["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    for key in ("error", "incomplete_details", "previous_response_id", "tools", "tool_choice", "text", "metadata"):
        assert key in r


def test_a_response_has_every_field_the_response_type_requires(http: httpx2.Client) -> None:
    # a document missing a required field is built leniently by the clients (slower, and not what the API sends)
    from pyopenai.types.responses import Response

    r = http.post("/responses", json={"model": "gpt-4.1", "input": "hi"}).json()
    Response.model_validate(r, strict=True)
    assert r["usage"]["input_tokens_details"] == {"cached_tokens": 0, "cache_write_tokens": 0}


def test_previous_response_id_continues(http: httpx2.Client) -> None:
    first = http.post("/responses", json={"model": "gpt-4o", "input": "My name is Ada."}).json()
    second = http.post(
        "/responses", json={"model": "gpt-4o", "input": "What is my name?", "previous_response_id": first["id"]}
    ).json()
    assert second["previous_response_id"] == first["id"]
    assert "My name is Ada." in output_text(second) and "What is my name?" in output_text(second)
    assert second["usage"]["input_tokens"] > first["usage"]["input_tokens"]
    missing = http.post("/responses", json={"model": "gpt-4o", "input": "x", "previous_response_id": "resp_nope"})
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "previous_response_id"


def test_retrieve_delete_and_input_items(http: httpx2.Client) -> None:
    items = [
        {"role": "developer", "content": "Answer briefly."},
        {"role": "user", "content": [{"type": "input_text", "text": "one"}]},
        {"type": "message", "role": "user", "content": "two"},
    ]
    created = http.post("/responses", json={"model": "gpt-4o", "input": items}).json()
    assert http.get(f"/responses/{created['id']}").json() == created
    listed = http.get(f"/responses/{created['id']}/input_items").json()
    assert listed["object"] == "list" and listed["has_more"] is False
    assert [i["role"] for i in listed["data"]] == ["user", "user", "developer"]  # newest first by default
    assert all(i["id"].startswith("msg_") and i["type"] == "message" for i in listed["data"])
    asc = http.get(f"/responses/{created['id']}/input_items", params={"order": "asc", "limit": 2}).json()
    assert [i["content"][0]["text"] for i in asc["data"]] == ["Answer briefly.", "one"] and asc["has_more"] is True
    assert http.delete(f"/responses/{created['id']}").json()["deleted"] is True
    assert http.get(f"/responses/{created['id']}").status_code == 404
    unstored = http.post("/responses", json={"model": "gpt-4o", "input": "x", "store": False}).json()
    assert http.get(f"/responses/{unstored['id']}").status_code == 404


def test_function_call_round_trip(http: httpx2.Client) -> None:
    r = http.post("/responses", json={"model": "gpt-4o", "input": "find cats", "tools": [TOOL]}).json()
    (call,) = r["output"]
    assert call["type"] == "function_call" and call["name"] == "lookup" and call["status"] == "completed"
    assert call["call_id"].startswith("call_") and call["id"].startswith("fc_")
    args = json.loads(call["arguments"])
    assert isinstance(args["query"], str) and 1 <= args["limit"] <= 5
    follow = http.post(
        "/responses",
        json={
            "model": "gpt-4o",
            "previous_response_id": r["id"],
            "tools": [TOOL],
            "input": [{"type": "function_call_output", "call_id": call["call_id"], "output": "3 cats found"}],
        },
    ).json()
    assert follow["output"][0]["type"] == "message" and "3 cats found" in output_text(follow)


def test_structured_output_and_max_tokens(http: httpx2.Client) -> None:
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
    fmt = {"format": {"type": "json_schema", "name": "a", "schema": schema, "strict": True}}
    r = http.post("/responses", json={"model": "gpt-4o", "input": "q", "text": fmt}).json()
    assert set(json.loads(output_text(r))) == {"answer"}
    cut = http.post("/responses", json={"model": "gpt-4o", "input": "a b c d e f", "max_output_tokens": 2}).json()
    assert cut["status"] == "incomplete" and cut["incomplete_details"] == {"reason": "max_output_tokens"}


def test_stream_event_sequence(http: httpx2.Client) -> None:
    r = http.post("/responses", json={"model": "gpt-4o", "input": "stream me", "stream": True})
    assert r.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(r.text)
    types = [name for name, _ in events]
    deltas = types.count("response.output_text.delta")
    assert deltas > 1
    assert types == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        *["response.output_text.delta"] * deltas,
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [data["sequence_number"] for _, data in events] == list(range(len(events)))
    assert all(name == data["type"] for name, data in events)
    text = "".join(data["delta"] for name, data in events if name == "response.output_text.delta")
    final = events[-1][1]["response"]
    assert text == output_text(final) == events[-4][1]["text"]
    assert events[0][1]["response"]["status"] == "in_progress" and events[0][1]["response"]["output"] == []
    # the stored response can be replayed from a sequence number
    replay = parse_sse(http.get(f"/responses/{final['id']}", params={"stream": "true", "starting_after": 3}).text)
    assert [d["sequence_number"] for _, d in replay] == list(range(4, len(events)))


def test_stream_function_call(http: httpx2.Client) -> None:
    events = parse_sse(
        http.post("/responses", json={"model": "gpt-4o", "input": "x", "tools": [TOOL], "stream": True}).text
    )
    types = [name for name, _ in events]
    assert types[2] == "response.output_item.added" and types[-1] == "response.completed"
    args = "".join(d["delta"] for n, d in events if n == "response.function_call_arguments.delta")
    (done,) = [d for n, d in events if n == "response.function_call_arguments.done"]
    assert args == done["arguments"] and done["name"] == "lookup"


def test_background_and_cancel(http: httpx2.Client) -> None:
    queued = http.post("/responses", json={"model": "gpt-4o", "input": "later", "background": True}).json()
    assert queued["status"] == "queued" and queued["output"] == []
    done = http.get(f"/responses/{queued['id']}").json()
    assert done["status"] == "completed" and "later" in output_text(done)
    other = http.post("/responses", json={"model": "gpt-4o", "input": "later", "background": True}).json()
    cancelled = http.post(f"/responses/{other['id']}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert http.get(f"/responses/{other['id']}").json()["status"] == "cancelled"
    foreground = http.post("/responses", json={"model": "gpt-4o", "input": "now"}).json()
    assert http.post(f"/responses/{foreground['id']}/cancel").status_code == 400


def test_validation(http: httpx2.Client, openai_server: LocalServer) -> None:
    assert http.post("/responses", json={"input": "x"}).json()["error"]["param"] == "model"
    assert http.post("/responses", json={"model": "gpt-4o"}).json()["error"]["param"] == "input"
    assert http.post("/responses", json={"model": "gpt-x", "input": "x"}).json()["model"] == "gpt-x"  # any id is served
    bad_role = http.post("/responses", json={"model": "gpt-4o", "input": [{"role": "robot", "content": "x"}]})
    assert bad_role.status_code == 400 and bad_role.json()["error"]["param"] == "input[0].role"
    assert http.post("/responses", json={"model": "gpt-4o", "input": 5}).json()["error"]["param"] == "input"
    tokens = http.post("/responses/input_tokens", json={"model": "gpt-4o", "input": "hello there"}).json()
    assert tokens["object"] == "response.input_tokens" and tokens["input_tokens"] > 0
