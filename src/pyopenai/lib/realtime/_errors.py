"""The errors a WebSocket connection raises besides the API's own (`APIStatusError` on a refused handshake)."""

from __future__ import annotations

from ..._exceptions import OpenAIError

__all__ = ["WebSocketConnectionClosedError", "WebSocketQueueFullError"]


class WebSocketConnectionClosedError(OpenAIError):
    """The WebSocket closed: abnormally (`code` 1006 when the peer vanished without a close frame), with a
    close code other than a normal one, or with messages still waiting to be sent.

    `code` and `reason` are the close frame's (the peer's, or ours when we closed first);
    `unsent_messages` holds what was queued but never sent, oldest first, so it can be resent.
    """

    code: int
    reason: str
    unsent_messages: list[str | bytes]

    def __init__(
        self, message: str, *, code: int = 1006, reason: str = "", unsent_messages: list[str | bytes] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.unsent_messages = list(unsent_messages or [])


class WebSocketQueueFullError(OpenAIError):
    """A message could not be queued while (re)connecting: the send queue's byte budget is used up."""
