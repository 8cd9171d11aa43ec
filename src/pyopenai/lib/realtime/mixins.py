"""`connect()` on the generated resources `client.realtime`, `client.beta.realtime` and `client.responses`.

The generator makes these classes bases of the resource classes (codegen/config.yaml
`resource_mixins`). This module is imported with the resource modules, so it imports nothing heavy:
the WebSocket machinery loads when `connect()` is called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..._types import Omit, given_value, omit

if TYPE_CHECKING:
    from ._connection import ReconnectingEvent, ReconnectingOverrides
    from ._managers import (
        AsyncBetaRealtimeConnectionManager,
        AsyncRealtimeConnectionManager,
        AsyncResponsesConnectionManager,
        BetaRealtimeConnectionManager,
        RealtimeConnectionManager,
        ResponsesConnectionManager,
    )
    from ._transport import WebSocketConnectionOptions

__all__ = [
    "AsyncBetaRealtimeConnectMixin",
    "AsyncRealtimeConnectMixin",
    "AsyncResponsesConnectMixin",
    "BetaRealtimeConnectMixin",
    "RealtimeConnectMixin",
    "ResponsesConnectMixin",
]

OnReconnecting = Callable[["ReconnectingEvent"], "ReconnectingOverrides | None"]
_DEFAULT_QUEUE_BYTES = 1_048_576


def _build(kind: str, resource: Any, is_async: bool, **kwargs: Any) -> Any:
    from ._managers import build

    return build(kind, resource._client, is_async=is_async, **kwargs)


class RealtimeConnectMixin:
    def connect(
        self,
        *,
        model: str | Omit = omit,
        call_id: str | Omit = omit,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> RealtimeConnectionManager:
        """Open a Realtime API WebSocket (`wss://.../v1/realtime?model=...`): `with client.realtime.connect(model=...) as c:`.

        `call_id` joins an existing call instead. `on_reconnecting` turns on reconnection after an
        abnormal close (see `pyopenai.lib.realtime`); `max_queue_size` bounds, in bytes, what `send`
        may queue meanwhile.
        """
        return _build(
            "realtime", self, False, model=given_value(model) or None, call_id=given_value(call_id) or None, extra_query=extra_query or {},
            extra_headers=extra_headers or {}, websocket_connection_options=websocket_connection_options or {},
            on_reconnecting=on_reconnecting, max_retries=max_retries, initial_delay=initial_delay,
            max_delay=max_delay, max_queue_size=max_queue_size,
        )


class AsyncRealtimeConnectMixin:
    def connect(
        self,
        *,
        model: str | Omit = omit,
        call_id: str | Omit = omit,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> AsyncRealtimeConnectionManager:
        """Open a Realtime API WebSocket: `async with client.realtime.connect(model=...) as c:`."""
        return _build(
            "realtime", self, True, model=given_value(model) or None, call_id=given_value(call_id) or None, extra_query=extra_query or {},
            extra_headers=extra_headers or {}, websocket_connection_options=websocket_connection_options or {},
            on_reconnecting=on_reconnecting, max_retries=max_retries, initial_delay=initial_delay,
            max_delay=max_delay, max_queue_size=max_queue_size,
        )


class BetaRealtimeConnectMixin:
    def connect(
        self,
        *,
        model: str,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> BetaRealtimeConnectionManager:
        """Open a WebSocket to the legacy beta Realtime API (sends `OpenAI-Beta: realtime=v1`)."""
        return _build(
            "beta.realtime", self, False, model=model, extra_query=extra_query or {},
            extra_headers=extra_headers or {}, websocket_connection_options=websocket_connection_options or {},
            on_reconnecting=on_reconnecting, max_retries=max_retries, initial_delay=initial_delay,
            max_delay=max_delay, max_queue_size=max_queue_size,
        )


class AsyncBetaRealtimeConnectMixin:
    def connect(
        self,
        *,
        model: str,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> AsyncBetaRealtimeConnectionManager:
        """Open a WebSocket to the legacy beta Realtime API (sends `OpenAI-Beta: realtime=v1`)."""
        return _build(
            "beta.realtime", self, True, model=model, extra_query=extra_query or {},
            extra_headers=extra_headers or {}, websocket_connection_options=websocket_connection_options or {},
            on_reconnecting=on_reconnecting, max_retries=max_retries, initial_delay=initial_delay,
            max_delay=max_delay, max_queue_size=max_queue_size,
        )


class ResponsesConnectMixin:
    def connect(
        self,
        *,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> ResponsesConnectionManager:
        """Open a Responses API WebSocket (`wss://.../v1/responses`): many `response.create` over one connection."""
        return _build(
            "responses", self, False, extra_query=extra_query or {}, extra_headers=extra_headers or {},
            websocket_connection_options=websocket_connection_options or {}, on_reconnecting=on_reconnecting,
            max_retries=max_retries, initial_delay=initial_delay, max_delay=max_delay, max_queue_size=max_queue_size,
        )


class AsyncResponsesConnectMixin:
    def connect(
        self,
        *,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> AsyncResponsesConnectionManager:
        """Open a Responses API WebSocket: `async with client.responses.connect() as c:`."""
        return _build(
            "responses", self, True, extra_query=extra_query or {}, extra_headers=extra_headers or {},
            websocket_connection_options=websocket_connection_options or {}, on_reconnecting=on_reconnecting,
            max_retries=max_retries, initial_delay=initial_delay, max_delay=max_delay, max_queue_size=max_queue_size,
        )
