"""The client-side cost of submitting a large job with `client.batches.run(...)`.

    .venv/bin/python benchmarks/batch_submit.py                 # 1,000,000 chat requests
    .venv/bin/python benchmarks/batch_submit.py --requests 100000

The local server runs in its own process (it keeps every uploaded file in memory: its memory is not
the client's). Two passes over the same job, generated on the fly:

1. CPU and resident memory: the client process's CPU time (`time.process_time`) for the whole
   submission (encoding, checking, cutting into files, uploading, creating the batches), per 10,000
   requests, and how much the process's peak resident set grew during it;
2. memory: the peak of Python allocations during the submission (`tracemalloc`, which slows the
   pass down, hence a separate pass).

Not run by pytest; no test asserts a timing.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pyopenai import OpenAI

ENDPOINT = "/v1/chat/completions"


@contextmanager
def server_process() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, "-m", "pyopenai.testing", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"the local server did not start: {line!r}")
        yield line.rsplit(" ", 1)[-1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def requests(count: int) -> Iterator[dict[str, Any]]:
    """A labelling-style job: one short system prompt, one item of text per request."""
    for n in range(count):
        yield {
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "Label the sentiment of the text: positive, negative or neutral."},
                {"role": "user", "content": f"Review {n}: the product arrived on time and works as described."},
            ],
            "max_tokens": 5,
        }


def peak_rss_bytes() -> int:
    # ru_maxrss is in KiB on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def submit(url: str, count: int) -> tuple[int, int]:
    """(batches, input bytes) of one submission."""
    with OpenAI(api_key="sk-bench", base_url=url) as client:
        run = client.batches.run(requests(count), endpoint=ENDPOINT)
        size = sum(client.files.retrieve(client.batches.retrieve(b).input_file_id).bytes for b in run.batch_ids)
        return len(run.batch_ids), size


def main() -> None:
    parser = argparse.ArgumentParser(description="The client-side cost of submitting a large batch job.")
    parser.add_argument("--requests", type=int, default=1_000_000)
    args = parser.parse_args()
    count: int = args.requests

    with server_process() as url:
        with OpenAI(api_key="sk-bench", base_url=url) as client:  # load what any first call loads
            client.models.list()
        from pyopenai.lib.batch_run import BatchRun  # noqa: F401  (the toolkit's import is not the job's cost)

        rss_before = peak_rss_bytes()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        batches, size = submit(url, count)
        cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
        rss_growth = peak_rss_bytes() - rss_before

    with server_process() as url:
        tracemalloc.start()
        submit(url, count)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    print(f"job: {count:,} requests, {size / 1e6:,.1f} MB of JSONL in {batches} input files / batches")
    print(f"client CPU: {cpu:.2f} s in all, {cpu / count * 10_000 * 1000:.1f} ms per 10,000 requests"
          f" (wall {wall:.1f} s, the server included)")
    print(f"client memory: peak Python allocations {peak / 1e6:.1f} MB (tracemalloc),"
          f" peak resident set grew {rss_growth / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
