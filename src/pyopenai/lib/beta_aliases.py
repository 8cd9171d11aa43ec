"""`client.beta.chat.completions`: the older path to `parse()` and `stream()` that the official SDK keeps.

It is `client.chat.completions` itself (the same methods, the same object), reached through
`client.beta.chat`; the mixins below become the first bases of the generated `Beta` classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from ..resources.chat.completions.completions import AsyncCompletions, Completions

__all__ = ["AsyncBetaChatAlias", "BetaChat", "BetaChatAlias"]

_CompletionsT = TypeVar("_CompletionsT")


class BetaChat(Generic[_CompletionsT]):
    """`client.beta.chat`."""

    def __init__(self, completions: _CompletionsT) -> None:
        self.completions = completions


class BetaChatAlias:
    _client: Any

    @property
    def chat(self) -> BetaChat[Completions]:
        return BetaChat(self._client.chat.completions)


class AsyncBetaChatAlias:
    _client: Any

    @property
    def chat(self) -> BetaChat[AsyncCompletions]:
        return BetaChat(self._client.chat.completions)
