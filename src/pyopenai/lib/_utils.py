"""Small shared pieces of the helpers."""

from __future__ import annotations

from typing import Any, cast

from .._models import BaseModel

__all__ = ["json_of", "unwrap_group"]


def json_of(obj: BaseModel | dict[str, Any]) -> dict[str, Any]:
    """A model's data as the JSON the API sent (a copy: keyed by API names, unset fields left out),
    or the dict itself."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(by_alias=True, exclude_unset=True, warnings=False)
    return obj


def unwrap_group(exc: BaseException) -> BaseException:
    """The error inside a task group's exception group, when there is exactly one."""
    while True:
        inner: Any = getattr(exc, "exceptions", None)
        if not isinstance(inner, (list, tuple)) or len(cast("tuple[Any, ...]", inner)) != 1:
            return exc
        first: Any = cast("tuple[Any, ...]", inner)[0]
        if not isinstance(first, BaseException):
            return exc
        exc = first
