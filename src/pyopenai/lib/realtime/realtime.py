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
client event: a dict with its `type`, the arguments given, and `event_id` when given; the helpers are
written once for both clients (`_parts.py`). Everything else (receiving, listeners, reconnection,
closing) is described in `_connection.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from ..._types import NotGiven, Omit, omit
from ._connection import AsyncConnection, SyncConnection
from ._parts import Awaited, Part, R, event

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


# -- the helpers, written once for both clients (see `_parts.py`) -----------------------------------


class RealtimeSessionResource(Part[R]):
    def update(self, *, session: SessionParam, event_id: str | Given = omit) -> R:
        """`session.update`: change the session's configuration (answered by `session.updated`)."""
        return self._send(event("session.update", event_id, session=session))


class RealtimeTranscriptionSessionResource(Part[R]):
    def update(self, *, session: dict[str, Any], event_id: str | Given = omit) -> R:
        """`transcription_session.update` (beta): change a transcription session's configuration."""
        return self._send(event("transcription_session.update", event_id, session=session))


class RealtimeResponseResource(Part[R]):
    def create(
        self, *, response: RealtimeResponseCreateParamsParam | dict[str, Any] | Given = omit, event_id: str | Given = omit
    ) -> R:
        """`response.create`: have the model respond (settings in `response` override the session's for this one)."""
        return self._send(event("response.create", event_id, response=response))

    def cancel(self, *, response_id: str | Given = omit, event_id: str | Given = omit) -> R:
        """`response.cancel`: stop the response in progress (or the one named)."""
        return self._send(event("response.cancel", event_id, response_id=response_id))


class RealtimeInputAudioBufferResource(Part[R]):
    def append(self, *, audio: str, event_id: str | Given = omit) -> R:
        """`input_audio_buffer.append`: add base64-encoded audio bytes to the input buffer."""
        return self._send(event("input_audio_buffer.append", event_id, audio=audio))

    def commit(self, *, event_id: str | Given = omit) -> R:
        """`input_audio_buffer.commit`: make the buffered audio a user message."""
        return self._send(event("input_audio_buffer.commit", event_id))

    def clear(self, *, event_id: str | Given = omit) -> R:
        """`input_audio_buffer.clear`: drop the buffered audio."""
        return self._send(event("input_audio_buffer.clear", event_id))


class RealtimeOutputAudioBufferResource(Part[R]):
    def clear(self, *, event_id: str | Given = omit) -> R:
        """`output_audio_buffer.clear` (WebRTC/SIP): cut off the audio being played."""
        return self._send(event("output_audio_buffer.clear", event_id))


class RealtimeConversationItemResource(Part[R]):
    def create(
        self,
        *,
        item: ConversationItemParam | dict[str, Any],
        previous_item_id: str | Given = omit,
        event_id: str | Given = omit,
    ) -> R:
        """`conversation.item.create`: add a message, function call or function call output to the conversation."""
        return self._send(event("conversation.item.create", event_id, item=item, previous_item_id=previous_item_id))

    def delete(self, *, item_id: str, event_id: str | Given = omit) -> R:
        """`conversation.item.delete`: remove an item from the conversation."""
        return self._send(event("conversation.item.delete", event_id, item_id=item_id))

    def retrieve(self, *, item_id: str, event_id: str | Given = omit) -> R:
        """`conversation.item.retrieve`: ask for an item (answered by `conversation.item.retrieved`)."""
        return self._send(event("conversation.item.retrieve", event_id, item_id=item_id))

    def truncate(self, *, item_id: str, content_index: int, audio_end_ms: int, event_id: str | Given = omit) -> R:
        """`conversation.item.truncate`: cut an assistant audio message at `audio_end_ms`."""
        return self._send(
            event(
                "conversation.item.truncate", event_id,
                item_id=item_id, content_index=content_index, audio_end_ms=audio_end_ms,
            )
        )


class RealtimeConversationResource(Part[R]):
    @property
    def item(self) -> RealtimeConversationItemResource[R]:
        return RealtimeConversationItemResource(self._send)


# -- the connections --------------------------------------------------------------------------------


def _realtime_events() -> Any:
    from ...types.realtime.realtime_server_event import RealtimeServerEvent

    return RealtimeServerEvent


def _beta_events() -> Any:
    from ...types.beta.realtime.realtime_server_event import RealtimeServerEvent

    return RealtimeServerEvent


class RealtimeConnection(SyncConnection[RealtimeSend, "RealtimeServerEvent"]):
    """A live Realtime API connection (`client.realtime.connect(...)`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: RealtimeSessionResource[None] = RealtimeSessionResource(self._send_event)
        self.response: RealtimeResponseResource[None] = RealtimeResponseResource(self._send_event)
        self.input_audio_buffer: RealtimeInputAudioBufferResource[None] = RealtimeInputAudioBufferResource(self._send_event)
        self.output_audio_buffer: RealtimeOutputAudioBufferResource[None] = RealtimeOutputAudioBufferResource(self._send_event)
        self.conversation: RealtimeConversationResource[None] = RealtimeConversationResource(self._send_event)

    def _union(self) -> Any:
        return _realtime_events()


class AsyncRealtimeConnection(AsyncConnection[RealtimeSend, "RealtimeServerEvent"]):
    """A live Realtime API connection (`client.realtime.connect(...)` on `AsyncOpenAI`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: RealtimeSessionResource[Awaited] = RealtimeSessionResource(self._send_event)
        self.response: RealtimeResponseResource[Awaited] = RealtimeResponseResource(self._send_event)
        self.input_audio_buffer: RealtimeInputAudioBufferResource[Awaited] = RealtimeInputAudioBufferResource(self._send_event)
        self.output_audio_buffer: RealtimeOutputAudioBufferResource[Awaited] = RealtimeOutputAudioBufferResource(self._send_event)
        self.conversation: RealtimeConversationResource[Awaited] = RealtimeConversationResource(self._send_event)

    def _union(self) -> Any:
        return _realtime_events()


class BetaRealtimeConnection(SyncConnection[BetaRealtimeSend, "BetaRealtimeServerEvent"]):
    """A live connection to the legacy beta Realtime API (`client.beta.realtime.connect(...)`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: RealtimeSessionResource[None] = RealtimeSessionResource(self._send_event)
        self.transcription_session: RealtimeTranscriptionSessionResource[None] = RealtimeTranscriptionSessionResource(self._send_event)
        self.response: RealtimeResponseResource[None] = RealtimeResponseResource(self._send_event)
        self.input_audio_buffer: RealtimeInputAudioBufferResource[None] = RealtimeInputAudioBufferResource(self._send_event)
        self.output_audio_buffer: RealtimeOutputAudioBufferResource[None] = RealtimeOutputAudioBufferResource(self._send_event)
        self.conversation: RealtimeConversationResource[None] = RealtimeConversationResource(self._send_event)

    def _union(self) -> Any:
        return _beta_events()


class AsyncBetaRealtimeConnection(AsyncConnection[BetaRealtimeSend, "BetaRealtimeServerEvent"]):
    """A live connection to the legacy beta Realtime API (`client.beta.realtime.connect(...)` on `AsyncOpenAI`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: RealtimeSessionResource[Awaited] = RealtimeSessionResource(self._send_event)
        self.transcription_session: RealtimeTranscriptionSessionResource[Awaited] = RealtimeTranscriptionSessionResource(self._send_event)
        self.response: RealtimeResponseResource[Awaited] = RealtimeResponseResource(self._send_event)
        self.input_audio_buffer: RealtimeInputAudioBufferResource[Awaited] = RealtimeInputAudioBufferResource(self._send_event)
        self.output_audio_buffer: RealtimeOutputAudioBufferResource[Awaited] = RealtimeOutputAudioBufferResource(self._send_event)
        self.conversation: RealtimeConversationResource[Awaited] = RealtimeConversationResource(self._send_event)

    def _union(self) -> Any:
        return _beta_events()
