"""Live API connections: `client.live.connect()`, `client.live.forks.connect(session_id=...)` and
`client.live.sideband.connect(session_id=...)`.

```python
with client.live.connect() as connection:
    connection.session.start(session={"model": "gpt-live-1", "instructions": "Be brief."})
    for event in connection:
        if event.type == "session.started":
            connection.session.instructions.append(content="The user is on a train.", delegation_id=None)
        elif event.type == "session.output_transcript.delta":
            print(event.delta, end="")
```

A fork (`/live/sessions/{id}/fork`) starts from a stored session and inherits its model: send
`session.start` with overrides (possibly none). A sideband (`/live/sessions/{id}/attach`) joins a
session already running elsewhere (a SIP call, a WebRTC client): never `session.start`; it alone can
send DTMF (`connection.transport.dtmf.send(event="5")`).

Each helper sends one client event: its `type`, the arguments given, and `event_id` when given (the
server echoes it as `client_event_id`); see `_parts.py`. Receiving, listeners, reconnection and
closing are `_connection.py`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from ..._types import Omit, omit
from ._connection import AsyncConnection, SyncConnection
from ._parts import Awaited, Part, R, event

if TYPE_CHECKING:
    from ...types.live.client_event import ClientEvent
    from ...types.live.client_event_param import ClientEventParam
    from ...types.live.connect_client_event import ConnectClientEvent
    from ...types.live.connect_client_event_param import ConnectClientEventParam
    from ...types.live.connect_server_event import ConnectServerEvent  # noqa: F401
    from ...types.live.decision_item_create_event_param import ItemUnion as DecisionItemParam
    from ...types.live.fork_client_event import ForkClientEvent
    from ...types.live.fork_client_event_param import ForkClientEventParam
    from ...types.live.fork_server_event import ForkServerEvent  # noqa: F401
    from ...types.live.fork_session_config_param import ForkSessionConfigParam
    from ...types.live.server_event import ServerEvent  # noqa: F401
    from ...types.live.session_config_param import SessionConfigParam
    from ...types.live.session_update_config_param import SessionUpdateConfigParam
    from ...types.responses.response_input_item_param import ResponseInputItemParam

__all__ = [
    "AsyncForksConnection",
    "AsyncLiveConnection",
    "AsyncSidebandConnection",
    "ForksConnection",
    "LiveConnection",
    "SidebandConnection",
]

EventId = Union[str, None, Omit]

LiveSend = Union["ClientEvent", "ClientEventParam"]
ForksSend = Union["ForkClientEvent", "ForkClientEventParam"]
SidebandSend = Union["ConnectClientEvent", "ConnectClientEventParam"]


# -- the namespaces, written once for the three endpoints and both clients --------------------------


class InputAudioControls(Part[R]):
    def mute(self, *, event_id: EventId = omit) -> R:
        """`session.input_audio.mute`: stop passing input audio to the model (answered by `session.input_audio.muted`)."""
        return self._send(event("session.input_audio.mute", event_id))

    def unmute(self, *, event_id: EventId = omit) -> R:
        """`session.input_audio.unmute`: pass input audio to the model again."""
        return self._send(event("session.input_audio.unmute", event_id))


class InputAudio(InputAudioControls[R]):
    def append(self, *, audio: str, event_id: EventId = omit) -> R:
        """`session.input_audio.append`: add base64-encoded audio in the session's input format."""
        return self._send(event("session.input_audio.append", event_id, audio=audio))


class _Appendable(Part[R]):
    _type = ""

    def append(self, *, content: str, delegation_id: str | None, event_id: EventId = omit) -> R:
        """Add text context (`delegation_id`: the client delegation it belongs to, or None)."""
        return self._send(event(self._type, event_id, content=content, delegation_id=delegation_id))


class Instructions(_Appendable[R]):
    """`session.instructions.append`: instructions the model follows from now on."""

    _type = "session.instructions.append"


class Thinking(_Appendable[R]):
    """`session.thinking.append`: silent reasoning or progress the model may use, never speaks as is."""

    _type = "session.thinking.append"


class Commentary(_Appendable[R]):
    """`session.commentary.append`: context the model may tell the user about."""

    _type = "session.commentary.append"


class OutputAudioFixture(Part[R]):
    def play(self, *, audio: str, event_id: EventId = omit) -> R:
        """`session.output_audio.fixture.play`: play recorded audio (base64 PCM16, 24 kHz mono) to the user."""
        return self._send(event("session.output_audio.fixture.play", event_id, audio=audio))


class OutputAudio(Part[R]):
    @property
    def fixture(self) -> OutputAudioFixture[R]:
        return OutputAudioFixture(self._send)


class SidebandSession(Part[R]):
    """`connection.session` on a sideband: everything but `start` and sending input audio."""

    @property
    def input_audio(self) -> InputAudioControls[R]:
        return InputAudioControls(self._send)

    @property
    def instructions(self) -> Instructions[R]:
        return Instructions(self._send)

    @property
    def thinking(self) -> Thinking[R]:
        return Thinking(self._send)

    @property
    def commentary(self) -> Commentary[R]:
        return Commentary(self._send)

    @property
    def output_audio(self) -> OutputAudio[R]:
        return OutputAudio(self._send)

    def update(self, *, session: SessionUpdateConfigParam, event_id: EventId = omit) -> R:
        """`session.update`: change the running session (answered by `session.updated`)."""
        return self._send(event("session.update", event_id, session=session))

    def close(self, *, event_id: EventId = omit) -> R:
        """`session.close`: end the session (answered by `session.closed`, then the server closes)."""
        return self._send(event("session.close", event_id))


class _MediaSession(SidebandSession[R]):
    @property
    def input_audio(self) -> InputAudio[R]:
        return InputAudio(self._send)


class LiveSession(_MediaSession[R]):
    def start(self, *, session: SessionConfigParam, event_id: EventId = omit) -> R:
        """`session.start`: the first event on a new connection (model and configuration); answered by `session.started`."""
        return self._send(event("session.start", event_id, session=session))


class ForkSession(_MediaSession[R]):
    def start(self, *, session: ForkSessionConfigParam, event_id: EventId = omit) -> R:
        """`session.start` on a fork: overrides of the stored session's configuration (`{}` for none)."""
        return self._send(event("session.start", event_id, session=session))


class DecisionItem(Part[R]):
    def create(self, *, item: DecisionItemParam, event_id: EventId = omit) -> R:
        """`decision.item.create`: add an item to the decisions backend's context."""
        return self._send(event("decision.item.create", event_id, item=item))

    def delete(self, *, item_id: str, event_id: EventId = omit) -> R:
        """`decision.item.delete`: remove an item from the decisions backend's context."""
        return self._send(event("decision.item.delete", event_id, item_id=item_id))


class Decision(Part[R]):
    @property
    def item(self) -> DecisionItem[R]:
        return DecisionItem(self._send)

    def create(self, *, event_id: str) -> R:
        """`decision.create`: ask the decisions backend for a decision now (`event_id` is required)."""
        return self._send(event("decision.create", event_id))


class ResponseItem(Part[R]):
    def create(self, *, item: ResponseInputItemParam, event_id: EventId = omit) -> R:
        """`response.item.create`: add an input item (a message, a tool result) for the Responses backend."""
        return self._send(event("response.item.create", event_id, item=item))


class Response(Part[R]):
    @property
    def item(self) -> ResponseItem[R]:
        return ResponseItem(self._send)

    def create(self, *, event_id: EventId = omit) -> R:
        """`response.create`: have the Responses backend respond (or continue after tool results)."""
        return self._send(event("response.create", event_id))


class TransportDtmf(Part[R]):
    def send(self, *, event: str, event_id: EventId = omit) -> R:
        """`transport.dtmf.send` (SIP calls, sideband only): press one key (`0`-`9`, `A`-`D`, `*`, `#`)."""
        body: dict[str, object] = {"type": "transport.dtmf.send", "event": event}
        if not isinstance(event_id, Omit):
            body["event_id"] = event_id
        return self._send(body)


class Transport(Part[R]):
    @property
    def dtmf(self) -> TransportDtmf[R]:
        return TransportDtmf(self._send)


# -- the connections --------------------------------------------------------------------------------


def _live_events() -> Any:
    from ...types.live.server_event import ServerEvent

    return ServerEvent


def _fork_events() -> Any:
    from ...types.live.fork_server_event import ForkServerEvent

    return ForkServerEvent


def _sideband_events() -> Any:
    from ...types.live.connect_server_event import ConnectServerEvent

    return ConnectServerEvent


class LiveConnection(SyncConnection[LiveSend, "ServerEvent"]):
    """A Live API connection (`client.live.connect()`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: LiveSession[None] = LiveSession(self._send_event)
        self.decision: Decision[None] = Decision(self._send_event)
        self.response: Response[None] = Response(self._send_event)

    def _union(self) -> Any:
        return _live_events()


class AsyncLiveConnection(AsyncConnection[LiveSend, "ServerEvent"]):
    """A Live API connection (`client.live.connect()` on `AsyncOpenAI`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: LiveSession[Awaited] = LiveSession(self._send_event)
        self.decision: Decision[Awaited] = Decision(self._send_event)
        self.response: Response[Awaited] = Response(self._send_event)

    def _union(self) -> Any:
        return _live_events()


class ForksConnection(SyncConnection[ForksSend, "ForkServerEvent"]):
    """A fork of a stored Live session (`client.live.forks.connect(session_id=...)`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: ForkSession[None] = ForkSession(self._send_event)
        self.decision: Decision[None] = Decision(self._send_event)
        self.response: Response[None] = Response(self._send_event)

    def _union(self) -> Any:
        return _fork_events()


class AsyncForksConnection(AsyncConnection[ForksSend, "ForkServerEvent"]):
    """A fork of a stored Live session (`client.live.forks.connect(session_id=...)` on `AsyncOpenAI`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: ForkSession[Awaited] = ForkSession(self._send_event)
        self.decision: Decision[Awaited] = Decision(self._send_event)
        self.response: Response[Awaited] = Response(self._send_event)

    def _union(self) -> Any:
        return _fork_events()


class SidebandConnection(SyncConnection[SidebandSend, "ConnectServerEvent"]):
    """A sideband on a running Live session (`client.live.sideband.connect(session_id=...)`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: SidebandSession[None] = SidebandSession(self._send_event)
        self.transport: Transport[None] = Transport(self._send_event)
        self.decision: Decision[None] = Decision(self._send_event)
        self.response: Response[None] = Response(self._send_event)

    def _union(self) -> Any:
        return _sideband_events()


class AsyncSidebandConnection(AsyncConnection[SidebandSend, "ConnectServerEvent"]):
    """A sideband on a running Live session (`client.live.sideband.connect(session_id=...)` on `AsyncOpenAI`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: SidebandSession[Awaited] = SidebandSession(self._send_event)
        self.transport: Transport[Awaited] = Transport(self._send_event)
        self.decision: Decision[Awaited] = Decision(self._send_event)
        self.response: Response[Awaited] = Response(self._send_event)

    def _union(self) -> Any:
        return _sideband_events()
