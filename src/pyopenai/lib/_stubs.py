"""Stand-ins behind generated helper methods that another engineer completes.

The Assistants stream helpers (`runs.stream`, `create_and_stream`, ...) need the hand-written
event-handler layer, which does not exist yet: they raise NotImplementedError. The webhook helpers
work (Standard Webhooks: HMAC-SHA256 over `{id}.{timestamp}.{payload}`, `whsec_` base64 secret).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Mapping
from typing import Any

__all__ = [
    "runs_create_and_stream",
    "runs_stream",
    "runs_submit_tool_outputs_stream",
    "threads_create_and_run_stream",
    "webhooks_unwrap",
    "webhooks_verify_signature",
]


def _not_yet(name: str) -> Any:
    raise NotImplementedError(f"{name}() is not implemented yet; call the method with stream=True instead")


def threads_create_and_run_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.create_and_run_stream")


async def async_threads_create_and_run_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.create_and_run_stream")


def runs_create_and_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.create_and_stream")


async def async_runs_create_and_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.create_and_stream")


def runs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.stream")


async def async_runs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.stream")


def runs_submit_tool_outputs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.submit_tool_outputs_stream")


async def async_runs_submit_tool_outputs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.submit_tool_outputs_stream")


# -- webhooks --------------------------------------------------------------------------------------


def _secret(resource: Any, secret: str | None) -> bytes:
    value = secret or getattr(getattr(resource, "_client", None), "webhook_secret", None) or os.environ.get(
        "OPENAI_WEBHOOK_SECRET"
    )
    if not value:
        raise ValueError("a webhook secret is required: pass secret= or set OPENAI_WEBHOOK_SECRET")
    if value.startswith("whsec_"):
        return base64.b64decode(value[len("whsec_"):])
    return value.encode()


def webhooks_verify_signature(
    resource: Any, payload: str | bytes, headers: Mapping[str, str], *, secret: str | None = None, tolerance: int = 300
) -> None:
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id, stamp, signatures = lower.get("webhook-id"), lower.get("webhook-timestamp"), lower.get("webhook-signature")
    if not msg_id or not stamp or not signatures:
        raise ValueError("missing webhook-id, webhook-timestamp or webhook-signature header")
    try:
        ts = int(stamp)
    except ValueError as exc:
        raise ValueError("invalid webhook-timestamp header") from exc
    now = int(time.time())
    if now - ts > tolerance:
        raise ValueError("webhook timestamp is too old")
    if ts > now + tolerance:
        raise ValueError("webhook timestamp is in the future")
    body = payload.decode() if isinstance(payload, bytes) else payload
    digest = hmac.new(_secret(resource, secret), f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256).digest()
    expected = base64.b64encode(digest).decode()
    for sig in signatures.split():
        _, _, value = sig.partition(",")
        if hmac.compare_digest(value or sig, expected):
            return
    raise ValueError("the webhook signature does not match")


async def async_webhooks_verify_signature(
    resource: Any, payload: str | bytes, headers: Mapping[str, str], *, secret: str | None = None, tolerance: int = 300
) -> None:
    webhooks_verify_signature(resource, payload, headers, secret=secret, tolerance=tolerance)


def webhooks_unwrap(resource: Any, payload: str | bytes, headers: Mapping[str, str], *, secret: str | None = None) -> Any:
    webhooks_verify_signature(resource, payload, headers, secret=secret)
    from .._models import construct_type
    from ..types.webhooks.unwrap_webhook_event import UnwrapWebhookEvent

    return construct_type(UnwrapWebhookEvent, json.loads(payload))


async def async_webhooks_unwrap(
    resource: Any, payload: str | bytes, headers: Mapping[str, str], *, secret: str | None = None
) -> Any:
    return webhooks_unwrap(resource, payload, headers, secret=secret)
