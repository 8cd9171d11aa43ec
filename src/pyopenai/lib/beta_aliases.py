"""`client.beta.chat.completions`: the older path to `parse()` and `stream()` that the official SDK keeps.

It is `client.chat.completions` itself (the same methods, the same object), reached through
`client.beta.chat`; the mixins below become the first bases of the generated `Beta` classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..resources.chat.completions.completions import AsyncCompletions, Completions

__all__ = ["AsyncBetaChatAlias", "BetaChatAlias"]


class BetaChat:
    """`client.beta.chat`."""

    def __init__(self, client: Any) -> None:
        self._client = client

    @property
    def completions(self) -> Completions:
        return self._client.chat.completions


class AsyncBetaChat:
    """`client.beta.chat` of the async client."""

    def __init__(self, client: Any) -> None:
        self._client = client

    @property
    def completions(self) -> AsyncCompletions:
        return self._client.chat.completions


class BetaChatAlias:
    _client: Any

    @property
    def chat(self) -> BetaChat:
        return BetaChat(self._client)


class AsyncBetaChatAlias:
    _client: Any

    @property
    def chat(self) -> AsyncBetaChat:
        return AsyncBetaChat(self._client)
