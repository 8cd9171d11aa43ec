"""The official SDK's module path for the Responses stream helpers
(`openai.lib.streaming.responses._responses`): the same classes as `pyopenai.lib.streaming.responses`."""

from __future__ import annotations

from . import AsyncResponseStream as AsyncResponseStream
from . import AsyncResponseStreamManager as AsyncResponseStreamManager
from . import ResponseStream as ResponseStream
from . import ResponseStreamManager as ResponseStreamManager
from . import ResponseStreamState as ResponseStreamState

__all__ = [
    "AsyncResponseStream",
    "AsyncResponseStreamManager",
    "ResponseStream",
    "ResponseStreamManager",
    "ResponseStreamState",
]
