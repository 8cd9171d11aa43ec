"""`sessions.artifacts.for_result(result)`: the artifacts one completed turn wrote, by path.

An artifact is chosen by its exact path among the session's artifacts of that turn; none, or more
than one, is a `ValueError` rather than a guess.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import httpx2

from ...._types import NOT_GIVEN, Body, Headers, NotGiven, Query

if TYPE_CHECKING:
    from ...._response import HttpxBinaryResponseContent
    from ....resources.beta.agents.sessions.artifacts import Artifacts, AsyncArtifacts
    from ....types.beta.agents.sessions.session_artifact import SessionArtifact
    from ._result import AgentTurnResult

__all__ = ["AgentResultArtifacts", "AsyncAgentResultArtifacts"]


class _Scope:
    """The (session, turn) a result's artifacts belong to, and the choice of one by path."""

    def __init__(self, result: AgentTurnResult) -> None:
        self.session_id = result.session_id
        self.turn_id = result.turn_id

    def pick(self, artifacts: list[SessionArtifact], path: str) -> SessionArtifact:
        matches = [
            artifact
            for artifact in artifacts
            if artifact.session_id == self.session_id and artifact.turn_id == self.turn_id and artifact.path == path
        ]
        if not matches:
            raise ValueError(f"turn {self.turn_id} of session {self.session_id} has no artifact at {path!r}")
        if len(matches) > 1:
            raise ValueError(
                f"turn {self.turn_id} of session {self.session_id} has {len(matches)} artifacts at {path!r}"
            )
        return matches[0]


class AgentResultArtifacts:
    """The artifacts of one completed turn (beta)."""

    def __init__(self, resource: Artifacts, result: AgentTurnResult) -> None:
        self._resource = resource
        self._scope = _Scope(result)

    def content(
        self,
        path: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> HttpxBinaryResponseContent:
        """The content of the turn's artifact at `path`."""
        artifact = self._find(path, extra_headers=extra_headers, timeout=timeout)
        return self._resource.content(
            artifact.id,
            session_id=self._scope.session_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )

    def download(
        self,
        path: str,
        *,
        to: str | os.PathLike[str],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> SessionArtifact:
        """Stream the turn's artifact at `path` into the file `to`; returns the artifact."""
        artifact = self._find(path, extra_headers=extra_headers, timeout=timeout)
        with self._resource.with_streaming_response.content(
            artifact.id,
            session_id=self._scope.session_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        ) as response:
            response.stream_to_file(to)
        return artifact

    def _find(
        self, path: str, *, extra_headers: Headers | None, timeout: float | httpx2.Timeout | NotGiven | None
    ) -> SessionArtifact:
        listed = self._resource.list(self._scope.session_id, extra_headers=extra_headers, timeout=timeout)
        return self._scope.pick(list(listed), path)


class AsyncAgentResultArtifacts:
    """The artifacts of one completed turn, for `AsyncOpenAI` (beta)."""

    def __init__(self, resource: AsyncArtifacts, result: AgentTurnResult) -> None:
        self._resource = resource
        self._scope = _Scope(result)

    async def content(
        self,
        path: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> HttpxBinaryResponseContent:
        """The content of the turn's artifact at `path`."""
        artifact = await self._find(path, extra_headers=extra_headers, timeout=timeout)
        return await self._resource.content(
            artifact.id,
            session_id=self._scope.session_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )

    async def download(
        self,
        path: str,
        *,
        to: str | os.PathLike[str],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> SessionArtifact:
        """Stream the turn's artifact at `path` into the file `to`; returns the artifact."""
        artifact = await self._find(path, extra_headers=extra_headers, timeout=timeout)
        async with self._resource.with_streaming_response.content(
            artifact.id,
            session_id=self._scope.session_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        ) as response:
            await response.stream_to_file(to)
        return artifact

    async def _find(
        self, path: str, *, extra_headers: Headers | None, timeout: float | httpx2.Timeout | NotGiven | None
    ) -> SessionArtifact:
        artifacts = [
            artifact
            async for artifact in self._resource.list(
                self._scope.session_id, extra_headers=extra_headers, timeout=timeout
            )
        ]
        return self._scope.pick(artifacts, path)
