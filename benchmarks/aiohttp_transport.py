"""The aiohttp transport side by side: `AsyncOpenAI(http_client=DefaultAioHttpClient())` against the
default transport and raw `httpx2.AsyncClient`, on the benchmark server (see README.md).

    .venv/bin/python -m benchmarks.aiohttp_transport            # 5 repetitions
    .venv/bin/python -m benchmarks.aiohttp_transport --reps 3 --quick

Scenarios, each with 64 calls in flight at any time (as `chat_async_64` in `scenarios.py`):

* `chat_async_64`: `chat.completions.create`, read the content and the usage (2,048 calls);
* `stream_async_64`: `chat.completions.create(stream=True)`, read every delta (256 streams x 100 chunks).

Clients: `raw` (httpx2 + `json.loads`; for streams `aiter_lines` and `json.loads` of each `data:`
line), `pyopenai` (default transport), `pyopenai_aiohttp`. One fresh process per client, scenario
and repetition, the order rotating; medians of wall and CPU per unit; ratios of the medians.
Never run by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys

from benchmarks.run import ROOT, Server
from benchmarks.scenarios import (
    AIOHTTP_CLIENT,
    ASYNC_CONCURRENCY,
    Result,
    measure_async_scenario,
)

CLIENTS = ("raw", "pyopenai", AIOHTTP_CLIENT)
SCENARIOS = {"chat_async_64": 2048, "stream_async_64": 256}
# the ops of the main harness: `stream_async_64` is its `streams_async_500` stream at 64 in flight
_OPS = {"chat_async_64": "chat_async_64", "stream_async_64": "streams_async_500"}


def child(scenario: str, client_name: str, base_url: str, n: int) -> None:
    result: Result = asyncio.run(measure_async_scenario(client_name, _OPS[scenario], base_url, n))
    print(json.dumps({"units": result.units, "wall": result.wall, "cpu": result.cpu}))


def main(argv: list[str]) -> int:
    if argv[:1] == ["child"]:
        child(argv[1], argv[2], argv[3], int(argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a quarter of the calls")
    args = parser.parse_args(argv)
    server = Server(sys.executable)
    samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
    try:
        for rep in range(args.reps):
            order = CLIENTS[rep % len(CLIENTS):] + CLIENTS[:rep % len(CLIENTS)]
            for scenario, n in SCENARIOS.items():
                count = max(n // 4, ASYNC_CONCURRENCY) if args.quick else n
                for client_name in order:
                    out = subprocess.run(
                        [sys.executable, "-m", "benchmarks.aiohttp_transport", "child", scenario, client_name,
                         server.base_url, str(count)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                    )
                    if out.returncode != 0:
                        raise SystemExit(f"{client_name} {scenario} failed:\n{out.stderr}")
                    data = json.loads(out.stdout.strip().splitlines()[-1])
                    samples.setdefault((scenario, client_name), []).append(
                        (data["wall"] / data["units"], data["cpu"] / data["units"]))
                    print(f"rep {rep + 1}/{args.reps} {scenario} {client_name}", file=sys.stderr)
    finally:
        server.stop()
    print("| scenario | client | wall us/unit | CPU us/unit | CPU vs pyopenai default | CPU vs raw httpx2 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for scenario in SCENARIOS:
        cpu = {c: statistics.median(s[1] for s in samples[(scenario, c)]) for c in CLIENTS}
        for client_name in CLIENTS:
            wall = statistics.median(s[0] for s in samples[(scenario, client_name)])
            print(f"| {scenario} | {client_name} | {wall * 1e6:.1f} | {cpu[client_name] * 1e6:.1f} | "
                  f"{cpu[client_name] / cpu['pyopenai']:.2f}x | {cpu[client_name] / cpu['raw']:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
