"""The Agents API helpers against the local server: sessions.stream() with tool handlers and turn
results, artifacts.for_result(), environments.files.prepare / prepare_directory / upload (sync and async)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.beta.agents import (
    AgentFilePreparationError,
    AgentFileStagingError,
    AgentToolError,
    AgentTurnResult,
    AgentTurnResultError,
)
from pyopenai.testing import LocalServer, Request
from pyopenai.types.beta.agent_session_event import AgentSessionEvent


class Forecast(BaseModel):
    city: str
    sky: str


def new_session(client: OpenAI) -> str:
    return client.beta.agents.sessions.create(environment={"type": "none"}).id


async def async_new_session(client: AsyncOpenAI) -> str:
    return (await client.beta.agents.sessions.create(environment={"type": "none"})).id


def sent_events(server: LocalServer, session_id: str) -> list[tuple[dict[str, Any], Request]]:
    """The session inputs the client posted, each with its request."""
    path = f"/v1/agents/sessions/{session_id}/events"
    return [(event, req) for req in server.find_requests("POST", path) for event in json.loads(req.body)["events"]]


# -- sessions.stream ----------------------------------------------------------------------------


def test_stream_runs_a_registered_tool_and_sends_its_result(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.tool_call("get_weather", {"city": "Paris"}, call_id="call_1")
    local_server.script.agents.text("Sunny in Paris.")
    seen_arguments: list[dict[str, Any]] = []

    def get_weather(arguments: dict[str, Any]) -> dict[str, Any]:
        seen_arguments.append(arguments)
        return {"city": arguments["city"], "sky": "sunny"}

    text = ""
    types: list[str] = []
    with client.beta.agents.sessions.stream(
        session_id, input="Weather in Paris?", tool_handlers={"get_weather": get_weather}
    ) as stream:
        for event in stream:
            types.append(event.type)
            if event.type == "agent.session.turn.output_text.delta":
                text += event.delta  # narrowed: `delta` exists on this member only

    assert seen_arguments == [{"city": "Paris"}]
    assert text == "Sunny in Paris."
    assert types[0] == "agent.session.turn.created" and types[-1] == "agent.session.idle"
    assert "agent.session.requires_action" in types
    (message, message_req), (result, result_req) = sent_events(local_server, session_id)
    assert message == {
        "type": "agent.session.input.message",
        "input": [{"role": "user", "content": [{"type": "input_text", "text": "Weather in Paris?"}]}],
    }
    assert result["type"] == "agent.session.input.tool_result" and result["call_id"] == "call_1"
    assert result["success"] is True and result["output"] == '{"city":"Paris","sky":"sunny"}'
    assert message_req.headers["idempotency-key"] != result_req.headers["idempotency-key"]
    assert message_req.headers["openai-beta"] == "agents=v1"


def test_final_result_parses_the_output_type(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.structured({"city": "Oslo", "sky": "snow"})
    with client.beta.agents.sessions.stream(session_id, input="Oslo?", output_type=Forecast) as stream:
        result = stream.get_final_result()
    assert result.output_parsed == Forecast(city="Oslo", sky="snow")
    assert result.output_text == '{"city": "Oslo", "sky": "snow"}'
    assert result.session_id == session_id and result.turn.status == "completed"
    assert [m.role for m in result.messages] == ["assistant"]


def test_a_failing_handler_sends_a_failure_without_its_message(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.tool_call("lookup", {"q": "x"})
    local_server.script.agents.text("Could not look it up.")
    failures: list[AgentToolError] = []

    def lookup(arguments: dict[str, Any]) -> str:
        raise RuntimeError("db password is hunter2")

    with client.beta.agents.sessions.stream(
        session_id, input="look up x", tool_handlers={"lookup": lookup}, on_tool_error=failures.append
    ) as stream:
        result = stream.get_final_result()

    assert result.output_text == "Could not look it up."
    assert [(f.tool_name, f.stage, str(f.error)) for f in failures] == [
        ("lookup", "execution", "db password is hunter2")
    ]
    _, (sent, req) = sent_events(local_server, session_id)
    assert sent["success"] is False and sent["error"] == "Tool handler failed."
    assert b"hunter2" not in req.body


def test_bad_arguments_are_a_failure_of_the_arguments_stage(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.tool_call("lookup", "[1, 2]")  # not a JSON object
    local_server.script.agents.text("ok")
    failures: list[AgentToolError] = []
    calls: list[dict[str, Any]] = []
    with client.beta.agents.sessions.stream(
        session_id, input="go", tool_handlers={"lookup": calls.append}, on_tool_error=failures.append
    ) as stream:
        stream.until_done()
    assert calls == [] and [f.stage for f in failures] == ["arguments"]


def test_an_unhandled_tool_call_is_left_to_the_caller(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.tool_call("deploy", {"env": "prod"})
    with client.beta.agents.sessions.stream(session_id, input="deploy") as stream:
        with pytest.raises(AgentTurnResultError) as caught:
            stream.get_final_result()
    error = caught.value
    assert error.reason == "requires_action" and error.session_id == session_id
    assert [a.type for a in error.required_actions] == ["function_call"]
    assert client.beta.agents.sessions.retrieve(session_id).status == "requires_action"
    # the session is not idle any more: a new turn cannot be streamed over it
    with pytest.raises(ValueError, match="idle"):
        client.beta.agents.sessions.stream(session_id, input="again").__enter__()


def test_a_failed_turn_is_a_result_error_that_keeps_the_turn(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.error(500, "model crashed")
    with client.beta.agents.sessions.stream(session_id, input="hi") as stream:
        with pytest.raises(AgentTurnResultError) as caught:
            stream.get_final_result()
    assert caught.value.reason == "failed"
    assert caught.value.turn is not None and caught.value.turn.status == "failed"


def test_events_end_at_a_failed_session(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.error(500, "model crashed")
    with client.beta.agents.sessions.stream(session_id, input="hi") as stream:
        types = [event.type for event in stream]
    assert types[-2:] == ["agent.session.turn.failed", "agent.session.failed"]


def test_parse_failure_keeps_the_result(client: OpenAI, local_server: LocalServer) -> None:
    from pyopenai.lib.beta.agents import AgentOutputParseError

    session_id = new_session(client)
    local_server.script.agents.text("not json")
    with client.beta.agents.sessions.stream(session_id, input="hi", output_type=Forecast) as stream:
        with pytest.raises(AgentOutputParseError) as caught:
            stream.get_final_result()
    assert caught.value.result.output_text == "not json"
    assert "not json" not in str(caught.value)


def test_input_is_checked_before_any_request(client: OpenAI, local_server: LocalServer) -> None:
    before = len(local_server.requests)
    with pytest.raises(ValueError, match="input"):
        client.beta.agents.sessions.stream("sess_x", input="")
    with pytest.raises(ValueError, match="input"):
        client.beta.agents.sessions.stream("sess_x", input=[])
    with pytest.raises(TypeError, match="Pydantic"):
        client.beta.agents.sessions.stream("sess_x", input="hi", output_type=dict)
    assert len(local_server.requests) == before


def test_idempotency_key_from_extra_headers_goes_to_the_input_only(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.tool_call("f", {})
    local_server.script.agents.text("done")
    with client.beta.agents.sessions.stream(
        session_id, input="go", tool_handlers={"f": lambda _: "ok"}, extra_headers={"Idempotency-Key": "input-1"}
    ) as stream:
        stream.until_done()
    (_, message_req), (_, result_req) = sent_events(local_server, session_id)
    assert message_req.headers["idempotency-key"] == "input-1"
    assert result_req.headers["idempotency-key"] != "input-1"
    retrieve = local_server.last_request("GET", f"/v1/agents/sessions/{session_id}")
    assert "idempotency-key" not in retrieve.headers


def test_collection_must_start_before_reading(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    with client.beta.agents.sessions.stream(session_id, input="hi") as stream:
        next(stream)
        with pytest.raises(RuntimeError, match="before consuming events"):
            stream.with_result_collection()


def test_reading_outside_the_with_block_is_an_error(client: OpenAI) -> None:
    stream = client.beta.agents.sessions.stream("sess_x", input="hi")
    with pytest.raises(RuntimeError, match="with"):
        next(stream)


def test_an_async_handler_needs_the_async_client(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    local_server.script.agents.tool_call("f", {})
    local_server.script.agents.text("done")
    failures: list[AgentToolError] = []

    async def f(arguments: dict[str, Any]) -> str:
        return "never"

    with client.beta.agents.sessions.stream(
        session_id,
        input="go",
        tool_handlers={"f": f},  # pyright: ignore[reportArgumentType]  # the mistake under test
        on_tool_error=failures.append,
    ) as stream:
        stream.until_done()
    assert [type(f.error) for f in failures] == [TypeError]


async def test_async_stream_awaits_coroutine_handlers(async_client: AsyncOpenAI, local_server: LocalServer) -> None:
    session_id = await async_new_session(async_client)
    local_server.script.agents.tool_call("get_weather", {"city": "Rome"})
    local_server.script.agents.structured({"city": "Rome", "sky": "clear"})

    async def get_weather(arguments: dict[str, Any]) -> str:
        return f"clear over {arguments['city']}"

    events: list[AgentSessionEvent] = []
    async with async_client.beta.agents.sessions.stream(
        session_id, input="Rome?", output_type=Forecast, tool_handlers={"get_weather": get_weather}
    ) as stream:
        stream.with_result_collection()
        async for event in stream:
            events.append(event)
        result = await stream.get_final_result()
    assert result.output_parsed == Forecast(city="Rome", sky="clear")
    assert events[-1].type == "agent.session.idle"
    _, (sent, _) = sent_events(local_server, session_id)
    assert sent["output"] == "clear over Rome"


async def test_async_failing_handler_notifies_an_async_observer(
    async_client: AsyncOpenAI, local_server: LocalServer
) -> None:
    session_id = await async_new_session(async_client)
    local_server.script.agents.tool_call("f", {"a": 1})
    local_server.script.agents.text("done")
    failures: list[AgentToolError] = []

    def f(arguments: dict[str, Any]) -> str:
        raise KeyError("a")

    async def observe(failure: AgentToolError) -> None:
        failures.append(failure)

    async with async_client.beta.agents.sessions.stream(
        session_id, input="go", tool_handlers={"f": f}, on_tool_error=observe
    ) as stream:
        result = await stream.get_final_result()
    assert result.output_text == "done" and [f.stage for f in failures] == ["execution"]


async def test_async_unhandled_tool_call(async_client: AsyncOpenAI, local_server: LocalServer) -> None:
    session_id = await async_new_session(async_client)
    local_server.script.agents.tool_call("deploy", {})
    async with async_client.beta.agents.sessions.stream(session_id, input="deploy") as stream:
        with pytest.raises(AgentTurnResultError) as caught:
            await stream.get_final_result()
    assert caught.value.reason == "requires_action"


# -- artifacts.for_result -----------------------------------------------------------------------


def finished_turn(client: OpenAI, server: LocalServer, text: str) -> AgentTurnResult[Any]:
    session_id = new_session(client)
    server.script.agents.text(text)
    with client.beta.agents.sessions.stream(session_id, input="write it") as stream:
        return stream.get_final_result()


def test_artifacts_of_a_result_by_path(client: OpenAI, local_server: LocalServer, tmp_path: Path) -> None:
    first = finished_turn(client, local_server, "# first")
    artifacts = client.beta.agents.sessions.artifacts.for_result(first)
    assert artifacts.content("/workspace/outputs/answer.md").read() == b"# first"
    target = tmp_path / "answer.md"
    artifact = artifacts.download("/workspace/outputs/answer.md", to=target)
    assert target.read_bytes() == b"# first" and artifact.turn_id == first.turn_id
    with pytest.raises(ValueError, match="no artifact"):
        artifacts.content("/workspace/outputs/missing.md")


def test_artifacts_are_scoped_to_the_result_turn(client: OpenAI, local_server: LocalServer) -> None:
    session_id = new_session(client)
    results: list[AgentTurnResult[Any]] = []
    for text in ("one", "two"):
        local_server.script.agents.text(text)
        with client.beta.agents.sessions.stream(session_id, input="go") as stream:
            results.append(stream.get_final_result())
    contents = [
        client.beta.agents.sessions.artifacts.for_result(r).content("/workspace/outputs/answer.md").read()
        for r in results
    ]
    assert contents == [b"one", b"two"]


async def test_async_artifacts(async_client: AsyncOpenAI, local_server: LocalServer, tmp_path: Path) -> None:
    session_id = await async_new_session(async_client)
    local_server.script.agents.text("async answer")
    async with async_client.beta.agents.sessions.stream(session_id, input="go") as stream:
        result = await stream.get_final_result()
    artifacts = async_client.beta.agents.sessions.artifacts.for_result(result)
    content = await artifacts.content("/workspace/outputs/answer.md")
    assert content.read() == b"async answer"
    await artifacts.download("/workspace/outputs/answer.md", to=tmp_path / "a.md")
    assert (tmp_path / "a.md").read_bytes() == b"async answer"


# -- environments.files ---------------------------------------------------------------------------


def test_prepare_uploads_each_file(client: OpenAI, local_server: LocalServer, tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    (tmp_path / "notes.md").write_text("# notes")
    prepared = client.beta.agents.environments.files.prepare(
        {"/workspace/data.csv": tmp_path / "data.csv", "/workspace/docs/notes.md": str(tmp_path / "notes.md")}
    )
    assert [f["path"] for f in prepared.files] == ["/workspace/data.csv", "/workspace/docs/notes.md"]
    assert [f.get("file_id") for f in prepared.files] == prepared.uploaded_file_ids
    uploaded = client.files.retrieve(prepared.uploaded_file_ids[0])
    assert uploaded.purpose == "user_data" and uploaded.filename == "data.csv"
    assert client.files.content(prepared.uploaded_file_ids[1]).read() == b"# notes"


@pytest.mark.parametrize(
    "destination",
    [
        "data.csv",
        "/tmp/data.csv",
        "/workspace/../etc/passwd",
        "/workspace//x",
        "/workspace/.codex/x",
        "/workspace/outputs",
    ],
)
def test_prepare_refuses_bad_destinations_before_uploading(
    client: OpenAI, local_server: LocalServer, tmp_path: Path, destination: str
) -> None:
    (tmp_path / "f.txt").write_text("x")
    before = len(local_server.requests)
    with pytest.raises(ValueError, match="destination"):
        client.beta.agents.environments.files.prepare({destination: tmp_path / "f.txt"})
    assert len(local_server.requests) == before


def test_prepare_refuses_symlinks_and_missing_files(client: OpenAI, local_server: LocalServer, tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    before = len(local_server.requests)
    with pytest.raises(ValueError, match="symlink"):
        client.beta.agents.environments.files.prepare({"/workspace/a": tmp_path / "link.txt"})
    with pytest.raises(ValueError, match="regular file"):
        client.beta.agents.environments.files.prepare({"/workspace/a": tmp_path / "absent.txt"})
    assert len(local_server.requests) == before


def test_a_failed_upload_lists_the_uploads_made_before(
    client: OpenAI, local_server: LocalServer, tmp_path: Path
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).write_text(name)
    local_server.faults.push(path="/v1/files", method="POST")  # the first upload goes through
    local_server.faults.push(status=400, path="/v1/files", method="POST")
    with pytest.raises(AgentFilePreparationError) as caught:
        client.beta.agents.environments.files.prepare({"/workspace/a": tmp_path / "a", "/workspace/b": tmp_path / "b"})
    assert len(caught.value.prepared.uploaded_file_ids) == 1
    assert client.files.content(caught.value.prepared.uploaded_file_ids[0]).read() == b"a"


def test_prepare_directory_selects_by_include_patterns(client: OpenAI, tmp_path: Path) -> None:
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "mod.py").write_text("x = 1")
    (tmp_path / "src" / "main.py").write_text("print()")
    (tmp_path / "src" / "notes.txt").write_text("skip me")
    prepared = client.beta.agents.environments.files.prepare_directory(
        tmp_path / "src", destination="/workspace/app", include=["**/*.py"]
    )
    assert sorted(f["path"] for f in prepared.files) == ["/workspace/app/main.py", "/workspace/app/pkg/mod.py"]
    with pytest.raises(ValueError, match="include patterns"):
        client.beta.agents.environments.files.prepare_directory(
            tmp_path / "src", destination="/workspace/app", include=[]
        )
    with pytest.raises(ValueError, match="inside the directory"):
        client.beta.agents.environments.files.prepare_directory(
            tmp_path / "src", destination="/workspace/app", include=["../*"]
        )


def test_upload_places_a_file_in_an_environment(client: OpenAI, local_server: LocalServer, tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_bytes(b"12345")
    with open(tmp_path / "report.txt", "rb") as handle:
        staged = client.beta.agents.environments.files.upload("env_1", file=handle, path="/workspace/report.txt")
    assert staged.file.path == "/workspace/report.txt" and staged.file.size_bytes == 5
    placed = json.loads(local_server.last_request("POST", "/v1/agents/environments/env_1/files").body)
    assert placed == {"file_id": staged.uploaded_file_id, "path": "/workspace/report.txt", "type": "file_id"}


def test_upload_that_cannot_be_placed_keeps_the_upload_id(
    client: OpenAI, local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.faults.push(status=404, path="/v1/agents/environments/env_gone/files", times=1)
    with pytest.raises(AgentFileStagingError) as caught:
        client.beta.agents.environments.files.upload("env_gone", file=b"data", path="/workspace/x.bin")
    assert client.files.content(caught.value.uploaded_file_id).read() == b"data"
    with pytest.raises(ValueError, match="environment_id"):
        client.beta.agents.environments.files.upload("", file=b"data", path="/workspace/x.bin")


async def test_async_prepare_and_upload(async_client: AsyncOpenAI, tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("A")
    prepared = await async_client.beta.agents.environments.files.prepare({"/workspace/a.txt": tmp_path / "d" / "a.txt"})
    assert (await async_client.files.content(prepared.uploaded_file_ids[0])).read() == b"A"
    from_dir = await async_client.beta.agents.environments.files.prepare_directory(
        tmp_path / "d", destination="/workspace/d", include=["*.txt"]
    )
    assert [f["path"] for f in from_dir.files] == ["/workspace/d/a.txt"]
    staged = await async_client.beta.agents.environments.files.upload(
        "env_2", file=tmp_path / "d" / "a.txt", path="/workspace/b.txt"
    )
    assert staged.file.size_bytes == 1
    with pytest.raises(ValueError, match="destination"):
        await async_client.beta.agents.environments.files.prepare({"/etc/x": tmp_path / "d" / "a.txt"})
