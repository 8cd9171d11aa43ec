"""The context managers `connect()` returns, and how they are built from a client's settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple
from urllib.parse import quote

from ._connection import AsyncConnectionManager, Policy, ReconnectingEvent, ReconnectingOverrides, SyncConnectionManager
from ._endpoint import async_opener, query_copy, sync_opener
from ._transport import settings_from
from .live import (
    AsyncForksConnection,
    AsyncLiveConnection,
    AsyncSidebandConnection,
    ForksConnection,
    ForksSend,
    LiveConnection,
    LiveSend,
    SidebandConnection,
    SidebandSend,
)
from .realtime import (
    AsyncBetaRealtimeConnection,
    AsyncRealtimeConnection,
    BetaRealtimeConnection,
    BetaRealtimeSend,
    RealtimeConnection,
    RealtimeSend,
)
from .responses import (
    AsyncBetaResponsesConnection,
    AsyncResponsesConnection,
    BetaResponsesConnection,
    BetaResponsesSend,
    ResponsesConnection,
    ResponsesSend,
)
from .translations import AsyncTranslationsConnection, TranslationsConnection, TranslationsSend

__all__ = [
    "AsyncBetaRealtimeConnectionManager",
    "AsyncBetaResponsesConnectionManager",
    "AsyncForksConnectionManager",
    "AsyncLiveConnectionManager",
    "AsyncRealtimeConnectionManager",
    "AsyncResponsesConnectionManager",
    "AsyncSidebandConnectionManager",
    "AsyncTranslationsConnectionManager",
    "BetaRealtimeConnectionManager",
    "BetaResponsesConnectionManager",
    "ForksConnectionManager",
    "LiveConnectionManager",
    "RealtimeConnectionManager",
    "ResponsesConnectionManager",
    "SidebandConnectionManager",
    "TranslationsConnectionManager",
    "build",
]

OnReconnecting = Callable[[ReconnectingEvent], "ReconnectingOverrides | None"]


class RealtimeConnectionManager(SyncConnectionManager[RealtimeSend, RealtimeConnection]):
    """`with client.realtime.connect(model=...) as connection:` (or `.enter()`)."""


class BetaRealtimeConnectionManager(SyncConnectionManager[BetaRealtimeSend, BetaRealtimeConnection]):
    """`with client.beta.realtime.connect(model=...) as connection:` (or `.enter()`)."""


class ResponsesConnectionManager(SyncConnectionManager[ResponsesSend, ResponsesConnection]):
    """`with client.responses.connect() as connection:` (or `.enter()`)."""


class BetaResponsesConnectionManager(SyncConnectionManager[BetaResponsesSend, BetaResponsesConnection]):
    """`with client.beta.responses.connect() as connection:` (or `.enter()`)."""


class LiveConnectionManager(SyncConnectionManager[LiveSend, LiveConnection]):
    """`with client.live.connect() as connection:` (or `.enter()`)."""


class ForksConnectionManager(SyncConnectionManager[ForksSend, ForksConnection]):
    """`with client.live.forks.connect(session_id=...) as connection:` (or `.enter()`)."""


class SidebandConnectionManager(SyncConnectionManager[SidebandSend, SidebandConnection]):
    """`with client.live.sideband.connect(session_id=...) as connection:` (or `.enter()`)."""


class TranslationsConnectionManager(SyncConnectionManager[TranslationsSend, TranslationsConnection]):
    """`with client.realtime.translations.connect(model=...) as connection:` (or `.enter()`)."""


class AsyncRealtimeConnectionManager(AsyncConnectionManager[RealtimeSend, AsyncRealtimeConnection]):
    """`async with client.realtime.connect(model=...) as connection:` (or `await .enter()`)."""


class AsyncBetaRealtimeConnectionManager(AsyncConnectionManager[BetaRealtimeSend, AsyncBetaRealtimeConnection]):
    """`async with client.beta.realtime.connect(model=...) as connection:` (or `await .enter()`)."""


class AsyncResponsesConnectionManager(AsyncConnectionManager[ResponsesSend, AsyncResponsesConnection]):
    """`async with client.responses.connect() as connection:` (or `await .enter()`)."""


class AsyncBetaResponsesConnectionManager(AsyncConnectionManager[BetaResponsesSend, AsyncBetaResponsesConnection]):
    """`async with client.beta.responses.connect() as connection:` (or `await .enter()`)."""


class AsyncLiveConnectionManager(AsyncConnectionManager[LiveSend, AsyncLiveConnection]):
    """`async with client.live.connect() as connection:` (or `await .enter()`)."""


class AsyncForksConnectionManager(AsyncConnectionManager[ForksSend, AsyncForksConnection]):
    """`async with client.live.forks.connect(session_id=...) as connection:` (or `await .enter()`)."""


class AsyncSidebandConnectionManager(AsyncConnectionManager[SidebandSend, AsyncSidebandConnection]):
    """`async with client.live.sideband.connect(session_id=...) as connection:` (or `await .enter()`)."""


class AsyncTranslationsConnectionManager(AsyncConnectionManager[TranslationsSend, AsyncTranslationsConnection]):
    """`async with client.realtime.translations.connect(model=...) as connection:` (or `await .enter()`)."""


class Endpoint(NamedTuple):
    path: str
    """The path under the base URL; `{session_id}` is filled in, percent-encoded."""
    beta: str | None
    """The `OpenAI-Beta` header the endpoint needs."""
    manager: Any
    connection: Any
    async_manager: Any
    async_connection: Any


_ENDPOINTS: dict[str, Endpoint] = {
    "realtime": Endpoint("/realtime", None, RealtimeConnectionManager, RealtimeConnection,
                         AsyncRealtimeConnectionManager, AsyncRealtimeConnection),
    "beta.realtime": Endpoint("/realtime", "realtime=v1", BetaRealtimeConnectionManager, BetaRealtimeConnection,
                              AsyncBetaRealtimeConnectionManager, AsyncBetaRealtimeConnection),
    "responses": Endpoint("/responses", None, ResponsesConnectionManager, ResponsesConnection,
                          AsyncResponsesConnectionManager, AsyncResponsesConnection),
    "beta.responses": Endpoint("/responses", None, BetaResponsesConnectionManager, BetaResponsesConnection,
                               AsyncBetaResponsesConnectionManager, AsyncBetaResponsesConnection),
    "live": Endpoint("/live/sessions", None, LiveConnectionManager, LiveConnection,
                     AsyncLiveConnectionManager, AsyncLiveConnection),
    "live.forks": Endpoint("/live/sessions/{session_id}/fork", None, ForksConnectionManager, ForksConnection,
                           AsyncForksConnectionManager, AsyncForksConnection),
    "live.sideband": Endpoint("/live/sessions/{session_id}/attach", None, SidebandConnectionManager,
                              SidebandConnection, AsyncSidebandConnectionManager, AsyncSidebandConnection),
    "realtime.translations": Endpoint("/realtime/translations", None, TranslationsConnectionManager,
                                      TranslationsConnection, AsyncTranslationsConnectionManager,
                                      AsyncTranslationsConnection),
}


def _path(template: str, path_params: Mapping[str, str]) -> str:
    for name, value in path_params.items():
        if not isinstance(value, str) or not value:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
    return template.format(**{name: quote(value, safe="") for name, value in path_params.items()})


def build(
    kind: str,
    client: Any,
    *,
    is_async: bool,
    path_params: Mapping[str, str] | None = None,
    query: Mapping[str, object] | None = None,
    extra_query: Mapping[str, object],
    extra_headers: Mapping[str, Any],
    websocket_connection_options: Mapping[str, Any],
    on_reconnecting: OnReconnecting | None,
    max_retries: int,
    initial_delay: float,
    max_delay: float,
    max_queue_size: int,
) -> Any:
    """The connection manager of endpoint `kind`; `query` holds its own parameters (`model`, `call_id`,
    `graceful_close`; None: left out), sent before `extra_query`."""
    if max_retries < 0 or initial_delay < 0 or max_delay < 0 or max_queue_size < 0:
        raise ValueError("max_retries, initial_delay, max_delay and max_queue_size must not be negative")
    endpoint = _ENDPOINTS[kind]
    path = _path(endpoint.path, path_params or {})
    settings = settings_from(websocket_connection_options)
    policy = Policy(on_reconnecting, max_retries, initial_delay, max_delay)
    extra, headers = query_copy(extra_query), dict(extra_headers)
    opens = async_opener if is_async else sync_opener
    opener: Any = opens(client, path, query=dict(query or {}), beta=endpoint.beta, settings=settings)
    cls = endpoint.async_connection if is_async else endpoint.connection
    manager_cls = endpoint.async_manager if is_async else endpoint.manager

    def factory(socket: Any, opener: Any, policy: Policy, queue: Any) -> Any:
        return cls(socket, opener, policy=policy, queue=queue, extra_query=extra, extra_headers=headers)

    return manager_cls(factory, opener, policy=policy, max_queue_size=max_queue_size, extra_query=extra, extra_headers=headers)
