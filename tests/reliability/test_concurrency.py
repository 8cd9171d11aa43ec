"""One client, many callers: threads, asyncio tasks, trio tasks, a forked child, a close from elsewhere.

The local server echoes each user message (`You said: "..."`), so a reply that reached the wrong
caller is detected, and it gives every response its own `x-request-id`.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from chaos.server import ChaosServer, stall_after_headers
from chaos.support import abounded, assert_pool_idle, bounded

from pyopenai import APIConnectionError, AsyncOpenAI, OpenAI
from pyopenai.testing import LocalServer

KEY = "sk-concurrency"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def ask(client: OpenAI, text: str) -> tuple[str, str | None]:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
    return reply.choices[0].message.content or "", reply._request_id


async def aask(client: AsyncOpenAI, text: str) -> tuple[str, str | None]:
    reply = await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
    return reply.choices[0].message.content or "", reply._request_id


def check_echoes(results: dict[str, tuple[str, str | None]]) -> None:
    wrong = [text for text, (content, _) in results.items() if f'"{text}"' not in content]
    assert not wrong, f"{len(wrong)} replies reached the wrong caller, e.g. {wrong[:3]}"
    ids = [request_id for _, request_id in results.values()]
    assert None not in ids and len(set(ids)) == len(ids), "request ids were mixed up"


def test_one_sync_client_shared_by_16_threads(server: LocalServer) -> None:
    threads, calls = 16, 50
    client = OpenAI(api_key=KEY, base_url=server.url, timeout=10.0)
    results: dict[str, tuple[str, str | None]] = {}
    lock = threading.Lock()

    def worker(t: int) -> None:
        for i in range(calls):
            text = f"thread {t} call {i}"
            answer = ask(client, text)
            with lock:
                results[text] = answer

    with ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(worker, t) for t in range(threads)]
        for future in futures:
            future.result(timeout=60)
    assert len(results) == threads * calls
    check_echoes(results)
    assert_pool_idle(client)
    assert len(client._http._transport._pool.connections) <= threads  # pyright: ignore[reportAttributeAccessIssue]
    client.close()


def test_one_async_client_with_hundreds_of_concurrent_requests(server: LocalServer) -> None:
    async def main() -> dict[str, tuple[str, str | None]]:
        async with AsyncOpenAI(api_key=KEY, base_url=server.url, timeout=20.0) as client:
            texts = [f"task {i}" for i in range(400)]
            answers = await abounded(asyncio.gather(*(aask(client, t) for t in texts)), 60)
            assert_pool_idle(client)
            return dict(zip(texts, answers))

    check_echoes(asyncio.run(main()))


def test_streams_interleaved_with_plain_calls_async(server: LocalServer) -> None:
    async def stream(client: AsyncOpenAI, text: str, stop_early: bool) -> tuple[str, str | None]:
        parts: list[str] = []
        async with await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": text}], stream=True
        ) as events:
            async for chunk in events:
                if chunk.choices:
                    parts.append(chunk.choices[0].delta.content or "")
                if stop_early and len(parts) >= 2:
                    break  # leaving early inside `async with`: the stream is closed on exit
            request_id = events.response.headers.get("x-request-id")
        return ("".join(parts) if not stop_early else f'"{text}"'), request_id

    async def main() -> dict[str, tuple[str, str | None]]:
        async with AsyncOpenAI(api_key=KEY, base_url=server.url, timeout=20.0) as client:
            jobs: dict[str, Any] = {}
            for i in range(120):
                text = f"mixed {i}"
                jobs[text] = stream(client, text, stop_early=i % 6 == 3) if i % 3 == 0 else aask(client, text)
            answers = await abounded(asyncio.gather(*jobs.values()), 60)
            assert_pool_idle(client)
            return dict(zip(jobs, answers))

    check_echoes(asyncio.run(main()))


def test_streams_interleaved_with_plain_calls_threads(server: LocalServer) -> None:
    client = OpenAI(api_key=KEY, base_url=server.url, timeout=10.0)

    def job(i: int) -> tuple[str, tuple[str, str | None]]:
        text = f"sync mixed {i}"
        if i % 2:
            return text, ask(client, text)
        with client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": text}], stream=True
        ) as events:
            content = "".join(c.choices[0].delta.content or "" for c in events if c.choices)
            return text, (content, events.response.headers.get("x-request-id"))

    with ThreadPoolExecutor(8) as pool:
        results = dict(pool.map(job, range(80), timeout=60))
    check_echoes(results)
    assert_pool_idle(client)
    client.close()


def test_trio_through_anyio(server: LocalServer) -> None:
    trio = pytest.importorskip("trio")
    server.faults.rate_limit(retry_after_ms=1)  # one retry too: its wait goes through anyio on trio
    results: dict[str, tuple[str, str | None]] = {}

    async def main() -> None:
        async with AsyncOpenAI(api_key=KEY, base_url=server.url, timeout=20.0) as client:
            async def one(text: str) -> None:
                results[text] = await aask(client, text)

            async def streamed(text: str) -> None:
                async with await client.chat.completions.create(
                    model="gpt-4o-mini", messages=[{"role": "user", "content": text}], stream=True
                ) as events:
                    content = "".join([c.choices[0].delta.content or "" async for c in events if c.choices])
                    results[text] = (content, events.response.headers.get("x-request-id"))

            with trio.fail_after(60):
                async with trio.open_nursery() as nursery:
                    for i in range(100):
                        nursery.start_soon(one, f"trio {i}")
                    for i in range(10):
                        nursery.start_soon(streamed, f"trio stream {i}")
            assert_pool_idle(client)

    trio.run(main)
    assert len(results) == 110
    check_echoes(results)


# -- fork ------------------------------------------------------------------------------------------


def _in_child(work: Any) -> dict[str, Any]:
    """Run `work()` in a forked child; returns what it reported (a JSON dict), never runs pytest code there."""
    read_end, write_end = os.pipe()
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report and leave at once, whatever happens
        try:
            os.close(read_end)
            os.read(go_read, 1)
            report = work()
        except BaseException as err:
            report = {"error": repr(err)}
        try:
            os.write(write_end, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    os.write(go_write, b"g")
    return {"pid": pid, "read": read_end}


def _child_result(child: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        pid, status = os.waitpid(child["pid"], os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.kill(child["pid"], 9)
            os.waitpid(child["pid"], 0)
            pytest.fail("the forked child hung")
        import select

        ready, _, _ = select.select([child["read"]], [], [], 0.5)
        if ready:
            data = os.read(child["read"], 1 << 20)
            if data:
                chunks.append(data)
    while data := os.read(child["read"], 1 << 20):
        chunks.append(data)
    os.close(child["read"])
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return json.loads(b"".join(chunks))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_client_created_before_fork_works_in_the_child(server: LocalServer) -> None:
    """The child gets an empty pool (not the parent's sockets); parent and child then call at the same time."""
    client = OpenAI(api_key=KEY, base_url=server.url, timeout=5.0, max_retries=0)
    ask(client, "warm up")  # a keep-alive connection now sits in the pool
    assert len(client._http._transport._pool.connections) == 1  # pyright: ignore[reportAttributeAccessIssue]

    def work() -> dict[str, Any]:
        inherited = len(client._http._transport._pool.connections)  # pyright: ignore[reportAttributeAccessIssue]
        results = {f"child {i}": ask(client, f"child {i}") for i in range(150)}
        wrong = [t for t, (content, _) in results.items() if f'"{t}"' not in content]
        return {"inherited": inherited, "wrong": wrong}

    child = _in_child(work)
    parent_results = {f"parent {i}": ask(client, f"parent {i}") for i in range(150)}
    report = _child_result(child)
    assert report.get("error") is None, report
    assert report["inherited"] == 0 and report["wrong"] == []
    check_echoes(parent_results)
    client.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_an_async_client_created_before_fork_works_in_the_childs_event_loop(server: LocalServer) -> None:
    client = AsyncOpenAI(api_key=KEY, base_url=server.url, timeout=5.0, max_retries=0)

    async def use(tag: str, n: int, close: bool) -> list[str]:
        texts = [f"{tag} {i}" for i in range(n)]
        answers = await asyncio.gather(*(aask(client, t) for t in texts))
        if close:
            await client.close()
        return [t for t, (content, _) in zip(texts, answers) if f'"{t}"' not in content]

    async def warm_up() -> None:
        await aask(client, "warm up")

    asyncio.run(warm_up())  # the parent's loop is gone; its connection stays in the pool

    def work() -> dict[str, Any]:
        inherited = len(client._http._transport._pool.connections)  # pyright: ignore[reportAttributeAccessIssue]
        return {"inherited": inherited, "wrong": asyncio.run(use("child", 30, close=True))}

    report = _child_result(_in_child(work))
    assert report.get("error") is None, report
    assert report == {"inherited": 0, "wrong": []}


# -- closing from elsewhere ----------------------------------------------------------------------------


def test_async_client_closed_from_another_task_fails_the_call_at_once() -> None:
    with ChaosServer(stall_after_headers(30)) as chaos:
        async def main() -> tuple[BaseException | None, float]:
            client = AsyncOpenAI(api_key=KEY, base_url=chaos.url, timeout=20.0, max_retries=0)
            started = asyncio.Event()

            async def call() -> None:
                started.set()
                await client.models.retrieve("m")

            task = asyncio.create_task(call())
            await started.wait()
            assert await asyncio.to_thread(chaos.wait_for_attempts, 1)  # the request reached the server
            began = time.monotonic()
            await client.close()
            try:
                await abounded(task, 5)
            except Exception as err:
                return err, time.monotonic() - began
            return None, time.monotonic() - began

        error, elapsed = bounded(lambda: asyncio.run(main()))
        assert isinstance(error, APIConnectionError) and elapsed < 2.0


def test_sync_client_closed_from_another_thread_ends_the_call_within_its_timeout() -> None:
    """A blocking read is not interrupted by closing its socket from another thread: the read timeout ends it."""
    with ChaosServer(stall_after_headers(30)) as chaos:
        client = OpenAI(api_key=KEY, base_url=chaos.url, timeout=0.5, max_retries=0)
        outcome: list[BaseException | None] = []

        def call() -> None:
            try:
                client.models.retrieve("m")
                outcome.append(None)
            except Exception as err:
                outcome.append(err)

        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        assert chaos.wait_for_attempts(1)
        client.close()
        worker.join(5)
        assert not worker.is_alive() and len(outcome) == 1 and isinstance(outcome[0], APIConnectionError)


# -- no noise: nothing on stderr, no warnings, no unraisable exceptions ------------------------------------

NOISE_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pyopenai import AsyncOpenAI, OpenAI
    from pyopenai.testing import LocalServer

    def unraisable(info):
        sys.stderr.write(f"UNRAISABLE {info.exc_type.__name__}: {info.exc_value}\\n")
    sys.unraisablehook = unraisable
    MODEL = "gpt-4o-mini"

    async def ask(client, i):
        r = await client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": f"q{i}"}])
        return r.choices[0].message.content

    async def stream(client, i, stop_early):
        async with await client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": f"s{i}"}], stream=True
        ) as events:
            n = 0
            async for _ in events:
                n += 1
                if stop_early and n == 2:
                    break  # leaving early inside `async with`

    async def asyncio_main(server):
        async with AsyncOpenAI(api_key="sk-noise", base_url=server.url) as client:
            await asyncio.gather(*[ask(client, i) for i in range(50)], *[stream(client, i, i % 2 == 0) for i in range(10)])
            events = await client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "x"}], stream=True)
            async for _ in events:
                pass  # to the end, without `async with`
            events = await client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "y"}], stream=True)
            await events.__anext__()
            await events.close()  # abandoned early, closed explicitly
        # closed from another task while calls are in flight
        client = AsyncOpenAI(api_key="sk-noise", base_url=server.url, max_retries=0)
        server.faults.latency(0.3, times=None)
        calls = [asyncio.ensure_future(client.models.list()) for _ in range(5)]
        await asyncio.sleep(0)
        await asyncio.get_running_loop().create_task(client.close())
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(r, Exception) for r in results), results
        server.faults.clear()

    async def trio_main(server):
        import trio
        async with AsyncOpenAI(api_key="sk-noise", base_url=server.url) as client:
            async with trio.open_nursery() as nursery:
                for i in range(30):
                    nursery.start_soon(ask, client, i)
                for i in range(6):
                    # read to the end: an early `break` under trio still gets a ResourceWarning from
                    # httpcore2, whose PoolByteStream generator is not closed by httpx2 (not ours to fix)
                    nursery.start_soon(stream, client, i, False)

    with LocalServer() as server:
        asyncio.run(asyncio_main(server))
        try:
            import trio
        except ImportError:
            trio = None
        if trio is not None:
            trio.run(trio_main, server)
        with OpenAI(api_key="sk-noise", base_url=server.url) as client:
            for _ in client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "z"}], stream=True):
                break
    print("done")
    """
)


def test_no_noise_on_stderr_with_warnings_as_errors(tmp_path: Any) -> None:
    script = tmp_path / "noise.py"
    script.write_text(NOISE_SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)], capture_output=True, text=True, timeout=90, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "done"
    assert result.stderr == "", result.stderr[-3000:]
