"""Requests per second the embedded local server (``pyopenai.testing``) sustains on loopback.

    python benchmarks/server_throughput.py [--seconds 3] [--connections 1,4]

The server runs in its own process (``python -m pyopenai.testing --port 0``). Clients send a small
non-streamed chat completion over keep-alive connections for a bounded time:

* ``raw``: a minimal socket client (pre-built request bytes, reads the head and ``content-length``
  bytes), so the number is close to the server's own ceiling;
* ``httpx2``: a real HTTP client, one ``httpx2.Client`` per connection;
* ``stream``: the raw client on a streamed chat completion (``stream: true``), counting whole streams.

With several connections the clients are threads of one process, so on a 2-core machine the
figures are shared between client and server; the server's CPU time per request is also printed.
Not run by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BODY = json.dumps(
    {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello in one word."}]}
).encode()
STREAM_BODY = json.dumps(
    {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello in one word."}], "stream": True}
).encode()


def start_server() -> tuple[subprocess.Popen[str], str, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pyopenai.testing", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    url = line.strip().rsplit(" ", 1)[-1]
    port = int(url.split(":")[2].split("/")[0])
    return proc, url, port


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request_bytes(body: bytes) -> bytes:
    head = (
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-bench\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def raw_worker(port: int, body: bytes, deadline: float, counts: list[int], slot: int) -> None:
    request = request_bytes(body)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    done = 0
    chunked_end = b"0\r\n\r\n"
    while time.perf_counter() < deadline:
        sock.sendall(request)
        while b"\r\n\r\n" not in buf:
            buf += sock.recv(65536)
        head, _, buf = buf.partition(b"\r\n\r\n")
        lower = head.lower()
        if b"content-length:" in lower:
            length = int(lower.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
            while len(buf) < length:
                buf += sock.recv(65536)
            buf = buf[length:]
        else:  # chunked: read up to the last chunk
            while chunked_end not in buf:
                buf += sock.recv(65536)
            buf = buf.split(chunked_end, 1)[1]
        done += 1
    sock.close()
    counts[slot] = done


def httpx_worker(url: str, body: bytes, deadline: float, counts: list[int], slot: int) -> None:
    import httpx2

    client = httpx2.Client(
        base_url=url, headers={"Authorization": "Bearer sk-bench", "Content-Type": "application/json"}
    )
    done = 0
    with client:
        while time.perf_counter() < deadline:
            client.post("/chat/completions", content=body).read()
            done += 1
    counts[slot] = done


def run(name: str, worker: Callable[[float, list[int], int], None], connections: int, seconds: float, pid: int) -> None:
    counts = [0] * connections
    warm = time.perf_counter() + 0.3
    worker(warm, [0], 0)  # warm-up on one connection
    cpu0 = cpu_seconds(pid)
    started = time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=worker, args=(deadline, counts, i)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    total = sum(counts)
    server_cpu = cpu_seconds(pid) - cpu0
    print(
        f"{name:<8} connections={connections:<3} {total / elapsed:>9,.0f} req/s   "
        f"server CPU {server_cpu / max(total, 1) * 1e6:6.1f} us/req ({server_cpu / elapsed:.0%} of a core)",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="measured time per row (default 3)")
    parser.add_argument("--connections", default="1,4", help="comma-separated connection counts (default 1,4)")
    args = parser.parse_args()
    proc, url, port = start_server()
    try:
        print(f"server: {url} (pid {proc.pid}), python {sys.version.split()[0]}, {os.cpu_count()} cpus")
        for n in (int(x) for x in args.connections.split(",")):
            run("raw", lambda d, c, s: raw_worker(port, BODY, d, c, s), n, args.seconds, proc.pid)
            run("httpx2", lambda d, c, s: httpx_worker(url, BODY, d, c, s), n, args.seconds, proc.pid)
            run("stream", lambda d, c, s: raw_worker(port, STREAM_BODY, d, c, s), n, args.seconds, proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
