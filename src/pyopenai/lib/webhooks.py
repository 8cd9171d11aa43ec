"""Webhook verification: check that a request really comes from OpenAI, then read its event.

OpenAI signs webhooks with the Standard Webhooks scheme. Each delivery carries three headers:

* `webhook-id`: the delivery's id (the same on every retry of one delivery);
* `webhook-timestamp`: when it was sent, in integer seconds since the epoch;
* `webhook-signature`: one or more space-separated `v1,<base64>` entries, each an HMAC-SHA256 of
  `f"{webhook-id}.{webhook-timestamp}.{body}"` keyed with the endpoint's secret. Several entries
  appear while a secret is being rotated; one valid entry is enough.

Secrets: the dashboard gives `whsec_<base64>`; the part after `whsec_` is base64 and its decoded
bytes are the HMAC key. A secret without the prefix is used as it is (its UTF-8 bytes are the key),
as the official Python SDK does, so a secret that works there works here; `bytes` are the raw key.
A signature entry may be `v1,<base64>` or the bare base64.

Every verification failure raises `InvalidWebhookSignatureError` (a `ValueError`), so a handler
can answer 400 on that one exception. A missing secret is a configuration error instead:
`MissingWebhookSecretError`.

Public functions: `verify_signature()` and `unwrap()`. The generated `client.webhooks` resource
calls `webhooks_verify_signature()` / `webhooks_unwrap()` (and their `async_` twins), which use the
client's `webhook_secret` when no `secret=` is given.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Union, cast

from .._exceptions import InvalidWebhookSignatureError, OpenAIError

if TYPE_CHECKING:
    from ..types.webhooks.unwrap_webhook_event import UnwrapWebhookEvent

__all__ = [
    "DEFAULT_TOLERANCE",
    "MissingWebhookSecretError",
    "unwrap",
    "verify_signature",
    "webhook_signature_matches",
    "webhooks_unwrap",
    "webhooks_verify_signature",
]

DEFAULT_TOLERANCE = 300
"""Seconds a delivery's timestamp may differ from this machine's clock, either way."""

_SECRET_PREFIX = "whsec_"
_SECRET_ENV = "OPENAI_WEBHOOK_SECRET"
_MAX_TIMESTAMP_DIGITS = 15

HeadersLike = Union[Mapping[str, str], Mapping[bytes, bytes]]


class MissingWebhookSecretError(OpenAIError, ValueError):
    """No webhook secret was given or configured."""

    def __init__(self) -> None:
        super().__init__(
            "No webhook secret: pass secret= to verify_signature()/unwrap(), create the client with "
            f"webhook_secret=..., or set the {_SECRET_ENV} environment variable"
        )


# -- the public functions ---------------------------------------------------------------------------


def verify_signature(
    payload: str | bytes,
    headers: HeadersLike,
    *,
    secret: str | bytes | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> None:
    """Raise `InvalidWebhookSignatureError` unless `payload` was signed with `secret` recently.

    `payload` is the request body exactly as received (verify before parsing it: re-encoded JSON
    will not match). `headers` is any mapping of the request's headers, in any letter case.
    `secret` defaults to the `OPENAI_WEBHOOK_SECRET` environment variable. A timestamp more than
    `tolerance` seconds in the past or the future is rejected, which bounds replays.
    """
    if not webhook_signature_matches(payload, headers, secret=secret, tolerance=tolerance):
        raise InvalidWebhookSignatureError(
            "The given webhook signature does not match the expected signature for this payload, "
            "its webhook-id and webhook-timestamp headers and the secret"
        )


def webhook_signature_matches(
    payload: str | bytes,
    headers: HeadersLike,
    *,
    secret: str | bytes | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> bool:
    """Whether one of the delivery's signatures is `payload`'s, signed with `secret`.

    A missing header, a malformed or out-of-window timestamp and a missing or empty secret still
    raise (as in `verify_signature`): only the comparison itself answers `False`.
    """
    key = _secret_key(secret)
    # looked up in this order, so the first missing one is named as the official SDK names it
    signatures = _required_header(headers, "webhook-signature")
    stamp = _required_header(headers, "webhook-timestamp")
    msg_id = _required_header(headers, "webhook-id")

    _check_timestamp(stamp, tolerance)

    body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    # the header texts as received (a timestamp's spaces or leading zeros are part of what was signed)
    signed = msg_id.encode("utf-8") + b"." + stamp.encode("utf-8") + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())

    matched = False
    for candidate in _v1_signatures(signatures):
        # compare every candidate (no early exit) with a constant-time comparison
        matched |= hmac.compare_digest(candidate, expected)
    return matched


def unwrap(
    payload: str | bytes,
    headers: HeadersLike,
    *,
    secret: str | bytes | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> UnwrapWebhookEvent:
    """Verify the delivery (see `verify_signature`), then return its typed event.

    The event's class follows its `type` (`"batch.completed"` -> `BatchCompletedWebhookEvent`, ...);
    a type this version does not know still comes back as an event model, with every field kept.
    """
    verify_signature(payload, headers, secret=secret, tolerance=tolerance)
    try:
        data: object = json.loads(payload)
    except ValueError as err:
        raise InvalidWebhookSignatureError("The webhook payload is correctly signed but is not valid JSON") from err
    if not isinstance(data, dict):
        raise InvalidWebhookSignatureError("The webhook payload is correctly signed but is not a JSON object")
    from .._models import parse_obj

    return cast("UnwrapWebhookEvent", parse_obj(_event_type(), cast("dict[str, Any]", data)))


# -- what the generated `client.webhooks` resource calls --------------------------------------------


def _resource_secret(resource: object, secret: str | bytes | None) -> str | bytes | None:
    if secret is not None:  # an explicit secret, even an empty one (which is refused), wins
        return secret
    client = getattr(resource, "_client", None)
    configured = getattr(client, "webhook_secret", None)
    return configured if isinstance(configured, (str, bytes)) and configured else None


def webhooks_verify_signature(
    resource: object,
    payload: str | bytes,
    headers: HeadersLike,
    *,
    secret: str | bytes | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> None:
    """`client.webhooks.verify_signature(...)`: the client's `webhook_secret` is the default secret."""
    verify_signature(payload, headers, secret=_resource_secret(resource, secret), tolerance=tolerance)


def webhooks_unwrap(
    resource: object,
    payload: str | bytes,
    headers: HeadersLike,
    *,
    secret: str | bytes | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> UnwrapWebhookEvent:
    """`client.webhooks.unwrap(...)`: the client's `webhook_secret` is the default secret."""
    return unwrap(payload, headers, secret=_resource_secret(resource, secret), tolerance=tolerance)


# -- the pieces ---------------------------------------------------------------------------------------


def _now() -> float:
    return time.time()


def _secret_key(secret: str | bytes | None) -> bytes:
    """The HMAC key: raw bytes as given, the base64 text after a `whsec_` prefix, else the UTF-8 text."""
    if secret is None:
        secret = os.environ.get(_SECRET_ENV) or None
    if secret is None:
        raise MissingWebhookSecretError()
    if isinstance(secret, bytes):
        key = secret
    elif secret.startswith(_SECRET_PREFIX):
        try:
            key = base64.b64decode(secret[len(_SECRET_PREFIX) :].strip(), validate=True)
        except (binascii.Error, ValueError) as err:
            raise InvalidWebhookSignatureError(
                "The webhook secret is not valid base64 after its 'whsec_' prefix "
                "(pass the raw key as bytes to use it as is)"
            ) from err
    else:
        key = secret.encode("utf-8")
    if not key:
        raise InvalidWebhookSignatureError("The webhook secret must not be empty (once its 'whsec_' prefix is decoded)")
    return key


def _required_header(headers: HeadersLike, name: str) -> str:
    value = _header(headers, name)
    if value is None:  # present but empty is not missing: it fails the checks that follow
        raise InvalidWebhookSignatureError(f"Could not find {name} header in the webhook request")
    return value


def _header(headers: HeadersLike, name: str) -> str | None:
    """A header's value (as received) from any mapping, whatever the letter case of its keys (str or bytes)."""
    items = cast("Mapping[Any, Any]", headers)
    value: Any = None
    try:
        value = items.get(name)  # case-insensitive mappings (httpx2.Headers, frameworks), lower-case dicts
    except (TypeError, AttributeError):
        value = None
    if value is None:
        for key, candidate in items.items():
            text = key.decode("latin-1") if isinstance(key, bytes) else key
            if isinstance(text, str) and text.lower() == name:
                value = candidate
                break
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else None


def _check_timestamp(stamp: str, tolerance: float) -> None:
    # `from None`: a handler calling this inside its own `except` block gets a traceback of this error alone
    digits = stamp.strip().removeprefix("+")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > _MAX_TIMESTAMP_DIGITS:
        raise InvalidWebhookSignatureError(
            f"Invalid webhook timestamp format in the webhook-timestamp header: {stamp[:32]!r} is not integer seconds"
        ) from None
    skew = _now() - int(digits)
    if skew > tolerance:
        raise InvalidWebhookSignatureError(
            f"Webhook timestamp is too old ({int(skew)} s ago, tolerance {tolerance} s)"
        ) from None
    if -skew > tolerance:
        raise InvalidWebhookSignatureError(
            f"Webhook timestamp is too new ({int(-skew)} s in the future, tolerance {tolerance} s)"
        ) from None


def _v1_signatures(header: str) -> list[bytes]:
    """The base64 values of the `v1,<base64>` and bare `<base64>` entries (other schemes skipped)."""
    found: list[bytes] = []
    for entry in header.split():
        version, sep, value = entry.partition(",")
        if not sep:  # a bare signature
            version, value = "v1", version
        value = value.rstrip(",")  # duplicate headers joined by a mapping as "a, b"
        if version == "v1" and value and value.isascii():
            found.append(value.encode("ascii"))
    return found


_event_union: Any = None


def _event_type() -> Any:
    """The union of webhook event models, tagged by `type`.

    The members of the generated `UnwrapWebhookEvent`, plus any other `*WebhookEvent` model of
    `pyopenai.types.webhooks` whose `type` tag the union does not cover yet.
    """
    global _event_union
    if _event_union is None:
        import typing

        from .._models import BaseModel, Field
        from ..types import webhooks as package
        from ..types.webhooks.unwrap_webhook_event import UnwrapWebhookEvent as declared

        members = _models_in(declared)
        covered = {tag for member in members for tag in _tags(member)}
        for name in sorted(dir(package)):
            if not name.endswith("WebhookEvent") or name == "UnwrapWebhookEvent":
                continue
            extra: object = getattr(package, name)
            if isinstance(extra, type) and issubclass(extra, BaseModel) and extra not in members:
                tags = _tags(extra)
                if tags and not tags & covered:
                    members.append(extra)
                    covered |= tags
        if members:
            _event_union = typing.Annotated[cast(Any, Union)[tuple(members)], Field(discriminator="type")]
        else:
            _event_union = declared
    return _event_union


def _models_in(tp: object) -> list[type[Any]]:
    """The classes of a (possibly `Annotated`) union, or the class itself."""
    import typing

    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) is Union:
        return [arg for arg in typing.get_args(tp) if isinstance(arg, type)]
    return [tp] if isinstance(tp, type) else []


def _tags(model: type[Any]) -> set[str]:
    """The values of a model's `type: Literal[...]` annotation."""
    import typing

    try:
        annotation = typing.get_type_hints(model).get("type")
    except Exception:
        return set()
    if typing.get_origin(annotation) is not typing.Literal:
        return set()
    return {value for value in typing.get_args(annotation) if isinstance(value, str)}
