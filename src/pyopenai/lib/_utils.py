"""Small shared pieces of the helpers."""

from __future__ import annotations

from typing import Any

from .._models import BaseModel

__all__ = ["json_of"]


def json_of(obj: BaseModel | dict[str, Any]) -> dict[str, Any]:
    """The decoded JSON behind a model (not a copy), or the dict itself."""
    if isinstance(obj, BaseModel):
        return obj._data  # pyright: ignore[reportPrivateUsage]
    return obj
