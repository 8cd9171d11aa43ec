"""The context managers `connect()` returns, and how they are built from a client's settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._connection import AsyncConnectionManager, Policy, ReconnectingEvent, ReconnectingOverrides, SyncConnectionManager
from ._endpoint import async_opener, sync_opener
from ._transport import settings_from
from .realtime import AsyncBetaRealtimeConnection, AsyncRealtimeConnection, BetaRealtimeConnection, RealtimeConnection
from .responses import AsyncResponsesConnection, ResponsesConnection

__all__ = [
    "AsyncBetaRealtimeConnectionManager",
    "AsyncRealtimeConnectionManager",
    "AsyncResponsesConnectionManager",
    "BetaRealtimeConnectionManager",
    "RealtimeConnectionManager",
    "ResponsesConnectionManager",
    "build",
]

OnReconnecting = Callable[[ReconnectingEvent], "ReconnectingOverrides | None"]


class RealtimeConnectionManager(SyncConnectionManager[RealtimeConnection]):
    """`with client.realtime.connect(model=...) as connection:` (or `.enter()`)."""


class BetaRealtimeConnectionManager(SyncConnectionManager[BetaRealtimeConnection]):
    """`with client.beta.realtime.connect(model=...) as connection:` (or `.enter()`)."""


class ResponsesConnectionManager(SyncConnectionManager[ResponsesConnection]):
    """`with client.responses.connect() as connection:` (or `.enter()`)."""


class AsyncRealtimeConnectionManager(AsyncConnectionManager[AsyncRealtimeConnection]):
    """`async with client.realtime.connect(model=...) as connection:` (or `await .enter()`)."""


class AsyncBetaRealtimeConnectionManager(AsyncConnectionManager[AsyncBetaRealtimeConnection]):
    """`async with client.beta.realtime.connect(model=...) as connection:` (or `await .enter()`)."""


class AsyncResponsesConnectionManager(AsyncConnectionManager[AsyncResponsesConnection]):
    """`async with client.responses.connect() as connection:` (or `await .enter()`)."""


_KINDS: dict[str, tuple[str, str | None, Any, Any, Any, Any]] = {
    # kind: (path, OpenAI-Beta, sync manager, sync connection, async manager, async connection)
    "realtime": ("/realtime", None, RealtimeConnectionManager, RealtimeConnection,
                 AsyncRealtimeConnectionManager, AsyncRealtimeConnection),
    "beta.realtime": ("/realtime", "realtime=v1", BetaRealtimeConnectionManager, BetaRealtimeConnection,
                      AsyncBetaRealtimeConnectionManager, AsyncBetaRealtimeConnection),
    "responses": ("/responses", None, ResponsesConnectionManager, ResponsesConnection,
                  AsyncResponsesConnectionManager, AsyncResponsesConnection),
}


def build(
    kind: str,
    client: Any,
    *,
    is_async: bool,
    model: str | None = None,
    call_id: str | None = None,
    extra_query: Mapping[str, object],
    extra_headers: Mapping[str, Any],
    websocket_connection_options: Mapping[str, Any],
    on_reconnecting: OnReconnecting | None,
    max_retries: int,
    initial_delay: float,
    max_delay: float,
    max_queue_size: int,
) -> Any:
    if max_retries < 0 or initial_delay < 0 or max_delay < 0 or max_queue_size < 0:
        raise ValueError("max_retries, initial_delay, max_delay and max_queue_size must not be negative")
    path, beta, manager, connection, async_manager, async_connection = _KINDS[kind]
    settings = settings_from(websocket_connection_options)
    policy = Policy(on_reconnecting, max_retries, initial_delay, max_delay)
    query, headers = dict(extra_query), dict(extra_headers)
    if is_async:
        opener: Any = async_opener(client, path, model=model, call_id=call_id, beta=beta, settings=settings)
        cls = async_connection
        manager_cls = async_manager
    else:
        opener = sync_opener(client, path, model=model, call_id=call_id, beta=beta, settings=settings)
        cls = connection
        manager_cls = manager

    def factory(socket: Any, opener: Any, policy: Policy, queue: Any) -> Any:
        return cls(socket, opener, policy=policy, queue=queue, extra_query=query, extra_headers=headers)

    return manager_cls(
        factory, opener, policy=policy, max_queue_size=max_queue_size, extra_query=query, extra_headers=headers
    )
