"""The benchmark server: a minimal HTTP/1.1 keep-alive server on 127.0.0.1 that writes precomputed bytes.

Run as ``python -m benchmarks.server``; it prints ``PORT <n>`` once it listens, and exits when its
standard input closes (the harness holds the other end), on SIGTERM, or after ``--max-seconds``.

It does as little as it can per request so that the clients dominate the CPU: find the end of the
headers, read ``content-length`` bytes of body, pick a precomputed response (a regex on the body for
``"stream": true`` and ``"encoding_format": "base64"``, a regex on the query for ``after=``) and write it
in one call. Streams are sent with chunked transfer encoding, one HTTP chunk per SSE event, as the
API does; the whole stream is written at once, so the client's parsing is what is measured.
``GET /__bench/stats`` answers the server's counters (connections accepted, requests, its own
process CPU time) for the harness.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import sys
import time

from benchmarks import bodies

_HEADERS_COMMON = (
    b"date: Mon, 10 Mar 2025 01:25:52 GMT\r\n"
    b"openai-organization: org-bench\r\n"
    b"openai-processing-ms: 412\r\n"
    b"openai-version: 2020-10-01\r\n"
    b"x-ratelimit-limit-requests: 10000\r\n"
    b"x-ratelimit-limit-tokens: 30000000\r\n"
    b"x-ratelimit-remaining-requests: 9999\r\n"
    b"x-ratelimit-remaining-tokens: 29999950\r\n"
    b"x-ratelimit-reset-requests: 6ms\r\n"
    b"x-ratelimit-reset-tokens: 0s\r\n"
    b"x-request-id: req_5d1c0a7e9b3f4e2d8c6a4b2e0f1d3c5a\r\n"
    b"strict-transport-security: max-age=31536000; includeSubDomains; preload\r\n"
    b"x-content-type-options: nosniff\r\n"
    b"server: bench\r\n"
)


def _fixed(body: bytes, status: bytes = b"200 OK") -> bytes:
    return (
        b"HTTP/1.1 "
        + status
        + b"\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\n"
        + _HEADERS_COMMON
        + b"\r\n"
        + body
    )


def _chunked(events: list[bytes]) -> bytes:
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
        b"transfer-encoding: chunked\r\ncache-control: no-cache\r\n" + _HEADERS_COMMON + b"\r\n"
    )
    parts = [head]
    for ev in events:
        parts.append(b"%x\r\n" % len(ev) + ev + b"\r\n")
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)


class Routes:
    """All responses, precomputed once."""

    def __init__(self) -> None:
        emb_float, emb_b64 = bodies.embedding_bodies()
        self.chat = _fixed(bodies.chat_completion())
        self.chat_stream = _chunked(bodies.chat_stream_events())
        self.response = _fixed(bodies.response_object())
        self.responses_stream = _chunked(bodies.responses_stream_events())
        self.embeddings_float = _fixed(emb_float)
        self.embeddings_b64 = _fixed(emb_b64)
        self.files = {after: _fixed(page) for after, page in bodies.file_pages().items()}
        self.models = _fixed(bodies.models_list())
        self.connections = 0  # counters for the harness, read with GET /__bench/stats
        self.requests = 0
        self.not_found = _fixed(
            b'{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}',
            b"404 Not Found",
        )


STATS_PATH = b"/__bench/stats"
_STREAM = re.compile(rb'"stream"\s*:\s*true')
_B64 = re.compile(rb'"encoding_format"\s*:\s*"base64"')
_AFTER = re.compile(rb"[?&]after=([^&\s]*)")
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
_CONN_CLOSE = re.compile(rb"\r\nconnection:\s*close", re.IGNORECASE)


def answer(routes: Routes, method: bytes, target: bytes, body: bytes) -> bytes:
    routes.requests += 1
    path = target.split(b"?", 1)[0]
    if path == STATS_PATH:
        # Counted like any request; the harness subtracts its own query.
        stats = {"connections": routes.connections, "requests": routes.requests, "cpu": time.process_time()}
        return _fixed(json.dumps(stats).encode())
    if method == b"POST":
        if path.endswith(b"/chat/completions"):
            return routes.chat_stream if _STREAM.search(body) else routes.chat
        if path.endswith(b"/responses"):
            return routes.responses_stream if _STREAM.search(body) else routes.response
        if path.endswith(b"/embeddings"):
            return routes.embeddings_b64 if _B64.search(body) else routes.embeddings_float
    elif method == b"GET":
        if path.endswith(b"/files"):
            m = _AFTER.search(target)
            after = m.group(1).decode() if m else ""
            return routes.files.get(after, routes.not_found)
        if path.endswith(b"/models"):
            return routes.models
    return routes.not_found


class _Conn(asyncio.Protocol):
    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        self.buf = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.routes.connections += 1

    def data_received(self, data: bytes) -> None:
        buf = self.buf + data if self.buf else data
        transport = self.transport
        assert transport is not None
        while True:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                break
            head = buf[:end]
            m = _CONTENT_LENGTH.search(head)
            length = int(m.group(1)) if m else 0
            total = end + 4 + length
            if len(buf) < total:
                break
            body = buf[end + 4 : total]
            line_end = head.find(b"\r\n")
            parts = (head[:line_end] if line_end >= 0 else head).split(b" ")
            buf = buf[total:]
            if len(parts) < 3:
                transport.close()
                return
            transport.write(answer(self.routes, parts[0], parts[1], body))
            if _CONN_CLOSE.search(head):
                transport.close()
                return
        self.buf = buf


async def _serve(port: int, max_seconds: float) -> None:
    routes = Routes()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Conn(routes), "127.0.0.1", port, backlog=512)
    sock_port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()

    def on_stdin() -> None:
        # The harness keeps our stdin open; EOF means it is gone.
        try:
            data = os.read(stdin_fd, 4096)
        except OSError:
            data = b""
        if not data:
            loop.remove_reader(stdin_fd)
            stop.set()

    stdin_fd = sys.stdin.fileno()
    try:
        loop.add_reader(stdin_fd, on_stdin)
    except (OSError, ValueError):
        pass  # stdin is not a pipe (a file, /dev/null): rely on signals and --max-seconds
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    print(f"PORT {sock_port}", flush=True)
    try:
        await asyncio.wait_for(stop.wait(), timeout=max_seconds)
    except asyncio.TimeoutError:
        pass
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args()
    asyncio.run(_serve(args.port, args.max_seconds))


if __name__ == "__main__":
    main()
