"""Secrets kept out of cassettes and assertion messages: API keys, auth headers, organization and project ids."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import cast

__all__ = ["REDACTED", "SECRET_HEADERS", "redact_headers", "redact_text"]

REDACTED = "REDACTED"

# whole values replaced; organization and project ids identify an account, so they go too
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "api-key",
        "x-api-key",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "openai-organization",
        "openai-project",
    }
)

# key- and id-shaped strings inside bodies and other headers (error messages quote keys, lists name orgs)
_SECRET_PATTERNS = (
    (re.compile(r"\bsk-[A-Za-z0-9_\-*]{6,}"), "sk-" + REDACTED),
    (re.compile(r"\bsess-[A-Za-z0-9]{8,}"), "sess-" + REDACTED),
    (re.compile(r"\borg-[A-Za-z0-9]{6,}"), "org-" + REDACTED),
    (re.compile(r"\bproj_[A-Za-z0-9]{6,}"), "proj_" + REDACTED),
    (re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._\-~+/=]{6,}"), "Bearer " + REDACTED),
)


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_headers(
    headers: Mapping[str, str] | Iterable[tuple[str, str]], secrets: Iterable[str] = ()
) -> dict[str, str]:
    items: Iterable[tuple[str, str]] = (
        cast("Mapping[str, str]", headers).items() if isinstance(headers, Mapping) else headers
    )
    known = list(secrets)
    return {key: REDACTED if key.lower() in SECRET_HEADERS else redact_text(value, known) for key, value in items}
