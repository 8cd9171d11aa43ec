"""The module-level client: `pyopenai.api_key = ...; pyopenai.chat.completions.create(...)`.

It is built on first use from the module's settings and rebuilt when they change, so assigning
`pyopenai.api_key` after a first call takes effect.
"""

from __future__ import annotations

import sys
from typing import Any

_SETTINGS = (
    "api_key", "organization", "project", "admin_api_key", "webhook_secret", "base_url",
    "websocket_base_url", "timeout", "max_retries", "default_headers", "default_query", "http_client",
)
_cache: tuple[tuple[Any, ...], Any] | None = None


def module_client() -> Any:
    global _cache
    package = sys.modules["pyopenai"]
    values = tuple(getattr(package, name, None) for name in _SETTINGS)
    if _cache is not None and all(a is b or a == b for a, b in zip(_cache[0], values)):
        return _cache[1]
    from ._client import OpenAI

    kwargs: dict[str, Any] = {name: value for name, value in zip(_SETTINGS, values) if value is not None}
    client = OpenAI(**kwargs)
    _cache = (values, client)
    return client


def module_resource(name: str) -> Any:
    """The module client's resource `name`, or None when `name` is not a resource."""
    if name.startswith("_"):
        return None
    from .resources._root import RootResources

    if name not in vars(RootResources):
        return None
    return getattr(module_client(), name)
