"""Request bodies: what the API receives for the values users pass as params.

Kept apart from `_models` so that sending a request never imports pydantic: models (ours and any
pydantic model) are recognised by their `model_dump` method.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, cast

__all__ = ["json_default", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    """Models, pydantic models, iterables and dates as the JSON the API expects. Plain data is returned as is."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in cast("dict[str, Any]", value).items()}
    if isinstance(value, list):
        return [to_jsonable(v) for v in cast("list[Any]", value)]
    return json_default(value)


def json_default(value: Any) -> Any:
    """The `default=` hook of request JSON encoding: what `json` cannot encode by itself."""
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):  # a pydantic model, ours included
        # the API's names, and only what was set: a result sent back is sent as it came
        return dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: to_jsonable(v) for k, v in cast("Mapping[str, Any]", value).items()}
    if isinstance(value, Iterable) and not isinstance(value, (bytes, str)):
        return [to_jsonable(v) for v in cast("Iterable[Any]", value)]
    raise TypeError(f"Object of type {type(value).__name__} cannot be sent as JSON")
