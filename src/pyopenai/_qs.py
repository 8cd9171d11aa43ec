"""Query strings and form fields in the brackets style the API uses.

`{"include": ["a", "b"], "metadata": {"k": "v"}, "limit": 10, "x": True}` becomes
`include[]=a&include[]=b&metadata[k]=v&limit=10&x=true`. `None` values are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

__all__ = ["flatten", "primitive_to_str"]


def primitive_to_str(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def flatten(params: Mapping[str, object], *, array_suffix: str = "[]") -> list[tuple[str, str]]:
    """Flatten nested params to (key, value) pairs. Keys already ending in `[]` are not doubled."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        _flatten_into(pairs, key, value, array_suffix)
    return pairs


def _flatten_into(pairs: list[tuple[str, str]], key: str, value: Any, array_suffix: str) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for sub_key, sub_value in cast("Mapping[str, object]", value).items():
            _flatten_into(pairs, f"{key}[{sub_key}]", sub_value, array_suffix)
        return
    if isinstance(value, (str, bytes)):
        pairs.append((key, value if isinstance(value, str) else value.decode()))
        return
    if isinstance(value, Iterable) and not hasattr(cast(object, value), "read"):
        array_key = key if key.endswith("[]") else key + array_suffix
        for item in cast("Iterable[object]", value):
            _flatten_into(pairs, array_key, item, array_suffix)
        return
    scalar: object = value  # pyright: ignore[reportUnknownVariableType]
    to_dict: Any = getattr(scalar, "to_dict", None)  # pyright: ignore[reportUnknownArgumentType]
    if callable(to_dict):  # a response model passed back as a param
        _flatten_into(pairs, key, to_dict(), array_suffix)
        return
    pairs.append((key, primitive_to_str(scalar)))  # pyright: ignore[reportUnknownArgumentType]
