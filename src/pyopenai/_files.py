"""File inputs and multipart bodies.

Accepted file inputs: `bytes`, `pathlib.Path` (or any `os.PathLike`), an open binary file or any
object with `.read()`, and `(filename, content[, content_type[, headers]])` tuples. Paths and file
objects are streamed by the transport in chunks, never read whole into memory.
"""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import IO, Any, cast

from ._qs import flatten
from ._types import FileContent, FileTypes

__all__ = ["MultipartFile", "build_multipart", "file_from_path", "to_file"]

# (field name, (filename, content, content type)) as httpx2 takes it
MultipartFile = tuple[str, tuple[str | None, Any, str | None]]


def is_file_content(value: object) -> bool:
    return isinstance(value, (bytes, bytearray, os.PathLike, io.IOBase)) or hasattr(value, "read")


def _guess_type(filename: str | None) -> str | None:
    if not filename:
        return None
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _normalize(value: FileTypes) -> tuple[str | None, Any, str | None]:
    """One file input as (filename, content, content type); paths become open files."""
    if isinstance(value, tuple):
        parts = cast("tuple[Any, ...]", value)
        filename: str | None = parts[0]
        _, content, _ = _normalize(parts[1])
        content_type: str | None = parts[2] if len(parts) > 2 else _guess_type(filename)
        return filename, content, content_type
    if isinstance(value, (bytes, bytearray)):
        return "upload", bytes(value), "application/octet-stream"
    if isinstance(value, os.PathLike):
        path = Path(os.fspath(value))
        if not path.is_file():
            raise FileNotFoundError(f"File input {str(path)!r} does not exist or is not a file")
        return path.name, path.open("rb"), _guess_type(path.name)
    if hasattr(value, "read"):
        raw_name = getattr(value, "name", None)
        filename = os.path.basename(raw_name) if isinstance(raw_name, str) and raw_name else "upload"
        return filename, value, _guess_type(filename)
    raise TypeError(
        f"Expected a file input (bytes, a path, an open binary file or a (filename, content) tuple), "
        f"got {type(value).__name__}"
    )


def build_multipart(
    body: Mapping[str, object], file_fields: tuple[str, ...]
) -> tuple[list[tuple[str, str]], list[MultipartFile], list[IO[bytes]]]:
    """Split a body into form fields (brackets style) and files.

    Returns (fields, files, files this call opened, which the caller closes after sending).
    """
    fields: dict[str, object] = {}
    files: list[MultipartFile] = []
    opened: list[IO[bytes]] = []
    for key, value in body.items():
        if key in file_fields and value is not None:
            items = cast("list[FileTypes]", value) if isinstance(value, list) else [cast("FileTypes", value)]
            name = key + "[]" if isinstance(value, list) else key
            for item in items:
                normalized = _normalize(item)
                if isinstance(item, os.PathLike) or (
                    isinstance(item, tuple) and isinstance(cast("tuple[Any, ...]", item)[1], os.PathLike)
                ):
                    opened.append(normalized[1])
                files.append((name, normalized))
        elif is_file_content(value):
            # a file in a field the spec did not declare as binary: still send it as a file
            normalized = _normalize(cast("FileTypes", value))
            if isinstance(value, os.PathLike):
                opened.append(normalized[1])
            files.append((key, normalized))
        else:
            fields[key] = value
    return flatten(fields), files, opened


def file_positions(file_objects: list[Any]) -> list[int | None]:
    """Where each file object stands now (None: not seekable), so a retry can resend it from there."""
    positions: list[int | None] = []
    for file_object in file_objects:
        try:
            positions.append(file_object.tell() if hasattr(file_object, "seek") and file_object.seekable() else None)
        except (OSError, ValueError):
            positions.append(None)
    return positions


def to_file(
    content: FileContent | str, filename: str | None = None, *, content_type: str | None = None
) -> tuple[str | None, Any, str | None]:
    """Name some content for upload: `client.files.create(file=to_file(b"...", "data.jsonl"), ...)`."""
    if isinstance(content, str):
        content = content.encode()
    if filename is None:
        if isinstance(content, PurePath) or isinstance(content, os.PathLike):
            filename = Path(os.fspath(cast("os.PathLike[str]", content))).name
        else:
            raw_name = getattr(content, "name", None)
            filename = os.path.basename(raw_name) if isinstance(raw_name, str) else "upload"
    return filename, content, content_type or _guess_type(filename)


def file_from_path(path: str | os.PathLike[str]) -> tuple[str, bytes, str | None]:
    """Read a file into an upload tuple (the official Python SDK's helper; prefer passing the Path itself)."""
    p = Path(path)
    return p.name, p.read_bytes(), _guess_type(p.name)
