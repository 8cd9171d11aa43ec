"""How the polling helpers wait, bound their wait and upload, as code written for the official SDK
expects: the resource's `_sleep` is the one wait, `max_wait_seconds` is checked before anything is
sent and cuts the last wait, a batch is polled while files of it are in progress."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any
from unittest import mock

import httpx2
import pytest
from helpers import make_async_client, make_client

from pyopenai.lib import _vector_stores
from pyopenai.lib.polling import PollingTimeoutError


class Clock:
    """A monotonic clock that moves only when the helper waits or a request takes time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def answers(*bodies: dict[str, Any], headers: dict[str, str] | None = None,
            request_seconds: float = 0.0, clock: Clock | None = None) -> Callable[[httpx2.Request], httpx2.Response]:
    """POSTs create (id file-1); each GET answers the next body (the last one repeats)."""
    queue = list(bodies)

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST":
            return httpx2.Response(200, json={"id": "file-1", "status": "in_progress"})
        if clock is not None:
            clock.now += request_seconds
        body = queue.pop(0) if len(queue) > 1 else queue[0]
        return httpx2.Response(200, json=body, headers=headers or {})

    return handler


async def settle(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(_vector_stores, "time", clock)
    return clock


def client_of(is_async: bool, handler: Callable[[httpx2.Request], httpx2.Response]) -> tuple[Any, Any]:
    return make_async_client(handler) if is_async else make_client(handler)


def patch_sleep(resource: Any, clock: Clock) -> Any:
    """The resource's `_sleep` replaced by the clock's (an AsyncMock on the async resource)."""
    return mock.patch.object(resource, "_sleep", side_effect=clock.sleep)


PENDING = {"id": "file-1", "status": "in_progress"}
DONE = {"id": "file-1", "status": "completed"}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("method", ["poll", "create_and_poll", "upload_and_poll"])
@pytest.mark.parametrize("limit", [-1, float("nan"), float("inf")])
async def test_a_bad_max_wait_is_refused_before_anything_is_sent(is_async: bool, method: str, limit: float) -> None:
    client, rec = client_of(is_async, answers(DONE))
    files = client.vector_stores.files
    arguments: dict[str, Any] = {"vector_store_id": "vs_1", "max_wait_seconds": limit}
    arguments.update({"file": ("a.txt", b"x")} if method == "upload_and_poll" else {"file_id": "file-1"})
    with pytest.raises(ValueError, match="max_wait_seconds must be a finite, non-negative number"):
        await settle(getattr(files, method)(**arguments))
    assert rec.requests == []  # nothing uploaded, attached or polled


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("interval", "waits", "polls"), [(250, [0.25, 0.25, 0.125], 3), (None, [0.625], 1)],
                         ids=["explicit", "server-hint"])
async def test_the_last_wait_is_cut_and_no_poll_starts_after_the_limit(
        clock: Clock, is_async: bool, interval: int | None, waits: list[float], polls: int) -> None:
    client, rec = client_of(is_async, answers(PENDING, headers={"openai-poll-after-ms": "10000"}))
    files = client.vector_stores.files
    extra = {} if interval is None else {"poll_interval_ms": interval}
    with patch_sleep(files, clock), pytest.raises(PollingTimeoutError, match="'file-1'.*max_wait_seconds") as info:
        await settle(files.poll("file-1", vector_store_id="vs_1", max_wait_seconds=0.625, **extra))
    assert isinstance(info.value, TimeoutError)
    assert clock.waits == waits and clock.now == 0.625
    assert len(rec.requests) == polls


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_request_time_counts_and_a_late_final_answer_is_kept(clock: Clock, is_async: bool) -> None:
    client, rec = client_of(is_async, answers(PENDING, DONE, request_seconds=2.0, clock=clock))
    files = client.vector_stores.files
    with patch_sleep(files, clock):
        # 2 s per request, 2.5 s allowed: poll (2 s), wait what is left (0.5 s), no second poll
        with pytest.raises(PollingTimeoutError):
            await settle(files.poll("file-1", vector_store_id="vs_1", max_wait_seconds=2.5))
        assert clock.waits == [0.5] and len(rec.requests) == 1
        clock.now, clock.waits = 0.0, []
        client2, _ = client_of(is_async, answers(DONE, request_seconds=3.0, clock=clock))
        late = await settle(client2.vector_stores.files.poll("file-1", vector_store_id="vs_1", max_wait_seconds=1))
    assert late.status == "completed"  # arrived after the limit, still the answer


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_the_limit_starts_after_upload_and_attachment(clock: Clock, is_async: bool) -> None:
    def slow(request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST":
            clock.now += 10  # uploading and attaching take 10 s each
        return answers(PENDING)(request)

    client, rec = client_of(is_async, slow)
    files = client.vector_stores.files
    with patch_sleep(files, clock), pytest.raises(PollingTimeoutError):
        await settle(files.upload_and_poll(vector_store_id="vs_1", file=("a.txt", b"x"), max_wait_seconds=0.5))
    assert [r.method for r in rec.requests] == ["POST", "POST", "GET"]
    assert clock.now == 20.5


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_a_batch_is_polled_while_files_of_it_are_in_progress(is_async: bool) -> None:
    def batch(in_progress: int) -> dict[str, Any]:
        counts = {"in_progress": in_progress, "completed": 2 - in_progress, "failed": 0, "cancelled": 0, "total": 2}
        return {"id": "vsfb_1", "status": "in_progress", "file_counts": counts}

    client, rec = client_of(is_async, answers(batch(2), batch(1), batch(0)))
    batches = client.vector_stores.file_batches
    with mock.patch.object(batches, "_sleep") as sleep:
        done = await settle(batches.poll("vsfb_1", vector_store_id="vs_1"))
    assert done.file_counts.in_progress == 0 and len(rec.requests) == 3
    assert sleep.call_args_list == [mock.call(1.0)] * 2


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_videos_keep_the_first_interval_and_send_creation_options_once(is_async: bool) -> None:
    queue = [("queued", "2000"), ("in_progress", "9000"), ("completed", None)]

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST":
            return httpx2.Response(200, json={"id": "video_1", "object": "video", "status": "queued"})
        status, hint = queue.pop(0)
        return httpx2.Response(200, json={"id": "video_1", "object": "video", "status": status},
                               headers={"openai-poll-after-ms": hint} if hint else {})

    client, rec = client_of(is_async, handler)
    with mock.patch.object(client.videos, "_sleep") as sleep, pytest.warns(DeprecationWarning, match="Sora API"):
        video = await settle(client.videos.create_and_poll(prompt="a cat", extra_headers={"x-create-only": "1"}))
    assert video.status == "completed"
    assert sleep.call_args_list == [mock.call(2.0)] * 2  # the first hint holds for the whole poll
    create, *polls = rec.requests
    assert create.headers["x-create-only"] == "1"
    assert all("x-create-only" not in r.headers and r.headers["x-stainless-poll-helper"] == "true" for r in polls)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_run_poll_takes_its_options_positionally(is_async: bool) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"id": "run_1", "object": "thread.run", "status": "completed"})

    client, rec = client_of(is_async, handler)
    with pytest.warns(DeprecationWarning):
        run = await settle(client.beta.threads.runs.poll(
            "run_1", "thread_1", {"X-Stainless-Poll-Helper": "mine"}, {"probe": "yes"}, {"ignored": "on a GET"}, 4.5))
    assert run.status == "completed"
    sent = rec.last
    assert sent.url.params["probe"] == "yes" and sent.extensions["timeout"]["read"] == 4.5
    assert sent.headers.get_list("x-stainless-poll-helper") == ["mine"]  # the caller's header replaces ours
    assert sent.content == b""  # a GET carries no body, extra_body or not


def test_a_sync_batch_upload_lets_the_others_finish_then_raises_and_attaches_nothing() -> None:
    uploaded: list[bytes] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/files") and b"bad" in request.content:
            return httpx2.Response(400, json={"error": {"message": "bad file"}})
        uploaded.append(request.content)
        return httpx2.Response(200, json={"id": f"file-{len(uploaded)}", "object": "file"})

    client, rec = make_client(handler, max_retries=0)
    with pytest.raises(Exception, match="bad file"):
        client.vector_stores.file_batches.upload_and_poll(
            "vs_1", files=[("bad.txt", b"bad"), ("a.txt", b"a"), ("b.txt", b"b")], max_concurrency=1)
    assert len(uploaded) == 2  # the uploads queued behind the failure still ran
    assert not any("file_batches" in r.url.path for r in rec.requests)
