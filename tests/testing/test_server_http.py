"""The HTTP layer and the cross-cutting behaviour: auth, headers, routing, errors, lifecycle."""

from __future__ import annotations

import json
import socket

import httpx2
import pytest

from pyopenai._rate_limits import parse_reset
from pyopenai.testing import LocalServer


def test_url_and_lifecycle() -> None:
    server = LocalServer()
    assert not server.running
    with server:
        port = server.port
        assert server.url == f"http://127.0.0.1:{port}/v1"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    assert not server.running
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    server.stop()  # idempotent


def test_stop_closes_open_keepalive_connections() -> None:
    server = LocalServer().start()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.sendall(b"GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n")
    assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")
    server.stop()
    assert sock.recv(1024) == b""  # server closed the idle keep-alive connection
    sock.close()


def test_common_headers(http: httpx2.Client) -> None:
    r = http.get("/models")
    assert r.status_code == 200
    assert r.headers["x-request-id"].startswith("req_")
    assert int(r.headers["openai-processing-ms"]) >= 0
    for name in ("requests", "tokens"):
        assert int(r.headers[f"x-ratelimit-limit-{name}"]) > 0
        assert int(r.headers[f"x-ratelimit-remaining-{name}"]) >= 0
        assert parse_reset(r.headers[f"x-ratelimit-reset-{name}"]) is not None  # "20ms", "0s", "6m0s"
    assert r.headers["content-type"] == "application/json"
    assert http.get("/models").headers["x-request-id"] != r.headers["x-request-id"]


def test_keep_alive_reuses_one_connection(openai_server: LocalServer) -> None:
    sock = socket.create_connection(("127.0.0.1", openai_server.port), timeout=5)
    reader = sock.makefile("rb")
    try:
        for _ in range(3):
            sock.sendall(b"GET /v1/models/gpt-4o HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n")
            status = reader.readline()
            headers: dict[str, str] = {}
            while (line := reader.readline()) != b"\r\n":
                k, _, v = line.decode().partition(":")
                headers[k.lower()] = v.strip()
            body = reader.read(int(headers["content-length"]))
            assert status.startswith(b"HTTP/1.1 200")
            assert json.loads(body)["id"] == "gpt-4o"
    finally:
        reader.close()
        sock.close()


def test_chunked_request_body(openai_server: LocalServer) -> None:
    payload = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "chunked"}]}).encode()
    client = httpx2.Client(timeout=10)
    with client:
        r = client.post(
            openai_server.url + "/chat/completions",
            content=iter([payload[:10], payload[10:]]),  # a generator body is sent chunked
            headers={"Authorization": "Bearer k", "content-type": "application/json"},
        )
    assert r.status_code == 200, r.text
    assert r.json()["choices"][0]["message"]["content"] == 'You said: "chunked".'


def test_auth_required(openai_server: LocalServer) -> None:
    client = httpx2.Client(base_url=openai_server.url, timeout=10)
    with client:
        r = client.get("/models")
        assert r.status_code == 401
        assert r.json()["error"]["type"] == "invalid_request_error"
        assert r.headers["x-request-id"].startswith("req_")
        assert client.get("/models", headers={"Authorization": "Basic abc"}).status_code == 401
        assert client.get("/models", headers={"Authorization": "Bearer anything"}).status_code == 200


@pytest.mark.openai_server(api_key="sk-right")
def test_configured_api_key(openai_server: LocalServer) -> None:
    client = httpx2.Client(base_url=openai_server.url, timeout=10)
    with client:
        wrong = client.get("/models", headers={"Authorization": "Bearer sk-wrong"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_api_key"
        assert client.get("/models", headers={"Authorization": "Bearer sk-right"}).status_code == 200


@pytest.mark.openai_server(require_auth=False)
def test_auth_can_be_disabled(openai_server: LocalServer) -> None:
    client = httpx2.Client(base_url=openai_server.url, timeout=10)
    with client:
        assert client.get("/models").status_code == 200


def test_unknown_path_and_method(http: httpx2.Client) -> None:
    r = http.get("/nothing/here")
    assert r.status_code == 404
    assert set(r.json()["error"]) == {"message", "type", "param", "code"}
    assert http.get("/../outside").status_code == 404
    assert http.put("/models").status_code == 405


def test_invalid_json(http: httpx2.Client) -> None:
    r = http.post("/chat/completions", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "invalid_request_error"
    r = http.post("/chat/completions", json=[1, 2])
    assert r.status_code == 400


def test_requests_are_recorded(http: httpx2.Client, openai_server: LocalServer) -> None:
    http.post("/embeddings", json={"model": "text-embedding-3-small", "input": "x"})
    (recorded,) = openai_server.requests
    assert (recorded.method, recorded.path) == ("POST", "/v1/embeddings")
    assert recorded.json()["input"] == "x"
    assert recorded.headers["authorization"] == "Bearer sk-test"


def test_control_endpoints(openai_server: LocalServer) -> None:
    client = httpx2.Client(base_url=openai_server.base_url, timeout=10)
    with client:
        assert client.get("/_pyopenai/health").json() == {"status": "ok"}
        assert client.post("/_pyopenai/faults", json={"status": 503, "times": 1}).status_code == 200
        assert client.get("/v1/models", headers={"Authorization": "Bearer k"}).status_code == 503
        assert client.get("/v1/models", headers={"Authorization": "Bearer k"}).status_code == 200
        assert client.post("/_pyopenai/faults", json={"nope": 1}).status_code == 400
        assert [r["path"] for r in client.get("/_pyopenai/requests").json()] == ["/v1/models", "/v1/models"]
        assert client.post("/_pyopenai/reset").status_code == 200
        assert client.get("/_pyopenai/requests").json() == []


def test_port_in_use_raises() -> None:
    with LocalServer() as first:
        with pytest.raises(OSError):
            LocalServer(port=first.port).start()


def test_unknown_option() -> None:
    with pytest.raises(TypeError):
        LocalServer(bogus=1)


async def test_async_context_manager_and_reset() -> None:
    async with LocalServer() as server:
        client = httpx2.AsyncClient(base_url=server.url, headers={"Authorization": "Bearer k"}, timeout=10)
        async with client:
            body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}], "store": True}
            stored = (await client.post("/chat/completions", json=body)).json()
            server.faults.push(status=500, times=None)
            server.reset()
            assert server.requests == [] and server.faults.pending == []
            assert (await client.get(f"/chat/completions/{stored['id']}")).status_code == 404
    assert not server.running
