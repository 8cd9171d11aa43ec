"""The output items of a streamed response, kept by output index while the events arrive.

The rules the stream follows (those of the official SDK 3.60, learnt from its behaviour):

* An item lives at the `output_index` its `response.output_item.added` (or `.done`) names; indexes
  may be sparse (0, 7, 99) and the response's `output` lists the items in index order.
* An item event without an item (`"item": null`) changes nothing and is not handed out.
* A content event (text, refusal, arguments...) for an index that holds no item is an error.
* One item is one identity: its `call_id` (tool calls), else its `id`, with its `type`. It may gain
  an `id` it lacked, never lose or change one; it lives at one index only.
* A lifecycle snapshot (`response.created` / `.queued` / `.in_progress`) with an `output` list
  refreshes the items it names and seeds new ones; an item it leaves out is kept.
* `response.completed` with an `output` list is authoritative, provided it accounts for every item
  still unfinished (added, not done); with a null or missing `output` the tracked items are the output,
  and none may be unfinished. `response.failed` / `.incomplete` keep what they name, or the partial items.
"""

from __future__ import annotations

from typing import Any, cast

from ...._exceptions import OpenAIError

__all__ = ["OutputItems", "ResponseStreamStateError"]

JSON = dict[str, Any]
_Key = tuple[object, str, str]


class ResponseStreamStateError(OpenAIError, RuntimeError):
    """The stream's events contradict each other (an item changes identity, content arrives for an
    output index that holds no item, the response id changes, the response completes with unfinished items)."""


def _key(item: JSON) -> _Key | None:
    call_id = item.get("call_id")
    if isinstance(call_id, str):
        return (item.get("type"), "call_id", call_id)
    item_id = item.get("id")
    if isinstance(item_id, str):
        return (item.get("type"), "id", item_id)
    return None


def _describe(item: JSON) -> str:
    named = ", ".join(f"{name}={item[name]!r}" for name in ("type", "id", "call_id") if item.get(name) is not None)
    return f"({named})"


def _conflict(tracked: JSON, candidate: JSON, where: str) -> ResponseStreamStateError:
    return ResponseStreamStateError(
        f"Output item identity conflict {where}: {_describe(candidate)} takes the place of "
        f"{_describe(tracked)}, a different item"
    )


class OutputItems:
    """The items by output index, which are unfinished, and which index each identity holds."""

    __slots__ = ("_items", "_owners", "_unfinished")

    def __init__(self) -> None:
        self._items: dict[int, JSON] = {}
        self._unfinished: set[int] = set()
        self._owners: dict[_Key, int] = {}

    def at(self, index: int, event_type: str) -> JSON:
        """The item at `index`, which a content event (`event_type`) updates in place."""
        item = self._items.get(index)
        if item is None:
            raise ResponseStreamStateError(
                f"The stream sent {event_type} for output index {index}, which holds no output item "
                "(no response.output_item.added came for it)"
            )
        return item

    def listed(self) -> list[JSON]:
        """The items in output index order."""
        items = self._items
        return [items[index] for index in sorted(items)]

    def added(self, index: int, item: JSON) -> None:
        if index in self._unfinished:
            raise ResponseStreamStateError(
                f"The stream added a second item {_describe(item)} at output index {index}, whose item "
                f"{_describe(self._items[index])} is not done"
            )
        self._place(index, item, finished=False)

    def done(self, index: int, item: JSON) -> None:
        if index in self._unfinished:
            tracked = self._items[index]
            if not _same_item(tracked, item):
                raise _conflict(tracked, item, f"at output index {index}")
        self._place(index, item, finished=True)

    def refresh(self, output: list[Any]) -> None:
        """A lifecycle snapshot's `output`: refresh the items it names, seed those it adds."""
        seen: set[int] = set()
        for position, candidate in enumerate(output):
            if not isinstance(candidate, dict):
                continue
            item = cast(JSON, candidate)
            index = self._match(item, position, seen)
            if index is None:
                index = position if position not in self._items else max(self._items) + 1
                self._place(index, item, finished=item.get("status") != "in_progress")
            else:
                self._place(index, item, finished=index not in self._unfinished)
            seen.add(index)

    def settle(self, output: list[Any] | None) -> list[Any]:
        """The output of `response.completed`: its own list, or the tracked items when it sent none."""
        if output is None:
            unfinished = sorted(self._unfinished)
            if unfinished:
                raise self._unfinished_error(unfinished)
            return self.listed()
        seen: set[int] = set()
        for position, candidate in enumerate(output):
            if isinstance(candidate, dict):
                index = self._match(cast(JSON, candidate), position, seen)
                if index is not None:
                    seen.add(index)
        missing = sorted(self._unfinished - seen)
        if missing:
            raise self._unfinished_error(missing)
        return output

    def _unfinished_error(self, indexes: list[int]) -> ResponseStreamStateError:
        described = ", ".join(f"{index} {_describe(self._items[index])}" for index in indexes)
        return ResponseStreamStateError(
            f"The response completed with unfinished output items (added, never done, missing from its "
            f"output) at output index {described}"
        )

    def _match(self, candidate: JSON, position: int, seen: set[int]) -> int | None:
        """The index of the tracked item `candidate` is a newer version of, or None for a new item."""
        key = _key(candidate)
        index = self._owners.get(key) if key is not None else None
        if index is not None:
            tracked = self._items[index]
            if index in seen:
                raise ResponseStreamStateError(
                    f"Output item identity conflict: one snapshot names the item {_describe(tracked)} twice"
                )
            if not _same_item(tracked, candidate):
                raise _conflict(tracked, candidate, f"at output index {index}")
            return index
        # no identity to go by: the item at the same place, if it has none either (it may gain one)
        indexes = sorted(self._items)
        index = indexes[position] if position < len(indexes) else None
        if index is None or index in seen:
            return None
        tracked = self._items[index]
        return index if _key(tracked) is None and tracked.get("type") == candidate.get("type") else None

    def _place(self, index: int, item: JSON, *, finished: bool) -> None:
        key = _key(item)
        if key is not None:
            owner = self._owners.get(key)
            if owner is not None and owner != index:
                raise _conflict(self._items[owner], item, f"at output indexes {owner} and {index}")
        previous = self._items.get(index)
        if previous is not None:
            previous_key = _key(previous)
            if previous_key is not None and self._owners.get(previous_key) == index:
                del self._owners[previous_key]
        self._items[index] = dict(item)  # our copy: deltas extend it in place
        if key is not None:
            self._owners[key] = index
        if finished:
            self._unfinished.discard(index)
        else:
            self._unfinished.add(index)


def _same_item(tracked: JSON, candidate: JSON) -> bool:
    """Whether `candidate` can be a newer version of `tracked`: same type, same call id, and the same
    id unless `tracked` had none yet."""
    if tracked.get("type") != candidate.get("type"):
        return False
    for name in ("id", "call_id"):
        value = tracked.get(name)
        if isinstance(value, str) and candidate.get(name) != value:
            return False
    return True
