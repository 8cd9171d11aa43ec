"""Memory stays bounded by the chunk size: 300 MB up, 300 MB down, 100k SSE events.

Each scenario runs in a fresh subprocess (`memory_probe.py`), against a loopback server in this
process that discards what it receives and generates what it sends. The probe resets the peak RSS
once the client is warm and reports VmHWM - VmRSS: the most the scenario ever added.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from chaos.server import ChaosServer, big_body, json_body, many_events, route

PROBE = Path(__file__).with_name("memory_probe.py")
MB = 1024 * 1024
BIG = 300 * MB
CONTROL = 96 * MB
BOUND_KB = 64 * 1024  # the promise: far below the payload, bounded by the chunk size (64 KB) plus slack
FILE = {"id": "file-big", "object": "file", "bytes": BIG, "created_at": 0, "filename": "big.jsonl", "purpose": "batch"}
CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
         "choices": [{"index": 0, "delta": {"content": "token"}, "finish_reason": None}]}

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/self/status (Linux)")


def serve(download_size: int) -> ChaosServer:
    return ChaosServer(route({
        "GET /v1/models/*": json_body({"id": "warm-up", "object": "model", "created": 0, "owned_by": "x"}),
        "POST /v1/files": json_body(FILE),
        "GET /v1/files/file-big/content": big_body(download_size),
        "POST /v1/chat/completions": many_events(100_000, CHUNK),
    }))


@pytest.fixture(scope="module")
def server() -> Iterator[ChaosServer]:
    with serve(BIG) as running:
        yield running


def probe(phase: str, url: str, size: int = BIG) -> dict[str, int | str | bool]:
    result = subprocess.run(
        [sys.executable, str(PROBE), phase, url, str(size)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, int | str | bool] = json.loads(result.stdout)
    print(f"memory {phase}: +{int(report['growth_kb']) / 1024:.1f} MB peak RSS growth")  # shown with -s
    return report


def test_upload_of_300_mb_file_streams_from_disk(server: ChaosServer) -> None:
    report = probe("upload", server.url)
    assert report["id"] == "file-big"
    (upload,) = [r for r in server.received if r.method == "POST" and r.path == "/v1/files"]
    assert upload.body_size > BIG  # the whole file went out, in a multipart body
    assert upload.headers["content-length"] == str(upload.body_size)  # sized up front, not chunked
    assert int(report["growth_kb"]) < BOUND_KB, report


@pytest.mark.parametrize("phase", ["download", "async-download"])
def test_download_of_300_mb_with_streaming_response_to_file(phase: str, server: ChaosServer) -> None:
    report = probe(phase, server.url)
    assert report["bytes"] == BIG
    assert int(report["growth_kb"]) < BOUND_KB, report


def test_100k_sse_events_do_not_grow_memory(server: ChaosServer) -> None:
    report = probe("stream", server.url)
    assert report["events"] == 100_000
    assert int(report["growth_kb"]) < 16 * 1024, report


def test_the_probe_sees_a_body_held_in_memory() -> None:
    """The control: a non-streamed download keeps the body in memory, and the probe must show it."""
    with serve(CONTROL) as control:
        report = probe("download-whole", control.url, CONTROL)
    assert report["bytes"] == CONTROL
    assert int(report["growth_kb"]) > CONTROL // 1024 * 0.9, report
