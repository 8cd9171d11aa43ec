"""Polling helpers (every helper row of the surface), with scripted statuses and recorded waits."""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

import httpx2
import pytest
from helpers import Recorder, make_async_client, make_client

from pyopenai import OpenAI
from pyopenai._resource import AsyncAPIResource, SyncAPIResource
from pyopenai.lib.polling import Pacing, PollingTimeoutError, poll_delay


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The helpers' waits, recorded instead of slept."""
    recorded: list[float] = []

    def record(_resource: object, seconds: float) -> None:
        recorded.append(seconds)

    async def record_async(_resource: object, seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(SyncAPIResource, "_sleep", record)
    monkeypatch.setattr(AsyncAPIResource, "_sleep", record_async)
    return recorded


class Server:
    """Answers each GET of an object with the next scripted status; POSTs create objects."""

    def __init__(self, statuses: list[str], *, poll_after_ms: int | None = None) -> None:
        self.statuses = list(statuses)
        self.poll_after_ms = poll_after_ms
        self.uploaded = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        headers = {"x-request-id": "req_1"}
        if request.method == "POST" and path.endswith("/files") and "vector_stores" not in path:
            self.uploaded += 1
            return httpx2.Response(200, json={"id": f"file-{self.uploaded}", "object": "file", "status": "uploaded"},
                                   headers=headers)
        if request.method == "POST":
            return httpx2.Response(200, json=self.obj(path, "queued" if "runs" in path or "videos" in path
                                                      else "in_progress"), headers=headers)
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        if self.poll_after_ms is not None:
            headers["openai-poll-after-ms"] = str(self.poll_after_ms)
        return httpx2.Response(200, json=self.obj(path, status), headers=headers)

    @staticmethod
    def obj(path: str, status: str) -> dict[str, Any]:
        ident = path.rstrip("/").rsplit("/", 1)[-1]
        if not re.match(r"^(run|file|vsfb|video|thread)[-_]", ident):
            ident = {"runs": "run_1", "file_batches": "vsfb_1", "videos": "video_1", "files": "file-1",
                     "create_and_run": "run_1", "submit_tool_outputs": "run_1"}.get(ident, "obj_1")
        return {"id": ident, "status": status, "thread_id": "thread_1"}


def client_for(server: Server) -> tuple[OpenAI, Recorder]:
    return make_client(server)


def paths(rec: Recorder) -> list[str]:
    return [f"{r.method} {r.url.path.removeprefix('/v1')}" for r in rec.requests]


# -- waiting ---------------------------------------------------------------------------------------------


def test_poll_delay_rules() -> None:
    assert poll_delay({}, None) == 1.0
    assert poll_delay({"openai-poll-after-ms": "250"}, None) == 0.25
    assert poll_delay({"openai-poll-after-ms": "250"}, 50) == 0.05  # the caller's interval wins
    assert poll_delay({"openai-poll-after-ms": "10"}, 50) == 0.05
    assert poll_delay({"openai-poll-after-ms": "junk"}, None) == 1.0
    assert poll_delay({}, 0) == 0.0
    pacing = Pacing(None)  # decided at the first answer that is not final, then kept
    assert [pacing.next_wait({"openai-poll-after-ms": "2000"}), pacing.next_wait({"openai-poll-after-ms": "9"})] == [2.0, 2.0]


def test_runs_poll_honours_the_header(waits: list[float]) -> None:
    client, rec = client_for(Server(["queued", "in_progress", "requires_action"], poll_after_ms=300))
    run = client.beta.threads.runs.poll("run_1", "thread_1")
    assert run.status == "requires_action"
    assert waits == [0.3, 0.3]
    assert paths(rec) == ["GET /threads/thread_1/runs/run_1"] * 3
    assert rec.last.headers["openai-beta"] == "assistants=v2"


def test_runs_create_and_poll_passes_request_options(waits: list[float]) -> None:
    client, rec = client_for(Server(["in_progress", "completed"]))
    run = client.beta.threads.runs.create_and_poll(thread_id="thread_1", assistant_id="asst_1", poll_interval_ms=20,
                                                   extra_headers={"x-trace": "t1"})
    assert run.status == "completed" and waits == [0.02]
    assert paths(rec) == ["POST /threads/thread_1/runs", "GET /threads/thread_1/runs/run_1",
                          "GET /threads/thread_1/runs/run_1"]
    assert all(r.headers["x-trace"] == "t1" for r in rec.requests)
    assert rec.json(0) == {"assistant_id": "asst_1"}


def test_submit_tool_outputs_and_poll_and_create_and_run_poll(waits: list[float]) -> None:
    client, rec = client_for(Server(["completed"]))
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        tool_outputs=[{"tool_call_id": "c", "output": "42"}], run_id="run_1", thread_id="thread_1")
    assert run.status == "completed" and waits == []
    assert paths(rec)[0] == "POST /threads/thread_1/runs/run_1/submit_tool_outputs"
    run = client.beta.threads.create_and_run_poll(assistant_id="asst_1")
    assert run.status == "completed"
    assert paths(rec)[-2:] == ["POST /threads/runs", "GET /threads/thread_1/runs/run_1"]


def test_vector_store_file_helpers(waits: list[float]) -> None:
    client, rec = client_for(Server(["in_progress", "completed"]))
    done = client.vector_stores.files.create_and_poll("file-9", vector_store_id="vs_1", poll_interval_ms=0)
    assert done.status == "completed" and waits == [0.0]
    assert paths(rec) == ["POST /vector_stores/vs_1/files", "GET /vector_stores/vs_1/files/file-9",
                          "GET /vector_stores/vs_1/files/file-9"]
    assert rec.json(0) == {"file_id": "file-9"}

    client, rec = client_for(Server(["completed"]))
    attached = client.vector_stores.files.upload(vector_store_id="vs_1", file=("a.txt", b"hello"))
    assert paths(rec) == ["POST /files", "POST /vector_stores/vs_1/files"] and attached.status == "in_progress"
    assert b'name="purpose"\r\n\r\nassistants' in rec.requests[0].content

    client, rec = client_for(Server(["completed"]))
    client.vector_stores.files.upload_and_poll(vector_store_id="vs_1", file=("a.txt", b"x"),
                                               attributes={"k": "v"})
    assert paths(rec) == ["POST /files", "POST /vector_stores/vs_1/files", "GET /vector_stores/vs_1/files/file-1"]
    assert rec.json(1) == {"file_id": "file-1", "attributes": {"k": "v"}}

    client, _ = client_for(Server(["in_progress"]))
    with pytest.raises(PollingTimeoutError, match="max_wait_seconds"):
        client.vector_stores.files.poll("file-1", vector_store_id="vs_1", max_wait_seconds=0.5)


def test_file_batch_helpers(waits: list[float]) -> None:
    client, rec = client_for(Server(["in_progress", "completed"]))
    batch = client.vector_stores.file_batches.create_and_poll("vs_1", file_ids=["file-a"])
    assert batch.status == "completed" and waits == [1.0]
    assert paths(rec)[0] == "POST /vector_stores/vs_1/file_batches"

    server = Server(["completed"])
    client, rec = client_for(server)
    files = [(f"f{i}.txt", f"data {i}".encode()) for i in range(4)]
    client.vector_stores.file_batches.upload_and_poll("vs_1", files=files, file_ids=["file-0"], max_concurrency=2)
    assert server.uploaded == 4
    create = next(r for r in rec.requests if r.url.path.endswith("/file_batches"))
    assert sorted(json.loads(create.content)["file_ids"]) == ["file-0", "file-1", "file-2", "file-3", "file-4"]


def test_videos_and_files(waits: list[float]) -> None:
    client, rec = client_for(Server(["queued", "in_progress", "completed"], poll_after_ms=5))
    video = client.videos.create_and_poll(prompt="a cat", poll_interval_ms=1)
    assert video.status == "completed" and waits == [0.001, 0.001]  # the caller's interval wins over the hint
    assert paths(rec)[0] == "POST /videos"

    client, _ = client_for(Server(["uploaded", "processed"]))
    assert client.files.wait_for_processing("file-1", poll_interval=0.5).status == "processed"
    assert waits[-1] == 0.5
    client, _ = client_for(Server(["pending"]))
    with pytest.raises(RuntimeError, match="file-1"):
        client.files.wait_for_processing("file-1", poll_interval=2, max_wait_seconds=1)


async def test_async_helpers(waits: list[float]) -> None:
    client, _ = make_async_client(Server(["queued", "completed"], poll_after_ms=40))
    run = await client.beta.threads.runs.create_and_poll(thread_id="thread_1", assistant_id="a")
    assert run.status == "completed" and waits == [0.04]
    server = Server(["completed"])
    client, _ = make_async_client(server)
    batch = await client.vector_stores.file_batches.upload_and_poll(
        "vs_1", files=[("a.txt", b"1"), ("b.txt", b"2"), ("c.txt", b"3")], max_concurrency=2)
    assert batch.status == "completed" and server.uploaded == 3
    client, _ = make_async_client(Server(["in_progress"]))
    with pytest.raises(PollingTimeoutError):
        await client.vector_stores.files.upload_and_poll(vector_store_id="vs_1", file=b"x", max_wait_seconds=0.1)
    client, _ = make_async_client(Server(["completed"]))
    assert (await client.videos.poll("video_1")).status == "completed"
    assert (await client.files.wait_for_processing("file-1")).status == "completed"


# -- what a poll says on the wire -------------------------------------------------------------------------


def test_polls_are_marked_on_the_wire_as_the_official_sdks_are(waits: list[float]) -> None:
    client, rec = client_for(Server(["in_progress", "completed"]))
    client.vector_stores.files.create_and_poll("file-9", vector_store_id="vs_1", poll_interval_ms=25)
    create, *polls = rec.requests
    assert "x-stainless-poll-helper" not in create.headers
    assert [(r.headers["x-stainless-poll-helper"], r.headers["x-stainless-custom-poll-interval"]) for r in polls] == [
        ("true", "25"), ("true", "25")]
    assert all(r.headers["x-stainless-raw-response"] == "true" for r in polls)  # polls read the raw answer

    client, rec = client_for(Server(["completed"]))
    client.beta.threads.runs.poll("run_1", "thread_1", extra_headers={"x-stainless-poll-helper": "mine"})
    assert rec.last.headers["x-stainless-poll-helper"] == "mine"  # the caller's own header wins
    assert "x-stainless-custom-poll-interval" not in rec.last.headers  # no interval given, none sent

    client, rec = client_for(Server(["processed"]))
    client.files.wait_for_processing("file-1")
    assert "x-stainless-poll-helper" not in rec.last.headers  # as the official SDK, which marks it nowhere


async def test_async_polls_are_marked_on_the_wire(waits: list[float]) -> None:
    client, rec = make_async_client(Server(["queued", "completed"]))
    await client.videos.create_and_poll(prompt="a cat", poll_interval_ms=7)
    assert [r.headers.get("x-stainless-poll-helper") for r in rec.requests] == [None, "true", "true"]
    assert rec.last.headers["x-stainless-custom-poll-interval"] == "7"


# -- the deprecated APIs' helpers warn as the official SDK's do -------------------------------------------

DEPRECATED_HELPERS: list[tuple[str, str, dict[str, Any]]] = [
    ("beta.threads", "create_and_run_poll", {"assistant_id": "asst_1"}),
    ("beta.threads.runs", "create_and_poll", {"thread_id": "thread_1", "assistant_id": "asst_1"}),
    ("beta.threads.runs", "poll", {"run_id": "run_1", "thread_id": "thread_1"}),
    ("beta.threads.runs", "submit_tool_outputs_and_poll", {"run_id": "run_1", "thread_id": "thread_1",
                                                           "tool_outputs": []}),
    ("videos", "create_and_poll", {"prompt": "a cat"}),
    ("videos", "poll", {"video_id": "video_1"}),
]


def resolve(root: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        root = getattr(root, name)
    return root


@pytest.mark.parametrize(("resource", "method", "arguments"), DEPRECATED_HELPERS,
                         ids=[f"{r}.{m}" for r, m, _ in DEPRECATED_HELPERS])
def test_helpers_of_deprecated_apis_warn(waits: list[float], resource: str, method: str,
                                         arguments: dict[str, Any]) -> None:
    client, _ = client_for(Server(["completed"]))
    helper = getattr(resolve(client, resource), method)
    with pytest.warns(DeprecationWarning) as caught:
        assert helper(**arguments).status == "completed"
    # the warning points at the caller's line, not inside pyopenai
    assert any(record.filename == __file__ for record in caught)


@pytest.mark.parametrize(("resource", "method", "arguments"), DEPRECATED_HELPERS,
                         ids=[f"{r}.{m}" for r, m, _ in DEPRECATED_HELPERS])
async def test_async_helpers_of_deprecated_apis_warn(waits: list[float], resource: str, method: str,
                                                     arguments: dict[str, Any]) -> None:
    client, _ = make_async_client(Server(["completed"]))
    helper = getattr(resolve(client, resource), method)
    with pytest.warns(DeprecationWarning) as caught:
        assert (await helper(**arguments)).status == "completed"
    assert any(record.filename == __file__ for record in caught)


# -- the create-and-poll helpers take the parameters of the method they call -----------------------------

BORROWED = [("beta.threads", "create_and_run_poll", "create_and_run"), ("beta.threads.runs", "create_and_poll", "create")]


@pytest.mark.parametrize(("resource", "helper", "source"), BORROWED, ids=[f"{r}.{h}" for r, h, _ in BORROWED])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_create_and_poll_helpers_have_the_create_parameters(resource: str, helper: str, source: str,
                                                            is_async: bool) -> None:
    # names and annotations, so editors complete them and type checkers check them
    client, _ = (make_async_client if is_async else make_client)(Server(["completed"]))
    node = resolve(client, resource)
    created = inspect.signature(getattr(node, source)).parameters
    expected = {name: str(p.annotation) for name, p in created.items() if name != "stream"}
    got = {name: str(p.annotation) for name, p in inspect.signature(getattr(node, helper)).parameters.items()}
    assert got == {**expected, "poll_interval_ms": "int | Omit"}


def test_create_and_poll_sends_what_create_sends(waits: list[float]) -> None:
    client, rec = client_for(Server(["completed"]))
    with pytest.warns(DeprecationWarning):
        run = client.beta.threads.runs.create_and_poll("thread_1", assistant_id="asst_1", instructions="be brief",
                                                       extra_headers={"x-trace": "1"})
    assert run.status == "completed"
    create, poll = rec.requests
    assert json.loads(create.content) == {"assistant_id": "asst_1", "instructions": "be brief"}
    assert create.url.path == "/v1/threads/thread_1/runs" and poll.headers["x-trace"] == "1"
