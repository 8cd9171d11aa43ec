"""`client.batches.run(...)` and `BatchRun`, end to end against the local server (which runs batches
for real, one step per retrieve), sync and async."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.batch_run import AsyncBatchRun, BatchInputError, BatchRun, BatchSubmitError
from pyopenai.lib.polling import PollingTimeoutError
from pyopenai.testing import LocalServer, Reply, ScriptedError
from pyopenai.types.chat import ChatCompletion
from pyopenai.types.create_embedding_response import CreateEmbeddingResponse

CHAT = "/v1/chat/completions"


def chat(text: str, model: str = "gpt-4o") -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}]}


def answer(result: Any) -> str:
    return result.response.choices[0].message.content


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def client(server: LocalServer) -> Iterator[OpenAI]:
    with OpenAI(api_key="sk-test", base_url=server.url, max_retries=0) as c:
        yield c


def input_files(client: OpenAI, run: BatchRun[Any]) -> list[list[str]]:
    """The custom_ids of each of the run's input files, as the server holds them."""
    files: list[list[str]] = []
    for batch_id in run.batch_ids:
        batch = client.batches.retrieve(batch_id)
        text = client.files.content(batch.input_file_id).text
        files.append([json.loads(line)["custom_id"] for line in text.splitlines()])
    return files


def server_state(client: OpenAI) -> tuple[int, int]:
    """(batches, files) the server holds."""
    return len(client.batches.list().data), len(client.files.list().data)


# -- submitting ------------------------------------------------------------------------------------


def test_a_job_split_into_batches_gives_typed_results_in_input_order(client: OpenAI) -> None:
    requests = (chat(f"hello {n}") for n in range(7))  # a generator: read once, as the upload streams
    run = client.batches.run(requests, endpoint=CHAT, max_requests_per_file=3, metadata={"job": "greet"})
    assert len(run.batch_ids) == 3
    assert input_files(client, run) == [
        ["request-1", "request-2", "request-3"], ["request-4", "request-5", "request-6"], ["request-7"]
    ]
    assert client.batches.retrieve(run.batch_ids[0]).metadata == {"job": "greet"}
    final = run.wait(poll_interval=0)
    assert final.done and (final.total, final.completed, final.failed) == (7, 7, 0)
    results = list(run.results(poll_interval=0))
    assert [r.custom_id for r in results] == [f"request-{n}" for n in range(1, 8)]
    assert all(isinstance(r.response, ChatCompletion) and r.error is None and r.ok for r in results)
    assert [answer(r) for r in results] == [f'You said: "hello {n}".' for n in range(7)]


def test_status_counts_across_batches_as_they_move(client: OpenAI) -> None:
    run = client.batches.run([chat("a"), chat("b"), chat("c")], endpoint=CHAT, max_requests_per_file=2)
    first = run.status()  # each retrieve moves a local batch one step
    assert (first.total, first.completed, first.done) == (3, 0, False)
    assert set(first.batches.values()) == {"in_progress"}
    second = run.status()
    assert (second.completed, set(second.batches.values())) == (3, {"finalizing"})
    assert str(second) == "3/3 requests done, 0 failed (2 finalizing)"
    assert run.status().done


def test_files_are_cut_at_the_byte_limit(client: OpenAI) -> None:
    run = client.batches.run([chat("x" * 50) for _ in range(5)], endpoint=CHAT, max_bytes_per_file=400)  # 189-byte lines: two a file
    sizes = []
    for batch_id in run.batch_ids:
        content = client.files.content(client.batches.retrieve(batch_id).input_file_id).content
        sizes.append(len(content))
    assert len(run.batch_ids) == 3 and sizes == [378, 378, 189]
    assert sum(len(ids) for ids in input_files(client, run)) == 5


def test_a_new_model_starts_a_new_input_file(client: OpenAI) -> None:
    requests = [chat("a"), chat("b"), chat("c", model="gpt-4o-mini"), chat("d")]
    run = client.batches.run(requests, endpoint=CHAT)
    assert input_files(client, run) == [["request-1", "request-2"], ["request-3"], ["request-4"]]
    assert run.wait(poll_interval=0).completed == 4


def test_given_ids_and_request_lines_are_kept(client: OpenAI) -> None:
    requests = [
        {"custom_id": "q-a", "body": chat("a")},
        {"custom_id": "q-b", "method": "POST", "url": CHAT, "body": chat("b")},
        chat("c"),
    ]
    run = client.batches.run(requests, endpoint=CHAT)
    assert [r.custom_id for r in run.results(poll_interval=0)] == ["q-a", "q-b", "request-3"]


@pytest.mark.parametrize(
    ("requests", "message"),
    [
        ([{"custom_id": "a", "body": chat("1")}, {"custom_id": "a", "body": chat("2")}],
         "request 2 (custom_id 'a'): duplicate custom_id"),
        ([chat("1"), {"custom_id": "request-1", "body": chat("2")}], "request 2 (custom_id 'request-1'): duplicate"),
        ([{"custom_id": "a", "url": "/v1/responses", "body": chat("1")}], "url '/v1/responses' is not the job's"),
        ([{"custom_id": "a", "method": "GET", "body": chat("1")}], "batches send POST requests only"),
        ([{**chat("1"), "stream": True}], "stream=True cannot be batched"),
        (["not a dict"], "request 1: expected a dict, got str"),
        ([{"body": "text"}], "body must be a dict"),
        ([{"custom_id": "", "body": {}}], "custom_id must be a non-empty string"),
        ([{"custom_id": "a", "body": {}, "extra": 1}], "unexpected keys ['extra']"),
        ([chat("x" * 1000)], "more than an input file may hold (500)"),
        ([{"model": "gpt-4o", "messages": object()}], "body is not JSON"),
    ],
)
def test_bad_input_is_refused_and_starts_nothing(client: OpenAI, requests: list[Any], message: str) -> None:
    with pytest.raises(BatchInputError, match=None) as caught:
        client.batches.run(requests, endpoint=CHAT, max_bytes_per_file=500)
    assert message in str(caught.value)
    assert server_state(client) == (0, 0)


def test_bad_input_late_in_a_job_deletes_the_files_already_uploaded(client: OpenAI) -> None:
    requests = [chat(str(n)) for n in range(5)] + [{"custom_id": "request-2", "body": chat("again")}]
    with pytest.raises(BatchInputError, match=r"request 6 \(custom_id 'request-2'\): duplicate") as caught:
        client.batches.run(requests, endpoint=CHAT, max_requests_per_file=2)
    assert (caught.value.index, caught.value.custom_id) == (6, "request-2")
    assert server_state(client) == (0, 0)


def test_an_error_of_the_callers_iterable_propagates_and_starts_nothing(client: OpenAI) -> None:
    def requests() -> Iterator[dict[str, Any]]:
        yield chat("one")
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        client.batches.run(requests(), endpoint=CHAT)
    assert server_state(client) == (0, 0)


@pytest.mark.parametrize(
    ("endpoint", "requests", "message"),
    [("/v1/nope", [chat("a")], "not a Batch API endpoint"), (CHAT, [], "no requests")],
)
def test_a_job_needs_an_endpoint_and_requests(client: OpenAI, endpoint: str, requests: list[Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        client.batches.run(requests, endpoint=endpoint)
    assert server_state(client) == (0, 0)


def test_limits_below_one_are_refused(client: OpenAI) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        client.batches.run([chat("a")], endpoint=CHAT, max_requests_per_file=0)


def test_a_batch_refused_by_the_api_is_reported_with_the_batches_created(
    client: OpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    create = client.batches.create
    calls: list[str] = []

    def create_once(**params: Any) -> Any:
        calls.append(params["input_file_id"])
        if len(calls) > 1:
            raise RuntimeError("the API went away")
        return create(**params)

    monkeypatch.setattr(client.batches, "create", create_once)
    with pytest.raises(BatchSubmitError, match="created 1 of 2 batches") as caught:
        client.batches.run([chat("a"), chat("b")], endpoint=CHAT, max_requests_per_file=1)
    assert len(caught.value.batch_ids) == 1 and "the API went away" in str(caught.value)
    monkeypatch.undo()
    resumed = BatchRun.resume(client, {"endpoint": CHAT, "batch_ids": caught.value.batch_ids})
    assert [r.custom_id for r in resumed.results(poll_interval=0)] == ["request-1"]


# -- failures, retry, cancel -------------------------------------------------------------------------


def flaky_once(server: LocalServer) -> None:
    """Chat requests whose text starts with "flaky" fail the first time the server sees them."""
    seen: set[str] = set()

    def respond(request: Any) -> Reply | None:
        text = json.loads(request.body)["messages"][0]["content"]
        if text.startswith("flaky") and text not in seen:
            seen.add(text)
            return Reply(error=ScriptedError(500, "The server had an error.", type="server_error", code="oops"))
        return None

    server.script.chat.respond(respond)


def test_failures_are_reported_listed_and_retried(client: OpenAI, server: LocalServer) -> None:
    flaky_once(server)
    requests = [chat("ok 1"), chat("flaky 2"), chat("ok 3"), chat("flaky 4")]
    run = client.batches.run(requests, endpoint=CHAT, max_requests_per_file=3)
    assert run.wait(poll_interval=0).failed == 2
    results = list(run.results(poll_interval=0))
    assert [(r.custom_id, r.ok) for r in results] == [
        ("request-1", True), ("request-2", False), ("request-3", True), ("request-4", False)
    ]
    error = results[1].error
    assert error is not None and (error.code, error.status_code) == ("oops", 500)
    assert error.message == "The server had an error." and results[1].response is None
    failed = list(run.failed(poll_interval=0))
    assert failed == [{"custom_id": "request-2", "body": chat("flaky 2")}, {"custom_id": "request-4", "body": chat("flaky 4")}]

    retry = run.retry_failed(poll_interval=0)
    assert retry is not None and len(retry.batch_ids) == 1
    assert [(r.custom_id, answer(r)) for r in retry.results(poll_interval=0)] == [
        ("request-2", 'You said: "flaky 2".'), ("request-4", 'You said: "flaky 4".')
    ]
    assert retry.retry_failed(poll_interval=0) is None  # nothing left to retry


def test_input_order_does_not_rely_on_the_output_files_order() -> None:
    with LocalServer(batch_output_reversed=True) as server, OpenAI(api_key="k", base_url=server.url) as client:
        run = client.batches.run([chat(str(n)) for n in range(5)], endpoint=CHAT, max_requests_per_file=3)
        assert [r.custom_id for r in run.results(poll_interval=0)] == [f"request-{n}" for n in range(1, 6)]
        as_written = [r.custom_id for r in run.results(order="completion", poll_interval=0)]
        assert as_written == ["request-3", "request-2", "request-1", "request-5", "request-4"]


def test_results_as_batches_end(client: OpenAI, server: LocalServer) -> None:
    flaky_once(server)
    run = client.batches.run([chat("a"), chat("flaky b"), chat("c")], endpoint=CHAT, max_requests_per_file=2)
    results = list(run.results(order="completion", poll_interval=0))
    assert sorted((r.custom_id, r.ok) for r in results) == [("request-1", True), ("request-2", False), ("request-3", True)]
    with pytest.raises(ValueError, match="order must be"):
        list(run.results(order="random", poll_interval=0))  # type: ignore[arg-type]


def test_cancel_keeps_what_ran_and_the_rest_can_be_retried() -> None:
    with LocalServer(batch_requests_per_step=1) as server, OpenAI(api_key="k", base_url=server.url) as client:
        run = client.batches.run([chat("a"), chat("b"), chat("c")], endpoint=CHAT)
        run.status()  # validated
        assert run.status().completed == 1  # one request per step on this server
        assert set(run.cancel().batches.values()) == {"cancelled"}
        results = list(run.results(poll_interval=0))
        assert [(r.custom_id, r.ok) for r in results] == [("request-1", True), ("request-2", False), ("request-3", False)]
        assert results[1].error is not None and results[1].error.code == "batch_cancelled"
        assert [r["custom_id"] for r in run.failed(poll_interval=0)] == ["request-2", "request-3"]
        assert run.cancel().done  # cancelling an ended run changes nothing


def test_a_batch_the_api_fails_gives_every_request_its_error(client: OpenAI) -> None:
    lines = [{"custom_id": c, "method": "GET", "url": CHAT, "body": chat(c)} for c in ("x", "y")]
    uploaded = client.files.create(file=("in.jsonl", "\n".join(map(json.dumps, lines)).encode()), purpose="batch")
    batch = client.batches.create(input_file_id=uploaded.id, endpoint=CHAT, completion_window="24h")
    run = BatchRun.resume(client, {"endpoint": CHAT, "batch_ids": [batch.id]})
    results = list(run.results(poll_interval=0))
    assert [(r.custom_id, r.error.code if r.error else None) for r in results] == [("x", "batch_failed"), ("y", "batch_failed")]
    assert results[0].error is not None and "Only the POST method is supported" in results[0].error.message


def test_wait_gives_up_after_its_timeout(client: OpenAI) -> None:
    run = client.batches.run([chat("a")], endpoint=CHAT)
    with pytest.raises(PollingTimeoutError, match="not done after 0 seconds: 0/1 requests done"):
        run.wait(poll_interval=0.01, timeout=0)
    assert run.wait(poll_interval=0).done


def test_wait_reports_each_status(client: OpenAI) -> None:
    run = client.batches.run([chat("a")], endpoint=CHAT)
    seen: list[str] = []
    run.wait(poll_interval=0, on_status=lambda s: seen.append(next(iter(s.batches.values()))))
    assert seen == ["in_progress", "finalizing", "completed"]


# -- state and resume --------------------------------------------------------------------------------


def test_resume_from_saved_state_in_a_new_process(client: OpenAI, server: LocalServer, tmp_path: Path) -> None:
    run = client.batches.run(({"custom_id": f"id-{n}", "body": chat(str(n))} for n in range(5)), endpoint=CHAT,
                             max_requests_per_file=2)
    state = tmp_path / "run.json"
    run.save(state)
    saved = json.loads(state.read_text())
    assert saved == {"kind": "pyopenai.batch_run", "version": 1, "endpoint": CHAT, "completion_window": "24h",
                     "batch_ids": run.batch_ids}
    assert len(state.read_bytes()) < 400  # small: ids, not requests
    code = textwrap.dedent(
        f"""
        import sys
        from pyopenai import OpenAI
        from pyopenai.lib.batch_run import BatchRun
        client = OpenAI(api_key="sk-test", base_url={server.url!r})
        run = BatchRun.resume(client, sys.argv[1])
        print(run.wait(poll_interval=0))
        for result in run.results(poll_interval=0):
            print(result.custom_id, type(result.response).__name__, result.response.choices[0].message.content)
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    done = subprocess.run([sys.executable, "-c", code, str(state)], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "5/5 requests done, 0 failed (3 completed)"
    assert lines[1:] == [f'id-{n} ChatCompletion You said: "{n}".' for n in range(5)]


def test_a_bad_state_is_refused_clearly(client: OpenAI, tmp_path: Path) -> None:
    not_json = tmp_path / "state.json"
    not_json.write_text("{nope")
    with pytest.raises(ValueError, match="is not a batch run state"):
        BatchRun.resume(client, not_json)
    with pytest.raises(ValueError, match="no 'batch_ids' list"):
        BatchRun.resume(client, {"endpoint": CHAT})
    with pytest.raises(ValueError, match="no 'endpoint' string"):
        BatchRun.resume(client, {"batch_ids": []})
    with pytest.raises(FileNotFoundError):
        BatchRun.resume(client, tmp_path / "missing.json")


# -- async ---------------------------------------------------------------------------------------------


async def test_async_run_wait_results_retry_and_resume(server: LocalServer) -> None:
    flaky_once(server)
    async with AsyncOpenAI(api_key="sk-test", base_url=server.url) as client:
        run = await client.batches.run(
            [chat("a"), chat("flaky b"), chat("c")], endpoint=CHAT, max_requests_per_file=2
        )
        assert len(run.batch_ids) == 2
        assert (await run.wait(poll_interval=0)).failed == 1
        results = [r async for r in run.results(poll_interval=0)]
        assert [(r.custom_id, r.ok) for r in results] == [("request-1", True), ("request-2", False), ("request-3", True)]
        assert [r["custom_id"] async for r in run.failed(poll_interval=0)] == ["request-2"]
        retry = await run.retry_failed(poll_interval=0)
        assert retry is not None
        assert [answer(r) async for r in retry.results(poll_interval=0)] == ['You said: "flaky b".']
        resumed = AsyncBatchRun.resume(client, run.state())
        assert [r.custom_id async for r in resumed.results(order="completion", poll_interval=0)] == [
            "request-1", "request-2", "request-3"
        ]


async def test_async_embeddings_typed_and_cancel() -> None:
    with LocalServer(batch_requests_per_step=1) as server:
        async with AsyncOpenAI(api_key="sk-test", base_url=server.url) as client:
            inputs = [{"model": "text-embedding-3-small", "input": f"text {n}"} for n in range(3)]
            run = await client.batches.run(inputs, endpoint="/v1/embeddings")
            await run.status()
            assert (await run.status()).completed == 1
            assert (await run.cancel()).done
            results = [r async for r in run.results(poll_interval=0)]
            assert isinstance(results[0].response, CreateEmbeddingResponse)
            assert [r.error.code if r.error else None for r in results] == [None, "batch_cancelled", "batch_cancelled"]


async def test_async_bad_input_starts_nothing(server: LocalServer) -> None:
    async with AsyncOpenAI(api_key="sk-test", base_url=server.url) as client:
        with pytest.raises(BatchInputError, match="duplicate custom_id"):
            await client.batches.run([{"custom_id": "a", "body": {}}] * 2, endpoint=CHAT)
        assert len((await client.files.list()).data) == 0


# -- memory ------------------------------------------------------------------------------------------


@contextmanager
def server_process(*options: str) -> Iterator[str]:
    """A local server in another process (its memory is not this process's), stopped at the end."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pyopenai.testing", "--port", "0", *options], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on" in line, line
        yield line.rsplit(" ", 1)[-1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_submitting_a_large_job_keeps_memory_bounded() -> None:
    count = 20_000  # ~22 MB of JSONL
    body_text = "x" * 1000
    with server_process() as url, OpenAI(api_key="sk-test", base_url=url) as client:
        client.models.list()  # load what any first call loads before measuring
        tracemalloc.start()
        try:
            run = client.batches.run(
                ({"model": "gpt-4o", "messages": [{"role": "user", "content": f"{n} {body_text}"}]} for n in range(count)),
                endpoint=CHAT, max_requests_per_file=8_000,
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert len(run.batch_ids) == 3
        job_bytes = sum(client.files.retrieve(client.batches.retrieve(b).input_file_id).bytes for b in run.batch_ids)
    assert job_bytes > 20_000_000
    # what stays is a table of the ids seen (16 bytes a request) and a chunk or two of JSONL
    assert peak < job_bytes / 8, f"peak {peak} bytes for a {job_bytes}-byte job"


def test_an_endpoint_without_a_known_model_gives_the_decoded_json(client: OpenAI) -> None:
    run = client.batches.run([{"model": "omni-moderation-latest", "input": "hi"}], endpoint="/v1/moderations")
    (typed,) = list(run.results(poll_interval=0))
    assert type(typed.response).__name__ == "ModerationCreateResponse"
    resumed = BatchRun.resume(client, {**run.state(), "endpoint": "/v1/some-future-endpoint"})
    (plain,) = list(resumed.results(poll_interval=0))
    assert isinstance(plain.response, dict)
    assert typed.response is not None
    assert plain.response["results"][0]["flagged"] is typed.response.results[0].flagged


def test_progress_of_a_server_run_from_the_command_line() -> None:
    with server_process("--batch-requests-per-step", "2") as url, OpenAI(api_key="k", base_url=url) as client:
        run = client.batches.run([chat(str(n)) for n in range(5)], endpoint=CHAT)
        assert [run.status().completed for _ in range(5)] == [0, 2, 4, 5, 5]
        assert run.status().done


def results_peak(client: OpenAI, count: int) -> tuple[int, int]:
    """(peak Python allocations reading a `count`-request run's results in input order, output bytes)."""
    run = client.batches.run((chat(f"{n} " + "x" * 200) for n in range(count)), endpoint=CHAT)
    run.wait(poll_interval=0)
    output_bytes = client.files.retrieve(client.batches.retrieve(run.batch_ids[0]).output_file_id or "").bytes
    next(run.results(poll_interval=0))  # build the model's validator before measuring
    seen = 0
    tracemalloc.start()
    try:
        for result in run.results(poll_interval=0):
            seen += result.ok
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    return peak, output_bytes


def test_reading_results_in_input_order_streams_when_the_output_is_in_order() -> None:
    with server_process() as url, OpenAI(api_key="sk-test", base_url=url) as client:
        small, small_bytes = results_peak(client, 3_000)
        large, large_bytes = results_peak(client, 12_000)
    assert large_bytes > 3.5 * small_bytes
    # a few hundred lines are decoded at a time, whatever the file's size
    assert large < 1.5 * small, f"peak {small} bytes for {small_bytes} bytes of output, {large} for {large_bytes}"
