"""A scripted loopback server for credential tests: a token exchange, metadata servers, and an API
that accepts only the access tokens it was told are valid.

Routes (any host: it also serves as an HTTP proxy, so requests for fixed addresses such as a cloud
metadata server can be sent to it with `httpx2.Client(proxy=server.url)`):

* `POST .../oauth/token`: the token exchange. Answers `self.exchange_answers.pop(0)` when scripted
  (status, JSON body), else issues `tok-1`, `tok-2`, ... valid for `expires_in` seconds. Waits for
  `release_exchange` when it is cleared (to hold exchanges in flight).
* `GET .../metadata/identity/oauth2/token`: Azure IMDS, answers `{"access_token": "azure-subject"}`.
* `GET .../computeMetadata/v1/instance/service-accounts/default/identity`: GCP, answers `gcp-subject`.
* anything else: the API. 200 with a model list when the bearer token is in `valid_tokens`, else 401.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

WAIT = 10.0


@dataclass
class Seen:
    method: str
    target: str  # the request target as sent: a path, or an absolute URL through the proxy
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Answer = tuple[int, object, str]  # status, body (bytes, or an object sent as JSON), content type


class LoopbackHTTP:
    """A threaded HTTP/1.1 server on 127.0.0.1 that records each request (`seen`) and answers with
    `answer(seen)`; `headers_for(seen)` may add response headers. Stopped by `close()`."""

    def __init__(self, answer: Callable[[Seen], Answer],
                 headers_for: Callable[[Seen], dict[str, str]] = lambda seen: {}) -> None:
        self.seen: list[Seen] = []
        self.cond = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                seen = Seen(self.command, self.path, parts.path, parse_qs(parts.query),
                            {k.lower(): v for k, v in self.headers.items()}, body)
                with server.cond:
                    server.seen.append(seen)
                    server.cond.notify_all()
                status, data, content_type = answer(seen)
                payload = data if isinstance(data, bytes) else json.dumps(data).encode()
                self.send_response(status)
                for name, value in {"content-type": content_type, "content-length": str(len(payload)),
                                    **headers_for(seen)}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(WAIT)


class TokenServer:
    def __init__(self, expires_in: float = 3600) -> None:
        self.expires_in = expires_in
        self.issued = 0
        self.valid_tokens: set[str] = set()
        self.exchange_answers: list[tuple[int, object]] = []
        self.release_exchange = threading.Event()
        self.release_exchange.set()
        self._loopback = LoopbackHTTP(lambda seen: self.answer(seen))
        self.seen = self._loopback.seen
        self.cond = self._loopback.cond
        self.url = self._loopback.url

    def __enter__(self) -> TokenServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release_exchange.set()
        self._loopback.close()

    # -- answers

    def answer(self, seen: Seen) -> tuple[int, object, str]:
        if seen.path.endswith("/oauth/token"):
            self.release_exchange.wait(WAIT)
            with self.cond:
                if self.exchange_answers:
                    status, body = self.exchange_answers.pop(0)
                    return status, body, "application/json"
                self.issued += 1
                token = f"tok-{self.issued}"
                self.valid_tokens.add(token)
            return 200, {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}, "application/json"
        if seen.path == "/metadata/identity/oauth2/token":
            return 200, {"access_token": "azure-subject", "expires_in": "3600"}, "application/json"
        if seen.path == "/computeMetadata/v1/instance/service-accounts/default/identity":
            return 200, b"gcp-subject", "text/plain"
        token = seen.headers.get("authorization", "").removeprefix("Bearer ")
        if token in self.valid_tokens:
            return 200, {"object": "list", "data": [{"id": "m", "object": "model", "created": 0, "owned_by": "o"}]}, \
                "application/json"
        return 401, {"error": {"message": "invalid token", "type": "invalid_request_error", "code": "invalid_api_key"}}, \
            "application/json"

    # -- what was seen

    def exchanges(self) -> list[Seen]:
        with self.cond:
            return [s for s in self.seen if s.path.endswith("/oauth/token")]

    def api_calls(self) -> list[Seen]:
        with self.cond:
            return [s for s in self.seen if s.path.startswith("/v1/")]

    def wait_for_exchanges(self, count: int) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: len([s for s in self.seen if s.path.endswith("/oauth/token")]) >= count,
                                      WAIT)
