"""Standard-Webhooks signing and delivery of OpenAI-style webhook events.

The signature is ``v1,<base64 HMAC-SHA256("{id}.{timestamp}.{body}")>`` keyed with the base64-decoded
part of the secret after ``whsec_`` (an unprefixed secret's own UTF-8 bytes); headers ``webhook-id``,
``webhook-timestamp``, ``webhook-signature``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

__all__ = ["WebhookDelivery", "build_event", "deliver", "sign", "signed_headers"]


def _key(secret: str) -> bytes:
    # the rule `pyopenai.lib.webhooks` verifies with: base64 after `whsec_`, else the text itself
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_") :], validate=True)
    return secret.encode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value for ``body``."""
    mac = hmac.new(_key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secret: str, msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, msg_id, ts, body),
        "content-type": "application/json",
    }


def build_event(event_id: str, event_type: str, data: dict[str, Any], created_at: int) -> dict[str, Any]:
    return {"id": event_id, "object": "event", "type": event_type, "created_at": created_at, "data": data}


@dataclass
class WebhookDelivery:
    """One attempted delivery: what was sent and how the receiver answered (``status`` 0: no answer)."""

    url: str
    event: dict[str, Any]
    headers: dict[str, str]
    body: bytes
    status: int = 0
    error: str | None = None
    response_body: bytes = field(default=b"", repr=False)


def deliver(url: str, secret: str, event: dict[str, Any], *, msg_id: str, timeout: float = 10.0) -> WebhookDelivery:
    """POST ``event`` to ``url``, signed with ``secret``; never raises for network failures."""
    body = json.dumps(event, separators=(",", ":")).encode()
    headers = signed_headers(secret, msg_id, body)
    headers["user-agent"] = "pyopenai-local-server/webhooks"
    delivery = WebhookDelivery(url, event, headers, body)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # receivers are usually local
    try:
        with opener.open(request, timeout=timeout) as resp:
            delivery.status = resp.status
            delivery.response_body = resp.read()
    except urllib.error.HTTPError as exc:
        delivery.status = exc.code
        delivery.response_body = exc.read()
    except (OSError, ValueError) as exc:
        delivery.error = f"{type(exc).__name__}: {exc}"
    return delivery
