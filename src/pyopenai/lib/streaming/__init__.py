"""Stream helpers: accumulating wrappers around the raw SSE streams of chat completions and responses,
and the Assistants event handlers."""

from __future__ import annotations

from .assistants import (
    AssistantEventHandler,
    AssistantStreamManager,
    AsyncAssistantEventHandler,
    AsyncAssistantStreamManager,
)
from .assistants import AsyncHandlerT as AsyncAssistantEventHandlerT
from .assistants import HandlerT as AssistantEventHandlerT
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
    "AssistantEventHandler",
    "AssistantEventHandlerT",
    "AssistantStreamManager",
    "AsyncAssistantEventHandler",
    "AsyncAssistantEventHandlerT",
    "AsyncAssistantStreamManager",
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
