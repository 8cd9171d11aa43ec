"""Data residency: `OpenAI(data_residency="eu")` sends every request (HTTP and WebSocket) to a regional API host.

The region decides the base URL, so it cannot be combined with `base_url`, `websocket_base_url`
or `provider`; `OPENAI_BASE_URL` is not consulted when a region is named.
"""

from __future__ import annotations

from typing import Literal, get_args

from ._exceptions import OpenAIError

__all__ = ["DataResidency", "DataResidencyError", "residency_base_url"]

DataResidency = Literal["global", "us", "eu", "ae", "au", "in", "jp"]

_REGIONS: tuple[str, ...] = get_args(DataResidency)


class DataResidencyError(OpenAIError, ValueError):
    """A bad `data_residency` setting (a `ValueError` too, as the official SDK raises for most of these)."""


def residency_base_url(
    data_residency: object, *, base_url: object, websocket_base_url: object, provider: object
) -> str | None:
    """The base URL for `data_residency`, or None when no region was asked for."""
    if data_residency is None:
        return None
    for name, value in (("base_url", base_url), ("websocket_base_url", websocket_base_url), ("provider", provider)):
        if value is not None:
            raise DataResidencyError(f"data_residency and {name} cannot be used together: pass one of them")
    if not isinstance(data_residency, str) or data_residency not in _REGIONS:
        raise DataResidencyError(f"data_residency must be one of {', '.join(map(repr, _REGIONS))}, got {data_residency!r}")
    if data_residency == "global":
        return "https://api.openai.com/v1"
    return f"https://{data_residency}.api.openai.com/v1"
