"""The module-level client: `pyopenai.api_key = ...; pyopenai.chat.completions.create(...)`.

It is built on first use from the module's settings and rebuilt when they change, so assigning
`pyopenai.api_key` after a first call takes effect.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from ._exceptions import OpenAIError

_SETTINGS = (
    "api_key", "organization", "project", "admin_api_key", "webhook_secret", "base_url",
    "websocket_base_url", "timeout", "max_retries", "default_headers", "default_query", "http_client",
)
# `pyopenai.api_type = "azure"` (or OPENAI_API_TYPE=azure) makes the module client an AzureOpenAI,
# configured by these settings too (each falls back to its environment variable in AzureOpenAI)
_AZURE_SETTINGS = ("api_version", "azure_endpoint", "azure_deployment", "azure_ad_token", "azure_ad_token_provider")
_cache: tuple[tuple[Any, ...], Any] | None = None


def module_client() -> Any:
    global _cache
    package = sys.modules["pyopenai"]
    api_type = getattr(package, "api_type", None) or os.environ.get("OPENAI_API_TYPE") or "openai"
    names = _SETTINGS + _AZURE_SETTINGS
    values = (api_type, *(getattr(package, name, None) for name in names))
    if _cache is not None and all(a is b or a == b for a, b in zip(_cache[0], values)):
        return _cache[1]
    kwargs: dict[str, Any] = {name: value for name, value in zip(names, values[1:]) if value is not None}
    if api_type == "azure":
        from .lib.azure import AzureOpenAI

        kwargs.pop("admin_api_key", None)
        client: Any = AzureOpenAI(**kwargs)
    elif api_type == "openai":
        from ._client import OpenAI

        azure = [name for name in _AZURE_SETTINGS if name in kwargs]
        if azure:
            raise OpenAIError(f"pyopenai.{azure[0]} is an Azure setting: set pyopenai.api_type = 'azure' "
                              "(or OPENAI_API_TYPE=azure) to use the module-level client with Azure OpenAI")
        client = OpenAI(**kwargs)
    else:
        raise OpenAIError(f"pyopenai.api_type must be 'openai' or 'azure', got {api_type!r}")
    _cache = (values, client)
    return client


def module_resource(name: str) -> Any:
    """A stand-in for the module client's resource `name`, or None when `name` is not a resource.

    The client is made (and the API key looked for) when the resource is used, not when it is looked
    up: `hasattr(pyopenai, "chat")` holds without an API key, as in the official SDK.
    """
    if name.startswith("_"):
        return None
    from .resources._root import RootResources

    if name not in vars(RootResources):
        return None
    return ResourceProxy(name)


class ResourceProxy:
    """`pyopenai.<resource>`: each attribute read goes to the module client's resource of that name."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(getattr(module_client(), self._name), attribute)

    def __dir__(self) -> list[str]:
        from .resources._root import RootResources

        resource_class: Any = getattr(RootResources, self._name)
        return dir(getattr(resource_class, "func", resource_class))

    def __repr__(self) -> str:
        return f"<pyopenai.{self._name}: the module client's resource, made on first use>"
