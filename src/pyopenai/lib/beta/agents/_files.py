"""Local files for an agent environment: upload them with the Files API, then place them.

`environments.files.prepare({"/workspace/data.csv": "data.csv"})` uploads each file and returns the
`files` entries a new environment takes, with the uploads' ids: those uploads belong to the caller
(delete them when done). `prepare_directory()` selects files of a directory by explicit glob
patterns, and `upload()` uploads one file and places it in an existing environment.

Destinations are absolute POSIX paths under `/workspace/` with no empty, `.` or `..` component,
outside the paths the environment reserves. Sources must be regular files, not symlinks, and must
not change while they are read. A failure after some uploads raises an error that lists them, so
nothing uploaded is lost track of.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import httpx2
from typing_extensions import TypedDict

from ...._exceptions import OpenAIError
from ...._types import Body, FileTypes, Headers, NotGiven, Query

if TYPE_CHECKING:
    from ....resources.beta.agents.environments.files import AsyncFiles, Files
    from ....resources.files import AsyncFiles as AsyncFilesAPI
    from ....resources.files import Files as FilesAPI
    from ....types.beta.agents.environments.environment_file import EnvironmentFile
    from ....types.beta.hosted_environment_file_param import HostedEnvironmentFileParam

__all__ = ["AgentFilePreparationError", "AgentFileStagingError", "PreparedAgentFiles", "StagedAgentFile"]

_RESERVED_TOP = (".codex", ".managed-agents")


class RequestOptions(TypedDict):
    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: float | httpx2.Timeout | NotGiven | None


@dataclass
class PreparedAgentFiles:
    """Files ready for a new environment (beta): `files` for the environment, and the ids of the
    uploads made for them, which the caller owns and deletes when done."""

    files: list[HostedEnvironmentFileParam] = field(default_factory=lambda: [])
    uploaded_file_ids: list[str] = field(default_factory=lambda: [])


@dataclass(frozen=True)
class StagedAgentFile:
    """One file placed in an environment (beta), and the id of its upload (the caller's to delete)."""

    uploaded_file_id: str
    file: EnvironmentFile


class AgentFilePreparationError(OpenAIError):
    """Preparing files failed part way (beta); `prepared` lists what was uploaded before."""

    def __init__(self, prepared: PreparedAgentFiles) -> None:
        super().__init__(
            f"Could not prepare every agent file; {len(prepared.uploaded_file_ids)} upload(s) made before the "
            "failure are listed in .prepared and remain yours to delete"
        )
        self.prepared = prepared


class AgentFileStagingError(OpenAIError):
    """The file was uploaded but could not be placed in the environment (beta)."""

    def __init__(self, uploaded_file_id: str) -> None:
        super().__init__(f"Uploaded {uploaded_file_id} but could not place it in the environment; delete it or retry")
        self.uploaded_file_id = uploaded_file_id


def check_destination(path: str) -> str:
    if not path.startswith("/workspace/") or "\x00" in path or "\\" in path:
        raise ValueError(f"agent file destinations are absolute POSIX paths under /workspace/, not {path!r}")
    parts = path.split("/")[2:]
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"agent file destination {path!r} has an empty, '.' or '..' component")
    top = parts[0]
    if top in _RESERVED_TOP or top.startswith(".managed-agents-") or path == "/workspace/outputs":
        raise ValueError(f"agent file destination {path!r} is a path the environment reserves")
    return path


def _check_destinations(paths: Sequence[str]) -> None:
    chosen = {check_destination(path) for path in paths}
    if len(chosen) != len(paths):
        raise ValueError("two agent files have the same destination")
    for path in chosen:
        if any(str(parent) in chosen for parent in PurePosixPath(path).parents):
            raise ValueError(f"agent file destination {path!r} is inside another file's destination")


def _regular_file(source: str | os.PathLike[str]) -> Path:
    path = Path(source).absolute()
    if path.is_symlink():
        raise ValueError(f"agent files must not be symlinks: {path}")
    if not path.is_file():
        raise ValueError(f"agent files must be regular files: {path}")
    return path


def _read(path: Path) -> bytes:
    """The file's bytes, refusing a file that changes size while read (a partial upload is worse
    than none)."""
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(size + 1)
    if len(data) != size:
        raise ValueError(f"agent file changed while it was read: {path}")
    return data


def _selection(files: Mapping[str, str | os.PathLike[str]], options: RequestOptions) -> list[tuple[str, Path]]:
    headers = options["extra_headers"] or {}
    if len(files) > 1 and any(name.lower() == "idempotency-key" for name in headers):
        raise ValueError("one Idempotency-Key cannot stand for several file uploads")
    _check_destinations(list(files))
    return [(destination, _regular_file(source)) for destination, source in files.items()]


def directory_files(
    root: str | os.PathLike[str], destination: str, include: Sequence[str]
) -> dict[str, str | os.PathLike[str]]:
    """The files of `root` the `include` globs select, keyed by their destination under `destination`."""
    if isinstance(include, str) or not include:
        raise ValueError("select the directory's files with a list of include patterns, e.g. ['**/*.py']")
    directory = Path(root).absolute()
    if directory.is_symlink() or not directory.is_dir():
        raise ValueError(f"not a directory (or a symlink to one): {directory}")
    directory = directory.resolve()
    check_destination(destination.rstrip("/") + "/x")
    for pattern in include:
        if not pattern or PurePosixPath(pattern).is_absolute() or ".." in PurePosixPath(pattern).parts:
            raise ValueError(f"include pattern {pattern!r} must stay inside the directory")
    selected: dict[str, str | os.PathLike[str]] = {}
    for pattern in include:
        for source in sorted(directory.glob(pattern)):
            relative = source.relative_to(directory)
            if any((directory / part).is_symlink() for part in _prefixes(relative)):
                raise ValueError(f"agent files must not be symlinks: {source}")
            if source.is_dir():
                continue
            selected[str(PurePosixPath(destination) / relative.as_posix())] = source
    if not selected:
        raise ValueError(f"the include patterns select no file of {directory}")
    return selected


def _prefixes(relative: Path) -> list[Path]:
    parts = relative.parts
    return [Path(*parts[: i + 1]) for i in range(len(parts))]


def _uploads(resource: Files) -> FilesAPI:
    from ....resources.files import Files as FilesAPI

    # the Files API of the same client (same credentials, base URL and options)
    return FilesAPI(resource._client)  # pyright: ignore[reportPrivateUsage]


def _async_uploads(resource: AsyncFiles) -> AsyncFilesAPI:
    from ....resources.files import AsyncFiles as AsyncFilesAPI

    return AsyncFilesAPI(resource._client)  # pyright: ignore[reportPrivateUsage]


def _readable(file: FileTypes) -> FileTypes:
    """A path given as the file is read here, under the same checks as `prepare()`; an open file or
    bytes go as they are."""
    content: object = file[1] if isinstance(file, tuple) else file
    if not isinstance(content, os.PathLike):
        return file
    path = _regular_file(content)  # pyright: ignore[reportUnknownArgumentType]
    name = file[0] if isinstance(file, tuple) else None
    return (name or path.name, _read(path))


def prepare(
    resource: Files, files: Mapping[str, str | os.PathLike[str]], options: RequestOptions
) -> PreparedAgentFiles:
    selection = _selection(files, options)
    uploads = _uploads(resource)
    prepared = PreparedAgentFiles()
    try:
        for destination, source in selection:
            uploaded = uploads.create(file=(source.name, _read(source)), purpose="user_data", **options)
            prepared.uploaded_file_ids.append(uploaded.id)
            prepared.files.append({"type": "file_id", "file_id": uploaded.id, "path": destination})
    except Exception as error:
        raise AgentFilePreparationError(prepared) from error
    return prepared


async def async_prepare(
    resource: AsyncFiles, files: Mapping[str, str | os.PathLike[str]], options: RequestOptions
) -> PreparedAgentFiles:
    selection = await asyncio.to_thread(_selection, files, options)
    uploads = _async_uploads(resource)
    prepared = PreparedAgentFiles()
    try:
        for destination, source in selection:
            data = await asyncio.to_thread(_read, source)
            uploaded = await uploads.create(file=(source.name, data), purpose="user_data", **options)
            prepared.uploaded_file_ids.append(uploaded.id)
            prepared.files.append({"type": "file_id", "file_id": uploaded.id, "path": destination})
    except Exception as error:
        raise AgentFilePreparationError(prepared) from error
    return prepared


def upload(
    resource: Files, environment_id: str, file: FileTypes, path: str, options: RequestOptions
) -> StagedAgentFile:
    if not environment_id:
        raise ValueError("environment_id must not be empty")
    destination = check_destination(path)
    content = _readable(file)
    uploaded = _uploads(resource).create(file=content, purpose="user_data", **options)
    try:
        placed = resource.create(environment_id, type="file_id", file_id=uploaded.id, path=destination, **options)
    except Exception as error:
        raise AgentFileStagingError(uploaded.id) from error
    return StagedAgentFile(uploaded_file_id=uploaded.id, file=placed)


async def async_upload(
    resource: AsyncFiles, environment_id: str, file: FileTypes, path: str, options: RequestOptions
) -> StagedAgentFile:
    if not environment_id:
        raise ValueError("environment_id must not be empty")
    destination = check_destination(path)
    content = await asyncio.to_thread(_readable, file)
    uploaded = await _async_uploads(resource).create(file=content, purpose="user_data", **options)
    try:
        placed = await resource.create(environment_id, type="file_id", file_id=uploaded.id, path=destination, **options)
    except Exception as error:
        raise AgentFileStagingError(uploaded.id) from error
    return StagedAgentFile(uploaded_file_id=uploaded.id, file=placed)
