"""`openai.lib._websocket` under the official SDK's private path, for code that imports from it.

pyopenai does not use the `websockets` package: its WebSocket is an RFC 6455 session over a
connection of the client's own httpx2 pool (`pyopenai.lib.realtime._transport`). `_WebSocketConnect`
names the class that opens the async one (`await _WebSocketConnect.open(...)`); patching it does not
replace a `websockets` connector, because there is none.
"""

from __future__ import annotations

from .realtime._transport import AsyncSocket as _WebSocketConnect

__all__ = ["_WebSocketConnect"]
