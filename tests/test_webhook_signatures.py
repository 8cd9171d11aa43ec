"""Webhook verification and unwrapping: signatures computed here by hand, tampering, clocks, secrets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import httpx2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pyopenai.types.webhooks as webhook_types
from pyopenai import AsyncOpenAI, InvalidWebhookSignatureError, OpenAI, OpenAIError
from pyopenai.lib import webhooks
from pyopenai.lib.webhooks import MissingWebhookSecretError, unwrap, verify_signature, webhook_signature_matches
from pyopenai.types.webhooks import BatchCompletedWebhookEvent

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()
NOW = 1_750_000_000
EVENT = {
    "id": "evt_685343a1381c819085d44c354e1b330e",
    "object": "event",
    "created_at": NOW - 5,
    "type": "batch.completed",
    "data": {"id": "batch_abc"},
}
BODY = json.dumps(EVENT)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webhooks, "_now", lambda: float(NOW))


def sign(body: str | bytes, *, key: bytes = KEY, msg_id: str = "msg_1", stamp: int | str = NOW) -> str:
    """A `v1,<base64>` signature, computed independently of the library."""
    raw = body.encode() if isinstance(body, str) else body
    message = msg_id.encode() + b"." + str(stamp).encode() + b"." + raw
    return "v1," + base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def headers_for(body: str | bytes, *, msg_id: str = "msg_1", stamp: int | str = NOW, key: bytes = KEY) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(body, key=key, msg_id=msg_id, stamp=stamp),
    }


# -- valid deliveries ------------------------------------------------------------------------------


def test_known_vector() -> None:
    # fixed inputs and a fixed expected signature, so a change in the signing scheme shows up here
    body = '{"type":"batch.completed"}'
    expected = "v1," + base64.b64encode(
        hmac.new(KEY, b'msg_1.1750000000.{"type":"batch.completed"}', hashlib.sha256).digest()
    ).decode()
    assert sign(body) == expected
    verify_signature(body, {"webhook-id": "msg_1", "webhook-timestamp": "1750000000", "webhook-signature": expected},
                     secret=SECRET)


@pytest.mark.parametrize("payload", [BODY, BODY.encode()], ids=["str", "bytes"])
def test_payload_str_or_bytes(payload: str | bytes) -> None:
    verify_signature(payload, headers_for(BODY), secret=SECRET)


def test_non_ascii_payload_signed_as_utf8() -> None:
    body = json.dumps({"text": "héllo ☃"}, ensure_ascii=False)
    verify_signature(body, headers_for(body.encode("utf-8")), secret=SECRET)
    verify_signature(body.encode("utf-8"), headers_for(body), secret=SECRET)


def test_non_utf8_bytes_payload_verifies() -> None:
    body = b"\xff\xfe not utf-8"
    verify_signature(body, headers_for(body), secret=SECRET)


def _casings(h: dict[str, str]) -> list[Any]:
    return [
        h,
        {k.title(): v for k, v in h.items()},
        {k.upper(): v for k, v in h.items()},
        {k.encode(): v.encode() for k, v in h.items()},
        httpx2.Headers({k.title(): v for k, v in h.items()}),
    ]


@pytest.mark.parametrize("index", range(5), ids=["lower", "title", "upper", "bytes", "httpx2.Headers"])
def test_header_casing_and_mapping_types(index: int) -> None:
    verify_signature(BODY, _casings(headers_for(BODY))[index], secret=SECRET)


def test_multiple_signatures_one_valid() -> None:
    h = headers_for(BODY)
    wrong = sign(BODY, key=b"another key")
    h["webhook-signature"] = f"{wrong} v1,bm90IGEgc2lnbmF0dXJl {h['webhook-signature']} v1a,ignored"
    verify_signature(BODY, h, secret=SECRET)


def test_duplicate_signature_headers_joined_by_a_mapping() -> None:
    good = headers_for(BODY)["webhook-signature"]
    h = httpx2.Headers([("webhook-id", "msg_1"), ("webhook-timestamp", str(NOW)),
                        ("webhook-signature", sign(BODY, key=b"old")), ("webhook-signature", good)])
    verify_signature(BODY, h, secret=SECRET)


def test_only_v1_entries_count() -> None:
    h = headers_for(BODY)
    h["webhook-signature"] = h["webhook-signature"].replace("v1,", "v2,")
    with pytest.raises(InvalidWebhookSignatureError, match="does not match"):
        verify_signature(BODY, h, secret=SECRET)


def test_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(webhooks.hmac, "compare_digest", spy)
    h = headers_for(BODY)
    h["webhook-signature"] = f"{h['webhook-signature']} {sign(BODY, key=b'x')}"
    verify_signature(BODY, h, secret=SECRET)
    assert len(calls) == 2  # every candidate compared, through compare_digest


# -- secrets -----------------------------------------------------------------------------------------


def test_secret_without_prefix_is_its_utf8_text() -> None:
    # as the official SDK reads it: a secret that verifies there verifies here
    text = "plain-text-secret"
    verify_signature(BODY, headers_for(BODY, key=text.encode()), secret=text)
    assert webhook_signature_matches(BODY, headers_for(BODY, key=text.encode()), secret=text)
    # the base64 text of the key is not decoded without the prefix
    with pytest.raises(InvalidWebhookSignatureError, match="given webhook signature does not match"):
        verify_signature(BODY, headers_for(BODY), secret=base64.b64encode(KEY).decode())


def test_bytes_secret_is_the_raw_key() -> None:
    raw = b"my raw key"
    verify_signature(BODY, headers_for(BODY, key=raw), secret=raw)


def test_wrong_secret_rejected() -> None:
    other = "whsec_" + base64.b64encode(b"other key").decode()
    with pytest.raises(InvalidWebhookSignatureError, match="does not match"):
        verify_signature(BODY, headers_for(BODY), secret=other)


@pytest.mark.parametrize("secret", ["whsec_not base64!", "whsec_abc"])
def test_badly_encoded_secret(secret: str) -> None:
    with pytest.raises(InvalidWebhookSignatureError, match="not valid base64"):
        verify_signature(BODY, headers_for(BODY), secret=secret)


@pytest.mark.parametrize("secret", ["", "whsec_", b""])
def test_empty_secret_is_refused_even_when_the_client_has_one(secret: str | bytes) -> None:
    client = OpenAI(api_key="sk-test", webhook_secret=SECRET)
    client.webhooks.verify_signature(BODY, headers_for(BODY))  # the client's secret when none is given
    with pytest.raises(InvalidWebhookSignatureError, match="must not be empty"):
        client.webhooks.verify_signature(BODY, headers_for(BODY), secret=secret)


def test_helper_answers_false_on_mismatch_only() -> None:
    assert webhook_signature_matches(BODY, headers_for(BODY), secret=SECRET)
    assert not webhook_signature_matches(BODY, {**headers_for(BODY), "webhook-signature": "v1,AAAA"}, secret=SECRET)
    with pytest.raises(InvalidWebhookSignatureError, match="Could not find webhook-id header"):
        webhook_signature_matches(BODY, {k: v for k, v in headers_for(BODY).items() if k != "webhook-id"}, secret=SECRET)


def test_bare_signature_entries_count() -> None:
    bare = headers_for(BODY)["webhook-signature"].removeprefix("v1,")
    verify_signature(BODY, {**headers_for(BODY), "webhook-signature": f"v1,wrong {bare}"}, secret=SECRET)


@pytest.mark.parametrize("stamp", [f"0{NOW}", f"+{NOW}", f" {NOW} "])
def test_timestamp_is_signed_as_received(stamp: str) -> None:
    verify_signature(BODY, headers_for(BODY, stamp=stamp), secret=SECRET)


def test_missing_secret_names_the_options() -> None:
    with pytest.raises(MissingWebhookSecretError) as info:
        verify_signature(BODY, headers_for(BODY))
    assert "webhook_secret=" in str(info.value) and "OPENAI_WEBHOOK_SECRET" in str(info.value)
    assert isinstance(info.value, OpenAIError) and isinstance(info.value, ValueError)
    client = OpenAI(api_key="sk-test")
    with pytest.raises(MissingWebhookSecretError):
        client.webhooks.verify_signature(BODY, headers_for(BODY))


def test_secret_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", SECRET)
    verify_signature(BODY, headers_for(BODY))
    assert isinstance(unwrap(BODY, headers_for(BODY)), BatchCompletedWebhookEvent)


# -- headers and clocks ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header_is_named(name: str) -> None:
    h = headers_for(BODY)
    del h[name]
    with pytest.raises(InvalidWebhookSignatureError, match=name):
        verify_signature(BODY, h, secret=SECRET)
    h[name] = ""  # present but empty: refused by the checks that follow (no signature, bad timestamp)
    with pytest.raises(InvalidWebhookSignatureError):
        verify_signature(BODY, h, secret=SECRET)


@pytest.mark.parametrize("stamp", ["soon", "1.5e9", "-1750000000", "\u0661\u0667\u0665" + "\u0660" * 7, "9" * 40, "0x1"])
def test_malformed_timestamp(stamp: str) -> None:
    with pytest.raises(InvalidWebhookSignatureError, match="webhook-timestamp"):
        verify_signature(BODY, headers_for(BODY, stamp=stamp), secret=SECRET)


@pytest.mark.parametrize(
    ("offset", "tolerance", "error"),
    [
        (0, 300, None),
        (-300, 300, None),  # exactly at the edge: accepted
        (300, 300, None),
        (-299, 300, None),
        (-301, 300, "too old"),
        (301, 300, "future"),
        (-86_400, 300, "too old"),
        (86_400, 300, "future"),
        (-50, 10, "too old"),
        (-50, 60, None),
    ],
)
def test_clock_skew(offset: int, tolerance: int, error: str | None) -> None:
    h = headers_for(BODY, stamp=NOW + offset)
    if error is None:
        verify_signature(BODY, h, secret=SECRET, tolerance=tolerance)
    else:
        with pytest.raises(InvalidWebhookSignatureError, match=error):
            verify_signature(BODY, h, secret=SECRET, tolerance=tolerance)


def test_default_tolerance_is_five_minutes() -> None:
    with pytest.raises(InvalidWebhookSignatureError, match="too old"):
        verify_signature(BODY, headers_for(BODY, stamp=NOW - 301), secret=SECRET)
    verify_signature(BODY, headers_for(BODY, stamp=NOW - 300), secret=SECRET)


def test_stale_delivery_rejected_even_when_signature_is_valid() -> None:
    # the signature covers the timestamp, so replaying an old delivery with a new timestamp fails too
    old = headers_for(BODY, stamp=NOW - 3600)
    replay = {**old, "webhook-timestamp": str(NOW)}
    with pytest.raises(InvalidWebhookSignatureError, match="too old"):
        verify_signature(BODY, old, secret=SECRET)
    with pytest.raises(InvalidWebhookSignatureError, match="does not match"):
        verify_signature(BODY, replay, secret=SECRET)


# -- tampering ---------------------------------------------------------------------------------------


def test_every_byte_mutation_of_a_short_payload_rejected() -> None:
    body = b'{"type":"batch.completed","data":{"id":"b"}}'
    h = headers_for(body)
    for i in range(len(body)):
        for flip in (0x01, 0x20, 0x80):
            tampered = body[:i] + bytes([body[i] ^ flip]) + body[i + 1 :]
            with pytest.raises(InvalidWebhookSignatureError):
                verify_signature(tampered, h, secret=SECRET)


@settings(max_examples=200, deadline=None)
@given(body=st.binary(min_size=1, max_size=256), data=st.data())
def test_any_mutation_rejected(body: bytes, data: st.DataObject) -> None:
    h = headers_for(body)
    verify_signature(body, h, secret=SECRET)
    index = data.draw(st.integers(0, len(body) - 1))
    replacement = data.draw(st.integers(0, 255).filter(lambda b: b != body[index]))
    tampered = body[:index] + bytes([replacement]) + body[index + 1 :]
    with pytest.raises(InvalidWebhookSignatureError):
        verify_signature(tampered, h, secret=SECRET)


@settings(max_examples=100, deadline=None)
@given(extra=st.binary(min_size=1, max_size=8), at_end=st.booleans())
def test_insertions_and_truncations_rejected(extra: bytes, at_end: bool) -> None:
    body = BODY.encode()
    h = headers_for(body)
    for tampered in ((body + extra) if at_end else (extra + body), body[: -len(extra)]):
        with pytest.raises(InvalidWebhookSignatureError):
            verify_signature(tampered, h, secret=SECRET)


@pytest.mark.parametrize("field", ["webhook-id", "webhook-timestamp"])
def test_signed_headers_cannot_be_changed(field: str) -> None:
    h = headers_for(BODY)
    h[field] = "msg_2" if field == "webhook-id" else str(NOW + 1)
    with pytest.raises(InvalidWebhookSignatureError, match="does not match"):
        verify_signature(BODY, h, secret=SECRET)


@pytest.mark.parametrize("signature", ["", "v1", "v1,", "garbage", "v1,é", "v1,AAAA" * 3, ",v1"])
def test_malformed_signature_header(signature: str) -> None:
    h = {**headers_for(BODY), "webhook-signature": signature}
    with pytest.raises(InvalidWebhookSignatureError):
        verify_signature(BODY, h, secret=SECRET)


# -- unwrap --------------------------------------------------------------------------------------------


def _event_classes() -> list[type[Any]]:
    names = [n for n in dir(webhook_types) if n.endswith("WebhookEvent") and n != "UnwrapWebhookEvent"]
    return [getattr(webhook_types, n) for n in names]


def _type_literal(cls: type[Any]) -> str:
    from typing import get_args, get_type_hints

    return str(get_args(get_type_hints(cls)["type"])[0])


def test_unwrap_returns_the_typed_event() -> None:
    event = unwrap(BODY, headers_for(BODY), secret=SECRET)
    assert isinstance(event, BatchCompletedWebhookEvent)
    assert event.id == EVENT["id"] and event.data.id == "batch_abc" and event.type == "batch.completed"


def test_unwrap_picks_each_event_class_by_type() -> None:
    classes = _event_classes()
    assert len(classes) >= 10
    by_type: dict[str, list[type[Any]]] = {}
    for cls in classes:
        by_type.setdefault(_type_literal(cls), []).append(cls)
    for event_type, candidates in by_type.items():
        body = json.dumps({**EVENT, "type": event_type})
        event: Any = unwrap(body.encode(), headers_for(body), secret=SECRET)
        # (two generated classes may share a tag while the spec lacks a schema; either is right then)
        assert type(event) in candidates and event.type == event_type


def test_unwrap_unknown_type_is_kept() -> None:
    body = json.dumps({**EVENT, "type": "batch.teleported", "extra": [1]})
    event: Any = unwrap(body, headers_for(body), secret=SECRET)
    assert event.type == "batch.teleported" and event.to_dict()["extra"] == [1]


def test_unwrap_verifies_first() -> None:
    with pytest.raises(InvalidWebhookSignatureError):
        unwrap(BODY.replace("batch_abc", "batch_xyz"), headers_for(BODY), secret=SECRET)


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"text"'])
def test_unwrap_signed_non_object(body: str) -> None:
    with pytest.raises(InvalidWebhookSignatureError, match="JSON"):
        unwrap(body, headers_for(body), secret=SECRET)


# -- through the client ----------------------------------------------------------------------------------


def test_client_webhooks_use_the_client_secret() -> None:
    client = OpenAI(api_key="sk-test", webhook_secret=SECRET)
    client.webhooks.verify_signature(BODY, headers_for(BODY))
    event: Any = client.webhooks.unwrap(BODY, headers_for(BODY))
    assert isinstance(event, BatchCompletedWebhookEvent)
    with pytest.raises(InvalidWebhookSignatureError):
        client.webhooks.verify_signature(BODY + " ", headers_for(BODY))


def test_client_webhooks_secret_argument_wins() -> None:
    client = OpenAI(api_key="sk-test", webhook_secret="whsec_" + base64.b64encode(b"other").decode())
    with pytest.raises(InvalidWebhookSignatureError):
        client.webhooks.verify_signature(BODY, headers_for(BODY))
    client.webhooks.verify_signature(BODY, headers_for(BODY), secret=SECRET)
    assert isinstance(client.webhooks.unwrap(BODY, headers_for(BODY), secret=SECRET), BatchCompletedWebhookEvent)


def test_client_webhooks_secret_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", SECRET)
    client = OpenAI(api_key="sk-test")
    client.webhooks.verify_signature(BODY, headers_for(BODY))


def test_async_client_webhooks_are_plain_calls() -> None:
    """As in the official SDK, the async client's webhook helpers do no I/O and are not awaited."""
    client = AsyncOpenAI(api_key="sk-test", webhook_secret=SECRET)
    client.webhooks.verify_signature(BODY, headers_for(BODY))
    event: Any = client.webhooks.unwrap(BODY.encode(), headers_for(BODY))
    assert isinstance(event, BatchCompletedWebhookEvent)
    with pytest.raises(InvalidWebhookSignatureError):
        client.webhooks.unwrap(BODY, headers_for(BODY, stamp=NOW - 1000))


# -- the event types of the 3.60.0 surface -----------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "class_name", "data"),
    [
        ("agent.session.created", "AgentSessionCreatedWebhookEvent",
         {"id": "sess_1", "environment_type": "hosted", "connect": None, "environment_id": None}),
        ("safety.warning_issued", "SafetyWarningIssuedWebhookEvent", {"id": "warn_1"}),
        ("live.transport.incoming", "LiveTransportIncomingWebhookEvent", {}),
    ],
)
def test_unwrap_gives_the_new_event_types_their_own_class(event_type: str, class_name: str, data: dict[str, Any]) -> None:
    body = json.dumps({"id": "evt_1", "object": "event", "created_at": NOW - 5, "type": event_type, "data": data})
    for client in (OpenAI(api_key="sk-test", webhook_secret=SECRET), AsyncOpenAI(api_key="sk-test", webhook_secret=SECRET)):
        event = client.webhooks.unwrap(body, headers_for(body))
        assert type(event).__name__ == class_name
        assert type(event) is getattr(webhook_types, class_name)
        assert event.type == event_type
