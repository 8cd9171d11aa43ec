"""Realtime API connections: `client.realtime.connect(...)` and the legacy `client.beta.realtime.connect(...)`.

```python
with client.realtime.connect(model="gpt-realtime") as connection:
    connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
    connection.conversation.item.create(
        item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hi"}]}
    )
    connection.response.create()
    for event in connection:
        if event.type == "response.output_text.delta":
            print(event.delta, end="")
        elif event.type == "response.done":
            break
```

Each helper (`connection.session.update(...)`, `connection.response.create(...)`, ...) sends one
client event: a dict with its `type`, the arguments given, and `event_id` when given. Everything else
(receiving, listeners, reconnection, closing) is described in `_connection.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from ..._types import NotGiven, Omit, omit
from ._connection import AsyncConnection, SyncConnection
from ._parts import event

if TYPE_CHECKING:
    from ...types.beta.realtime.realtime_client_event import RealtimeClientEvent as BetaRealtimeClientEvent
    from ...types.beta.realtime.realtime_client_event_param import (
        RealtimeClientEventParam as BetaRealtimeClientEventParam,
    )
    from ...types.beta.realtime.realtime_server_event import RealtimeServerEvent as BetaRealtimeServerEvent  # noqa: F401
    from ...types.realtime.conversation_item_param import ConversationItemParam
    from ...types.realtime.realtime_client_event import RealtimeClientEvent
    from ...types.realtime.realtime_client_event_param import RealtimeClientEventParam
    from ...types.realtime.realtime_response_create_params_param import RealtimeResponseCreateParamsParam
    from ...types.realtime.realtime_server_event import RealtimeServerEvent  # noqa: F401
    from ...types.realtime.realtime_session_create_request_param import RealtimeSessionCreateRequestParam
    from ...types.realtime.realtime_transcription_session_create_request_param import (
        RealtimeTranscriptionSessionCreateRequestParam,
    )

__all__ = [
    "AsyncBetaRealtimeConnection",
    "AsyncRealtimeConnection",
    "BetaRealtimeConnection",
    "RealtimeConnection",
]

Given = Union[Omit, NotGiven]
RealtimeSend = Union["RealtimeClientEvent", "RealtimeClientEventParam"]
BetaRealtimeSend = Union["BetaRealtimeClientEvent", "BetaRealtimeClientEventParam"]
SessionParam = Union["RealtimeSessionCreateRequestParam", "RealtimeTranscriptionSessionCreateRequestParam", dict[str, Any]]


# -- sync helpers -----------------------------------------------------------------------------------


class _SyncResource:
    def __init__(self, connection: SyncConnection[Any, Any]) -> None:
        self._connection = connection


class RealtimeSessionResource(_SyncResource):
    def update(self, *, session: SessionParam, event_id: str | Given = omit) -> None:
        """`session.update`: change the session's configuration (answered by `session.updated`)."""
        self._connection.send(event("session.update", event_id, session=session))


class RealtimeTranscriptionSessionResource(_SyncResource):
    def update(self, *, session: dict[str, Any], event_id: str | Given = omit) -> None:
        """`transcription_session.update` (beta): change a transcription session's configuration."""
        self._connection.send(event("transcription_session.update", event_id, session=session))


class RealtimeResponseResource(_SyncResource):
    def create(
        self, *, response: RealtimeResponseCreateParamsParam | dict[str, Any] | Given = omit, event_id: str | Given = omit
    ) -> None:
        """`response.create`: have the model respond (settings in `response` override the session's for this one)."""
        self._connection.send(event("response.create", event_id, response=response))

    def cancel(self, *, response_id: str | Given = omit, event_id: str | Given = omit) -> None:
        """`response.cancel`: stop the response in progress (or the one named)."""
        self._connection.send(event("response.cancel", event_id, response_id=response_id))


class RealtimeInputAudioBufferResource(_SyncResource):
    def append(self, *, audio: str, event_id: str | Given = omit) -> None:
        """`input_audio_buffer.append`: add base64-encoded audio bytes to the input buffer."""
        self._connection.send(event("input_audio_buffer.append", event_id, audio=audio))

    def commit(self, *, event_id: str | Given = omit) -> None:
        """`input_audio_buffer.commit`: make the buffered audio a user message."""
        self._connection.send(event("input_audio_buffer.commit", event_id))

    def clear(self, *, event_id: str | Given = omit) -> None:
        """`input_audio_buffer.clear`: drop the buffered audio."""
        self._connection.send(event("input_audio_buffer.clear", event_id))


class RealtimeOutputAudioBufferResource(_SyncResource):
    def clear(self, *, event_id: str | Given = omit) -> None:
        """`output_audio_buffer.clear` (WebRTC/SIP): cut off the audio being played."""
        self._connection.send(event("output_audio_buffer.clear", event_id))


class RealtimeConversationItemResource(_SyncResource):
    def create(
        self,
        *,
        item: ConversationItemParam | dict[str, Any],
        previous_item_id: str | Given = omit,
        event_id: str | Given = omit,
    ) -> None:
        """`conversation.item.create`: add a message, function call or function call output to the conversation."""
        self._connection.send(event("conversation.item.create", event_id, item=item, previous_item_id=previous_item_id))

    def delete(self, *, item_id: str, event_id: str | Given = omit) -> None:
        """`conversation.item.delete`: remove an item from the conversation."""
        self._connection.send(event("conversation.item.delete", event_id, item_id=item_id))

    def retrieve(self, *, item_id: str, event_id: str | Given = omit) -> None:
        """`conversation.item.retrieve`: ask for an item (answered by `conversation.item.retrieved`)."""
        self._connection.send(event("conversation.item.retrieve", event_id, item_id=item_id))

    def truncate(self, *, item_id: str, content_index: int, audio_end_ms: int, event_id: str | Given = omit) -> None:
        """`conversation.item.truncate`: cut an assistant audio message at `audio_end_ms`."""
        self._connection.send(
            event(
                "conversation.item.truncate", event_id,
                item_id=item_id, content_index=content_index, audio_end_ms=audio_end_ms,
            )
        )


class RealtimeConversationResource(_SyncResource):
    @property
    def item(self) -> RealtimeConversationItemResource:
        return RealtimeConversationItemResource(self._connection)


class RealtimeConnection(SyncConnection[RealtimeSend, "RealtimeServerEvent"]):
    """A live Realtime API connection (`client.realtime.connect(...)`)."""

    session: RealtimeSessionResource
    response: RealtimeResponseResource
    input_audio_buffer: RealtimeInputAudioBufferResource
    output_audio_buffer: RealtimeOutputAudioBufferResource
    conversation: RealtimeConversationResource

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = RealtimeSessionResource(self)
        self.response = RealtimeResponseResource(self)
        self.input_audio_buffer = RealtimeInputAudioBufferResource(self)
        self.output_audio_buffer = RealtimeOutputAudioBufferResource(self)
        self.conversation = RealtimeConversationResource(self)

    def _union(self) -> Any:
        from ...types.realtime.realtime_server_event import RealtimeServerEvent

        return RealtimeServerEvent


class BetaRealtimeConnection(SyncConnection[BetaRealtimeSend, "BetaRealtimeServerEvent"]):
    """A live connection to the legacy beta Realtime API (`client.beta.realtime.connect(...)`)."""

    session: RealtimeSessionResource
    transcription_session: RealtimeTranscriptionSessionResource
    response: RealtimeResponseResource
    input_audio_buffer: RealtimeInputAudioBufferResource
    output_audio_buffer: RealtimeOutputAudioBufferResource
    conversation: RealtimeConversationResource

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = RealtimeSessionResource(self)
        self.transcription_session = RealtimeTranscriptionSessionResource(self)
        self.response = RealtimeResponseResource(self)
        self.input_audio_buffer = RealtimeInputAudioBufferResource(self)
        self.output_audio_buffer = RealtimeOutputAudioBufferResource(self)
        self.conversation = RealtimeConversationResource(self)

    def _union(self) -> Any:
        from ...types.beta.realtime.realtime_server_event import RealtimeServerEvent

        return RealtimeServerEvent


# -- async helpers ----------------------------------------------------------------------------------


class _AsyncResource:
    def __init__(self, connection: AsyncConnection[Any, Any]) -> None:
        self._connection = connection


class AsyncRealtimeSessionResource(_AsyncResource):
    async def update(
        self, *, session: SessionParam, event_id: str | Given = omit
    ) -> None:
        """`session.update`: change the session's configuration (answered by `session.updated`)."""
        await self._connection.send(event("session.update", event_id, session=session))


class AsyncRealtimeTranscriptionSessionResource(_AsyncResource):
    async def update(self, *, session: dict[str, Any], event_id: str | Given = omit) -> None:
        """`transcription_session.update` (beta): change a transcription session's configuration."""
        await self._connection.send(event("transcription_session.update", event_id, session=session))


class AsyncRealtimeResponseResource(_AsyncResource):
    async def create(
        self, *, response: RealtimeResponseCreateParamsParam | dict[str, Any] | Given = omit, event_id: str | Given = omit
    ) -> None:
        """`response.create`: have the model respond (settings in `response` override the session's for this one)."""
        await self._connection.send(event("response.create", event_id, response=response))

    async def cancel(self, *, response_id: str | Given = omit, event_id: str | Given = omit) -> None:
        """`response.cancel`: stop the response in progress (or the one named)."""
        await self._connection.send(event("response.cancel", event_id, response_id=response_id))


class AsyncRealtimeInputAudioBufferResource(_AsyncResource):
    async def append(self, *, audio: str, event_id: str | Given = omit) -> None:
        """`input_audio_buffer.append`: add base64-encoded audio bytes to the input buffer."""
        await self._connection.send(event("input_audio_buffer.append", event_id, audio=audio))

    async def commit(self, *, event_id: str | Given = omit) -> None:
        """`input_audio_buffer.commit`: make the buffered audio a user message."""
        await self._connection.send(event("input_audio_buffer.commit", event_id))

    async def clear(self, *, event_id: str | Given = omit) -> None:
        """`input_audio_buffer.clear`: drop the buffered audio."""
        await self._connection.send(event("input_audio_buffer.clear", event_id))


class AsyncRealtimeOutputAudioBufferResource(_AsyncResource):
    async def clear(self, *, event_id: str | Given = omit) -> None:
        """`output_audio_buffer.clear` (WebRTC/SIP): cut off the audio being played."""
        await self._connection.send(event("output_audio_buffer.clear", event_id))


class AsyncRealtimeConversationItemResource(_AsyncResource):
    async def create(
        self,
        *,
        item: ConversationItemParam | dict[str, Any],
        previous_item_id: str | Given = omit,
        event_id: str | Given = omit,
    ) -> None:
        """`conversation.item.create`: add a message, function call or function call output to the conversation."""
        await self._connection.send(
            event("conversation.item.create", event_id, item=item, previous_item_id=previous_item_id)
        )

    async def delete(self, *, item_id: str, event_id: str | Given = omit) -> None:
        """`conversation.item.delete`: remove an item from the conversation."""
        await self._connection.send(event("conversation.item.delete", event_id, item_id=item_id))

    async def retrieve(self, *, item_id: str, event_id: str | Given = omit) -> None:
        """`conversation.item.retrieve`: ask for an item (answered by `conversation.item.retrieved`)."""
        await self._connection.send(event("conversation.item.retrieve", event_id, item_id=item_id))

    async def truncate(
        self, *, item_id: str, content_index: int, audio_end_ms: int, event_id: str | Given = omit
    ) -> None:
        """`conversation.item.truncate`: cut an assistant audio message at `audio_end_ms`."""
        await self._connection.send(
            event(
                "conversation.item.truncate", event_id,
                item_id=item_id, content_index=content_index, audio_end_ms=audio_end_ms,
            )
        )


class AsyncRealtimeConversationResource(_AsyncResource):
    @property
    def item(self) -> AsyncRealtimeConversationItemResource:
        return AsyncRealtimeConversationItemResource(self._connection)


class AsyncRealtimeConnection(AsyncConnection[RealtimeSend, "RealtimeServerEvent"]):
    """A live Realtime API connection (`await client.realtime.connect(...)` / `async with`)."""

    session: AsyncRealtimeSessionResource
    response: AsyncRealtimeResponseResource
    input_audio_buffer: AsyncRealtimeInputAudioBufferResource
    output_audio_buffer: AsyncRealtimeOutputAudioBufferResource
    conversation: AsyncRealtimeConversationResource

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = AsyncRealtimeSessionResource(self)
        self.response = AsyncRealtimeResponseResource(self)
        self.input_audio_buffer = AsyncRealtimeInputAudioBufferResource(self)
        self.output_audio_buffer = AsyncRealtimeOutputAudioBufferResource(self)
        self.conversation = AsyncRealtimeConversationResource(self)

    def _union(self) -> Any:
        from ...types.realtime.realtime_server_event import RealtimeServerEvent

        return RealtimeServerEvent


class AsyncBetaRealtimeConnection(AsyncConnection[BetaRealtimeSend, "BetaRealtimeServerEvent"]):
    """A live connection to the legacy beta Realtime API (`client.beta.realtime.connect(...)`)."""

    session: AsyncRealtimeSessionResource
    transcription_session: AsyncRealtimeTranscriptionSessionResource
    response: AsyncRealtimeResponseResource
    input_audio_buffer: AsyncRealtimeInputAudioBufferResource
    output_audio_buffer: AsyncRealtimeOutputAudioBufferResource
    conversation: AsyncRealtimeConversationResource

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = AsyncRealtimeSessionResource(self)
        self.transcription_session = AsyncRealtimeTranscriptionSessionResource(self)
        self.response = AsyncRealtimeResponseResource(self)
        self.input_audio_buffer = AsyncRealtimeInputAudioBufferResource(self)
        self.output_audio_buffer = AsyncRealtimeOutputAudioBufferResource(self)
        self.conversation = AsyncRealtimeConversationResource(self)

    def _union(self) -> Any:
        from ...types.beta.realtime.realtime_server_event import RealtimeServerEvent

        return RealtimeServerEvent

