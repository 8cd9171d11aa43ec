"""Sentinels and type aliases shared by the runtime and the generated code."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Mapping
from os import PathLike
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar, Union, cast

from typing_extensions import TypedDict, TypeIs, final, override

if TYPE_CHECKING:
    import httpx2

    from ._retry_policy import RetryPolicy

__all__ = [
    "NOT_GIVEN",
    "AsyncBinaryTypes",
    "BinaryTypes",
    "Body",
    "FileContent",
    "FileTypes",
    "Headers",
    "NoneType",
    "NotGiven",
    "Omit",
    "Query",
    "RequestOptions",
    "SecurityOptions",
    "Timeout",
    "given_value",
    "is_given",
    "not_given",
    "omit",
    "strip_not_given",
]

NoneType: type[None] = type(None)
_V = TypeVar("_V")


@final
class NotGiven:
    """The value of an argument the caller did not pass.

    Distinguishes "not passed" (nothing is sent) from ``None`` (sent as JSON ``null``).
    """

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # a singleton, so that `is NOT_GIVEN` holds after pickling and copying
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __reduce__(self) -> str:
        return "NOT_GIVEN"

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
not_given = NOT_GIVEN  # the lower-case name the official SDK also gives it


@final
class Omit:
    """The default of optional endpoint arguments: the argument is left out of the request.

    Also usable to remove a default header for one call: ``extra_headers={"OpenAI-Beta": omit}``.
    """

    __slots__ = ()
    _instance: Omit | None = None

    def __new__(cls) -> Omit:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __reduce__(self) -> str:
        return "omit"

    @override
    def __repr__(self) -> str:
        return "omit"


omit = Omit()

# What a user may pass as a per-request timeout: seconds, an httpx2.Timeout, or None (no timeout).
Timeout = Union[float, "httpx2.Timeout", None]

Headers = Mapping[str, Union[str, Omit]]
Query = Mapping[str, object]
Body = object

# File inputs accepted wherever the API takes a file.
FileContent = Union[IO[bytes], bytes, "PathLike[str]"]
FileTypes = Union[
    FileContent,
    tuple[Union[str, None], FileContent],
    tuple[Union[str, None], FileContent, Union[str, None]],
    tuple[Union[str, None], FileContent, Union[str, None], Mapping[str, str]],
]


# A raw request body: bytes, or chunks from a file object or an (async) iterator, sent as they come.
BinaryTypes = Union[bytes, bytearray, IO[bytes], Iterable[bytes]]
AsyncBinaryTypes = Union[bytes, bytearray, IO[bytes], AsyncIterable[bytes]]


class SecurityOptions(TypedDict, total=False):
    """Which credential a custom request carries (the client's API key by default)."""

    bearer_auth: bool
    admin_api_key_auth: bool


class RequestOptions(TypedDict, total=False):
    """Per-request options accepted by ``client.get/post/...`` through ``options=``."""

    headers: Headers
    max_retries: int
    retry: RetryPolicy
    timeout: float | httpx2.Timeout | None
    deadline: float | None
    params: Query
    extra_json: Mapping[str, object]
    idempotency_key: str
    follow_redirects: bool
    security: SecurityOptions


def is_given(value: _V | NotGiven | Omit) -> TypeIs[_V]:
    """Whether the caller passed this argument (`NOT_GIVEN` and `omit` mean they did not); the one
    test of it, which narrows the argument's type both ways."""
    return value is not NOT_GIVEN and value is not omit


def given_value(value: _V | NotGiven | Omit) -> _V | None:
    """The argument's value, or None when the caller did not pass it."""
    return None if value is NOT_GIVEN or value is omit else cast("_V", value)


def strip_not_given(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop the arguments the caller did not pass (the generated methods build full dicts)."""
    return {k: v for k, v in values.items() if v is not omit and v is not NOT_GIVEN}
