"""The official SDK's private helpers (`openai._utils`) that code written against it imports, each
standing for what pyopenai already does (its annotations, its redaction, its `OPENAI_LOG`) or for
the standard library and pydantic call it names. Not imported by `import pyopenai`.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, cast

from typing_extensions import ParamSpec, TypeIs

from .._logging import redact_headers
from .._types import is_given

__all__ = [
    "PropertyInfo",
    "SensitiveHeadersFilter",
    "asyncify",
    "is_dict",
    "is_given",
    "lru_cache",
    "parse_date",
    "parse_datetime",
    "required_args",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_F = TypeVar("_F", bound=Callable[..., Any])


class PropertyInfo:
    """Annotation metadata: `Annotated[Union[A, B], PropertyInfo(discriminator="type")]` names the
    property that tells a union's members apart, which pyopenai's lenient construction reads (as it
    reads pydantic's `Field(discriminator=...)`). `alias`, `format` and `format_template` are kept for
    code that reads them; pyopenai's own params and models do not need them."""

    def __init__(
        self,
        *,
        alias: str | None = None,
        format: str | None = None,
        format_template: str | None = None,
        discriminator: str | None = None,
    ) -> None:
        self.alias = alias
        self.format = format
        self.format_template = format_template
        self.discriminator = discriminator

    def __repr__(self) -> str:
        given = {k: v for k, v in vars(self).items() if v is not None}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in given.items())})"


def is_dict(value: object) -> TypeIs[dict[Any, Any]]:
    return isinstance(value, dict)


def lru_cache(*, maxsize: int | None = 128) -> Callable[[_F], _F]:
    """`functools.lru_cache`, typed so that the cached function keeps its signature."""
    return cast("Callable[[_F], _F]", functools.lru_cache(maxsize=maxsize))


def asyncify(function: Callable[_P, _R]) -> Callable[_P, Awaitable[_R]]:
    """`function` as a coroutine function that runs it in a worker thread (anyio's, so trio works too)."""

    async def in_thread(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        import anyio.to_thread

        return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))

    return in_thread


def parse_datetime(value: datetime | str | bytes | int | float) -> datetime:
    """A datetime from ISO 8601 text or a Unix timestamp, as pydantic reads one."""
    from pydantic import TypeAdapter

    return TypeAdapter(datetime).validate_python(value)


def parse_date(value: date | str | bytes | int | float) -> date:
    """A date from ISO 8601 text or a Unix timestamp, as pydantic reads one."""
    from pydantic import TypeAdapter

    return TypeAdapter(date).validate_python(value)


def required_args(*variants: Sequence[str]) -> Callable[[_F], _F]:
    """Check that a call passes every argument of at least one of `variants` (lists of parameter
    names), positionally or by keyword; a TypeError names what is missing otherwise."""

    def decorate(function: _F) -> _F:
        positional = [
            p.name for p in inspect.signature(function).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]

        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if len(args) > len(positional):
                raise TypeError(f"{function.__name__}() takes {len(positional)} argument(s) but {len(args)} were given")
            given = set(positional[: len(args)]) | set(kwargs)
            if variants and not any(all(name in given for name in variant) for variant in variants):
                raise TypeError(_missing_message(variants, given))
            return function(*args, **kwargs)

        return cast(_F, checked)

    return decorate


def _missing_message(variants: Sequence[Sequence[str]], given: set[str]) -> str:
    if len(variants) == 1:
        missing = [name for name in variants[0] if name not in given]
        if len(missing) == 1:
            return f"Missing required argument: {missing[0]!r}"
        return f"Missing required arguments: {', '.join(repr(name) for name in missing)}"
    options = " or ".join("(" + ", ".join(repr(name) for name in variant) + ")" for variant in variants)
    return f"Missing required arguments: pass one of {options}"


class SensitiveHeadersFilter(logging.Filter):
    """A logging filter for records whose argument is a dict with `headers`: credential headers
    (`Authorization`, `api-key`, ... in any case) are logged as `<redacted>`, by pyopenai's own rule."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            args = cast("dict[str, Any]", record.args)
            headers: object = args.get("headers")
            if isinstance(headers, dict) and all(
                isinstance(name, str) and isinstance(value, str) for name, value in cast("dict[Any, Any]", headers).items()
            ):
                record.args = {**args, "headers": redact_headers(cast("dict[str, str]", headers))}
        return True
