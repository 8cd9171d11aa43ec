"""Figures for the operations features (issue 19): what telemetry and rate-limit parsing cost per call,
and how many 429s a burst meets with and without the limiter.

    .venv/bin/python -m benchmarks.operations            # all figures
    .venv/bin/python -m benchmarks.operations --quick    # fewer calls

Per-call costs are CPU time per call of `client.chat.completions.create(...)` on an in-process
transport (no socket, so the client's own work is what is measured), the best of several rounds.
The burst runs 500 concurrent async calls against the local server enforcing 480 requests a minute.
Never run by pytest; no test asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx2

from pyopenai import AsyncOpenAI, OpenAI, RateLimitError
from pyopenai.testing import LocalServer

CHAT = json.dumps({
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hello there."}}],
    "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12},
}).encode()
HEADERS = {
    "content-type": "application/json", "x-request-id": "req_1",
    "x-ratelimit-limit-requests": "10000", "x-ratelimit-remaining-requests": "9999",
    "x-ratelimit-reset-requests": "6ms", "x-ratelimit-limit-tokens": "30000000",
    "x-ratelimit-remaining-tokens": "29999990", "x-ratelimit-reset-tokens": "0s",
}
MESSAGES: Any = [{"role": "user", "content": "hi"}]


def _client(**options: Any) -> OpenAI:
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, content=CHAT, headers=HEADERS))
    return OpenAI(api_key="sk-bench", base_url="http://bench.local/v1", http_client=httpx2.Client(transport=transport),
                  **options)


def _per_call_us(op: Callable[[], object], calls: int, rounds: int = 5) -> float:
    for _ in range(min(200, calls)):
        op()
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            op()
        best = min(best, (time.process_time() - start) / calls)
    return best * 1e6


def per_call_costs(calls: int) -> list[tuple[str, float]]:
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    off = _client()
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    on = _client(tracer_provider=tracer_provider, meter_provider=MeterProvider(metric_readers=[InMemoryMetricReader()]))

    def call_off() -> object:
        return off.chat.completions.create(model="gpt-4o", messages=MESSAGES)

    def call_on() -> object:
        exporter.clear()  # keep memory flat: the exporter would keep every span
        return on.chat.completions.create(model="gpt-4o", messages=MESSAGES)

    def call_reading_limits() -> object:
        result = off.chat.completions.create(model="gpt-4o", messages=MESSAGES)
        limits = result._rate_limits
        return limits.remaining_requests if limits is not None else None

    return [
        ("chat call, telemetry off", _per_call_us(call_off, calls)),
        ("chat call, telemetry on (SDK tracer + meter, in-memory export)", _per_call_us(call_on, calls)),
        ("chat call, reading result._rate_limits", _per_call_us(call_reading_limits, calls)),
    ]


async def burst(limiter: Any, size: int = 500, rpm: int = 480) -> tuple[int, int, float]:
    """(429s the server answered, calls that failed, seconds) for `size` concurrent calls."""
    async with LocalServer(requests_per_minute=rpm) as server:
        async with AsyncOpenAI(base_url=server.url, api_key="sk-bench", rate_limiter=limiter) as client:

            async def call() -> bool:
                try:
                    await client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
                except RateLimitError:
                    return False
                return True

            start = time.perf_counter()
            results = await asyncio.gather(*(call() for _ in range(size)))
            elapsed = time.perf_counter() - start
        return server.app.rate_limits.rejected, results.count(False), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print("| per call | CPU µs |\n| --- | ---: |")
    for name, micros in per_call_costs(500 if args.quick else 3000):
        print(f"| {name} | {micros:.1f} |")
    print("\n| 500 concurrent calls, server at 480 requests/min, default retries | 429s at the server | calls failed | seconds |")
    print("| --- | ---: | ---: | ---: |")
    for name, limiter in (("no limiter", None), ("rate_limiter='auto'", "auto")):
        rejected, failed, elapsed = asyncio.run(burst(limiter))
        print(f"| {name} | {rejected} | {failed} | {elapsed:.1f} |")


if __name__ == "__main__":
    main()
