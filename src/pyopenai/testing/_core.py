"""Shared server state: configuration, clock, id maker, in-memory stores and the route table."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import time
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._errors import APIFailure, bad_request, model_not_found
from ._http import Request, Response
from ._script import Reply, ResponderFailed, Script, UnscriptedCall
from ._validate import query_int, query_order

__all__ = [
    "Core",
    "ModelInfo",
    "Route",
    "Router",
    "ServerConfig",
    "json_response",
    "page_response",
    "paginate",
    "sse_event",
]


@dataclass(frozen=True)
class ModelInfo:
    id: str
    kind: str  # "chat" | "completion" | "embedding" | "moderation"
    owned_by: str = "system"
    created: int = 1_700_000_000
    dimensions: int = 0  # embedding models


DEFAULT_MODELS: tuple[ModelInfo, ...] = (
    ModelInfo("gpt-5", "chat", created=1_754_425_777),
    ModelInfo("gpt-5-mini", "chat", created=1_754_425_928),
    ModelInfo("gpt-5-nano", "chat", created=1_754_426_384),
    ModelInfo("gpt-4.1", "chat", created=1_744_316_542),
    ModelInfo("gpt-4.1-mini", "chat", created=1_744_318_173),
    ModelInfo("gpt-4.1-nano", "chat", created=1_744_321_707),
    ModelInfo("gpt-4o", "chat", created=1_715_367_049),
    ModelInfo("gpt-4o-mini", "chat", created=1_721_172_741),
    ModelInfo("o3", "chat", created=1_744_225_308),
    ModelInfo("o4-mini", "chat", created=1_744_225_351),
    ModelInfo("gpt-3.5-turbo", "chat", owned_by="openai", created=1_677_610_602),
    ModelInfo("gpt-3.5-turbo-instruct", "completion", owned_by="system", created=1_692_901_427),
    ModelInfo("text-embedding-3-small", "embedding", created=1_705_948_997, dimensions=1536),
    ModelInfo("text-embedding-3-large", "embedding", created=1_705_953_180, dimensions=3072),
    ModelInfo(
        "text-embedding-ada-002", "embedding", owned_by="openai-internal", created=1_671_217_299, dimensions=1536
    ),
    ModelInfo("omni-moderation-latest", "moderation", created=1_731_689_265),
    ModelInfo("text-moderation-latest", "moderation", owned_by="openai-internal", created=1_677_610_602),
)


@dataclass
class ServerConfig:
    """Behaviour knobs of :class:`~pyopenai.testing.LocalServer` (all have working defaults).

    - ``api_key``: if set, only this bearer key is accepted (401 ``invalid_api_key`` otherwise);
      by default any non-empty key is accepted;
    - ``require_auth``: ``False`` accepts requests without ``Authorization``;
    - ``seed``: mixed into generated ids (replies depend only on the input);
    - ``latency``: seconds added before every answer; ``stream_delay``: seconds between streamed events;
    - ``clock``: fixed unix time (int) or a callable for ``created``/``created_at`` fields;
    - ``webhook_url`` / ``webhook_secret`` (``whsec_...``): where and how events are delivered
      (batch completion, background response completion);
    - ``requests_per_minute`` / ``tokens_per_minute``: enforce these limits (429 ``rate_limit_exceeded``
      beyond them); the ``x-ratelimit-*`` headers report them (generous defaults when unset).
    - ``batch_requests_per_step``: requests a running batch executes per retrieve (default: all at once);
      ``batch_output_reversed``: write batch output and error files in reverse order (the API does not
      promise the input order: code that matches results by position fails);
    - ``extra_models``: more model ids to list (kind ``chat``), e.g. fine-tuned names;
    - ``strict_models``: answer 404 ``model_not_found`` for a model id the server does not list
      (by default any id is served, as the kind of model the endpoint expects);
    - ``strict``: a call to a scriptable endpoint with no scripted reply fails, and
      :meth:`~pyopenai.testing.LocalServer.verify` reports it and any scripted reply (or recording) never used;
    - ``cassette``: a JSON file of recorded API traffic to replay (every ``/v1`` request is answered
      from it), or with ``record=True`` to write by forwarding each request to ``upstream``
      (default ``OPENAI_BASE_URL`` or ``https://api.openai.com/v1``) with the client's credentials.
    """

    api_key: str | None = None
    require_auth: bool = True
    seed: int = 0
    latency: float = 0.0
    stream_delay: float = 0.0
    clock: int | Callable[[], float] | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    extra_models: tuple[str, ...] = ()
    batch_requests_per_step: int | None = None
    batch_output_reversed: bool = False
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    strict_models: bool = False
    strict: bool = False
    cassette: str | None = None
    record: bool = False
    upstream: str | None = None


class IdMaker:
    """Deterministic, unique ids: ``prefix`` + a hash of (seed, prefix, counter)."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._counter = itertools.count(1)

    def __call__(self, prefix: str, length: int = 24) -> str:
        n = next(self._counter)
        digest = hashlib.blake2b(f"{self._seed}:{prefix}:{n}".encode(), digest_size=24).hexdigest()
        return prefix + digest[:length]


_DEFAULT_DIMENSIONS = 1536  # an embedding model the server does not list answers like text-embedding-3-small

_PARAM_RE = re.compile(r"\{(\w+)\}")

HandlerFn = Callable[["Core", Request, dict[str, str]], Response]


@dataclass
class Route:
    method: str
    template: str
    handler: HandlerFn
    pattern: re.Pattern[str] | None = None


class Router:
    """Maps ``(method, path)`` to handlers; static paths by dict lookup, templated ones by regex."""

    def __init__(self) -> None:
        self._static: dict[tuple[str, str], HandlerFn] = {}
        self._static_paths: set[str] = set()
        self._dynamic: list[Route] = []

    def add(self, method: str, template: str, handler: HandlerFn) -> None:
        path = "/v1" + template
        if "{" not in path:
            self._static[(method, path)] = handler
            self._static_paths.add(path)
            return
        regex = "^" + _PARAM_RE.sub(r"(?P<\1>[^/]+)", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")) + "$"
        self._dynamic.append(Route(method, path, handler, re.compile(regex)))

    def route(self, method: str, path: str) -> tuple[HandlerFn, dict[str, str]]:
        handler = self._static.get((method, path))
        if handler is not None:
            return handler, {}
        path_known = path in self._static_paths
        for route in self._dynamic:
            assert route.pattern is not None
            m = route.pattern.match(path)
            if m is None:
                continue
            path_known = True
            if route.method == method:
                return route.handler, m.groupdict()
        if path_known:
            raise APIFailure(405, f"Method {method} is not allowed for {path}.")
        raise APIFailure(404, f"Invalid URL ({method} {path})", code="unknown_url")


@dataclass
class Store:
    """In-memory objects, insertion-ordered (dicts keep order)."""

    chat_completions: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    chat_messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict[str, list[dict[str, Any]]])
    responses: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    response_inputs: dict[str, list[dict[str, Any]]] = field(default_factory=dict[str, list[dict[str, Any]]])
    response_history: dict[str, list[tuple[str, str]]] = field(default_factory=dict[str, list[tuple[str, str]]])
    pending_responses: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    files: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    file_data: dict[str, bytes] = field(default_factory=dict[str, bytes])
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    upload_parts: dict[str, dict[str, bytes]] = field(default_factory=dict[str, dict[str, bytes]])
    upload_expiry: dict[str, dict[str, Any] | None] = field(default_factory=dict[str, dict[str, Any] | None])
    batches: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict[str, tuple[bytes, str]])  # generated images
    videos: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    vector_stores: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    # vector store id -> file id -> vector_store.file object
    vector_store_files: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict[str, dict[str, dict[str, Any]]])
    file_batches: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    conversations: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    conversation_items: dict[str, list[dict[str, Any]]] = field(default_factory=dict[str, list[dict[str, Any]]])
    webhook_endpoints: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    live_sessions: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])  # started over WebSocket


class Core:
    """What handlers see: config, clock, ids, stores, models, and a way to call other handlers."""

    def __init__(self, config: ServerConfig, router: Router, script: Script | None = None) -> None:
        self.config = config
        self.router = router
        self.script = script or Script(strict=config.strict)
        self.ids = IdMaker(config.seed)
        self.store = Store()
        self.models: dict[str, ModelInfo] = {m.id: m for m in DEFAULT_MODELS}
        for extra in config.extra_models:
            self.models[extra] = ModelInfo(extra, "chat", owned_by="user")
        # set by the server: deliver a webhook event (type, data) in the background
        self.emit_webhook: Callable[[str, dict[str, Any]], None] = lambda _type, _data: None
        # set by the app: run (method, path, json body) through the handlers, without auth or faults
        self.dispatch: Callable[[str, str, Any], Response] = _no_dispatch

    def now(self) -> int:
        clock = self.config.clock
        if clock is None:
            return int(time.time())
        if isinstance(clock, int):
            return clock
        return int(clock())

    def scripted(self, endpoint: str, req: Request) -> Reply | None:
        """The scripted reply for this (already validated) call, ``None`` for the server's own answer;
        a scripted error, an unscripted call in strict mode and a failing responder become API errors
        the client does not retry."""
        no_retry = [("x-should-retry", "false")]
        try:
            reply = self.script.take(endpoint, req)
        except UnscriptedCall as exc:
            raise APIFailure(400, str(exc), code="unscripted_call", headers=no_retry) from None
        except ResponderFailed as exc:
            raise APIFailure(500, str(exc), code="responder_failed", headers=no_retry) from None
        if reply is not None and reply.error is not None:
            err = reply.error
            raise APIFailure(
                err.status, err.message, type=err.type, code=err.code, param=err.param, headers=list(err.headers.items())
            )
        return reply

    def model(self, name: str, kind: str) -> ModelInfo:
        """The model a generation endpoint runs: a listed one, or (unless ``strict_models``) any id
        served as the ``kind`` the endpoint expects, since real code names dated snapshots and new models."""
        info = self.models.get(name)
        if info is None:
            if self.config.strict_models:
                raise model_not_found(name)
            return ModelInfo(name, kind, dimensions=_DEFAULT_DIMENSIONS if kind == "embedding" else 0)
        if info.kind != kind:
            raise bad_request(
                f"The model '{name}' is a {info.kind} model and is not supported on this endpoint.",
                param="model",
                code="model_not_supported",
            )
        return info


def _no_dispatch(method: str, path: str, body: Any) -> Response:
    raise RuntimeError("internal dispatch is not wired")


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(obj, separators=(",", ":")).encode())


def sse_event(data: Any, event: str | None = None) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    if event is None:
        return f"data: {payload}\n\n".encode()
    return f"event: {event}\ndata: {payload}\n\n".encode()


def sse_response(events: Iterable[bytes] | AsyncIterable[bytes]) -> Response:
    return Response(
        200, content_type="text/event-stream; charset=utf-8", chunks=events, headers=[("cache-control", "no-cache")]
    )


def paginate(
    items: list[dict[str, Any]],
    *,
    after: str | None,
    limit: int,
    order: str,
    before: str | None = None,
    key: str = "id",
) -> dict[str, Any]:
    """The cursor page ``{object, data, first_id, last_id, has_more}``; ``items`` are oldest first."""
    ordered = items if order == "asc" else items[::-1]
    start = 0
    if after is not None:
        ids = [str(item.get(key)) for item in ordered]
        if after not in ids:
            raise bad_request(f"Invalid 'after': no object with id '{after}' in this list.", param="after")
        start = ids.index(after) + 1
    end = len(ordered)
    if before is not None:
        ids = [str(item.get(key)) for item in ordered]
        if before in ids:
            end = ids.index(before)
    window = ordered[start:end]
    page = window[:limit]
    return {
        "object": "list",
        "data": page,
        "first_id": page[0][key] if page else None,
        "last_id": page[-1][key] if page else None,
        "has_more": len(window) > limit,
    }


def page_response(req: Request, items: list[dict[str, Any]], *, order: str = "desc", limit: int = 20) -> Response:
    """``items`` (oldest first) as the cursor page the request's ``after``/``before``/``limit``/``order`` ask for."""
    page = paginate(
        items,
        after=req.query_value("after"),
        before=req.query_value("before"),
        limit=query_int(req, "limit", limit),
        order=query_order(req, order),
    )
    return json_response(page)


def iter_text_chunks(text: str, size: int) -> Iterator[str]:
    for i in range(0, len(text), size):
        yield text[i : i + size]
