"""The WebSocket APIs: `client.realtime.connect(...)`, `client.beta.realtime.connect(...)`,
`client.responses.connect(...)`, `client.live.connect()`, `client.live.forks.connect(...)`,
`client.live.sideband.connect(...)` and `client.realtime.translations.connect(...)`. Names load on
first use (`import pyopenai` imports none of this)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_exports

if TYPE_CHECKING:
    from ._connection import ReconnectingEvent as ReconnectingEvent
    from ._connection import ReconnectingOverrides as ReconnectingOverrides
    from ._errors import WebSocketConnectionClosedError as WebSocketConnectionClosedError
    from ._errors import WebSocketQueueFullError as WebSocketQueueFullError
    from ._managers import AsyncBetaRealtimeConnectionManager as AsyncBetaRealtimeConnectionManager
    from ._managers import AsyncBetaResponsesConnectionManager as AsyncBetaResponsesConnectionManager
    from ._managers import AsyncForksConnectionManager as AsyncForksConnectionManager
    from ._managers import AsyncLiveConnectionManager as AsyncLiveConnectionManager
    from ._managers import AsyncRealtimeConnectionManager as AsyncRealtimeConnectionManager
    from ._managers import AsyncResponsesConnectionManager as AsyncResponsesConnectionManager
    from ._managers import AsyncSidebandConnectionManager as AsyncSidebandConnectionManager
    from ._managers import AsyncTranslationsConnectionManager as AsyncTranslationsConnectionManager
    from ._managers import BetaRealtimeConnectionManager as BetaRealtimeConnectionManager
    from ._managers import BetaResponsesConnectionManager as BetaResponsesConnectionManager
    from ._managers import ForksConnectionManager as ForksConnectionManager
    from ._managers import LiveConnectionManager as LiveConnectionManager
    from ._managers import RealtimeConnectionManager as RealtimeConnectionManager
    from ._managers import ResponsesConnectionManager as ResponsesConnectionManager
    from ._managers import SidebandConnectionManager as SidebandConnectionManager
    from ._managers import TranslationsConnectionManager as TranslationsConnectionManager
    from ._transport import WebSocketConnectionOptions as WebSocketConnectionOptions
    from .live import AsyncForksConnection as AsyncForksConnection
    from .live import AsyncLiveConnection as AsyncLiveConnection
    from .live import AsyncSidebandConnection as AsyncSidebandConnection
    from .live import ForksConnection as ForksConnection
    from .live import LiveConnection as LiveConnection
    from .live import SidebandConnection as SidebandConnection
    from .realtime import AsyncBetaRealtimeConnection as AsyncBetaRealtimeConnection
    from .realtime import AsyncRealtimeConnection as AsyncRealtimeConnection
    from .realtime import BetaRealtimeConnection as BetaRealtimeConnection
    from .realtime import RealtimeConnection as RealtimeConnection
    from .responses import AsyncBetaResponsesConnection as AsyncBetaResponsesConnection
    from .responses import AsyncResponsesConnection as AsyncResponsesConnection
    from .responses import BetaResponsesConnection as BetaResponsesConnection
    from .responses import ResponsesConnection as ResponsesConnection
    from .translations import AsyncTranslationsConnection as AsyncTranslationsConnection
    from .translations import TranslationsConnection as TranslationsConnection

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
    "BetaResponsesConnection": ".responses",
    "AsyncBetaResponsesConnection": ".responses",
    "RealtimeConnectionManager": "._managers",
    "AsyncRealtimeConnectionManager": "._managers",
    "BetaRealtimeConnectionManager": "._managers",
    "AsyncBetaRealtimeConnectionManager": "._managers",
    "ResponsesConnectionManager": "._managers",
    "AsyncResponsesConnectionManager": "._managers",
    "BetaResponsesConnectionManager": "._managers",
    "AsyncBetaResponsesConnectionManager": "._managers",
    "LiveConnection": ".live",
    "AsyncLiveConnection": ".live",
    "ForksConnection": ".live",
    "AsyncForksConnection": ".live",
    "SidebandConnection": ".live",
    "AsyncSidebandConnection": ".live",
    "TranslationsConnection": ".translations",
    "AsyncTranslationsConnection": ".translations",
    "LiveConnectionManager": "._managers",
    "AsyncLiveConnectionManager": "._managers",
    "ForksConnectionManager": "._managers",
    "AsyncForksConnectionManager": "._managers",
    "SidebandConnectionManager": "._managers",
    "AsyncSidebandConnectionManager": "._managers",
    "TranslationsConnectionManager": "._managers",
    "AsyncTranslationsConnectionManager": "._managers",
}

__all__ = sorted(_EXPORTS)  # pyright: ignore[reportUnsupportedDunderAll]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
