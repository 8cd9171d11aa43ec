"""Fault injection: scripted errors, rate limits, latency, drops, stalls and cut streams."""

from __future__ import annotations

import json
import time

import httpx2
import openai
import pytest

from pyopenai.testing import Fault, LocalServer

USER = [{"role": "user", "content": "hi"}]
CHAT = {"model": "gpt-4o", "messages": USER}


def test_status_fault_with_headers_and_times(http: httpx2.Client, openai_server: LocalServer) -> None:
    fault = openai_server.faults.push(status=429, headers={"retry-after-ms": "10"}, times=2)
    for _ in range(2):
        r = http.post("/chat/completions", json=CHAT)
        assert r.status_code == 429
        assert r.headers["retry-after-ms"] == "10"
        assert r.headers["x-request-id"].startswith("req_")
        assert set(r.json()["error"]) == {"message", "type", "param", "code"}
    assert http.post("/chat/completions", json=CHAT).status_code == 200
    assert fault.hits == 2 and openai_server.faults.pending == []


def test_insufficient_quota(http: httpx2.Client, openai_server: LocalServer) -> None:
    openai_server.faults.insufficient_quota()
    r = http.post("/chat/completions", json=CHAT)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "insufficient_quota"
    assert r.json()["error"]["type"] == "insufficient_quota"


def test_custom_body_and_error_fields(http: httpx2.Client, openai_server: LocalServer) -> None:
    openai_server.faults.push(status=503, body="upstream down")
    openai_server.faults.error(400, message="nope", param="messages", code="bad")
    r = http.get("/models")
    assert (r.status_code, r.text) == (503, "upstream down")
    assert http.get("/models").json()["error"] == {
        "message": "nope",
        "type": "invalid_request_error",
        "param": "messages",
        "code": "bad",
    }


def test_path_and_method_targeting(http: httpx2.Client, openai_server: LocalServer) -> None:
    openai_server.faults.push(status=500, path="/embeddings", times=None)
    openai_server.faults.push(status=418, method="GET", path="/v1/models/*")
    assert http.post("/chat/completions", json=CHAT).status_code == 200
    assert http.get("/models").status_code == 200
    assert http.get("/models/gpt-4o").status_code == 418
    for _ in range(3):
        assert http.post("/embeddings", json={"model": "text-embedding-3-small", "input": "x"}).status_code == 500
    openai_server.faults.clear()
    assert http.post("/embeddings", json={"model": "text-embedding-3-small", "input": "x"}).status_code == 200


def test_latency(http: httpx2.Client, openai_server: LocalServer) -> None:
    openai_server.faults.latency(0.2)
    started = time.perf_counter()
    assert http.get("/models").status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_drop(http: httpx2.Client, openai_server: LocalServer) -> None:
    openai_server.faults.drop()
    with pytest.raises(httpx2.RemoteProtocolError):
        http.get("/models")
    assert http.get("/models").status_code == 200


def test_stall_triggers_read_timeout(openai_server: LocalServer) -> None:
    openai_server.faults.stall(5.0)
    client = httpx2.Client(base_url=openai_server.url, headers={"Authorization": "Bearer k"}, timeout=0.3)
    with client:
        with client.stream("GET", "/models") as r:
            assert r.status_code == 200  # the head arrives
            with pytest.raises(httpx2.ReadTimeout):
                r.read()


def test_cut_stream(http: httpx2.Client, openai_server: LocalServer) -> None:
    openai_server.faults.cut_stream(after=3)
    received: list[str] = []
    with pytest.raises(httpx2.RemoteProtocolError):
        with http.stream("POST", "/chat/completions", json={**CHAT, "stream": True}) as r:
            for line in r.iter_lines():
                if line.startswith("data: "):
                    received.append(line)
    assert len(received) == 3
    assert json.loads(received[0][6:])["object"] == "chat.completion.chunk"


def test_cut_plain_body(http: httpx2.Client, openai_server: LocalServer) -> None:
    openai_server.faults.cut_stream(after=0)
    with pytest.raises(httpx2.RemoteProtocolError):
        http.get("/models")


def test_fault_header(http: httpx2.Client) -> None:
    r = http.get("/models", headers={"x-pyopenai-fault": "status=429; retry-after-ms=5; code=rate_limit_exceeded"})
    assert r.status_code == 429 and r.headers["retry-after-ms"] == "5"
    assert r.json()["error"]["code"] == "rate_limit_exceeded"
    r = http.get("/models", headers={"x-pyopenai-fault": "status=500; times=1", "x-stainless-retry-count": "1"})
    assert r.status_code == 200  # the retry gets through
    with pytest.raises(httpx2.RemoteProtocolError):
        http.get("/models", headers={"x-pyopenai-fault": "drop"})
    assert http.get("/models", headers={"x-pyopenai-fault": "header.x-test=1"}).headers["x-test"] == "1"


def test_official_client_retries_then_succeeds(openai_server: LocalServer) -> None:
    openai_server.faults.rate_limit(retry_after_ms=1, times=2)
    client = openai.OpenAI(base_url=openai_server.url, api_key="x", max_retries=2, timeout=10)
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert reply.choices[0].message.content == 'You said: "hi".'
    assert len(openai_server.requests) == 3
    assert [r.headers.get("x-stainless-retry-count") for r in openai_server.requests] == ["0", "1", "2"]


def test_official_client_error_types(openai_server: LocalServer) -> None:
    client = openai.OpenAI(base_url=openai_server.url, api_key="x", max_retries=0, timeout=10)
    openai_server.faults.insufficient_quota()
    with pytest.raises(openai.RateLimitError) as info:
        client.models.list()
    assert info.value.code == "insufficient_quota"
    assert info.value.request_id is not None and info.value.request_id.startswith("req_")
    openai_server.faults.push(Fault(status=500))
    with pytest.raises(openai.InternalServerError):
        client.models.list()
    openai_server.faults.drop()
    with pytest.raises(openai.APIConnectionError):
        client.models.list()
    openai_server.faults.stall(5.0)
    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=0.3).models.list()
    openai_server.faults.cut_stream(after=2)
    with pytest.raises(openai.APIConnectionError):
        for _ in client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=True
        ):
            pass
