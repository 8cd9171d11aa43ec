"""Record and replay: API traffic kept in a plain JSON file (a cassette) that a person can read and edit.

Recording, the server forwards each ``/v1`` request to the real API (``upstream``) with the client's
own credentials and appends the exchange to the cassette: API keys, ``Authorization``, organization
and project ids are redacted. Replaying, each request is answered by the first unused recorded
exchange with the same method, path, query and body; a request no recording matches gets an error
that says which recording came closest and how it differs (and :meth:`Cassette.verify` fails).

The file::

    {"pyopenai_cassette": 1, "interactions": [
      {"request": {"method": "POST", "path": "/v1/chat/completions", "query": {}, "json": {...}},
       "response": {"status": 200, "headers": {...}, "json": {...}}}]}

A request body is ``json``, ``text``, ``form`` + ``files`` (multipart: field values and file names) or
``base64``; a response body is ``json``, ``stream`` (server-sent events, one string each), ``text``
or ``base64``.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from pathlib import Path
from typing import Any, cast

from ._assertions import subset_difference
from ._errors import APIFailure
from ._http import Request, Response
from ._redact import redact_headers, redact_text

__all__ = ["Cassette", "CassetteError", "DEFAULT_UPSTREAM"]

FORMAT_VERSION = 1
DEFAULT_UPSTREAM = "https://api.openai.com/v1"
# request headers worth keeping (never credentials); everything else is left out of the cassette
_KEPT_REQUEST_HEADERS = ("content-type", "openai-beta")
# headers that describe the upstream connection, not the answer
_HOP_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "set-cookie", "date"}
)
_NOT_FORWARDED = frozenset({"host", "content-length", "connection", "accept-encoding", "transfer-encoding"})


class CassetteError(Exception):
    """The cassette file is missing or not a cassette."""


def _request_record(req: Request, secrets: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {"method": req.method, "path": req.path, "query": {k: v for k, v in req.query.items()}}
    headers = {k: req.headers[k] for k in _KEPT_REQUEST_HEADERS if k in req.headers}
    ctype = req.headers.get("content-type", "")
    if ctype.startswith("multipart/"):
        record["form"] = req.form
        record["files"] = {name: part.filename for name, part in req.files.items()}
        headers["content-type"] = "multipart/form-data"  # the boundary changes every time
    elif req.body:
        try:
            record["json"] = json.loads(redact_text(req.body.decode(), secrets))
        except (UnicodeDecodeError, ValueError):
            try:
                record["text"] = redact_text(req.body.decode(), secrets)
            except UnicodeDecodeError:
                record["base64"] = base64.b64encode(req.body).decode()
    if headers:
        record["headers"] = headers
    return record


def _response_record(status: int, headers: dict[str, str], body: bytes, secrets: list[str]) -> dict[str, Any]:
    kept = {k: v for k, v in headers.items() if k not in _HOP_HEADERS}
    record: dict[str, Any] = {"status": status, "headers": redact_headers(kept, secrets)}
    ctype = headers.get("content-type", "")
    try:
        text = redact_text(body.decode(), secrets)
    except UnicodeDecodeError:
        record["base64"] = base64.b64encode(body).decode()
        return record
    if ctype.startswith("text/event-stream"):
        record["stream"] = [event for event in text.replace("\r\n", "\n").split("\n\n") if event.strip()]
    elif "json" in ctype:
        try:
            record["json"] = json.loads(text)
        except ValueError:
            record["text"] = text
    else:
        record["text"] = text
    return record


def _replayed(record: dict[str, Any]) -> Response:
    status = int(record.get("status", 200))
    headers = [(str(k), str(v)) for k, v in cast(dict[str, Any], record.get("headers") or {}).items()]
    ctype = next((v for k, v in headers if k.lower() == "content-type"), None)
    headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
    if "stream" in record:
        events = [f"{event}\n\n".encode() for event in cast(list[str], record["stream"])]
        return Response(status, headers=headers, content_type=ctype or "text/event-stream", chunks=events)
    if "json" in record:
        body = json.dumps(record["json"]).encode()
    elif "base64" in record:
        body = base64.b64decode(record["base64"])
    else:
        body = str(record.get("text", "")).encode()
    return Response(status, body, headers=headers, content_type=ctype or "application/json")


def _difference(recorded: dict[str, Any], actual: dict[str, Any]) -> str | None:
    """How ``actual`` (a request record) differs from ``recorded``: method/path first, then query and body."""
    for key in ("method", "path"):
        if recorded.get(key) != actual.get(key):
            return f"{key}: recorded {recorded.get(key)!r}, sent {actual.get(key)!r}"
    for key in ("query", "json", "text", "form", "files", "base64"):
        want: Any = recorded.get(key)
        got: Any = actual.get(key)
        if key == "query":
            want, got = want or {}, got or {}
        diff = subset_difference(want, got, key) or subset_difference(got, want, key)
        if diff is not None:
            return diff.replace("expected", "recorded", 1).replace(", got", ", sent", 1)
    return None


class Cassette:
    """One cassette file, replayed or recorded (thread-safe: the server's loop and worker threads use it)."""

    def __init__(self, path: str | os.PathLike[str], *, record: bool = False, upstream: str | None = None) -> None:
        self.path = Path(path)
        self.record = record
        self.upstream = (upstream or os.environ.get("OPENAI_BASE_URL") or DEFAULT_UPSTREAM).rstrip("/")
        self._lock = threading.Lock()
        self.interactions: list[dict[str, Any]] = []
        self._used: set[int] = set()
        self.problems: list[str] = []
        if not record:
            self.interactions = self._load()

    def _load(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            raise CassetteError(
                f"cassette {self.path} not found: record it first (LocalServer(cassette=..., record=True) "
                "or pytest --openai-record, with OPENAI_API_KEY set)"
            )
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CassetteError(f"cassette {self.path} is not valid JSON: {exc}") from None
        interactions: Any = cast(dict[str, Any], data).get("interactions") if isinstance(data, dict) else None
        if not isinstance(interactions, list):
            raise CassetteError(f"cassette {self.path} has no 'interactions' list")
        return cast(list[dict[str, Any]], interactions)

    def save(self) -> None:
        with self._lock:
            document = {"pyopenai_cassette": FORMAT_VERSION, "interactions": self.interactions}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(self.path.suffix + ".tmp")
            temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            temporary.replace(self.path)

    # -- replay -------------------------------------------------------------------------------------

    def replay(self, req: Request) -> Response:
        actual = _request_record(req, [])
        closest: tuple[int, str] | None = None
        closest_same_route = False
        with self._lock:
            for index, interaction in enumerate(self.interactions):
                if index in self._used:
                    continue
                recorded = cast(dict[str, Any], interaction.get("request") or {})
                diff = _difference(recorded, actual)
                if diff is None:
                    self._used.add(index)
                    return _replayed(cast(dict[str, Any], interaction.get("response") or {}))
                same_route = recorded.get("method") == req.method and recorded.get("path") == req.path
                if closest is None or (same_route and not closest_same_route):
                    closest, closest_same_route = (index, diff), same_route
        hint = f"; closest is #{closest[0] + 1}, which differs in {closest[1]}" if closest else ""
        problem = f"no recording in {self.path} matches {req.method} {req.path}{hint}"
        with self._lock:
            self.problems.append(problem)
        raise APIFailure(400, problem, code="no_matching_recording", headers=[("x-should-retry", "false")])

    def unused(self) -> list[str]:
        with self._lock:
            return [
                f"#{i + 1} {r.get('request', {}).get('method')} {r.get('request', {}).get('path')}"
                for i, r in enumerate(self.interactions)
                if i not in self._used
            ]

    # -- record -------------------------------------------------------------------------------------

    def forward(self, req: Request) -> Response:
        """Send ``req`` to the upstream API (blocking), record the exchange, and answer with it."""
        import httpx2

        auth = req.headers.get("authorization", "")
        secrets = [auth.partition(" ")[2].strip(), req.headers.get("api-key", "")]
        headers = {k: v for k, v in req.headers.items() if k not in _NOT_FORWARDED}
        url = self.upstream + req.target[len("/v1") :] if req.target.startswith("/v1") else self.upstream + req.target
        http = httpx2.Client(timeout=600.0)
        try:
            upstream = http.request(req.method, url, headers=headers, content=req.body)
            body = upstream.read()
            answer_headers = {k.lower(): v for k, v in upstream.headers.items()}
        except httpx2.HTTPError as exc:  # nothing to record: the client sees a 502 naming the upstream
            raise APIFailure(
                502, f"Recording: the upstream API at {self.upstream} could not be reached ({exc}).", code="upstream_error"
            ) from None
        finally:
            http.close()
        interaction = {
            "request": _request_record(req, secrets),
            "response": _response_record(upstream.status_code, answer_headers, body, secrets),
        }
        with self._lock:
            self.interactions.append(interaction)
        self.save()
        return _replayed(interaction["response"])
