"""Sending a multipart body again: a retry must read each file from where the first attempt did.

The files a request streams are the caller's file objects (the same objects on every attempt) or
files the client opened from paths (opened again for each attempt, so already at their start).
"""

from __future__ import annotations

from typing import Any

import httpx2

from ._files import file_positions

__all__ = ["FileRewinder"]


def _request_files(request: httpx2.Request) -> list[Any]:
    """The file objects a multipart request reads from (httpx2 keeps them on its stream's fields)."""
    fields: list[Any] = getattr(getattr(request, "stream", None), "fields", None) or []
    return [f.file for f in fields if hasattr(getattr(f, "file", None), "read")]


class FileRewinder:
    """Where the files of a call's first attempt started; puts later attempts' files back there.

    A raw body read from an iterator cannot be sent twice: the call says so when it starts."""

    __slots__ = ("_body_resendable", "_positions")

    def __init__(self, body_resendable: bool = True) -> None:
        self._body_resendable = body_resendable
        self._positions: list[int | None] | None = None

    def prepare(self, request: httpx2.Request) -> None:
        """Before each attempt: remember the start positions (first attempt) or seek back to them."""
        if self._positions is None:
            self._positions = file_positions(_request_files(request))
            return
        for file_object, position in zip(_request_files(request), self._positions):
            if position is not None:
                file_object.seek(position)

    @property
    def resendable(self) -> bool:
        """False when a file of the body cannot be read again (not seekable): then no retry."""
        return self._body_resendable and (self._positions is None or None not in self._positions)
