"""Python callables as function tools: their schema, and calling them with the model's arguments.

`function_tool(fn)` reads everything from the function itself: the name from `fn.__name__`, the
description from the docstring's summary, each parameter's description from a Google-style
"Args:" section (or `Annotated[T, "description"]`), and the parameter schema from the type
annotations (our own conversion, see `_schema.py`; pydantic only for parameters that are pydantic
models). A pydantic model class with a `__call__` or `run` method is a tool too: the model is the
parameters, the method is the body.

Strict mode is used whenever the parameters allow it (no open `dict[str, X]` maps, no `Any`):
every parameter is then required, and one with a default accepts `null`, which means "use the
default". Pass `strict=False` to turn it off.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import inspect
import json
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union, cast, get_args, get_origin, overload

from typing_extensions import is_typeddict

from .._models import BaseModel
from .._serialize import json_default
from ._schema import (
    StrictSchemaError,
    function_parameters_schema,
    is_pydantic_model,
    make_strict,
    optional_strict,
    split_docstring,
    to_strict_json_schema,
)

__all__ = ["FunctionTool", "function_tool", "serialize_tool_output"]

JSON = dict[str, Any]
_UNION_TYPES: tuple[Any, ...] = (Union, types.UnionType)


class FunctionTool:
    """A python function (or a callable pydantic model) the tool runners can offer and execute."""

    def __init__(
        self,
        fn: Callable[..., object],
        *,
        name: str | None = None,
        description: str | None = None,
        strict: bool | None = None,
    ) -> None:
        self.fn = fn
        self._model: Any = fn if is_pydantic_model(fn) else None
        self.name: str = name or cast(str, getattr(fn, "__name__", type(fn).__name__))
        doc_summary, _ = split_docstring(inspect.getdoc(fn))
        self.description: str | None = description if description is not None else doc_summary
        self._defaults: dict[str, Any] = {}
        self._annotations: dict[str, Any] = {}
        if self._model is not None:
            body = _model_body(self._model)
            if body is None:
                raise TypeError(
                    f"{self.name}: a pydantic model used as a tool needs a `__call__` or `run` method to execute"
                )
            if strict is False:
                schema = cast(JSON, self._model.model_json_schema())
            else:
                schema = to_strict_json_schema(self._model)
            self.strict: bool = strict is not False
            self.is_async = inspect.iscoroutinefunction(body)
        else:
            schema, strict_ok, annotations = function_parameters_schema(fn)
            self._annotations = annotations
            for pname, param in inspect.signature(fn).parameters.items():
                if param.default is not inspect.Parameter.empty:
                    self._defaults[pname] = param.default
            if strict and not strict_ok:
                raise StrictSchemaError(
                    f"{self.name}: its parameters cannot be expressed in strict mode (open dict maps or `Any`); "
                    "pass strict=False"
                )
            self.strict = strict_ok if strict is None else strict
            if self.strict:
                props = cast(JSON, schema.get("properties") or {})
                for pname in self._defaults:
                    if pname in props:
                        props[pname] = optional_strict(cast(JSON, props[pname]))
                schema = make_strict(schema)
            self.is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
                vars(type(fn)).get("__call__")
            )
        self.parameters: JSON = schema

    def __repr__(self) -> str:
        return f"FunctionTool(name={self.name!r}, strict={self.strict})"

    # the tool definitions the two APIs take

    def _definition(self) -> JSON:
        out: JSON = {"name": self.name, "parameters": self.parameters, "strict": self.strict}
        if self.description:
            out["description"] = self.description
        return out

    def chat_param(self) -> JSON:
        return {"type": "function", "function": self._definition()}

    def responses_param(self) -> JSON:
        return {"type": "function", **self._definition()}

    # calling

    def parse_arguments(self, arguments: str) -> object:
        """The decoded arguments: a dict (a model instance for model tools). Raises ValueError if invalid."""
        if self._model is not None:
            return self._model.model_validate_json(arguments or "{}")
        data = json.loads(arguments or "{}")
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object of arguments, got {type(data).__name__}")
        return cast(JSON, data)

    def invoke(self, parsed: object) -> object:
        """Call the function with decoded arguments; returns its result (a coroutine for async ones)."""
        if self._model is not None:
            return getattr(parsed, cast(str, _model_body(self._model).__name__))()
        kwargs: JSON = {}
        for key, value in cast(JSON, parsed).items():
            if value is None and key in self._defaults and self.strict:
                continue  # null stands for "use the default" in strict mode
            annotation = self._annotations.get(key)
            kwargs[key] = coerce(value, annotation) if annotation is not None else value
        return self.fn(**kwargs)


def _model_body(model: Any) -> Any:
    """The method that executes a model tool: its own `__call__`, else `run`."""
    for base in cast("list[type[Any]]", model.__mro__):
        if base is object or base.__name__ == "BaseModel":
            break
        for name in ("__call__", "run"):
            if callable(vars(base).get(name)):
                return vars(base)[name]
    return None


@overload
def function_tool(
    fn: Callable[..., object], *, name: str | None = None, description: str | None = None, strict: bool | None = None
) -> FunctionTool: ...
@overload
def function_tool(
    fn: None = None, *, name: str | None = None, description: str | None = None, strict: bool | None = None
) -> Callable[[Callable[..., object]], FunctionTool]: ...
def function_tool(
    fn: Callable[..., object] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    strict: bool | None = None,
) -> FunctionTool | Callable[[Callable[..., object]], FunctionTool]:
    """Wrap a function as a tool with a custom name/description/strictness; usable as a decorator."""
    if fn is None:

        def decorate(f: Callable[..., object]) -> FunctionTool:
            return FunctionTool(f, name=name, description=description, strict=strict)

        return decorate
    return FunctionTool(fn, name=name, description=description, strict=strict)


def coerce(value: Any, annotation: Any) -> Any:
    """Decoded JSON -> the annotated python type, where the JSON form differs (models, enums, dates)."""
    if value is None or annotation is Any:
        return value
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is typing.Annotated:
        return coerce(value, args[0])
    if origin in _UNION_TYPES:
        for member in args:
            if member is type(None):
                continue
            try:
                converted = coerce(value, member)
            except Exception:
                continue
            if converted is not value or _plain_matches(value, member):
                return converted
        return value
    if origin is Literal:
        return value
    if origin in (list, set, frozenset, tuple) or getattr(origin, "__name__", "") in ("Sequence", "Iterable"):
        if not isinstance(value, list):
            return value
        items = cast("list[Any]", value)
        item_type = args[0] if args else Any
        converted_items = [coerce(v, item_type) for v in items]
        if origin is set:
            return set(converted_items)
        if origin is frozenset:
            return frozenset(converted_items)
        if origin is tuple:
            return tuple(converted_items)
        return converted_items
    if origin in (dict, Mapping) and isinstance(value, dict) and len(args) == 2:
        return {k: coerce(v, args[1]) for k, v in cast(JSON, value).items()}
    if isinstance(annotation, type):
        cls: type[Any] = annotation
        if is_pydantic_model(cls):
            return cast(Any, cls).model_validate(value)
        if issubclass(cls, enum.Enum):
            return cls(value)
        if dataclasses.is_dataclass(cls) and isinstance(value, dict):
            hints = typing.get_type_hints(cls)
            return cls(**{k: coerce(v, hints.get(k, Any)) for k, v in cast(JSON, value).items()})
        if is_typeddict(cls) and isinstance(value, dict):
            hints = typing.get_type_hints(cls)
            return {k: coerce(v, hints.get(k, Any)) for k, v in cast(JSON, value).items()}
        if cls is datetime.datetime and isinstance(value, str):
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if cls is datetime.date and isinstance(value, str):
            return datetime.date.fromisoformat(value)
        if cls is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
    return cast(Any, value)


def _plain_matches(value: Any, member: Any) -> bool:
    target = get_origin(member) or member
    if target is Literal:
        return value in get_args(member)
    if isinstance(target, type):
        if target is float:
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        return isinstance(value, target)
    return False


def serialize_tool_output(result: object) -> str:
    """What a tool's return value becomes in the message to the model: text as is, anything else as JSON."""
    if isinstance(result, str):
        return result
    if isinstance(result, BaseModel):
        return result.to_json(indent=None)
    dump_json = getattr(result, "model_dump_json", None)
    if callable(dump_json):
        return cast(str, dump_json())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    if isinstance(result, enum.Enum):
        result = result.value
    return json.dumps(result, default=json_default, ensure_ascii=False)
