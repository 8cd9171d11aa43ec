"""Stream helpers: accumulating wrappers around the raw SSE streams of chat completions and responses."""

from __future__ import annotations

from .chat import (
    AsyncChatCompletionStream,
    AsyncChatCompletionStreamManager,
    ChatCompletionStream,
    ChatCompletionStreamManager,
    ChatCompletionStreamState,
)
from .responses import (
    AsyncResponseStream,
    AsyncResponseStreamManager,
    ResponseStream,
    ResponseStreamManager,
    ResponseStreamState,
)

__all__ = [
    "AsyncChatCompletionStream",
    "AsyncChatCompletionStreamManager",
    "AsyncResponseStream",
    "AsyncResponseStreamManager",
    "ChatCompletionStream",
    "ChatCompletionStreamManager",
    "ChatCompletionStreamState",
    "ResponseStream",
    "ResponseStreamManager",
    "ResponseStreamState",
]
