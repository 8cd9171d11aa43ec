"""The building blocks of the namespace helpers on a connection (`connection.session.update(...)`).

A helper builds one client event and hands it to the connection's sender. The helper classes are
written once for both clients, generic over what sending returns: `None` on a sync connection, a
coroutine to await on an async one (`Part[None]` / `Part[Awaited]`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Generic, TypeVar

from ..._types import is_given

__all__ = ["Awaited", "Part", "R", "event"]

R = TypeVar("R")  # what a helper returns: None (sync connection) or a coroutine to await (async)
Awaited = Coroutine[Any, Any, None]


def event(event_type: str, event_id: object, **fields: object) -> dict[str, object]:
    """A client event: its type, the given fields (omitted ones left out) and `event_id` when given
    (`None` is sent as null, as the API allows)."""
    body: dict[str, object] = {"type": event_type}
    body.update({k: v for k, v in fields.items() if is_given(v)})
    if is_given(event_id):
        body["event_id"] = event_id
    return body


class Part(Generic[R]):
    def __init__(self, send: Callable[[Mapping[str, object]], R]) -> None:
        self._send = send
