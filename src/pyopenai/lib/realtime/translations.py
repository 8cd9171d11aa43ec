"""Realtime translation connections: `client.realtime.translations.connect(model=...)`.

```python
with client.realtime.translations.connect(model="gpt-realtime-translate") as connection:
    connection.session.update(session={"audio": {"output": {"language": "fr"}}})
    connection.session.input_audio_buffer.append(audio=base64_pcm16_chunk)
    for event in connection:
        if event.type == "session.output_transcript.delta":
            print(event.delta, end="")
```

The helpers are written once for both clients (`_parts.py`); everything else is `_connection.py`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from ..._types import Omit, omit
from ._connection import AsyncConnection, SyncConnection
from ._parts import Awaited, Part, R, event
from ._transport import SocketClosed

if TYPE_CHECKING:
    from ...types.realtime.realtime_translation_client_event import RealtimeTranslationClientEvent
    from ...types.realtime.realtime_translation_client_event_param import RealtimeTranslationClientEventParam
    from ...types.realtime.realtime_translation_server_event import RealtimeTranslationServerEvent  # noqa: F401
    from ...types.realtime.realtime_translation_session_update_request_param import (
        RealtimeTranslationSessionUpdateRequestParam,
    )

__all__ = ["AsyncTranslationsConnection", "TranslationsConnection"]

TranslationsSend = Union["RealtimeTranslationClientEvent", "RealtimeTranslationClientEventParam"]


class TranslationInputAudioBuffer(Part[R]):
    def append(self, *, audio: str, event_id: str | Omit = omit) -> R:
        """`session.input_audio_buffer.append`: add base64-encoded audio to translate."""
        return self._send(event("session.input_audio_buffer.append", event_id, audio=audio))


class TranslationSession(Part[R]):
    @property
    def input_audio_buffer(self) -> TranslationInputAudioBuffer[R]:
        return TranslationInputAudioBuffer(self._send)

    def update(self, *, session: RealtimeTranslationSessionUpdateRequestParam, event_id: str | Omit = omit) -> R:
        """`session.update`: change the translation session (answered by `session.updated`)."""
        return self._send(event("session.update", event_id, session=session))

    def close(self, *, event_id: str | Omit = omit) -> R:
        """`session.close`: finish translating what was sent, then end (answered by `session.closed`)."""
        return self._send(event("session.close", event_id))


def _translation_events() -> Any:
    from ...types.realtime.realtime_translation_server_event import RealtimeTranslationServerEvent

    return RealtimeTranslationServerEvent


class TranslationsConnection(SyncConnection[TranslationsSend, "RealtimeTranslationServerEvent"]):
    """A Realtime translation connection (`client.realtime.translations.connect(model=...)`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: TranslationSession[None] = TranslationSession(self._send_event)

    def _union(self) -> Any:
        return _translation_events()

    def _recv_within(self, timeout: float) -> bytes:
        """The next message within `timeout` seconds, else `TimeoutError` (no message is lost to it).
        For `pyopenai.lib.realtime_translation`, whose sessions never reconnect: no reconnection here."""
        try:
            data = self._socket.recv(timeout)
        except SocketClosed as closed:
            raise self._closed_error(closed, []) from None
        return data.encode() if isinstance(data, str) else data


class AsyncTranslationsConnection(AsyncConnection[TranslationsSend, "RealtimeTranslationServerEvent"]):
    """A Realtime translation connection (`client.realtime.translations.connect(model=...)` on `AsyncOpenAI`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: TranslationSession[Awaited] = TranslationSession(self._send_event)

    def _union(self) -> Any:
        return _translation_events()
