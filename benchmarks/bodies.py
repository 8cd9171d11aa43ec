"""Deterministic, realistic response bodies for the benchmark server, and the request payloads.

Everything here is built once when the server starts (or when a test of the harness asks). The shapes
follow the public API reference: field names and types are facts about the wire format; the texts,
ids and numbers are made up here.
"""

from __future__ import annotations

import base64
import json
import random
import struct
from typing import Any

MODEL_CHAT = "gpt-4.1-2025-04-14"
MODEL_EMBED = "text-embedding-3-small"
CREATED = 1_741_569_952

EMBED_COUNT = 100
EMBED_DIMS = 1536
FILES_TOTAL = 10_000
FILES_PAGE = 100
MODELS_COUNT = 100
STREAM_CONTENT_CHUNKS = 98  # plus the role chunk and the finish chunk: 100 chunks per stream

# What every client sends. Same values for raw, openai and pyopenai.
CHAT_MESSAGES: list[dict[str, str]] = [
    {"role": "system", "content": "You are a concise assistant for a bicycle repair shop."},
    {"role": "user", "content": "My rear derailleur skips under load. What should I check first?"},
]
RESPONSES_INPUT = "My rear derailleur skips under load. What should I check first?"
EMBED_INPUTS: list[str] = [
    f"Inventory note {i}: chain, cassette and derailleur hanger checked." for i in range(EMBED_COUNT)
]

_WORDS = (
    "Start with the derailleur hanger alignment, then check cable tension with the barrel adjuster, "
    "turning it a quarter turn at a time while shifting through the middle of the cassette. A worn "
    "chain or cassette also causes skipping under load, so measure chain stretch with a checker tool; "
    "if it reads 0.75 percent or more, replace the chain and most likely the cassette as well. Finally "
    "make sure the rear wheel is seated straight in the dropouts and the limit screws are not too tight."
).split(" ")


def _dumps(obj: object) -> bytes:
    # The API answers compact JSON without ASCII escaping; so do we.
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def _answer_pieces() -> list[str]:
    return [_WORDS[0]] + [" " + _WORDS[i % len(_WORDS)] for i in range(1, STREAM_CONTENT_CHUNKS)]


ANSWER_PIECES = _answer_pieces()
ANSWER_TEXT = "".join(ANSWER_PIECES)


def _usage_chat() -> dict[str, Any]:
    return {
        "prompt_tokens": 41,
        "completion_tokens": 98,
        "total_tokens": 139,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def chat_completion() -> bytes:
    return _dumps(
        {
            "id": "chatcmpl-Bk7qv3Zb0XyLr2m9TnA4sWc1dE5fG",
            "object": "chat.completion",
            "created": CREATED,
            "model": MODEL_CHAT,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": ANSWER_TEXT,
                        "refusal": None,
                        "annotations": list[Any](),
                    },
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": _usage_chat(),
            "service_tier": "default",
            "system_fingerprint": "fp_b3f1157249",
        }
    )


def _sse(data: bytes, event: str | None = None) -> bytes:
    head = b"event: " + event.encode() + b"\n" if event else b""
    return head + b"data: " + data + b"\n\n"


def chat_stream_events() -> list[bytes]:
    """One SSE event per list item: 100 chat.completion.chunk objects and the [DONE] marker."""
    base: dict[str, Any] = {
        "id": "chatcmpl-Bk7qv3Zb0XyLr2m9TnA4sWc1dE5fG",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": MODEL_CHAT,
        "service_tier": "default",
        "system_fingerprint": "fp_b3f1157249",
    }
    rnd = random.Random(7)

    def chunk(delta: dict[str, Any], finish: str | None) -> bytes:
        obj = dict(base)
        obj["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
        obj["obfuscation"] = "".join(rnd.choice("abcdefghijKLMNOP0123") for _ in range(rnd.randint(2, 9)))
        return _sse(_dumps(obj))

    events = [chunk({"role": "assistant", "content": "", "refusal": None}, None)]
    events += [chunk({"content": piece}, None) for piece in ANSWER_PIECES]
    events.append(chunk({}, "stop"))
    events.append(_sse(b"[DONE]"))
    return events


def _response_object(status: str, output: list[dict[str, Any]], usage: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": "resp_68a1c0f2d3e4b5a6978877665544332211",
        "object": "response",
        "created_at": CREATED,
        "status": status,
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "max_tool_calls": None,
        "model": MODEL_CHAT,
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "prompt_cache_key": None,
        "reasoning": {"effort": None, "summary": None},
        "safety_identifier": None,
        "service_tier": "default",
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        "metadata": {},
    }


def _message_item(status: str, text: str | None) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if text is not None:
        content.append({"type": "output_text", "annotations": [], "logprobs": [], "text": text})
    return {
        "id": "msg_68a1c0f3a1b2c3d4e5f60718293a4b5c",
        "type": "message",
        "status": status,
        "content": content,
        "role": "assistant",
    }


def _usage_responses() -> dict[str, Any]:
    # as the spec's examples of a Response have it (`cache_write_tokens` is required there and in the
    # official SDK's types; a body without it is built by the lenient path, not validated)
    return {
        "input_tokens": 41,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": 98,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 139,
    }


def responses_stream_events() -> list[bytes]:
    """A text answer streamed by the Responses API: lifecycle events around 98 text deltas (106 events)."""
    item_id = "msg_68a1c0f3a1b2c3d4e5f60718293a4b5c"
    usage = _usage_responses()
    rnd = random.Random(11)
    seq = 0
    events: list[bytes] = []

    def add(obj: dict[str, Any]) -> None:
        nonlocal seq
        typ = str(obj["type"])
        ordered: dict[str, Any] = {"type": typ, "sequence_number": seq}
        ordered.update(obj)
        seq += 1
        events.append(_sse(_dumps(ordered), event=typ))

    add({"type": "response.created", "response": _response_object("in_progress", [], None)})
    add({"type": "response.in_progress", "response": _response_object("in_progress", [], None)})
    add({"type": "response.output_item.added", "output_index": 0, "item": _message_item("in_progress", None)})
    part_empty: dict[str, Any] = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
    where: dict[str, Any] = {"item_id": item_id, "output_index": 0, "content_index": 0}
    add({"type": "response.content_part.added", **where, "part": part_empty})
    for piece in ANSWER_PIECES:
        obf = "".join(rnd.choice("abcdefghijKLMNOP0123") for _ in range(rnd.randint(2, 9)))
        add({"type": "response.output_text.delta", **where, "delta": piece, "logprobs": [], "obfuscation": obf})
    add({"type": "response.output_text.done", **where, "text": ANSWER_TEXT, "logprobs": []})
    part_full: dict[str, Any] = {"type": "output_text", "annotations": [], "logprobs": [], "text": ANSWER_TEXT}
    add({"type": "response.content_part.done", **where, "part": part_full})
    add({"type": "response.output_item.done", "output_index": 0, "item": _message_item("completed", ANSWER_TEXT)})
    final = _response_object("completed", [_message_item("completed", ANSWER_TEXT)], usage)
    add({"type": "response.completed", "response": final})
    return events


def response_object() -> bytes:
    return _dumps(_response_object("completed", [_message_item("completed", ANSWER_TEXT)], _usage_responses()))


def _embedding_vectors() -> list[list[float]]:
    rnd = random.Random(1536)
    vectors: list[list[float]] = []
    for _ in range(EMBED_COUNT):
        raw = [rnd.gauss(0.0, 0.025) for _ in range(EMBED_DIMS)]
        # Round-trip through float32 like the service's values, printed with the precision it prints.
        packed = struct.pack(f"<{EMBED_DIMS}f", *raw)
        vectors.append([float(f"{v:.9g}") for v in struct.unpack(f"<{EMBED_DIMS}f", packed)])
    return vectors


def embeddings(vectors: list[list[float]], *, as_base64: bool) -> bytes:
    data: list[dict[str, Any]] = []
    for i, vec in enumerate(vectors):
        value: object = base64.b64encode(struct.pack(f"<{len(vec)}f", *vec)).decode() if as_base64 else vec
        data.append({"object": "embedding", "index": i, "embedding": value})
    return _dumps(
        {"object": "list", "data": data, "model": MODEL_EMBED, "usage": {"prompt_tokens": 1300, "total_tokens": 1300}}
    )


def embedding_bodies() -> tuple[bytes, bytes]:
    """(float JSON body, base64 body) for the same 100 x 1536 vectors."""
    vectors = _embedding_vectors()
    return embeddings(vectors, as_base64=False), embeddings(vectors, as_base64=True)


def file_pages() -> dict[str, bytes]:
    """Pages of the files list keyed by the ``after`` cursor that asks for them ("" = first page)."""
    purposes = ("assistants", "fine-tune", "batch", "user_data", "vision")
    files: list[dict[str, Any]] = []
    for i in range(FILES_TOTAL):
        files.append(
            {
                "object": "file",
                "id": f"file-{i:06d}Q7mZ2kT9vBx4RcN8",
                "purpose": purposes[i % len(purposes)],
                "filename": f"dataset-{i:05d}.jsonl",
                "bytes": 1024 + (i * 7919) % 500_000,
                "created_at": CREATED - i * 60,
                "expires_at": None,
                "status": "processed",
                "status_details": None,
            }
        )
    pages: dict[str, bytes] = {}
    after = ""
    for start in range(0, FILES_TOTAL, FILES_PAGE):
        chunk = files[start : start + FILES_PAGE]
        body = {
            "object": "list",
            "data": chunk,
            "first_id": chunk[0]["id"],
            "last_id": chunk[-1]["id"],
            "has_more": start + FILES_PAGE < FILES_TOTAL,
        }
        pages[after] = _dumps(body)
        after = str(chunk[-1]["id"])
    return pages


def models_list() -> bytes:
    families = ("gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "o3", "o4-mini", "text-embedding-3", "whisper")
    data = [
        {
            "id": f"{families[i % len(families)]}-{2024 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}-v{i}",
            "object": "model",
            "created": CREATED - i * 86_400,
            "owned_by": "system" if i % 3 else "openai",
        }
        for i in range(MODELS_COUNT)
    ]
    return _dumps({"object": "list", "data": data})


def chat_request() -> dict[str, Any]:
    return {"model": MODEL_CHAT, "messages": CHAT_MESSAGES}
