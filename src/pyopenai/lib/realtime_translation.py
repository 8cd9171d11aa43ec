"""Realtime translation sessions: one connection to `/v1/realtime/translations`, input closed once.

```python
from pyopenai.lib.realtime_translation import TranslationSession

with TranslationSession(client.realtime.translations, model="gpt-realtime-translate") as connection:
    connection.send({"type": "session.input_audio_buffer.append", "audio": base64_pcm16_chunk})
    connection.send({"type": "session.close"})  # no more input: the service finishes what it has
    while (event := connection.recv(timeout=30)).type != "session.closed":
        ...  # transcript deltas and translated audio up to the end
```

Unlike `client.realtime.translations.connect()`, a session never reconnects and never replays a
send (a write that failed may have reached the service: the connection is closed instead). After
`session.close` no more input is accepted (sending it again does nothing); receiving
`session.closed` closes the connection. Leaving the block closes the connection.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Generic, Literal, TypeVar, cast

from .._exceptions import OpenAIError
from .._types import Headers, Query

if TYPE_CHECKING:
    from ..resources.realtime.translations.translations import AsyncTranslations, Translations
    from ..types.realtime.realtime_translation_client_event import RealtimeTranslationClientEvent
    from ..types.realtime.realtime_translation_client_event_param import RealtimeTranslationClientEventParam
    from ..types.realtime.realtime_translation_server_event import RealtimeTranslationServerEvent
    from ..types.websocket_connection_options import SyncWebSocketConnectionOptions, WebSocketConnectionOptions
    from .realtime.translations import AsyncTranslationsConnection, TranslationsConnection

__all__ = ["AsyncTranslationConnection", "AsyncTranslationSession", "TranslationConnection", "TranslationSession"]

ResourceT = TypeVar("ResourceT")
OptionsT = TypeVar("OptionsT")

_FINISH = "session.close"
_CLOSED_EVENT = "session.closed"


def _check_target(client: object, model: object, query: Query) -> None:
    """Refuse, before connecting, what the translation endpoint cannot serve (`client`: the
    resource's `OpenAI`/`AsyncOpenAI`)."""
    import httpx2

    from .azure import AsyncAzureOpenAI, AzureOpenAI

    if not isinstance(model, str) or not model:
        raise ValueError("A translation model is required.")
    if isinstance(client, (AzureOpenAI, AsyncAzureOpenAI)) or getattr(client, "_provider_auth", None) is not None:
        raise OpenAIError("Realtime Translation is not available through this provider.")
    urls = [getattr(client, "base_url", None), getattr(client, "websocket_base_url", None)]
    queries: list[Mapping[str, object]] = [httpx2.URL(str(url)).params for url in urls if url is not None]
    default_query: object = getattr(client, "default_query", None)
    if isinstance(default_query, Mapping):
        queries.append(cast("Mapping[str, object]", default_query))
    queries.append(query)
    if any("intent" in q for q in queries):
        raise ValueError("Realtime Translation does not accept an intent query parameter.")


def _event_type(event: object) -> object:
    if isinstance(event, Mapping):
        return cast("Mapping[str, object]", event).get("type")
    return getattr(event, "type", None)


class _Input:
    """Whether input may still be sent: open, then finishing once `session.close` went out, then
    closed. Written once for both connections."""

    def __init__(self) -> None:
        self.state: Literal["open", "finishing", "closed"] = "open"

    def admit(self, event: object) -> bool:
        """Whether to send `event` (False: a repeated `session.close`, nothing to do); raises if
        input is over or the event is not a client event."""
        if not isinstance(event, Mapping) and not hasattr(event, "model_dump"):
            raise TypeError(f"A translation client event is a dict or a model, got {type(event).__name__}")
        finishing = _event_type(cast(object, event)) == _FINISH
        if self.state == "finishing" and finishing:
            return False
        if self.state != "open":
            raise OpenAIError("Realtime Translation input is closed.")
        if finishing:
            self.state = "finishing"
        return True


class TranslationConnection:
    """What `with TranslationSession(...)` gives: `send`, `recv(timeout=...)`, `close`."""

    def __init__(self, connection: TranslationsConnection) -> None:
        self._connection = connection
        self._input = _Input()
        self._send_lock = threading.Lock()

    def send(self, event: RealtimeTranslationClientEvent | RealtimeTranslationClientEventParam) -> None:
        """Send a client event (audio appends, `session.update`, then `session.close` once). A send
        that fails closes the connection: it is never retried."""
        with self._send_lock:
            if not self._input.admit(event):
                return
            try:
                self._connection.send(event)
            except BaseException:
                self._input.state = "closed"
                self._connection.close()
                raise

    def recv(self, *, timeout: float | None = None) -> RealtimeTranslationServerEvent:
        """The next server event, typed; `TimeoutError` after `timeout` seconds (nothing is lost).
        `session.closed` is returned, and closes the connection."""
        if timeout is None:
            event = self._connection.recv()
        else:
            event = self._connection.parse_event(self._connection._recv_within(timeout))  # pyright: ignore[reportPrivateUsage]
        if _event_type(event) == _CLOSED_EVENT:
            self.close()
        return event

    def close(self) -> None:
        """Close the connection (idempotent); no more input is accepted."""
        self._input.state = "closed"
        self._connection.close()


class AsyncTranslationConnection:
    """What `async with AsyncTranslationSession(...)` gives: `send`, `recv`, `close` (bound a
    wait with `asyncio.timeout`)."""

    def __init__(self, connection: AsyncTranslationsConnection) -> None:
        self._connection = connection
        self._input = _Input()
        self._send_lock = asyncio.Lock()

    async def send(self, event: RealtimeTranslationClientEvent | RealtimeTranslationClientEventParam) -> None:
        """See `TranslationConnection.send`."""
        async with self._send_lock:
            if not self._input.admit(event):
                return
            try:
                await self._connection.send(event)
            except BaseException:
                self._input.state = "closed"
                await self._connection.close()
                raise

    async def recv(self) -> RealtimeTranslationServerEvent:
        """See `TranslationConnection.recv`."""
        event = await self._connection.recv()
        if _event_type(event) == _CLOSED_EVENT:
            await self.close()
        return event

    async def close(self) -> None:
        """See `TranslationConnection.close`."""
        self._input.state = "closed"
        await self._connection.close()


class _Settings(Generic[ResourceT, OptionsT]):
    """What both sessions are given, and the one-time entry check they share."""

    def __init__(
        self, resource: ResourceT, model: str, query: Query, headers: Headers, options: OptionsT
    ) -> None:
        self._resource = resource
        self._model = model
        self._query = query
        self._headers = headers
        self._options = options
        self._entered = False

    def _start(self) -> None:
        if self._entered:
            raise RuntimeError("Translation sessions may only be entered once")
        self._entered = True
        _check_target(getattr(self._resource, "_client", None), self._model, self._query)


class TranslationSession(_Settings["Translations", "SyncWebSocketConnectionOptions"]):
    """`with TranslationSession(client.realtime.translations, model=...) as connection:` (see the module)."""

    def __init__(
        self,
        resource: Translations,
        *,
        model: str,
        extra_query: Query = {},  # noqa: B006 (read only)
        extra_headers: Headers = {},  # noqa: B006
        websocket_connection_options: SyncWebSocketConnectionOptions = {},  # noqa: B006
    ) -> None:
        super().__init__(resource, model, extra_query, extra_headers, websocket_connection_options)
        self._connection: TranslationConnection | None = None

    def __enter__(self) -> TranslationConnection:
        self._start()
        manager = self._resource.connect(
            model=self._model,
            extra_query=self._query,
            extra_headers=self._headers,
            websocket_connection_options=cast("WebSocketConnectionOptions", dict(self._options)),
        )
        self._connection = TranslationConnection(manager.enter())
        return self._connection

    enter = __enter__

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        if self._connection is not None:
            self._connection.close()


class AsyncTranslationSession(_Settings["AsyncTranslations", "WebSocketConnectionOptions"]):
    """`async with AsyncTranslationSession(client.realtime.translations, model=...) as connection:`."""

    def __init__(
        self,
        resource: AsyncTranslations,
        *,
        model: str,
        extra_query: Query = {},  # noqa: B006 (read only)
        extra_headers: Headers = {},  # noqa: B006
        websocket_connection_options: WebSocketConnectionOptions = {},  # noqa: B006
    ) -> None:
        super().__init__(resource, model, extra_query, extra_headers, websocket_connection_options)
        self._connection: AsyncTranslationConnection | None = None

    async def __aenter__(self) -> AsyncTranslationConnection:
        self._start()
        manager = self._resource.connect(
            model=self._model,
            extra_query=self._query,
            extra_headers=self._headers,
            websocket_connection_options=self._options,
        )
        self._connection = AsyncTranslationConnection(await manager.enter())
        return self._connection

    enter = __aenter__

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        if self._connection is not None:
            await self._connection.close()
