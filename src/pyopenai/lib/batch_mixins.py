"""`client.batches.run(...)`: the generator makes these classes the first bases of `Batches` /
`AsyncBatches` (config `resource_mixins`). The toolkit itself loads on the first call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, cast, overload

if TYPE_CHECKING:
    from ..types.chat.chat_completion import ChatCompletion
    from ..types.completion import Completion
    from ..types.create_embedding_response import CreateEmbeddingResponse
    from ..types.moderation_create_response import ModerationCreateResponse
    from ..types.responses.response import Response
    from .batch_run._run import AsyncBatchRun, BatchRun

__all__ = ["AsyncBatchesHelpers", "BatchesHelpers"]

MAX_REQUESTS_PER_FILE = 50_000  # the API's limits for one input file (as in `_input`, kept cheap to import)
MAX_BYTES_PER_FILE = 200 * 1024 * 1024


class BatchesHelpers:
    """`client.batches.run(requests, endpoint=...)`."""

    @overload
    def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/chat/completions"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> BatchRun[ChatCompletion]: ...

    @overload
    def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/responses"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> BatchRun[Response]: ...

    @overload
    def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/embeddings"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> BatchRun[CreateEmbeddingResponse]: ...

    @overload
    def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/completions"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> BatchRun[Completion]: ...

    @overload
    def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/moderations"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> BatchRun[ModerationCreateResponse]: ...

    @overload
    def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: str, completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> BatchRun[Any]: ...

    def run(
        self,
        requests: Iterable[Mapping[str, Any]],
        *,
        endpoint: str,
        completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None,
        max_requests_per_file: int = MAX_REQUESTS_PER_FILE,
        max_bytes_per_file: int = MAX_BYTES_PER_FILE,
    ) -> BatchRun[Any]:
        """Run a job of any size on the Batch API and return its handle.

        `requests` is any iterable (a generator is fine: it is read once, as the upload streams) of
        `{"custom_id": ..., "body": {...}}` dicts or plain request params (numbered `request-1`,
        `request-2`, ... as their custom_id). They are checked, cut into input files at the limits
        (and where the model changes), uploaded, and only then turned into batches: bad input
        anywhere starts nothing (`BatchInputError` names the request).
        """
        from .batch_run._run import BatchRun, submit_options

        options = submit_options(endpoint, completion_window, metadata, max_requests_per_file, max_bytes_per_file)
        return BatchRun._submit(cast(Any, self)._client, requests, options)  # pyright: ignore[reportPrivateUsage]


class AsyncBatchesHelpers:
    """`await client.batches.run(requests, endpoint=...)`."""

    @overload
    async def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/chat/completions"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> AsyncBatchRun[ChatCompletion]: ...

    @overload
    async def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/responses"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> AsyncBatchRun[Response]: ...

    @overload
    async def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/embeddings"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> AsyncBatchRun[CreateEmbeddingResponse]: ...

    @overload
    async def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/completions"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> AsyncBatchRun[Completion]: ...

    @overload
    async def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: Literal["/v1/moderations"], completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> AsyncBatchRun[ModerationCreateResponse]: ...

    @overload
    async def run(
        self, requests: Iterable[Mapping[str, Any]], *, endpoint: str, completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None, max_requests_per_file: int = ..., max_bytes_per_file: int = ...,
    ) -> AsyncBatchRun[Any]: ...

    async def run(
        self,
        requests: Iterable[Mapping[str, Any]],
        *,
        endpoint: str,
        completion_window: Literal["24h"] = "24h",
        metadata: Mapping[str, str] | None = None,
        max_requests_per_file: int = MAX_REQUESTS_PER_FILE,
        max_bytes_per_file: int = MAX_BYTES_PER_FILE,
    ) -> AsyncBatchRun[Any]:
        """The async twin of `BatchesHelpers.run` (the requests iterable stays a plain iterable)."""
        from .batch_run._run import AsyncBatchRun, submit_options

        options = submit_options(endpoint, completion_window, metadata, max_requests_per_file, max_bytes_per_file)
        return await AsyncBatchRun._submit(cast(Any, self)._client, requests, options)  # pyright: ignore[reportPrivateUsage]
