"""Event listeners for the stream helpers: `stream.on("content.delta", fn)`.

Listeners run as the events are consumed (by iteration, `until_done()`, `get_final_*()` or
`text_stream`), in registration order, on the consuming thread/task. A listener for `"*"` sees every
event. Async streams accept plain functions and coroutine functions alike.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from typing_extensions import Self

__all__ = ["EventHandlers"]

Listener = Callable[[Any], Any]


class EventHandlers:
    """The `on`/`off`/`once` registry mixed into the stream classes."""

    _listeners: dict[str, list[tuple[Listener, bool]]]

    def _init_handlers(self) -> None:
        self._listeners = {}

    def on(self, event_type: str, listener: Listener) -> Self:
        """Call `listener(event)` for every event of `event_type` ("*" for all). Returns the stream."""
        self._listeners.setdefault(event_type, []).append((listener, False))
        return self

    def once(self, event_type: str, listener: Listener) -> Self:
        """Like `on`, for the next such event only."""
        self._listeners.setdefault(event_type, []).append((listener, True))
        return self

    def off(self, event_type: str, listener: Listener | None = None) -> Self:
        """Remove `listener` (or every listener) for `event_type`."""
        if listener is None:
            self._listeners.pop(event_type, None)
        else:
            self._listeners[event_type] = [e for e in self._listeners.get(event_type, []) if e[0] != listener]
        return self

    def _targets(self, event: Any) -> list[Listener]:
        if not self._listeners:
            return []
        out: list[Listener] = []
        for key in (getattr(event, "type", None), "*"):
            entries = self._listeners.get(key) if isinstance(key, str) else None
            if not entries:
                continue
            out.extend(fn for fn, _ in entries)
            if any(once for _, once in entries):
                self._listeners[key] = [e for e in entries if not e[1]]  # pyright: ignore[reportArgumentType]
        return out

    def _emit(self, event: Any) -> None:
        for fn in self._targets(event):
            fn(event)

    async def _aemit(self, event: Any) -> None:
        for fn in self._targets(event):
            result = fn(event)
            if inspect.isawaitable(result):
                await result
