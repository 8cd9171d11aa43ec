"""What each client does in each scenario, and the child-process entry point that measures it.

Three clients:

* ``raw``: a plain ``httpx2.Client``/``AsyncClient`` plus ``json.loads``, doing only what the call needs.
  This is the floor for any client on this transport.
* ``openai`` and ``pyopenai``: the *same* code (``sdk_*`` below), given a different module name.

Every client reads the fields a program would read (message content, usage, each stream delta, each
embedding, each file id, each model id), so a client that defers work until a field is touched pays
for it inside the measured loop like everyone else.

Run as ``python -m benchmarks.scenarios SCENARIO CLIENT BASE_URL N [--profile]``: it builds the client, warms it up
(outside the measurement), runs the measured loop, and prints one JSON line with the measured loop's
wall time, process CPU time (``time.process_time``: user + system, all threads), the number of units
(calls, chunks, events, items) and the process's peak RSS. With ``--profile`` the measured loop also
runs under cProfile and the statistics go to stderr.
"""

from __future__ import annotations

import asyncio
import base64
import cProfile
import importlib
import json
import pstats
import resource
import sys
import time
import traceback
from array import array
from collections.abc import Callable, Coroutine
from typing import Any

from benchmarks import bodies

API_KEY = "bench-key"
ASYNC_CONCURRENCY = 64
STREAMS_CONCURRENCY = 500
SDK_CLIENTS = ("openai", "pyopenai")
# pyopenai on its aiohttp transport (`DefaultAioHttpClient`): async scenarios only
AIOHTTP_CLIENT = "pyopenai_aiohttp"
CLIENTS = ("raw", *SDK_CLIENTS, AIOHTTP_CLIENT)
ASYNC_SCENARIOS = ("chat_async_64", "streams_async_500")


def applies(scenario: str, client: str) -> bool:
    """Whether `client` runs `scenario` (the aiohttp client only runs the async ones)."""
    return client != AIOHTTP_CLIENT or scenario in ASYNC_SCENARIOS


class Result:
    def __init__(self, units: int) -> None:
        self.units = units
        self.wall = 0.0
        self.cpu = 0.0
        self.extra: dict[str, float] = {}  # scenario-specific figures, reported as they are


def _touch(_value: object) -> None:
    """Reading a field is part of the work; this keeps the read from being a bare expression."""


Op = Callable[[], int]  # one unit of work; returns how many units (calls, chunks, events, items) it did


class _Clock:
    """Wall and CPU time of a block; with ``profiler`` set, the block also runs under cProfile."""

    profiler: cProfile.Profile | None = None

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> _Clock:
        self._w0, self._c0 = time.perf_counter(), time.process_time()
        if _Clock.profiler is not None:
            _Clock.profiler.enable()
        return self

    def __exit__(self, *_: object) -> None:
        if _Clock.profiler is not None:
            _Clock.profiler.disable()
        self.wall, self.cpu = time.perf_counter() - self._w0, time.process_time() - self._c0


def _measure(op: Op, n: int, warmup: int) -> Result:
    for _ in range(warmup):
        op()
    units = 0
    with _Clock() as clock:
        for _ in range(n):
            units += op()
    res = Result(units)
    res.wall, res.cpu = clock.wall, clock.cpu
    return res


AsyncOp = Callable[[], Coroutine[Any, Any, int]]
# what an async scenario's builder returns: the op, and the close of the client it built (awaited
# after the measurement, in the same event loop: an aiohttp session left open warns at exit)
AsyncScenario = tuple[AsyncOp, Callable[[], Coroutine[Any, Any, None]]]


async def _measure_async(op: AsyncOp, n: int, concurrency: int = ASYNC_CONCURRENCY) -> Result:
    """``n`` calls by ``concurrency`` workers, so that many requests are in flight at any time."""

    async def worker(count: int) -> int:
        done = 0
        for _ in range(count):
            done += await op()
        return done

    # Warm-up: one round at full concurrency opens the keep-alive connections.
    await asyncio.gather(*(worker(1) for _ in range(concurrency)))
    per, extra = divmod(n, concurrency)
    counts = [per + (1 if i < extra else 0) for i in range(concurrency)]
    with _Clock() as clock:
        done = await asyncio.gather(*(worker(c) for c in counts if c))
    res = Result(sum(done))
    res.wall, res.cpu = clock.wall, clock.cpu
    return res


# --------------------------------------------------------------------------------------------- raw


def _raw_client(base_url: str) -> Any:
    import httpx2

    return httpx2.Client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=600.0,
        limits=httpx2.Limits(max_connections=1000, max_keepalive_connections=100),
    )


def _raw_json(r: Any) -> Any:
    if r.status_code != 200:
        raise RuntimeError(f"HTTP {r.status_code}")
    return json.loads(r.content)


def raw_ops(scenario: str, base_url: str) -> Op:
    http = _raw_client(base_url)
    chat = bodies.chat_request()

    if scenario == "chat_sync":

        def op() -> int:
            d = _raw_json(http.post("/chat/completions", json=chat))
            _touch(d["choices"][0]["message"]["content"])
            _touch(d["usage"]["total_tokens"])
            return 1

        return op

    if scenario == "chat_stream":
        stream_req = {**chat, "stream": True}

        def op() -> int:
            chunks = 0
            with http.stream("POST", "/chat/completions", json=stream_req) as r:
                if r.status_code != 200:
                    raise RuntimeError(f"HTTP {r.status_code}")
                for line in r.iter_lines():
                    if not line.startswith("data: "):
                        continue
                    data = line[6:]
                    if data == "[DONE]":
                        continue  # read on to the end so the connection is reused
                    chunk = json.loads(data)
                    choices = chunk["choices"]
                    if choices:
                        _touch(choices[0]["delta"].get("content"))
                    chunks += 1
            return chunks

        return op

    if scenario == "responses_stream":
        req = {"model": bodies.MODEL_CHAT, "input": bodies.RESPONSES_INPUT, "stream": True}

        def op() -> int:
            events = 0
            with http.stream("POST", "/responses", json=req) as r:
                if r.status_code != 200:
                    raise RuntimeError(f"HTTP {r.status_code}")
                for line in r.iter_lines():
                    if not line.startswith("data: "):
                        continue  # "event: ..." lines repeat the type that is in the data
                    event = json.loads(line[6:])
                    if event["type"] == "response.output_text.delta":
                        _touch(event["delta"])
                    events += 1
            return events

        return op

    if scenario == "embeddings":
        req = {"model": bodies.MODEL_EMBED, "input": bodies.EMBED_INPUTS, "encoding_format": "float"}

        def op() -> int:
            d = _raw_json(http.post("/embeddings", json=req))
            vectors = [item["embedding"] for item in d["data"]]
            assert len(vectors[-1]) == bodies.EMBED_DIMS
            return 1

        return op

    if scenario == "embeddings_default":
        # The floor for the official SDK's default call: ask for base64, decode to lists of floats.
        req = {"model": bodies.MODEL_EMBED, "input": bodies.EMBED_INPUTS, "encoding_format": "base64"}

        def op() -> int:
            d = _raw_json(http.post("/embeddings", json=req))
            vectors = [array("f", base64.b64decode(item["embedding"])).tolist() for item in d["data"]]
            assert len(vectors[-1]) == bodies.EMBED_DIMS
            return 1

        return op

    if scenario == "files_pagination":

        def op() -> int:
            items = 0
            params: dict[str, str | int] = {"limit": bodies.FILES_PAGE}
            while True:
                page = _raw_json(http.get("/files", params=params))
                data = page["data"]
                for f in data:
                    _touch(f["id"])
                    items += 1
                if not page.get("has_more") or not data:
                    return items
                params = {"limit": bodies.FILES_PAGE, "after": data[-1]["id"]}

        return op

    if scenario == "models_list":

        def op() -> int:
            page = _raw_json(http.get("/models"))
            for m in page["data"]:
                _touch(m["id"])
            return 1

        return op

    raise ValueError(f"unknown scenario {scenario!r}")


def raw_async_op(scenario: str, base_url: str) -> AsyncScenario:
    import httpx2

    http = httpx2.AsyncClient(
        base_url=base_url,
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=600.0,
        limits=httpx2.Limits(max_connections=1000, max_keepalive_connections=STREAMS_CONCURRENCY),
    )
    chat = bodies.chat_request()

    if scenario == "streams_async_500":
        stream_req = {**chat, "stream": True}

        async def stream_op() -> int:
            chunks = 0
            async with http.stream("POST", "/chat/completions", json=stream_req) as r:
                if r.status_code != 200:
                    raise RuntimeError(f"HTTP {r.status_code}")
                async for line in r.aiter_lines():
                    if not line.startswith("data: ") or line == "data: [DONE]":
                        continue
                    chunk = json.loads(line[6:])
                    if chunk["choices"]:
                        _touch(chunk["choices"][0]["delta"].get("content"))
                    chunks += 1
            return chunks

        return stream_op, http.aclose

    async def op() -> int:
        d = _raw_json(await http.post("/chat/completions", json=chat))
        _touch(d["choices"][0]["message"]["content"])
        _touch(d["usage"]["total_tokens"])
        return 1

    return op, http.aclose


# --------------------------------------------------------------------------------------------- SDKs


def sdk_ops(module: str, scenario: str, base_url: str) -> Op:
    """The scenarios for an SDK with the official call surface; ``module`` is ``openai`` or ``pyopenai``."""
    mod: Any = importlib.import_module(module)
    client = mod.OpenAI(api_key=API_KEY, base_url=base_url)
    messages = bodies.CHAT_MESSAGES

    if scenario == "chat_sync":

        def op() -> int:
            r = client.chat.completions.create(model=bodies.MODEL_CHAT, messages=messages)
            _touch(r.choices[0].message.content)
            _touch(r.usage.total_tokens)
            return 1

        return op

    if scenario == "chat_stream":

        def op() -> int:
            chunks = 0
            stream = client.chat.completions.create(model=bodies.MODEL_CHAT, messages=messages, stream=True)
            for chunk in stream:
                if chunk.choices:
                    _touch(chunk.choices[0].delta.content)
                chunks += 1
            return chunks

        return op

    if scenario == "responses_stream":

        def op() -> int:
            events = 0
            stream = client.responses.create(model=bodies.MODEL_CHAT, input=bodies.RESPONSES_INPUT, stream=True)
            for event in stream:
                if event.type == "response.output_text.delta":
                    _touch(event.delta)
                events += 1
            return events

        return op

    if scenario == "embeddings":

        def op() -> int:
            r = client.embeddings.create(model=bodies.MODEL_EMBED, input=bodies.EMBED_INPUTS, encoding_format="float")
            vectors = [e.embedding for e in r.data]
            assert len(vectors[-1]) == bodies.EMBED_DIMS
            return 1

        return op

    if scenario == "embeddings_default":
        # The call as users write it: the official SDK then asks for base64 and decodes it to floats.

        def op() -> int:
            r = client.embeddings.create(model=bodies.MODEL_EMBED, input=bodies.EMBED_INPUTS)
            vectors = [e.embedding for e in r.data]
            assert len(vectors[-1]) == bodies.EMBED_DIMS
            return 1

        return op

    if scenario == "files_pagination":

        def op() -> int:
            items = 0
            for f in client.files.list(limit=bodies.FILES_PAGE):
                _touch(f.id)
                items += 1
            return items

        return op

    if scenario == "models_list":

        def op() -> int:
            for m in client.models.list():
                _touch(m.id)
            return 1

        return op

    raise ValueError(f"unknown scenario {scenario!r}")


def sdk_async_op(client_name: str, scenario: str, base_url: str) -> AsyncScenario:
    if client_name == AIOHTTP_CLIENT:
        import pyopenai

        client: Any = pyopenai.AsyncOpenAI(api_key=API_KEY, base_url=base_url, http_client=pyopenai.DefaultAioHttpClient())
    else:
        mod: Any = importlib.import_module(client_name)
        client = mod.AsyncOpenAI(api_key=API_KEY, base_url=base_url)
    messages = bodies.CHAT_MESSAGES

    if scenario == "streams_async_500":

        async def stream_op() -> int:
            chunks = 0
            stream = await client.chat.completions.create(model=bodies.MODEL_CHAT, messages=messages, stream=True)
            async for chunk in stream:
                if chunk.choices:
                    _touch(chunk.choices[0].delta.content)
                chunks += 1
            return chunks

        return stream_op, client.close

    async def op() -> int:
        r = await client.chat.completions.create(model=bodies.MODEL_CHAT, messages=messages)
        _touch(r.choices[0].message.content)
        _touch(r.usage.total_tokens)
        return 1

    return op, client.close


async def measure_async_scenario(
    client: str, scenario: str, base_url: str, n: int, concurrency: int = ASYNC_CONCURRENCY
) -> Result:
    """An async scenario measured, then its client closed (outside the measurement)."""
    op, close = raw_async_op(scenario, base_url) if client == "raw" else sdk_async_op(client, scenario, base_url)
    try:
        return await _measure_async(op, n, concurrency)
    finally:
        await close()


# ------------------------------------------------------------------- scenarios measured from outside


def _chat_literal() -> str:
    return repr(bodies.chat_request())


def import_code(client: str, *, module_only: bool = False) -> str:
    """Source for ``python -c``: what a program writes to start using the client (``module_only``:
    the package alone, ``import pyopenai``)."""
    if client == "bare":
        return "pass"
    if client == "raw":
        return "import json, httpx2"
    return f"import {client}" if module_only else f"from {client} import OpenAI"


def first_call_code(client: str, base_url: str) -> str:
    """Source for ``python -c``: import, build a client, one chat completion, read the answer."""
    if client == "bare":
        return "pass"
    if client == "raw":
        return (
            "import json, httpx2\n"
            f"c = httpx2.Client(base_url={base_url!r}, headers={{'Authorization': 'Bearer {API_KEY}'}}, timeout=600.0)\n"
            f"r = c.post('/chat/completions', json={_chat_literal()})\n"
            "assert r.status_code == 200\n"
            "d = json.loads(r.content)\n"
            "d['choices'][0]['message']['content']\n"
        )
    return (
        f"from {client} import OpenAI\n"
        f"c = OpenAI(api_key={API_KEY!r}, base_url={base_url!r})\n"
        f"r = c.chat.completions.create(**{_chat_literal()})\n"
        "r.choices[0].message.content\n"
    )


# ------------------------------------------------------------------------------------ child entry


def _rss_now_kb() -> int:
    """The process's resident set now (not its peak), from /proc; 0 where that is not available."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() // 1024
    except OSError:
        return 0


def _soak(op: Op, n: int) -> Result:
    """``n`` sync chat calls; the resident set after the first tenth (everything loaded and warm) and at
    the end: a client that keeps something per call grows between the two."""
    for _ in range(20):
        op()
    first = n // 10
    with _Clock() as clock:
        for _ in range(first):
            op()
        start_kb = _rss_now_kb()
        for _ in range(n - first):
            op()
    res = Result(n)
    res.wall, res.cpu = clock.wall, clock.cpu
    res.extra = {"rss_soak_start_kb": start_kb, "rss_soak_end_kb": _rss_now_kb()}
    res.extra["rss_soak_growth_kb"] = res.extra["rss_soak_end_kb"] - start_kb
    return res


def _first_call_phases(client: str, base_url: str) -> Result:
    """Where the first call's time goes, in one fresh process: the import, the client, the first call
    (which loads and builds what a call needs), and a second call for comparison. CPU per phase."""
    marks = [time.process_time()]
    t0 = time.perf_counter()
    chat = bodies.chat_request()
    if client == "raw":
        import httpx2

        marks.append(time.process_time())
        http = httpx2.Client(base_url=base_url, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=600.0)
        marks.append(time.process_time())
        for _ in range(2):
            _touch(_raw_json(http.post("/chat/completions", json=chat))["choices"][0]["message"]["content"])
            marks.append(time.process_time())
    else:
        module = "pyopenai" if client == AIOHTTP_CLIENT else client
        openai_class: Any = importlib.import_module(module).OpenAI
        marks.append(time.process_time())
        sdk = openai_class(api_key=API_KEY, base_url=base_url)
        marks.append(time.process_time())
        for _ in range(2):
            _touch(sdk.chat.completions.create(**chat).choices[0].message.content)
            marks.append(time.process_time())
    res = Result(1)
    res.wall, res.cpu = time.perf_counter() - t0, marks[-2] - marks[0]
    names = ("phase_import", "phase_client", "phase_first_call", "phase_second_call")
    res.extra = {name: marks[i + 1] - marks[i] for i, name in enumerate(names)}
    return res


def run(scenario: str, client: str, base_url: str, n: int) -> Result:
    if client not in CLIENTS:
        raise ValueError(f"unknown client {client!r}")
    if not applies(scenario, client):
        raise ValueError(f"{client} does not run {scenario}")
    if scenario == "first_call_phases":
        return _first_call_phases(client, base_url)
    if scenario in ASYNC_SCENARIOS:
        concurrency = STREAMS_CONCURRENCY if scenario == "streams_async_500" else ASYNC_CONCURRENCY
        return asyncio.run(measure_async_scenario(client, scenario, base_url, n, concurrency))
    if scenario == "soak":
        return _soak(raw_ops("chat_sync", base_url) if client == "raw" else sdk_ops(client, "chat_sync", base_url), n)
    op = raw_ops(scenario, base_url) if client == "raw" else sdk_ops(client, scenario, base_url)
    warmup = max(1, min(n // 10, 20))
    return _measure(op, n, warmup)


def _short_error(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ").strip()
    return text[:160]


def main(argv: list[str]) -> int:
    scenario, client, base_url, n = argv[0], argv[1], argv[2], int(argv[3])
    profile = "--profile" in argv[4:]
    if profile:
        _Clock.profiler = cProfile.Profile()
    try:
        res = run(scenario, client, base_url, n)
    except BaseException as exc:  # report any failure of the client under test as one line
        traceback.print_exc(file=sys.stderr)
        print(json.dumps({"error": _short_error(exc)}), flush=True)
        return 3
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if _Clock.profiler is not None:
        # The measured loop only, to stderr: where the time goes, by own time and by cumulative time.
        for key in ("tottime", "cumulative"):
            pstats.Stats(_Clock.profiler, stream=sys.stderr).sort_stats(key).print_stats(30)
    print(json.dumps({"units": res.units, "wall": res.wall, "cpu": res.cpu, "rss_kb": rss_kb, **res.extra}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
