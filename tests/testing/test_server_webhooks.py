"""Signed Standard-Webhooks deliveries: on demand, on batch completion, on background responses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2
import openai
import pytest

from pyopenai.testing import LocalServer

SECRET = "whsec_" + base64.b64encode(b"local-test-secret-32-bytes-long!").decode()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A tiny stdlib HTTP server that queues every POST it gets."""

    def __init__(self) -> None:
        self.inbox: queue.Queue[Received] = queue.Queue()
        inbox = self.inbox

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                inbox.put(Received({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def get(self) -> Received:
        return self.inbox.get(timeout=10)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    try:
        yield r
    finally:
        r.httpd.shutdown()
        r.httpd.server_close()
        r.thread.join(10)


@pytest.fixture
def server(receiver: Receiver) -> Iterator[LocalServer]:
    with LocalServer(webhook_url=receiver.url, webhook_secret=SECRET) as running:
        yield running


def expected_signature(headers: dict[str, str], body: bytes) -> str:
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def test_send_webhook_signs_like_standard_webhooks(server: LocalServer, receiver: Receiver) -> None:
    delivery = server.send_webhook("batch.completed", {"id": "batch_123"})
    assert delivery.status == 200 and delivery.error is None
    got = receiver.get()
    assert got.headers["webhook-signature"] == expected_signature(got.headers, got.body)
    event = json.loads(got.body)
    assert event["object"] == "event" and event["type"] == "batch.completed" and event["data"] == {"id": "batch_123"}
    assert event["id"].startswith("evt_") and isinstance(event["created_at"], int)
    # the official SDK accepts the signature and parses the event
    unwrapped = openai.OpenAI(api_key="x", webhook_secret=SECRET).webhooks.unwrap(got.body, got.headers)
    assert unwrapped.type == "batch.completed" and unwrapped.data.id == "batch_123"
    assert server.webhook_deliveries == [delivery]


def test_batch_completion_sends_webhook(server: LocalServer, receiver: Receiver) -> None:
    http = httpx2.Client(base_url=server.url, headers={"Authorization": "Bearer k"}, timeout=10)
    with http:
        line = {
            "custom_id": "a",
            "method": "POST",
            "url": "/v1/embeddings",
            "body": {"model": "text-embedding-3-small", "input": "x"},
        }
        f = http.post(
            "/files", files={"file": ("in.jsonl", json.dumps(line).encode())}, data={"purpose": "batch"}
        ).json()
        batch = http.post(
            "/batches", json={"input_file_id": f["id"], "endpoint": "/v1/embeddings", "completion_window": "24h"}
        ).json()
        statuses = [http.get(f"/batches/{batch['id']}").json()["status"] for _ in range(3)]  # one step each
        assert statuses == ["in_progress", "finalizing", "completed"]
    got = receiver.get()
    event = json.loads(got.body)
    assert (event["type"], event["data"]) == ("batch.completed", {"id": batch["id"]})
    assert got.headers["webhook-signature"] == expected_signature(got.headers, got.body)


def test_background_response_sends_webhook(server: LocalServer, receiver: Receiver) -> None:
    client = openai.OpenAI(base_url=server.url, api_key="x", timeout=10)
    queued = client.responses.create(model="gpt-4o", input="hi", background=True)
    assert queued.status == "queued"
    assert client.responses.retrieve(queued.id).status == "completed"
    event = json.loads(receiver.get().body)
    assert (event["type"], event["data"]) == ("response.completed", {"id": queued.id})


def test_webhook_headers_for_unwrap_tests(server: LocalServer) -> None:
    body = json.dumps(
        {"id": "evt_1", "object": "event", "type": "response.completed", "created_at": 1, "data": {"id": "resp_1"}}
    ).encode()
    headers = server.webhook_headers(body)
    assert openai.OpenAI(api_key="x", webhook_secret=SECRET).webhooks.unwrap(body, headers).type == "response.completed"


def test_delivery_failure_is_recorded() -> None:
    with LocalServer() as server:
        delivery = server.send_webhook("batch.failed", {"id": "b"}, url="http://127.0.0.1:9/none", secret=SECRET)
    assert delivery.status == 0 and delivery.error
    with pytest.raises(ValueError):
        LocalServer().send_webhook("batch.failed", {"id": "b"})
