"""`BatchRun` / `AsyncBatchRun`: the handle `client.batches.run(...)` returns."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._drive import AsyncDriver, SyncDriver
from ._input import MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE
from ._steps import BatchResult, BatchRunStatus, ResultOrder, RunCore, RunState, SubmitOptions, submit

if TYPE_CHECKING:
    from ..._client import AsyncOpenAI, OpenAI

__all__ = ["AsyncBatchRun", "BatchRun", "load_state", "response_type_of"]

ResponseT = TypeVar("ResponseT")

DEFAULT_POLL_INTERVAL = 10.0  # seconds; batches take minutes to hours

# endpoint -> the model its successful responses are parsed into
_RESPONSE_TYPES = {
    "/v1/responses": "pyopenai.types.responses.response:Response",
    "/v1/chat/completions": "pyopenai.types.chat.chat_completion:ChatCompletion",
    "/v1/embeddings": "pyopenai.types.create_embedding_response:CreateEmbeddingResponse",
    "/v1/completions": "pyopenai.types.completion:Completion",
    "/v1/moderations": "pyopenai.types.moderation_create_response:ModerationCreateResponse",
    "/v1/images/generations": "pyopenai.types.images_response:ImagesResponse",
    "/v1/images/edits": "pyopenai.types.images_response:ImagesResponse",
    "/v1/videos": "pyopenai.types.video:Video",
}


def response_type_of(endpoint: str) -> Any:
    """The model class of `endpoint`'s responses (None for an endpoint this version does not know:
    its responses stay the decoded JSON)."""
    target = _RESPONSE_TYPES.get(endpoint)
    if target is None:
        return None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def load_state(state: RunState | Mapping[str, Any] | str | os.PathLike[str]) -> RunState:
    """A run's state from `.save(path)`'s file, its parsed JSON, or a RunState."""
    if isinstance(state, RunState):
        return state
    if isinstance(state, (str, os.PathLike)):
        path = Path(state)
        try:
            data = json.loads(path.read_text())
        except ValueError as err:
            raise ValueError(f"{path} is not a batch run state (not JSON: {err})") from None
        return RunState.from_json(data)
    return RunState.from_json(dict(state))


def submit_options(
    endpoint: str,
    completion_window: str,
    metadata: Mapping[str, str] | None,
    max_requests_per_file: int,
    max_bytes_per_file: int,
) -> SubmitOptions:
    return SubmitOptions(
        endpoint, completion_window, dict(metadata) if metadata is not None else None,
        max_requests_per_file, max_bytes_per_file,
    )


class _RunBase(Generic[ResponseT]):
    def __init__(self, client: Any, state: RunState, options: SubmitOptions | None = None) -> None:
        self._client = client
        self._core: RunCore[ResponseT] = RunCore(state, response_type_of(state.endpoint))
        self._options = options or submit_options(
            state.endpoint, state.completion_window, None, MAX_REQUESTS_PER_FILE, MAX_BYTES_PER_FILE
        )

    @property
    def batch_ids(self) -> list[str]:
        """The run's batches, one per input file, in input order."""
        return list(self._core.state.batch_ids)

    @property
    def endpoint(self) -> str:
        return self._core.state.endpoint

    def state(self) -> dict[str, Any]:
        """What `resume` needs (a small JSON-ready dict)."""
        return self._core.state.to_json()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state as JSON to `path` (atomically: a crash leaves the old file or the new one)."""
        target = Path(path)
        partial = target.with_name(target.name + ".partial")
        partial.write_text(json.dumps(self.state(), indent=2) + "\n")
        partial.replace(target)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.endpoint} batches={self.batch_ids}>"


class BatchRun(_RunBase[ResponseT]):
    """A job running as one or more batches; every method works after `resume` in another process."""

    _client: OpenAI

    @classmethod
    def resume(cls, client: OpenAI, state: RunState | Mapping[str, Any] | str | os.PathLike[str]) -> BatchRun[Any]:
        """Follow a run started elsewhere: `state` is the file `.save(path)` wrote, or its JSON."""
        return cls(client, load_state(state))

    @classmethod
    def _submit(cls, client: OpenAI, requests: Iterable[object], options: SubmitOptions) -> BatchRun[Any]:
        state = SyncDriver(client).run(submit(requests, options))
        return cls(client, state, options)

    def status(self) -> BatchRunStatus:
        """Request counts summed over the batches, and each batch's status."""
        return SyncDriver(self._client).run(self._core.status())

    def wait(
        self,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        on_status: Callable[[BatchRunStatus], None] | None = None,
    ) -> BatchRunStatus:
        """Poll until every batch has ended; `PollingTimeoutError` after `timeout` seconds."""
        return SyncDriver(self._client).run(self._core.wait(poll_interval, timeout, on_status))

    def results(
        self, *, order: ResultOrder = "input", poll_interval: float = DEFAULT_POLL_INTERVAL
    ) -> Iterator[BatchResult[ResponseT]]:
        """Every request's result, waiting for batches as needed.

        `order="input"`: the job's order, batch by batch (answers the API wrote out of order are
        held until their turn); `order="completion"`: each batch's results streamed as soon as
        that batch ends."""
        return SyncDriver(self._client).items(self._core.results(order, poll_interval))

    def failed(self, *, poll_interval: float = DEFAULT_POLL_INTERVAL) -> Iterator[dict[str, Any]]:
        """The requests (`{"custom_id", "body"}`) with no successful response, in input order."""
        return SyncDriver(self._client).items(self._core.failed(poll_interval))

    def retry_failed(self, *, poll_interval: float = DEFAULT_POLL_INTERVAL) -> BatchRun[ResponseT] | None:
        """Submit the failed requests again (same custom_ids) as a new run; None if none failed."""
        state = SyncDriver(self._client).run(self._core.retry_failed(self._options, poll_interval))
        return None if state is None else BatchRun(self._client, state, self._options)

    def cancel(self) -> BatchRunStatus:
        """Cancel every batch that has not ended; their finished requests keep their results."""
        return SyncDriver(self._client).run(self._core.cancel())


class AsyncBatchRun(_RunBase[ResponseT]):
    """The async twin of :class:`BatchRun`."""

    _client: AsyncOpenAI

    @classmethod
    def resume(
        cls, client: AsyncOpenAI, state: RunState | Mapping[str, Any] | str | os.PathLike[str]
    ) -> AsyncBatchRun[Any]:
        return cls(client, load_state(state))

    @classmethod
    async def _submit(
        cls, client: AsyncOpenAI, requests: Iterable[object], options: SubmitOptions
    ) -> AsyncBatchRun[Any]:
        state = await AsyncDriver(client).run(submit(requests, options))
        return cls(client, state, options)

    async def status(self) -> BatchRunStatus:
        return await AsyncDriver(self._client).run(self._core.status())

    async def wait(
        self,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        on_status: Callable[[BatchRunStatus], None] | None = None,
    ) -> BatchRunStatus:
        return await AsyncDriver(self._client).run(self._core.wait(poll_interval, timeout, on_status))

    def results(
        self, *, order: ResultOrder = "input", poll_interval: float = DEFAULT_POLL_INTERVAL
    ) -> AsyncIterator[BatchResult[ResponseT]]:
        return AsyncDriver(self._client).items(self._core.results(order, poll_interval))

    def failed(self, *, poll_interval: float = DEFAULT_POLL_INTERVAL) -> AsyncIterator[dict[str, Any]]:
        return AsyncDriver(self._client).items(self._core.failed(poll_interval))

    async def retry_failed(self, *, poll_interval: float = DEFAULT_POLL_INTERVAL) -> AsyncBatchRun[ResponseT] | None:
        state = await AsyncDriver(self._client).run(self._core.retry_failed(self._options, poll_interval))
        return None if state is None else AsyncBatchRun(self._client, state, self._options)

    async def cancel(self) -> BatchRunStatus:
        return await AsyncDriver(self._client).run(self._core.cancel())
