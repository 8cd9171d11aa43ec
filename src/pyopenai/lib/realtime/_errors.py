"""The errors a WebSocket connection raises besides the API's own (`APIStatusError` on a refused handshake).

They are defined in `pyopenai._exceptions`, with the other errors (the official SDK's module for them).
"""

from __future__ import annotations

from ..._exceptions import WebSocketConnectionClosedError, WebSocketQueueFullError

__all__ = ["WebSocketConnectionClosedError", "WebSocketQueueFullError"]
