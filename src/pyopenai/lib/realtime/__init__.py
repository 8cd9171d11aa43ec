"""Realtime API and Responses over WebSocket: `client.realtime.connect(...)`, `client.beta.realtime.connect(...)`,
`client.responses.connect(...)`. Names load on first use (`import pyopenai` imports none of this)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_exports

if TYPE_CHECKING:
    from ._connection import ReconnectingEvent as ReconnectingEvent
    from ._connection import ReconnectingOverrides as ReconnectingOverrides
    from ._errors import WebSocketConnectionClosedError as WebSocketConnectionClosedError
    from ._errors import WebSocketQueueFullError as WebSocketQueueFullError
    from ._managers import AsyncBetaRealtimeConnectionManager as AsyncBetaRealtimeConnectionManager
    from ._managers import AsyncRealtimeConnectionManager as AsyncRealtimeConnectionManager
    from ._managers import AsyncResponsesConnectionManager as AsyncResponsesConnectionManager
    from ._managers import BetaRealtimeConnectionManager as BetaRealtimeConnectionManager
    from ._managers import RealtimeConnectionManager as RealtimeConnectionManager
    from ._managers import ResponsesConnectionManager as ResponsesConnectionManager
    from ._transport import WebSocketConnectionOptions as WebSocketConnectionOptions
    from .realtime import AsyncBetaRealtimeConnection as AsyncBetaRealtimeConnection
    from .realtime import AsyncRealtimeConnection as AsyncRealtimeConnection
    from .realtime import BetaRealtimeConnection as BetaRealtimeConnection
    from .realtime import RealtimeConnection as RealtimeConnection
    from .responses import AsyncResponsesConnection as AsyncResponsesConnection
    from .responses import ResponsesConnection as ResponsesConnection

_EXPORTS = {
    "ReconnectingEvent": "._connection",
    "ReconnectingOverrides": "._connection",
    "WebSocketConnectionClosedError": "._errors",
    "WebSocketQueueFullError": "._errors",
    "WebSocketConnectionOptions": "._transport",
    "RealtimeConnection": ".realtime",
    "AsyncRealtimeConnection": ".realtime",
    "BetaRealtimeConnection": ".realtime",
    "AsyncBetaRealtimeConnection": ".realtime",
    "ResponsesConnection": ".responses",
    "AsyncResponsesConnection": ".responses",
    "RealtimeConnectionManager": "._managers",
    "AsyncRealtimeConnectionManager": "._managers",
    "BetaRealtimeConnectionManager": "._managers",
    "AsyncBetaRealtimeConnectionManager": "._managers",
    "ResponsesConnectionManager": "._managers",
    "AsyncResponsesConnectionManager": "._managers",
}

__all__ = sorted(_EXPORTS)  # pyright: ignore[reportUnsupportedDunderAll]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
