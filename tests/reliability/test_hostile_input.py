"""Hostile and arbitrary input, with hypothesis: the decoders and encoders hold their invariants.

- SSE: arbitrary bytes (invalid UTF-8, CR/LF/CRLF mixed, NULs) decode to the same events however
  they are chunked, and to what an independent reference parser of the whole input gives;
- multipart: bodies built by the client parse back, with the stdlib `email` parser, to the fields
  and files that went in (arbitrary text values, arbitrary file bytes, nested fields);
- query strings: nested params reach the URL as the brackets-style pairs an independent flattener
  predicts, and `urllib.parse.parse_qsl` reads them back exactly;
- response models (`ChatCompletion`, `Response`, a completion chunk) never crash on arbitrary JSON,
  wrong types, unknown enum values, nulls or missing fields, keep unknown fields, and survive
  `to_dict`, `model_dump`, `repr`, pickling and copying;
- webhook verification rejects every mutation of a signed delivery.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import pickle
import time
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

import httpx2
import pytest
from helpers import json_response, make_client
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from pyopenai import InvalidWebhookSignatureError
from pyopenai._models import BaseModel, parse_json
from pyopenai._qs import flatten
from pyopenai._request_plan import RequestPlan
from pyopenai._streaming import SSEDecoder
from pyopenai.lib.webhooks import verify_signature
from pyopenai.types.chat import ChatCompletion, ChatCompletionChunk
from pyopenai.types.responses import Response

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- SSE -------------------------------------------------------------------------------------------------

SSE_PIECES = st.one_of(
    st.sampled_from([b"", b"\n", b"\r", b"\r\n", b"\n\n", b"\r\n\r\n", b"data:", b"data: ", b"event:", b"id:", b"id: 7",
                     b"retry:", b"retry: 10", b":", b": comment", b"[DONE]", b"\x00", b"\xff\xfe", b"\xc3", b"\xa9",
                     b"\xe2\x9c", b"\x93", b" ", b"{}"]),
    st.binary(max_size=12),
)
SSE_BYTES = st.lists(SSE_PIECES, max_size=40).map(b"".join)


def decode(chunks: list[bytes]) -> list[tuple[str | None, str, str | None, int | None]]:
    decoder = SSEDecoder()
    events = [e for c in chunks for e in decoder.feed(c)] + decoder.flush()
    return [(e.event, e.data, e.id, e.retry) for e in events]


def reference_decode(raw: bytes) -> list[tuple[str | None, str, str | None, int | None]]:
    """The SSE rules applied to the whole input at once (written independently of the decoder)."""
    lines: list[bytes] = []
    current = bytearray()
    i = 0
    while i < len(raw):
        byte = raw[i : i + 1]
        if byte == b"\r":
            lines.append(bytes(current))
            current = bytearray()
            if raw[i + 1 : i + 2] == b"\n":
                i += 1
        elif byte == b"\n":
            lines.append(bytes(current))
            current = bytearray()
        else:
            current += byte
        i += 1
    # the last, unterminated line and an event no blank line ended are dropped at the end of the body
    events: list[tuple[str | None, str, str | None, int | None]] = []
    name: str | None = None
    data: list[str] = []
    last_id: str | None = None
    retry: int | None = None
    for line in lines:
        if line == b"":
            if data or name is not None:
                events.append((name, "\n".join(data), last_id, retry))
                retry = None  # a `retry:` in a block with no event rides on the next event
            name, data = None, []
            continue
        if line.startswith(b":"):
            continue
        field, colon, value = line.partition(b":")
        if colon and value.startswith(b" "):
            value = value[1:]
        text = value.decode("utf-8", errors="replace")
        if field == b"data":
            data.append(text)
        elif field == b"event":
            name = text
        elif field == b"id" and "\0" not in text:
            last_id = text
        elif field == b"retry" and text.isdigit() and text.isascii():
            retry = int(text)
    return events


def split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted(min(c, len(raw)) for c in cuts)  # duplicates allowed: empty chunks happen too
    return [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)])]


@settings(FAST, max_examples=1500)
@given(raw=SSE_BYTES, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=25))
def test_sse_any_bytes_any_chunking_same_events(raw: bytes, cuts: list[int]) -> None:
    whole = decode([raw])
    assert decode(split(raw, cuts)) == whole
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == whole  # one byte at a time
    assert whole == reference_decode(raw)


@settings(FAST, max_examples=1000)
@given(chunks=st.lists(SSE_PIECES, max_size=40))
def test_sse_chunks_cut_at_token_edges_even_empty_ones(chunks: list[bytes]) -> None:
    """Chunks ending exactly on CR, LF, field names or inside a UTF-8 character, and empty chunks."""
    assert decode(chunks) == decode([b"".join(chunks)]) == reference_decode(b"".join(chunks))


# -- multipart -------------------------------------------------------------------------------------------

NAME = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters='"\\[]%'),
               min_size=1, max_size=12)
VALUE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
FILE_BYTES = st.one_of(st.binary(max_size=300), st.sampled_from([b"--", b"\r\n--", b"\r\n\r\n", b"--\r\n", b""]))
# the email parser strips a filename's outer spaces: keep them inside
FILENAME = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E, blacklist_characters='"\\%/'),
                   min_size=1, max_size=16).map(str.strip).filter(bool)


def parse_multipart(request: httpx2.Request) -> list[tuple[str, str | None, bytes]]:
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    assert message.is_multipart() and not message.defects, message.defects
    out: list[tuple[str, str | None, bytes]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        # the raw parameter: email.utils.unquote would also strip a filename's angle brackets
        filename = part.get_param("filename", header="content-disposition", unquote=False)
        if isinstance(filename, str) and len(filename) >= 2 and filename[0] == filename[-1] == '"':
            filename = filename[1:-1]
        out.append((str(name), filename if isinstance(filename, str) else None,
                    payload if isinstance(payload, bytes) else b""))
    return out


@settings(FAST, max_examples=300)
@given(
    fields=st.dictionaries(NAME, st.one_of(VALUE, st.lists(VALUE, max_size=3), st.dictionaries(NAME, VALUE, max_size=3)),
                           max_size=5),
    files=st.dictionaries(NAME.map(lambda n: "f_" + n), st.tuples(FILENAME, FILE_BYTES), min_size=1, max_size=3),
)
def test_multipart_round_trips_through_the_email_parser(fields: dict[str, Any], files: dict[str, Any]) -> None:
    client, rec = make_client(lambda r: json_response({}))
    client.post("/upload", cast_to=object, body=fields, files=files)
    parts = parse_multipart(rec.last)
    expected_fields = [(k, None, v.encode()) for k, v in flatten(fields)]
    expected_files = [(name, filename, content) for name, (filename, content) in files.items()]
    assert sorted(p for p in parts if p[1] is None) == sorted(expected_fields)
    assert sorted(p for p in parts if p[1] is not None) == sorted(expected_files)


@settings(FAST, max_examples=200)
@given(fields=st.dictionaries(NAME, st.one_of(VALUE, st.lists(VALUE, max_size=3)), min_size=1, max_size=5))
def test_fields_only_multipart_round_trips(fields: dict[str, Any]) -> None:
    """A multipart form whose file field was left out is encoded by the client itself: same promise."""
    fields.pop("file", None)  # the (omitted) file field's own name
    assume(flatten(fields))  # a multipart body needs at least one part (RFC 2046)
    client, rec = make_client(lambda r: json_response({}))
    plan = RequestPlan(method="post", url="/upload", json_data={**fields, "file": None}, multipart=True,
                       file_fields=("file",))
    client.request(plan, cast_to=object)
    parts = parse_multipart(rec.last)
    assert sorted(parts) == sorted((k, None, v.encode()) for k, v in flatten(fields))


# -- query strings ---------------------------------------------------------------------------------------

QS_KEY = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="[]"), min_size=1,
                 max_size=10)
QS_SCALAR = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=15), st.integers(),
                      st.booleans(), st.none())
QS_VALUE = st.recursive(QS_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(QS_KEY, inner, max_size=3)), max_leaves=8)


def reference_pairs(key: str, value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, bool):
        return [(key, "true" if value else "false")]
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in reference_pairs(f"{key}[{k}]", v)]
    if isinstance(value, list):
        return [pair for v in value for pair in reference_pairs(key if key.endswith("[]") else key + "[]", v)]
    return [(key, str(value))]


@settings(FAST, max_examples=500)
@given(params=st.dictionaries(QS_KEY, QS_VALUE, max_size=6))
def test_query_strings_round_trip(params: dict[str, Any]) -> None:
    expected = [pair for k, v in params.items() for pair in reference_pairs(k, v)]
    assert flatten(params) == expected
    client, rec = make_client(lambda r: json_response({}))
    client.get("/things", cast_to=object, options={"params": params})
    assert parse_qsl(rec.last.url.query.decode("ascii"), keep_blank_values=True) == expected


# -- response models ---------------------------------------------------------------------------------------

JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)
ENUMISH = st.one_of(st.sampled_from(["message", "function_call", "reasoning", "output_text", "assistant", "tool",
                                     "stop", "length", "completed", "in_progress", "chat.completion", "response",
                                     "web_search_call", "refusal", "???", ""]), st.text(max_size=8))

CHAT = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                 "message": {"role": "assistant", "content": "hi", "refusal": None,
                             "tool_calls": [{"id": "call_1", "type": "function",
                                             "function": {"name": "f", "arguments": "{}"}}],
                             "annotations": [{"type": "url_citation", "url_citation": {"url": "u", "title": "t",
                                                                                       "start_index": 0, "end_index": 1}}]}}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2,
              "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}},
    "service_tier": "default", "system_fingerprint": "fp",
}
RESPONSE = {
    "id": "resp_1", "object": "response", "created_at": 1, "model": "gpt-4o", "status": "completed",
    "parallel_tool_calls": True, "tool_choice": "auto", "tools": [{"type": "function", "name": "f", "parameters": {}}],
    "output": [
        {"type": "message", "id": "m", "role": "assistant", "status": "completed",
         "content": [{"type": "output_text", "text": "hello", "annotations": []}]},
        {"type": "function_call", "id": "fc", "call_id": "c", "name": "f", "arguments": "{}"},
        {"type": "reasoning", "id": "r", "summary": [{"type": "summary_text", "text": "s"}]},
    ],
    "usage": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2,
              "input_tokens_details": {"cached_tokens": 0}, "output_tokens_details": {"reasoning_tokens": 0}},
    "text": {"format": {"type": "text"}}, "reasoning": {"effort": "low"},
}
CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"role": "assistant", "content": "x",
                                            "tool_calls": [{"index": 0, "id": "t", "type": "function",
                                                            "function": {"name": "f", "arguments": "{"}}]},
                      "finish_reason": None}]}
SHAPES: dict[str, tuple[type[BaseModel], dict[str, Any]]] = {
    "ChatCompletion": (ChatCompletion, CHAT),
    "Response": (Response, RESPONSE),
    "ChatCompletionChunk": (ChatCompletionChunk, CHUNK),
}


@st.composite
def mutated(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """A copy of `value` with random damage: fields dropped, nulled, retyped, enum values unknown, extras added."""
    choice = draw(st.integers(min_value=0, max_value=9))
    if depth > 0 and choice == 0:
        return draw(JSON)  # anything at all in place of this value
    if depth > 0 and choice == 1:
        return None
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            action = draw(st.integers(min_value=0, max_value=6))
            if action == 0:
                continue  # a missing field
            if action == 1 and key in ("type", "role", "object", "status", "finish_reason"):
                out[key] = draw(ENUMISH)  # an unknown enum value or tag
            else:
                out[key] = draw(mutated(item, depth + 1))
        if draw(st.booleans()):
            out["x_" + draw(st.text(max_size=6))] = draw(JSON)  # a field this version does not know
        return out
    if isinstance(value, list):
        items = [draw(mutated(item, depth + 1)) for item in value]
        if draw(st.booleans()):
            items.append(draw(mutated(value[0], depth + 1)) if value else draw(JSON))
        return items
    if isinstance(value, str) and choice == 2:
        return draw(ENUMISH)
    return value


def walk(value: Any, seen: int = 0) -> int:
    """Read every declared field of every model reachable from `value` (each conversion runs once)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            seen = walk(getattr(value, name), seen + 1)
        for name, prop in vars(type(value)).items():
            if isinstance(prop, property) and not name.startswith("_"):
                getattr(value, name)
    elif isinstance(value, list):
        for item in value:
            seen = walk(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            seen = walk(item, seen)
    return seen


def exercise(cls: type[BaseModel], data: Any) -> None:
    original = copy.deepcopy(data)
    model = parse_json(cls, json.dumps(data))
    walk(model)
    repr(model)
    str(model)
    assert model.to_dict() == original  # nothing lost, nothing invented; unknown fields kept
    json.loads(model.to_json())
    model.model_dump()
    model.model_dump(mode="json", exclude_none=True)
    json.loads(model.model_dump_json())
    for key, item in original.items():
        keys = {f.alias or name for name, f in cls.model_fields.items()}
        assert key in model.to_dict() and (key in keys or (model.model_extra or {})[key] == item)
    restored = pickle.loads(pickle.dumps(model))
    assert restored == model and type(restored) is cls
    assert copy.deepcopy(model) == model and copy.copy(model) == model


@settings(FAST, max_examples=400)
@given(data=st.data(), shape=st.sampled_from(sorted(SHAPES)))
def test_models_survive_damaged_responses(data: st.DataObject, shape: str) -> None:
    cls, template = SHAPES[shape]
    damaged = data.draw(mutated(template))
    exercise(cls, damaged if isinstance(damaged, dict) else {"value": damaged})


@settings(FAST, max_examples=300)
@given(payload=st.dictionaries(st.sampled_from(["id", "object", "choices", "output", "usage", "model", "type",
                                                "status", "created", "tools", "x", "delta", "message"]), JSON,
                               max_size=8),
       shape=st.sampled_from(sorted(SHAPES)))
def test_models_survive_arbitrary_json_objects(payload: dict[str, Any], shape: str) -> None:
    exercise(SHAPES[shape][0], payload)


# -- webhooks ---------------------------------------------------------------------------------------------

SECRET = b"a-secret-key-of-32-bytes-exactly"


def sign(msg_id: str, stamp: str, body: bytes, key: bytes = SECRET) -> str:
    digest = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[bytes, dict[str, str]]:
    body = draw(st.binary(max_size=200))
    msg_id = "wh_" + draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12))
    stamp = str(int(time.time()) - draw(st.integers(min_value=-60, max_value=60)))
    return body, {"webhook-id": msg_id, "webhook-timestamp": stamp, "webhook-signature": sign(msg_id, stamp, body)}


@st.composite
def mutations(draw: st.DrawFn, body: bytes, headers: dict[str, str]) -> tuple[str, bytes, dict[str, str], bytes]:
    kind = draw(st.sampled_from(["body", "id", "timestamp", "signature bits", "signature text", "scheme", "secret",
                                 "missing header"]))
    body2, headers2, key = body, dict(headers), SECRET
    if kind == "body":
        edit = draw(st.sampled_from(["flip", "insert", "delete"]))
        at = draw(st.integers(min_value=0, max_value=len(body)))
        if edit == "flip" and body:
            at = min(at, len(body) - 1)
            body2 = body[:at] + bytes([body[at] ^ draw(st.integers(min_value=1, max_value=255))]) + body[at + 1 :]
        elif edit == "delete" and body:
            at = min(at, len(body) - 1)
            body2 = body[:at] + body[at + 1 :]
        else:
            body2 = body[:at] + draw(st.binary(min_size=1, max_size=3)) + body[at:]
    elif kind == "id":
        headers2["webhook-id"] = headers["webhook-id"] + draw(st.text(alphabet="abc0_-", min_size=1, max_size=3))
    elif kind == "timestamp":
        headers2["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) + draw(st.sampled_from([-2, -1, 1, 2])))
    elif kind == "signature bits":
        raw = bytearray(base64.b64decode(headers["webhook-signature"][3:]))
        bit = draw(st.integers(min_value=0, max_value=len(raw) * 8 - 1))
        raw[bit // 8] ^= 1 << (bit % 8)
        headers2["webhook-signature"] = "v1," + base64.b64encode(bytes(raw)).decode()
    elif kind == "signature text":
        headers2["webhook-signature"] = draw(st.text(max_size=60))
    elif kind == "scheme":
        headers2["webhook-signature"] = "v2" + headers["webhook-signature"][2:]
    elif kind == "secret":
        key = draw(st.binary(min_size=1, max_size=40).filter(lambda k: k != SECRET))
    else:
        del headers2[draw(st.sampled_from(sorted(headers)))]
    return kind, body2, headers2, key


@settings(FAST, max_examples=600)
@given(data=st.data(), delivery=deliveries())
def test_webhook_verification_rejects_every_mutation(data: st.DataObject, delivery: tuple[bytes, dict[str, str]]) -> None:
    body, headers = delivery
    verify_signature(body, headers, secret=SECRET)  # the genuine delivery passes
    kind, body2, headers2, key = data.draw(mutations(body, headers))
    note(f"mutation: {kind}")
    if (body2, headers2, key) == (body, headers, SECRET):
        return  # a no-op edit cannot be rejected (kept for safety; the strategies avoid them)
    with pytest.raises(InvalidWebhookSignatureError):
        verify_signature(body2, headers2, secret=key)
