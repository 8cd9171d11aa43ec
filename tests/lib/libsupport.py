"""Shared pieces of the helper tests: resources with the helper mixins, synthetic SSE streams."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import httpx2
from helpers import Recorder, make_async_client, make_client

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.resource_mixins import (
    AsyncCompletionsHelpers,
    AsyncResponsesHelpers,
    CompletionsHelpers,
    ResponsesHelpers,
)


def _wired(resource: Any, mixin: type) -> Any:
    """The resource itself once the generator mixes the helpers in; until then a subclass that does."""
    if isinstance(resource, mixin):
        return resource
    cls = type(type(resource).__name__, (mixin, type(resource)), {})
    return cls(resource._client, resource._mode)


def chat(client: OpenAI) -> Any:
    return _wired(client.chat.completions, CompletionsHelpers)


def achat(client: AsyncOpenAI) -> Any:
    return _wired(client.chat.completions, AsyncCompletionsHelpers)


def responses(client: OpenAI) -> Any:
    return _wired(client.responses, ResponsesHelpers)


def aresponses(client: AsyncOpenAI) -> Any:
    return _wired(client.responses, AsyncResponsesHelpers)


# -- synthetic streams -------------------------------------------------------------------------------


def chunk(delta: dict[str, Any] | None = None, *, finish: str | None = None, index: int = 0,
          logprobs: Any = None, usage: Any = None, choices: bool = True) -> dict[str, Any]:
    """One chat.completion.chunk."""
    out: dict[str, Any] = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o"}
    out["choices"] = [{"index": index, "delta": delta or {}, "finish_reason": finish, "logprobs": logprobs}] if choices else []
    if usage is not None:
        out["usage"] = usage
    return out


def tool_delta(index: int, *, id: str | None = None, name: str | None = None, arguments: str | None = None) -> dict[str, Any]:
    call: dict[str, Any] = {"index": index}
    if id is not None:
        call.update(id=id, type="function")
    fn: dict[str, Any] = {}
    if name is not None:
        fn["name"] = name
    if arguments is not None:
        fn["arguments"] = arguments
    if fn:
        call["function"] = fn
    return {"tool_calls": [call]}


def chat_sse(chunks: Iterable[dict[str, Any]], *, done: bool = True) -> bytes:
    body = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)
    return body + (b"data: [DONE]\n\n" if done else b"")


def responses_sse(events: Iterable[dict[str, Any]]) -> bytes:
    out = b""
    for seq, e in enumerate(events):
        e = {"sequence_number": seq, **e}
        out += b"event: " + e["type"].encode() + b"\ndata: " + json.dumps(e).encode() + b"\n\n"
    return out


def sse_response(body: bytes, *, pieces: int = 1) -> httpx2.Response:
    """A text/event-stream response; `pieces` > 1 splits the body into that many network chunks."""
    size = max(1, len(body) // pieces)
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=iter(parts))


def async_sse_response(body: bytes) -> httpx2.Response:
    async def gen() -> Any:
        yield body

    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=gen())  # pyright: ignore[reportArgumentType]


def sse_client(body: bytes | Callable[[httpx2.Request], httpx2.Response]) -> tuple[OpenAI, Recorder]:
    handler = body if callable(body) else (lambda _req: sse_response(body))
    return make_client(handler)


def async_sse_client(body: bytes) -> tuple[AsyncOpenAI, Recorder]:
    return make_async_client(lambda _req: async_sse_response(body))


def completion(message: dict[str, Any], *, finish: str = "stop", id: str = "chatcmpl-1") -> dict[str, Any]:
    return {"id": id, "object": "chat.completion", "created": 1, "model": "gpt-4o",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": None, "refusal": None, **message},
                         "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def response_obj(output: list[dict[str, Any]], *, status: str = "completed", id: str = "resp_1",
                 **extra: Any) -> dict[str, Any]:
    return {"id": id, "object": "response", "created_at": 1, "model": "gpt-4o", "status": status,
            "output": output, "error": None, "incomplete_details": None, "tools": [], "parallel_tool_calls": True,
            "tool_choice": "auto", **extra}


def message_item(text: str, *, id: str = "msg_1") -> dict[str, Any]:
    return {"id": id, "type": "message", "role": "assistant", "status": "completed",
            "content": [{"type": "output_text", "text": text, "annotations": []}]}


def call_item(name: str, arguments: str, *, call_id: str = "call_1", id: str = "fc_1") -> dict[str, Any]:
    return {"id": id, "type": "function_call", "call_id": call_id, "name": name, "arguments": arguments,
            "status": "completed"}
