"""The application: faults, auth, routing, common headers. Owns nothing that touches threads."""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from . import (
    _agents,
    _batches,
    _chat,
    _completions,
    _control,
    _conversations,
    _decisions,
    _embeddings,
    _files,
    _media,
    _models_api,
    _moderations,
    _responses,
    _vector_stores,
    _webhook_endpoints,
)
from ._cassette import Cassette
from ._core import Core, Router, ServerConfig
from ._errors import APIFailure, error_body
from ._faults import FAULT_HEADER, Fault, FaultQueue, parse_fault_header
from ._http import Request, Response
from ._rate_limit import ServerRateLimits
from ._script import Script

__all__ = ["App"]

log = logging.getLogger("pyopenai.testing")


def build_router() -> Router:
    from . import _live, _realtime  # WebSocket endpoints

    router = Router()
    modules = (_models_api, _chat, _completions, _responses, _embeddings, _moderations, _files, _batches, _media)
    for module in (*modules, _decisions, _vector_stores, _conversations, _agents, _webhook_endpoints, _realtime, _live):
        module.register(router)
    return router


class App:
    """Turns a :class:`Request` into a :class:`Response`; see ``LocalServer`` for the public face."""

    def __init__(
        self, config: ServerConfig, faults: FaultQueue, script: Script | None = None, max_recorded: int = 10_000
    ) -> None:
        self.config = config
        self.faults = faults
        self.router = build_router()
        self.core = Core(config, self.router, script)
        self.core.dispatch = self.dispatch_internal
        self.requests: collections.deque[Request] = collections.deque(maxlen=max_recorded)
        self.rate_limits = ServerRateLimits(config.requests_per_minute, config.tokens_per_minute)
        self.cassette: Cassette | None = None
        if config.cassette is not None:
            self.cassette = Cassette(config.cassette, record=config.record, upstream=config.upstream)
        self.control: Callable[[Request], Awaitable[Response | None]] = _no_control

    async def handle(self, req: Request) -> Response:
        started = time.perf_counter()
        if req.path.startswith("/_pyopenai/"):
            return await self.control(req) or _control.not_found(req)
        self.requests.append(req)
        fault = self.faults.take(req.method, req.path)
        if fault is None:
            header = req.headers.get(FAULT_HEADER)
            if header:
                fault = parse_fault_header(header, _retry_count(req))
        delay = self.config.latency + (fault.delay if fault is not None else 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        if fault is not None and fault.drop:
            return Response(drop=True)
        rejection, rate_headers = self.rate_limits.admit(req)
        if fault is not None and fault.status is not None:
            resp = _fault_response(fault)
        elif rejection is not None:
            resp = rejection
        else:
            resp = await self.respond(req)
        if fault is not None:
            resp.headers.extend(fault.headers.items())
            resp.stall = fault.stall
            resp.cut_after = fault.cut_after
        if resp.chunks is not None:
            resp.chunk_delay = self.config.stream_delay
        elapsed = int((time.perf_counter() - started) * 1000)
        resp.headers[:0] = [
            ("x-request-id", self.core.ids("req_", 32)),
            ("openai-processing-ms", str(elapsed)),
            ("openai-version", "2020-10-01"),
            ("openai-organization", "pyopenai-local"),
            *rate_headers,
        ]
        return resp

    async def respond(self, req: Request) -> Response:
        """The answer to a request that no fault intercepted: from the cassette (replayed, or recorded
        from the upstream API in a worker thread), else from the handlers."""
        cassette = self.cassette
        if cassette is None:
            return self.dispatch(req)
        try:
            if cassette.record:
                return await asyncio.to_thread(cassette.forward, req)
            return cassette.replay(req)
        except APIFailure as failure:
            return Response(failure.status, failure.body(), headers=list(failure.headers))

    def dispatch(self, req: Request, *, check_auth: bool = True) -> Response:
        try:
            if check_auth:
                self._authenticate(req)
            handler, params = self.router.route(req.method, req.path)
            return handler(self.core, req, params)
        except APIFailure as failure:
            return Response(failure.status, failure.body(), headers=list(failure.headers))
        except Exception:
            log.exception("local server handler failed for %s %s", req.method, req.path)
            return Response(500, error_body("The local server failed to handle this request.", "server_error"))

    def dispatch_internal(self, method: str, path: str, body: Any) -> Response:
        """Run a request through the handlers without faults or auth (used by batches)."""
        data = b"" if body is None else json.dumps(body).encode()
        req = Request(method, path, {"content-type": "application/json"}, data)
        return self.dispatch(req, check_auth=False)

    def _authenticate(self, req: Request) -> None:
        if not self.config.require_auth:
            return
        auth = req.headers.get("authorization", "")
        scheme, _, key = auth.partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            key = req.headers.get("api-key", "").strip()  # Azure style
        if not key:
            raise APIFailure(
                401,
                "No API key provided: send it as 'Authorization: Bearer <key>'.",
                type="invalid_request_error",
                code="missing_api_key",
            )
        if self.config.api_key is not None and key != self.config.api_key:
            raise APIFailure(401, "Incorrect API key provided.", type="invalid_request_error", code="invalid_api_key")


async def _no_control(req: Request) -> Response | None:
    return None


def _retry_count(req: Request) -> int:
    try:
        return int(req.headers.get("x-stainless-retry-count", "0"))
    except ValueError:
        return 0


def _fault_response(fault: Fault) -> Response:
    status = fault.status or 500
    if fault.body is not None:
        if isinstance(fault.body, bytes):
            body = fault.body
        elif isinstance(fault.body, str):
            body = fault.body.encode()
        else:
            body = json.dumps(fault.body).encode()
        return Response(status, body)
    failure = APIFailure(
        status,
        fault.message or f"Injected fault: HTTP {status}.",
        type=fault.type,
        param=fault.param,
        code=fault.code,
    )
    return Response(status, failure.body())
