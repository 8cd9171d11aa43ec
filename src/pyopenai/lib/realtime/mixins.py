"""`connect()` on the generated resources: `client.realtime`, `client.beta.realtime`, `client.responses`
(and `client.beta.responses`), `client.live` (with `client.live.forks` and `client.live.sideband`) and
`client.realtime.translations`.

The generator makes these classes bases of the resource classes (codegen/config.yaml
`resource_mixins`). This module is imported with the resource modules, so it imports nothing heavy:
the WebSocket machinery loads when `connect()` is called. The keyword arguments are the official
SDK's, in its order (its `live.connect()` and `translations.connect()` take them positionally too).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..._types import Omit, given_value, omit

if TYPE_CHECKING:
    from ._connection import ReconnectingEvent, ReconnectingOverrides
    from ._managers import (  # the managers named in the generic bases below, as strings
        AsyncBetaRealtimeConnectionManager,  # noqa: F401
        AsyncBetaResponsesConnectionManager,  # noqa: F401
        AsyncForksConnectionManager,  # noqa: F401
        AsyncLiveConnectionManager,  # noqa: F401
        AsyncRealtimeConnectionManager,  # noqa: F401
        AsyncResponsesConnectionManager,  # noqa: F401
        AsyncSidebandConnectionManager,  # noqa: F401
        AsyncTranslationsConnectionManager,  # noqa: F401
        BetaRealtimeConnectionManager,  # noqa: F401
        BetaResponsesConnectionManager,  # noqa: F401
        ForksConnectionManager,  # noqa: F401
        LiveConnectionManager,  # noqa: F401
        RealtimeConnectionManager,  # noqa: F401
        ResponsesConnectionManager,  # noqa: F401
        SidebandConnectionManager,  # noqa: F401
        TranslationsConnectionManager,  # noqa: F401
    )
    from ._transport import WebSocketConnectionOptions

__all__ = [
    "AsyncBetaRealtimeConnectMixin",
    "AsyncBetaResponsesConnectMixin",
    "AsyncForks",
    "AsyncLiveConnectMixin",
    "AsyncRealtimeConnectMixin",
    "AsyncResponsesConnectMixin",
    "AsyncSideband",
    "AsyncTranslationsConnectMixin",
    "BetaRealtimeConnectMixin",
    "BetaResponsesConnectMixin",
    "Forks",
    "LiveConnectMixin",
    "RealtimeConnectMixin",
    "ResponsesConnectMixin",
    "Sideband",
    "TranslationsConnectMixin",
]

OnReconnecting = Callable[["ReconnectingEvent"], "ReconnectingOverrides | None"]
_DEFAULT_QUEUE_BYTES = 1_048_576
M = TypeVar("M")  # the connection manager `connect()` returns: the sync or the async one

# Each `connect()` is written once, generic over the manager it returns; the sync and async classes
# name the manager and say which client they serve (`_is_async`).


class _Connects:
    _is_async: ClassVar[bool] = False

    def _build(self, kind: str, **kwargs: Any) -> Any:
        from ._managers import build

        return build(kind, getattr(self, "_client"), is_async=self._is_async, **kwargs)  # noqa: B009


def _options(
    extra_query: Mapping[str, object] | None,
    extra_headers: Mapping[str, str | Omit] | None,
    websocket_connection_options: WebSocketConnectionOptions | None,
    on_reconnecting: OnReconnecting | None,
    max_retries: int,
    initial_delay: float,
    max_delay: float,
    max_queue_size: int,
) -> dict[str, Any]:
    """The arguments every `connect()` shares, as `build()` takes them."""
    return {
        "extra_query": extra_query or {}, "extra_headers": extra_headers or {},
        "websocket_connection_options": websocket_connection_options or {}, "on_reconnecting": on_reconnecting,
        "max_retries": max_retries, "initial_delay": initial_delay, "max_delay": max_delay,
        "max_queue_size": max_queue_size,
    }


class _RealtimeConnect(_Connects, Generic[M]):
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
    ) -> M:
        """Open a Realtime API WebSocket (`wss://.../v1/realtime?model=...`): `with client.realtime.connect(model=...) as c:`
        (`async with` on `AsyncOpenAI`).

        `call_id` joins an existing call instead. `on_reconnecting` turns on reconnection after an
        abnormal close (see `pyopenai.lib.realtime`); `max_queue_size` bounds, in bytes, what `send`
        may queue meanwhile.
        """
        options = _options(extra_query, extra_headers, websocket_connection_options, on_reconnecting,
                           max_retries, initial_delay, max_delay, max_queue_size)
        query = {"model": given_value(model) or None, "call_id": given_value(call_id) or None}
        return self._build("realtime", query=query, **options)


class RealtimeConnectMixin(_RealtimeConnect["RealtimeConnectionManager"]):
    pass


class AsyncRealtimeConnectMixin(_RealtimeConnect["AsyncRealtimeConnectionManager"]):
    _is_async = True


class _BetaRealtimeConnect(_Connects, Generic[M]):
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
    ) -> M:
        """Open a WebSocket to the legacy beta Realtime API (sends `OpenAI-Beta: realtime=v1`)."""
        options = _options(extra_query, extra_headers, websocket_connection_options, on_reconnecting,
                           max_retries, initial_delay, max_delay, max_queue_size)
        return self._build("beta.realtime", query={"model": model}, **options)


class BetaRealtimeConnectMixin(_BetaRealtimeConnect["BetaRealtimeConnectionManager"]):
    pass


class AsyncBetaRealtimeConnectMixin(_BetaRealtimeConnect["AsyncBetaRealtimeConnectionManager"]):
    _is_async = True


class _ResponsesConnect(_Connects, Generic[M]):
    _endpoint: ClassVar[str] = "responses"  # `beta.responses`: the same socket, the beta event types

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
    ) -> M:
        """Open a Responses API WebSocket (`wss://.../v1/responses`): many `response.create` over one connection."""
        options = _options(extra_query, extra_headers, websocket_connection_options, on_reconnecting,
                           max_retries, initial_delay, max_delay, max_queue_size)
        return self._build(self._endpoint, **options)


class ResponsesConnectMixin(_ResponsesConnect["ResponsesConnectionManager"]):
    pass


class AsyncResponsesConnectMixin(_ResponsesConnect["AsyncResponsesConnectionManager"]):
    _is_async = True


class BetaResponsesConnectMixin(_ResponsesConnect["BetaResponsesConnectionManager"]):
    _endpoint = "beta.responses"


class AsyncBetaResponsesConnectMixin(_ResponsesConnect["AsyncBetaResponsesConnectionManager"]):
    _is_async = True
    _endpoint = "beta.responses"


class _OnClient(_Connects):
    def __init__(self, client: Any) -> None:
        self._client = client


class _Forks(_OnClient, Generic[M]):
    def connect(
        self,
        *,
        session_id: str,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> M:
        """Open `wss://.../v1/live/sessions/{session_id}/fork`; then send `session.start` with overrides (maybe `{}`)."""
        options = _options(extra_query, extra_headers, websocket_connection_options, on_reconnecting,
                           max_retries, initial_delay, max_delay, max_queue_size)
        return self._build("live.forks", path_params={"session_id": session_id}, **options)


class Forks(_Forks["ForksConnectionManager"]):
    """`client.live.forks`: fork a stored Live session over WebSocket."""


class AsyncForks(_Forks["AsyncForksConnectionManager"]):
    """`client.live.forks` on `AsyncOpenAI`."""

    _is_async = True


class _Sideband(_OnClient, Generic[M]):
    def connect(
        self,
        *,
        session_id: str,
        graceful_close: bool | Omit = omit,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> M:
        """Open `wss://.../v1/live/sessions/{session_id}/attach` (never send `session.start` there)."""
        options = _options(extra_query, extra_headers, websocket_connection_options, on_reconnecting,
                           max_retries, initial_delay, max_delay, max_queue_size)
        query = {"graceful_close": given_value(graceful_close)}
        return self._build("live.sideband", path_params={"session_id": session_id}, query=query, **options)


class Sideband(_Sideband["SidebandConnectionManager"]):
    """`client.live.sideband`: attach to a running Live session (a SIP or WebRTC call) from a server."""


class AsyncSideband(_Sideband["AsyncSidebandConnectionManager"]):
    """`client.live.sideband` on `AsyncOpenAI`."""

    _is_async = True


class _LiveConnect(_Connects, Generic[M]):
    def connect(
        self,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> M:
        """Open a Live API WebSocket (`wss://.../v1/live/sessions`); send `session.start` first, then wait for
        `session.started`: `with client.live.connect() as c:` (`async with` on `AsyncOpenAI`)."""
        options = _options(extra_query, extra_headers, websocket_connection_options, on_reconnecting,
                           max_retries, initial_delay, max_delay, max_queue_size)
        return self._build("live", **options)


class LiveConnectMixin(_LiveConnect["LiveConnectionManager"]):
    @cached_property
    def forks(self) -> Forks:
        return Forks(getattr(self, "_client"))  # noqa: B009

    @cached_property
    def sideband(self) -> Sideband:
        return Sideband(getattr(self, "_client"))  # noqa: B009


class AsyncLiveConnectMixin(_LiveConnect["AsyncLiveConnectionManager"]):
    _is_async = True

    @cached_property
    def forks(self) -> AsyncForks:
        return AsyncForks(getattr(self, "_client"))  # noqa: B009

    @cached_property
    def sideband(self) -> AsyncSideband:
        return AsyncSideband(getattr(self, "_client"))  # noqa: B009


class _TranslationsConnect(_Connects, Generic[M]):
    def connect(
        self,
        model: str,
        extra_query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str | Omit] | None = None,
        websocket_connection_options: WebSocketConnectionOptions | None = None,
        on_reconnecting: OnReconnecting | None = None,
        max_retries: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queue_size: int = _DEFAULT_QUEUE_BYTES,
    ) -> M:
        """Open a Realtime translation WebSocket (`wss://.../v1/realtime/translations?model=...`)."""
        options = _options(extra_query, extra_headers, websocket_connection_options, on_reconnecting,
                           max_retries, initial_delay, max_delay, max_queue_size)
        return self._build("realtime.translations", query={"model": model}, **options)


class TranslationsConnectMixin(_TranslationsConnect["TranslationsConnectionManager"]):
    pass


class AsyncTranslationsConnectMixin(_TranslationsConnect["AsyncTranslationsConnectionManager"]):
    _is_async = True
