"""The default sync client's HTTP/1.1 transport (`pyopenai._wire`), against raw socket servers on
127.0.0.1 that write exactly the bytes each test needs (framings, interim answers, early closes)."""

from __future__ import annotations

import functools
import gzip
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import httpcore2
import httpx2
import pytest

from pyopenai import APIConnectionError, APITimeoutError, AsyncOpenAI, OpenAI, RetryPolicy
from pyopenai._wire import LeanTransport
from pyopenai._wire._connection import _Body
from pyopenai._wire._http11 import CHUNKED, CLOSE_DELIMITED, parse_response_head

MODELS = b'{"object":"list","data":[{"id":"m1","object":"model","created":1,"owned_by":"o"}]}'
FAST_RETRY = RetryPolicy(max_retries=1, initial_delay=0.01, max_delay=0.01, jitter=0)


def read_request(conn: socket.socket, buffer: bytearray) -> tuple[bytes, bytes] | None:
    """One request off `conn` (its head and its body, chunked bodies decoded); None at EOF."""
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(65536)
        if not data:
            return None
        buffer += data
    end = buffer.index(b"\r\n\r\n")
    head = bytes(buffer[:end])
    del buffer[: end + 4]
    lowered = head.lower()
    if b"transfer-encoding: chunked" in lowered:
        body = b""
        while True:
            while b"\r\n" not in buffer:
                buffer += conn.recv(65536)
            line_end = buffer.index(b"\r\n")
            size = int(buffer[:line_end], 16)
            while len(buffer) < line_end + 2 + size + 2:
                buffer += conn.recv(65536)
            body += buffer[line_end + 2 : line_end + 2 + size]
            del buffer[: line_end + 2 + size + 2]
            if size == 0:
                return head, body
    length = 0
    for line in lowered.split(b"\r\n")[1:]:
        if line.startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(buffer) < length:
        buffer += conn.recv(65536)
    body = bytes(buffer[:length])
    del buffer[:length]
    return head, body


def fixed(body: bytes, status: bytes = b"200 OK", extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(body)).encode() + b"\r\n" + extra + b"\r\n" + body
    )


Handler = Callable[[socket.socket, "RawServer"], None]


class RawServer:
    """Accepts connections on 127.0.0.1 (ephemeral port), each served by `handler` in a thread."""

    def __init__(self, handler: Handler, *, tls: ssl.SSLContext | None = None) -> None:
        self.handler = handler
        self.connections = 0
        self.requests: list[tuple[bytes, bytes]] = []
        self.release = threading.Event()  # handlers that hold a connection open wait on this
        self.eof = threading.Event()  # a handler saw the client close its connection
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._tls = tls
        self.port = self._listener.getsockname()[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self._tls is not None:
                conn = self._tls.wrap_socket(conn, server_side=True)
            self.handler(conn, self)
        except OSError:
            pass
        finally:
            conn.close()

    def answer_each(self, conn: socket.socket, answer: Callable[[bytes, bytes], bytes]) -> None:
        """Serve requests on `conn` until the client closes it (then set `eof`)."""
        buffer = bytearray()
        while (request := read_request(conn, buffer)) is not None:
            self.requests.append(request)
            conn.sendall(answer(*request))
        self.eof.set()

    def close(self) -> None:
        self.release.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        except OSError:
            pass
        self._listener.close()
        self._accepting.join(5)
        for thread in self._threads:
            thread.join(5)


@pytest.fixture
def serve() -> Iterator[Callable[..., RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Handler, **kwargs: Any) -> RawServer:
        servers.append(RawServer(handler, **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def keep_answering(answer: Callable[[bytes, bytes], bytes]) -> Handler:
    return lambda conn, server: server.answer_each(conn, answer)


def lean_client(limits: httpx2.Limits | None = None, **kwargs: Any) -> httpx2.Client:
    transport = LeanTransport(limits=limits or httpx2.Limits(max_connections=10, max_keepalive_connections=5), **kwargs)
    return httpx2.Client(transport=transport)


# -- the default client ------------------------------------------------------------------------------


def test_the_default_client_is_an_httpx2_client_on_the_lean_transport_and_reuses_its_connection(serve: Any) -> None:
    server = serve(keep_answering(lambda head, body: fixed(MODELS)))
    with OpenAI(api_key="sk-test", base_url=server.url) as client:
        assert isinstance(client._client, httpx2.Client)
        assert isinstance(client._client._transport, LeanTransport)
        assert [m.id for m in client.models.list()] == ["m1"]
        assert [m.id for m in client.models.list()] == ["m1"]
    assert server.connections == 1
    assert len(server.requests) == 2
    head = server.requests[0][0].lower()
    assert b"x-stainless-lang: python" in head and b"authorization: bearer sk-test" in head


def test_a_proxy_in_the_environment_keeps_httpx2s_own_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    with OpenAI(api_key="sk-test") as client:
        assert isinstance(client._client._transport, httpx2.HTTPTransport)


def test_a_patched_connection_pool_still_intercepts_the_default_client(serve: Any) -> None:
    """respx (and the official SDK's tests) mock `httpcore2.ConnectionPool.handle_request`."""
    server = serve(keep_answering(lambda head, body: fixed(b"{}")))
    seen: list[bytes] = []

    def fake(pool: Any, request: httpcore2.Request) -> httpcore2.Response:
        seen.append(request.url.target)
        return httpcore2.Response(200, headers=[(b"content-type", b"application/json")], content=MODELS)

    with mock.patch.object(httpcore2.ConnectionPool, "handle_request", fake):
        with OpenAI(api_key="sk-test", base_url=server.url) as client:
            assert [m.id for m in client.models.list()] == ["m1"]
    assert seen == [b"/models"]
    assert server.connections == 0


def test_a_patched_httpx2_transport_intercepts_the_default_client(serve: Any) -> None:
    """vcrpy's cassettes replace `httpx2.HTTPTransport.handle_request` (with functools.wraps): a
    recorded answer is replayed without a connection, and what it does not replay goes through
    httpx2's own method, which sends on the client's pool."""
    server = serve(keep_answering(lambda head, body: fixed(MODELS)))
    original = httpx2.HTTPTransport.handle_request
    seen: list[str] = []

    @functools.wraps(original)
    def cassette(transport: Any, request: httpx2.Request) -> httpx2.Response:
        seen.append(request.url.path)
        if request.url.path == "/models/m1":  # "recorded"
            return httpx2.Response(200, json={"id": "m1", "object": "model", "created": 1, "owned_by": "tape"})
        return original(transport, request)

    with mock.patch.object(httpx2.HTTPTransport, "handle_request", cassette):
        with OpenAI(api_key="sk-test", base_url=server.url) as client:
            assert client.models.retrieve("m1").owned_by == "tape"
            assert server.connections == 0
            assert [m.id for m in client.models.list()] == ["m1"]
    assert seen == ["/models/m1", "/models"]
    assert len(server.requests) == 1
    with OpenAI(api_key="sk-test", base_url=server.url) as client:  # the patch undone: straight to the server
        assert [m.id for m in client.models.list()] == ["m1"]
    assert seen == ["/models/m1", "/models"]
    assert len(server.requests) == 2


async def test_a_patched_httpx2_transport_intercepts_the_default_async_client() -> None:
    original = httpx2.AsyncHTTPTransport.handle_async_request

    @functools.wraps(original)
    async def cassette(transport: Any, request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"id": "m1", "object": "model", "created": 1, "owned_by": "tape"})

    with mock.patch.object(httpx2.AsyncHTTPTransport, "handle_async_request", cassette):
        async with AsyncOpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1") as client:
            assert (await client.models.retrieve("m1")).owned_by == "tape"


# -- bodies ----------------------------------------------------------------------------------------


def test_content_length_chunked_and_close_delimited_bodies_sent_in_pieces(serve: Any) -> None:
    answers = [
        fixed(b"0123456789" * 1000),
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nx-trailer: t\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n\r\nuntil the end",
    ]

    def handler(conn: socket.socket, server: RawServer) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = bytearray()
        for answer in answers:
            read_request(conn, buffer)
            for at in range(0, len(answer), 7):  # small writes: the client sees many partial reads
                conn.sendall(answer[at : at + 7])
            if answer.endswith(b"until the end"):
                return

    server = serve(handler)
    with lean_client() as client:
        assert client.get(server.url).content == b"0123456789" * 1000
        assert client.get(server.url).content == b"hello world"
        assert client.get(server.url).content == b"until the end"
    assert server.connections == 1


@pytest.mark.parametrize("split", range(1, 60))
def test_a_chunked_body_split_anywhere_reads_the_same(split: int) -> None:
    wire = b"4\r\nabcd\r\nA;name=value\r\n0123456789\r\n1\r\nz\r\n0\r\nx-t: 1\r\n\r\n"
    pieces = [wire[:split], wire[split:]] if split < len(wire) else [wire]
    head = parse_response_head(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n", b"GET")
    assert head.length == CHUNKED
    connection = mock.Mock()
    connection.read.side_effect = [*pieces[1:], b""]
    body = _Body(connection, head, pieces[0], None)
    assert b"".join(body) == b"abcd0123456789z"
    body.close()
    connection.response_closed.assert_called_once_with(True)  # read to its end: back to the pool


def test_a_body_cut_short_raises_and_closes_the_connection(serve: Any) -> None:
    def handler(conn: socket.socket, server: RawServer) -> None:
        read_request(conn, bytearray())
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this")

    server = serve(handler)
    with lean_client() as client, pytest.raises(httpx2.RemoteProtocolError, match="expected 100"):
        client.get(server.url).read()


def test_gzip_content_encoding_is_decoded(serve: Any) -> None:
    packed = gzip.compress(MODELS)
    server = serve(keep_answering(lambda head, body: fixed(packed, extra=b"content-encoding: gzip\r\n")))
    with OpenAI(api_key="sk-test", base_url=server.url) as client:
        assert [m.id for m in client.models.list()] == ["m1"]


@pytest.mark.parametrize(("method", "status"), [("HEAD", b"200 OK"), ("GET", b"204 No Content"), ("GET", b"304 Not Modified")])
def test_answers_without_a_body_leave_the_connection_reusable(serve: Any, method: str, status: bytes) -> None:
    # a HEAD's answer announces a length it does not send; 204 and 304 have no body whatever they say
    server = serve(keep_answering(lambda head, body: b"HTTP/1.1 " + status + b"\r\ncontent-length: 10\r\n\r\n"
                                  if not head.startswith(b"POST") else fixed(b"after")))
    with lean_client() as client:
        response = client.request(method, server.url)
        assert response.content == b""
        assert client.post(server.url).content == b"after"
    assert server.connections == 1


# -- uploads ---------------------------------------------------------------------------------------


def test_a_multipart_upload_and_a_chunked_body_of_unknown_length_arrive_whole(serve: Any) -> None:
    server = serve(keep_answering(
        lambda head, body: fixed(json.dumps({"id": "file-1", "object": "file", "bytes": len(body), "created_at": 1,
                                             "filename": "a.jsonl", "purpose": "batch", "status": "processed"}).encode())
    ))
    lines = [b'{"custom_id": "%d"}\n' % i for i in range(1000)]
    with OpenAI(api_key="sk-test", base_url=server.url) as client:
        client.files.create(file=("a.jsonl", b"".join(lines)), purpose="batch")
        with lean_client() as http:
            http.post(server.url, content=iter([b"", *lines, b""]))
    upload_head, upload = server.requests[0]
    assert b"content-length: " in upload_head.lower() and b"".join(lines) in upload and b'name="purpose"' in upload
    streamed_head, streamed = server.requests[1]
    assert b"transfer-encoding: chunked" in streamed_head.lower()
    assert streamed == b"".join(lines)


def test_an_interim_100_continue_is_skipped(serve: Any) -> None:
    def handler(conn: socket.socket, server: RawServer) -> None:
        buffer = bytearray()
        read_request(conn, buffer)
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n" + fixed(b"final"))
        server.answer_each(conn, lambda head, body: fixed(b"next"))

    server = serve(handler)
    with lean_client() as client:
        assert client.post(server.url, content=b"x" * 10, headers={"expect": "100-continue"}).content == b"final"
        assert client.get(server.url).content == b"next"


# -- headers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "message"),
    [({"x-a": "ok\r\nx-injected: 1"}, "Illegal header value for 'x-a'"), ({"x a": "ok"}, "Illegal header name")],
)
def test_cr_lf_in_a_header_is_refused_before_anything_is_sent(serve: Any, headers: dict[str, str], message: str) -> None:
    server = serve(keep_answering(lambda head, body: fixed(MODELS)))
    with lean_client() as client:
        with pytest.raises(httpx2.LocalProtocolError, match=message):
            client.get(server.url, headers=headers)
        assert client.get(server.url).status_code == 200  # the client goes on
    assert server.requests[0][0].lower().count(b"x-injected") == 0
    assert len(server.requests) == 1
    with OpenAI(api_key="sk-test", base_url=server.url, max_retries=0) as sdk:
        with pytest.raises(APIConnectionError) as info:
            sdk.models.list(extra_headers=headers)
        assert message in str(info.value.__cause__)
    assert len(server.requests) == 1


# -- connections -----------------------------------------------------------------------------------


def test_a_connection_the_server_closed_is_not_reused(serve: Any) -> None:
    closed = threading.Event()

    def handler(conn: socket.socket, server: RawServer) -> None:
        read_request(conn, bytearray())
        conn.sendall(fixed(b"one"))  # keep-alive by the headers, then closed anyway
        conn.close()
        closed.set()

    server = serve(handler)
    with lean_client() as client:
        assert client.get(server.url).content == b"one"
        assert closed.wait(5)
        assert client.get(server.url).content == b"one"
    assert server.connections == 2


def test_a_connection_dropped_without_an_answer_is_retried(serve: Any) -> None:
    def handler(conn: socket.socket, server: RawServer) -> None:
        if server.connections == 1:
            read_request(conn, bytearray())
            return  # closed without an answer
        server.answer_each(conn, lambda head, body: fixed(MODELS))

    server = serve(handler)
    with OpenAI(api_key="sk-test", base_url=server.url, retry=FAST_RETRY) as client:
        assert [m.id for m in client.models.list()] == ["m1"]
    assert server.connections == 2


def test_pool_limits_hold_and_a_full_pool_times_out(serve: Any) -> None:
    server = serve(keep_answering(lambda head, body: fixed(b"x")))
    with lean_client(httpx2.Limits(max_connections=1, max_keepalive_connections=1)) as client:
        with client.stream("GET", server.url) as held:
            with pytest.raises(httpx2.PoolTimeout):
                client.get(server.url, timeout=httpx2.Timeout(5.0, pool=0.05))
            held.read()
        assert client.get(server.url).content == b"x"
    assert server.connections == 1


def test_a_read_timeout_is_httpx2s_and_the_sdks_timeout_error(serve: Any) -> None:
    def handler(conn: socket.socket, server: RawServer) -> None:
        read_request(conn, bytearray())
        server.release.wait(10)  # never answers while the test runs

    server = serve(handler)
    with lean_client() as client, pytest.raises(httpx2.ReadTimeout):
        client.get(server.url, timeout=0.1)
    with OpenAI(api_key="sk-test", base_url=server.url, timeout=0.1, max_retries=0) as sdk:
        with pytest.raises(APITimeoutError):
            sdk.models.list()


def test_connect_and_write_timeouts_are_httpx2s(serve: Any) -> None:
    with lean_client() as client:
        with mock.patch("socket.create_connection", side_effect=TimeoutError("timed out")):
            with pytest.raises(httpx2.ConnectTimeout):
                client.get("http://127.0.0.1:9/")
        server = serve(lambda conn, srv: srv.release.wait(10))  # never reads: the send buffers fill up
        with pytest.raises(httpx2.WriteTimeout):
            client.post(server.url, content=b"x" * (64 * 1024 * 1024), timeout=httpx2.Timeout(5.0, write=0.2))


def test_closing_the_client_closes_its_sockets(serve: Any) -> None:
    server = serve(keep_answering(lambda head, body: fixed(MODELS)))
    client = OpenAI(api_key="sk-test", base_url=server.url)
    client.models.list()
    assert not server.eof.is_set()
    client.close()
    assert server.eof.wait(5)


# -- TLS -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl tool is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        cwd=folder, check=True, capture_output=True, timeout=60,
    )
    return folder


def test_tls_verifies_with_the_context_httpx2_builds(serve: Any, certificate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")
    server = serve(keep_answering(lambda head, body: fixed(MODELS)), tls=context)
    with lean_client() as client, pytest.raises(httpx2.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        client.get(server.url)
    with lean_client(verify=ssl.create_default_context(cafile=str(certificate / "cert.pem"))) as client:
        assert client.get(server.url).json()["data"][0]["id"] == "m1"
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate / "cert.pem"))  # trust_env, as httpx2 reads it
    with OpenAI(api_key="sk-test", base_url=server.url) as sdk:
        assert [m.id for m in sdk.models.list()] == ["m1"]
        assert [m.id for m in sdk.models.list()] == ["m1"]
    assert server.connections == 3


def test_a_close_delimited_answer_is_not_kept(serve: Any) -> None:
    head = parse_response_head(b"HTTP/1.1 200 OK\r\n", b"GET")
    assert head.length == CLOSE_DELIMITED
    server = serve(keep_answering(lambda h, b: fixed(b"kept", extra=b"connection: close\r\n")))
    with lean_client() as client:
        assert client.get(server.url).content == b"kept"
        assert client.get(server.url).content == b"kept"
    assert server.connections == 2
