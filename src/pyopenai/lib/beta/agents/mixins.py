"""The hand-written methods of the generated Agents resources (config `resource_mixins`):

    client.beta.agents.sessions.stream()                          -> AgentSessionStream
    client.beta.agents.sessions.artifacts.for_result()            -> AgentResultArtifacts
    client.beta.agents.environments.files.prepare() / prepare_directory() / upload()

Imported with the generated resource modules, so this module imports nothing heavy: the helpers'
modules load on first call.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, cast

import httpx2

from ...._types import NOT_GIVEN, Body, FileTypes, Headers, NotGiven, Omit, Query, omit
from ._typevars import OutputT

if TYPE_CHECKING:
    from ....resources.beta.agents.environments.files import AsyncFiles, Files
    from ....resources.beta.agents.sessions.artifacts import Artifacts, AsyncArtifacts
    from ....resources.beta.agents.sessions.sessions import AsyncSessions, Sessions
    from ....types.beta.agent_session_input_message_param import AgentSessionInputMessageParam
    from ._artifacts import AgentResultArtifacts, AsyncAgentResultArtifacts
    from ._files import PreparedAgentFiles, RequestOptions, StagedAgentFile
    from ._result import AgentTurnResult
    from ._session_stream import AgentSessionStream, AsyncAgentSessionStream
    from ._tools import AsyncToolErrorHandler, AsyncToolHandler, ToolErrorHandler, ToolHandler

__all__ = [
    "ArtifactsHelpers",
    "AsyncArtifactsHelpers",
    "AsyncEnvironmentFilesHelpers",
    "AsyncSessionsHelpers",
    "EnvironmentFilesHelpers",
    "SessionsHelpers",
]


def _options(
    extra_headers: Headers | None,
    extra_query: Query | None,
    extra_body: Body | None,
    timeout: float | httpx2.Timeout | NotGiven | None,
) -> RequestOptions:
    return {"extra_headers": extra_headers, "extra_query": extra_query, "extra_body": extra_body, "timeout": timeout}


class SessionsHelpers:
    """`client.beta.agents.sessions.stream()`."""

    def stream(
        self,
        session_id: str,
        *,
        input: str | Iterable[AgentSessionInputMessageParam],
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, ToolHandler] | None = None,
        on_tool_error: ToolErrorHandler | None = None,
        idempotency_key: str | Omit = omit,
        extra_headers: Headers | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> AgentSessionStream[OutputT]:
        """Send `input` to an idle session and stream the turn it starts (use in a `with` block).

        Handlers in `tool_handlers` (by function name) run as their calls arrive and their results
        are sent back; `on_tool_error` hears of handler failures. See `AgentSessionStream`.
        """
        from ._session_stream import AgentSessionStream

        return AgentSessionStream(
            cast("Sessions", self),
            session_id,
            input=input,
            output_type=output_type,
            tool_handlers=tool_handlers,
            on_tool_error=on_tool_error,
            idempotency_key=idempotency_key,
            extra_headers=extra_headers,
            timeout=timeout,
        )


class AsyncSessionsHelpers:
    """`client.beta.agents.sessions.stream()` for `AsyncOpenAI`."""

    def stream(
        self,
        session_id: str,
        *,
        input: str | Iterable[AgentSessionInputMessageParam],
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, AsyncToolHandler] | None = None,
        on_tool_error: AsyncToolErrorHandler | None = None,
        idempotency_key: str | Omit = omit,
        extra_headers: Headers | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> AsyncAgentSessionStream[OutputT]:
        """Send `input` to an idle session and stream the turn it starts (use in `async with`).

        Handlers may be coroutines. See `AsyncAgentSessionStream`.
        """
        from ._session_stream import AsyncAgentSessionStream

        return AsyncAgentSessionStream(
            cast("AsyncSessions", self),
            session_id,
            input=input,
            output_type=output_type,
            tool_handlers=tool_handlers,
            on_tool_error=on_tool_error,
            idempotency_key=idempotency_key,
            extra_headers=extra_headers,
            timeout=timeout,
        )


class ArtifactsHelpers:
    """`client.beta.agents.sessions.artifacts.for_result()`."""

    def for_result(self, result: AgentTurnResult) -> AgentResultArtifacts:
        """The artifacts the result's turn wrote, read by path."""
        from ._artifacts import AgentResultArtifacts

        return AgentResultArtifacts(cast("Artifacts", self), result)


class AsyncArtifactsHelpers:
    """`client.beta.agents.sessions.artifacts.for_result()` for `AsyncOpenAI`."""

    def for_result(self, result: AgentTurnResult) -> AsyncAgentResultArtifacts:
        """The artifacts the result's turn wrote, read by path."""
        from ._artifacts import AsyncAgentResultArtifacts

        return AsyncAgentResultArtifacts(cast("AsyncArtifacts", self), result)


class EnvironmentFilesHelpers:
    """`client.beta.agents.environments.files.prepare() / prepare_directory() / upload()`."""

    def prepare(
        self,
        files: Mapping[str, str | os.PathLike[str]],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> PreparedAgentFiles:
        """Upload local files (`{destination: local path}`) for a new environment's `files`."""
        from ._files import prepare

        return prepare(cast("Files", self), files, _options(extra_headers, extra_query, extra_body, timeout))

    def prepare_directory(
        self,
        root: str | os.PathLike[str],
        *,
        destination: str,
        include: Sequence[str],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> PreparedAgentFiles:
        """`prepare()` the files of `root` that the `include` globs select, placed under `destination`."""
        from ._files import directory_files, prepare

        selected = directory_files(root, destination, include)
        return prepare(cast("Files", self), selected, _options(extra_headers, extra_query, extra_body, timeout))

    def upload(
        self,
        environment_id: str,
        *,
        file: FileTypes,
        path: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> StagedAgentFile:
        """Upload one file and place it at `path` in an existing environment."""
        from ._files import upload

        options = _options(extra_headers, extra_query, extra_body, timeout)
        return upload(cast("Files", self), environment_id, file, path, options)


class AsyncEnvironmentFilesHelpers:
    """`client.beta.agents.environments.files.prepare() / prepare_directory() / upload()` for `AsyncOpenAI`."""

    async def prepare(
        self,
        files: Mapping[str, str | os.PathLike[str]],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> PreparedAgentFiles:
        """Upload local files (`{destination: local path}`) for a new environment's `files`."""
        from ._files import async_prepare

        options = _options(extra_headers, extra_query, extra_body, timeout)
        return await async_prepare(cast("AsyncFiles", self), files, options)

    async def prepare_directory(
        self,
        root: str | os.PathLike[str],
        *,
        destination: str,
        include: Sequence[str],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> PreparedAgentFiles:
        """`prepare()` the files of `root` that the `include` globs select, placed under `destination`."""
        import asyncio

        from ._files import async_prepare, directory_files

        selected = await asyncio.to_thread(directory_files, root, destination, include)
        options = _options(extra_headers, extra_query, extra_body, timeout)
        return await async_prepare(cast("AsyncFiles", self), selected, options)

    async def upload(
        self,
        environment_id: str,
        *,
        file: FileTypes,
        path: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> StagedAgentFile:
        """Upload one file and place it at `path` in an existing environment."""
        from ._files import async_upload

        options = _options(extra_headers, extra_query, extra_body, timeout)
        return await async_upload(cast("AsyncFiles", self), environment_id, file, path, options)
