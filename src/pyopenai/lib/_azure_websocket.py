"""`openai.lib._azure_websocket` under the official SDK's private path, for code that imports from it.

An Azure client's WebSocket opens as every client's does (see `pyopenai.lib._websocket`): an RFC 6455
session over a connection of the client's own httpx2 pool, to the URL and with the credential header
that `AzureOpenAI._configure_realtime` gives. `_AzureWebSocketConnect` names the class that opens the
async one; a redirect is followed only as the client's HTTP client follows redirects, and an
`api-key` header never goes to another origin.
"""

from __future__ import annotations

from .realtime._transport import AsyncSocket as _AzureWebSocketConnect

__all__ = ["_AzureWebSocketConnect"]
