"""Responses over WebSocket: `client.responses.connect(...)`.

One long-lived connection to `/v1/responses` carries many responses: each `response.create` event
(the body of `POST /v1/responses`, without `stream`) is answered by the same events a streamed
response sends (`response.created`, `response.output_text.delta`, ..., `response.completed`).

```python
with client.responses.connect() as connection:
    connection.response.create(model="gpt-5", input="Say hi")
    for event in connection:
        if event.type == "response.output_text.delta":
            print(event.delta, end="")
        elif event.type in ("response.completed", "response.failed", "error"):
            break
```

Reconnection (`on_reconnecting=`), the bounded send queue and the listeners are described in
`_connection.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, Union

from ._connection import AsyncConnection, SyncConnection
from ._errors import WebSocketConnectionClosedError
from ._transport import NORMAL_CLOSURE, SocketClosed

if TYPE_CHECKING:
    from ...types.beta.beta_responses_client_event import BetaResponsesClientEvent
    from ...types.beta.beta_responses_client_event_param import BetaResponsesClientEventParam
    from ...types.beta.beta_responses_server_event import BetaResponsesServerEvent  # noqa: F401
    from ...types.responses.responses_client_event import ResponsesClientEvent
    from ...types.responses.responses_client_event_param import ResponsesClientEventParam
    from ...types.responses.responses_server_event import ResponsesServerEvent  # noqa: F401

__all__ = ["AsyncBetaResponsesConnection", "AsyncResponsesConnection", "BetaResponsesConnection", "ResponsesConnection"]

ResponsesSend = Union["ResponsesClientEvent", "ResponsesClientEventParam"]
BetaResponsesSend = Union["BetaResponsesClientEvent", "BetaResponsesClientEventParam"]
SendT = TypeVar("SendT")
EventT = TypeVar("EventT")


def _create_event(params: dict[str, Any]) -> dict[str, Any]:
    if "stream" in params:
        raise TypeError("response.create over a WebSocket is always streamed: do not pass `stream`")
    return {"type": "response.create", **params}


class ResponsesResponseResource:
    def __init__(self, connection: SyncConnection[Any, Any]) -> None:
        self._connection = connection

    def create(self, **params: Any) -> None:
        """`response.create`: start a response. Takes the `client.responses.create(...)` parameters
        (`model=`, `input=`, `instructions=`, `tools=`, `previous_response_id=`, ...) plus `stream_id=`."""
        self._connection.send(_create_event(params))


class AsyncResponsesResponseResource:
    def __init__(self, connection: AsyncConnection[Any, Any]) -> None:
        self._connection = connection

    async def create(self, **params: Any) -> None:
        """`response.create`: start a response. Takes the `client.responses.create(...)` parameters
        (`model=`, `input=`, `instructions=`, `tools=`, `previous_response_id=`, ...) plus `stream_id=`."""
        await self._connection.send(_create_event(params))


def _responses_events() -> Any:
    from ...types.responses.responses_server_event import ResponsesServerEvent

    return ResponsesServerEvent


def _beta_events() -> Any:
    # `client.beta.responses.connect()`: the beta events (`.agent` on each), as the official SDK's
    from ...types.beta.beta_responses_server_event import BetaResponsesServerEvent

    return BetaResponsesServerEvent


_RECONNECTING = "The WebSocket connection is reconnecting; restore state before sending"


class _Responses(SyncConnection[SendT, EventT]):
    response: ResponsesResponseResource

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.response = ResponsesResponseResource(self)

    # -- hooks for `pyopenai.lib.responses_websocket` (its sessions own the read side)

    def _transport(self) -> object:
        """The socket in use: another object once the connection has been re-established."""
        return self._socket

    def _send_once(self, data: str) -> None:
        """Send on the socket in use, never through the reconnection queue: a lane's request whose
        delivery is uncertain must not be replayed on a new connection, which has no state for it."""
        with self._lock:
            if self._user_closed:
                raise WebSocketConnectionClosedError("The WebSocket connection is closed", code=NORMAL_CLOSURE)
            if self._reconnecting:
                raise RuntimeError(_RECONNECTING)
            socket = self._socket
        try:
            socket.send(data)
        except SocketClosed as closed:
            raise self._closed_error(closed, [data]) from None


class _AsyncResponses(AsyncConnection[SendT, EventT]):
    response: AsyncResponsesResponseResource

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.response = AsyncResponsesResponseResource(self)

    # -- hooks for `pyopenai.lib.responses_websocket` (see the sync class)

    def _transport(self) -> object:
        return self._socket

    async def _send_once(self, data: str) -> None:
        if self._user_closed:
            raise WebSocketConnectionClosedError("The WebSocket connection is closed", code=NORMAL_CLOSURE)
        if self._reconnecting:
            raise RuntimeError(_RECONNECTING)
        try:
            await self._socket.send(data)
        except SocketClosed as closed:
            raise self._closed_error(closed, [data]) from None


class ResponsesConnection(_Responses[ResponsesSend, "ResponsesServerEvent"]):
    """A live Responses-over-WebSocket connection (`client.responses.connect(...)`)."""

    def _union(self) -> Any:
        return _responses_events()


class AsyncResponsesConnection(_AsyncResponses[ResponsesSend, "ResponsesServerEvent"]):
    """A live Responses-over-WebSocket connection (`client.responses.connect(...)`, async)."""

    def _union(self) -> Any:
        return _responses_events()


class BetaResponsesConnection(_Responses[BetaResponsesSend, "BetaResponsesServerEvent"]):
    """A live Responses-over-WebSocket connection with the beta events (`client.beta.responses.connect(...)`)."""

    def _union(self) -> Any:
        return _beta_events()


class AsyncBetaResponsesConnection(_AsyncResponses[BetaResponsesSend, "BetaResponsesServerEvent"]):
    """A live Responses-over-WebSocket connection with the beta events (`client.beta.responses.connect(...)`, async)."""

    def _union(self) -> Any:
        return _beta_events()
