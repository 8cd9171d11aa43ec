"""The official SDK's private model helpers (`openai._compat`), for code written against them.

Libraries and test suites built on the official package call these module functions instead of the
model methods (they once bridged pydantic v1 and v2). pyopenai's models are pydantic v2 models, so
each name here is the pydantic v2 method it stands for; nothing is reimplemented. Imports pydantic:
loaded only by code that imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, TypeVar, cast

import pydantic
import typing_extensions
from pydantic.fields import FieldInfo

__all__ = [
    "PYDANTIC_V1",
    "EagerIterable",
    "get_model_fields",
    "is_literal_type",
    "model_copy",
    "model_dump",
    "model_json",
    "model_json_schema",
    "model_parse",
    "parse_obj",
]

_M = TypeVar("_M", bound=pydantic.BaseModel)
_T = TypeVar("_T")

# pyopenai needs pydantic 2: code that branches on the major version takes its v2 path
PYDANTIC_V1 = False


def parse_obj(model: type[_M], value: object) -> _M:
    """`model.model_validate(value)`."""
    return model.model_validate(value)


model_parse = parse_obj


def model_dump(
    model: pydantic.BaseModel,
    *,
    exclude: Any = None,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    warnings: bool = True,
    mode: Literal["json", "python"] = "python",
    by_alias: bool | None = None,
) -> dict[str, Any]:
    """`model.model_dump(...)` with the same keywords."""
    return model.model_dump(
        exclude=exclude, exclude_unset=exclude_unset, exclude_defaults=exclude_defaults, warnings=warnings,
        mode=mode, by_alias=by_alias,
    )


def model_json(model: pydantic.BaseModel, *, indent: int | None = None) -> str:
    """`model.model_dump_json(indent=...)`."""
    return model.model_dump_json(indent=indent)


def model_copy(model: _M, *, deep: bool = False) -> _M:
    """`model.model_copy(deep=...)`."""
    return model.model_copy(deep=deep)


def model_json_schema(model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """`model.model_json_schema()`."""
    return model.model_json_schema()


def get_model_fields(model: type[pydantic.BaseModel]) -> dict[str, FieldInfo]:
    """`model.model_fields`."""
    return dict(model.model_fields)


def is_literal_type(tp: object) -> bool:
    """Whether `tp` is a `Literal[...]` (from `typing` or `typing_extensions`)."""
    return typing_extensions.get_origin(tp) in (Literal, typing_extensions.Literal)


def _read_eagerly(value: object, handler: pydantic.ValidatorFunctionWrapHandler) -> object:
    """Validate every item now; a collection keeps its type, anything else iterable becomes a list.

    pydantic validates an `Iterable[...]` field lazily (an iterator, consumed by the first dump).
    """
    items = list(cast("Iterable[object]", handler(value)))
    if isinstance(value, (list, tuple, set, frozenset)) or type(value).__name__ == "deque":
        return type(cast(Any, value))(items)
    return items


EagerIterable = typing_extensions.Annotated[Iterable[_T], pydantic.WrapValidator(_read_eagerly)]
