"""The batch toolkit: run a job of any size on the Batch API (`client.batches.run(...)`).

`BatchRun` (and `AsyncBatchRun`) follow the job's batches: status, waiting, results matched to
their requests, retrying failures, cancelling, and resuming from a saved state in another process.
"""

from __future__ import annotations

from ._input import MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE, BatchInputError, batch_endpoints
from ._run import AsyncBatchRun, BatchRun
from ._steps import BatchResult, BatchResultError, BatchRunStatus, BatchSubmitError

__all__ = [
    "MAX_BYTES_PER_FILE",
    "MAX_REQUESTS_PER_FILE",
    "AsyncBatchRun",
    "BatchInputError",
    "BatchResult",
    "BatchResultError",
    "BatchRun",
    "BatchRunStatus",
    "BatchSubmitError",
    "batch_endpoints",
]
