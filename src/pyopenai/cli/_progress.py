"""Progress on stderr for uploads, downloads and batch watching: drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
from typing import IO, TextIO

__all__ = ["Progress", "ProgressReader", "human_bytes"]

_UNITS = ("B", "KB", "MB", "GB", "TB")


def human_bytes(count: float) -> str:
    """``1536`` -> ``"1.5 KB"`` (powers of 1024, one decimal above bytes)."""
    value = float(count)
    for unit in _UNITS:
        if value < 1024 or unit == _UNITS[-1]:
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class Progress:
    """A one-line bar redrawn in place; silent unless ``stream`` is a terminal (logs and pipes stay clean)."""

    WIDTH = 30

    def __init__(self, total: int | None, label: str, *, unit: str = "bytes", stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.total = total
        self.label = label
        self.unit = unit
        self.done = 0
        self._drawn = False

    def _amount(self, value: int) -> str:
        return human_bytes(value) if self.unit == "bytes" else f"{value} {self.unit}"

    def update(self, done: int, note: str = "") -> None:
        self.done = done
        if not self.enabled:
            return
        if self.total:
            filled = min(self.WIDTH, self.WIDTH * done // self.total)
            bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self._amount(done)} / {self._amount(self.total)}"
        else:
            bar = self._amount(done)
        self.stream.write(f"\r{self.label} {bar}{'  ' + note if note else ''}\x1b[K")
        self.stream.flush()
        self._drawn = True

    def advance(self, count: int) -> None:
        self.update(self.done + count)

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


class ProgressReader:
    """A binary file wrapper that advances a :class:`Progress` as the HTTP transport reads it."""

    def __init__(self, handle: IO[bytes], progress: Progress, name: str) -> None:
        self._handle = handle
        self._progress = progress
        self.name = name

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        if chunk:
            self._progress.advance(len(chunk))
        else:
            self._progress.finish()
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self._handle.seek(offset, whence)
        self._progress.update(position)
        return position

    def tell(self) -> int:
        return self._handle.tell()

    def seekable(self) -> bool:
        return self._handle.seekable()
