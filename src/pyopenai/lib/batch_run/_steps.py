"""What a batch run does, written once for the sync and the async client.

Every operation is a generator that yields the I/O it needs (an :class:`Op`: upload this, retrieve
that, sleep) and receives the result; it also yields the items the caller asked for (results,
failed requests). `_drive.py` runs these generators with a sync or an async client. Nothing here
touches the network or the clock's sleep, so the decisions (splitting, ordering, what counts as
failed, when to stop waiting) exist in one place.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Generic, Literal, TypeVar, cast

from ..polling import PollingTimeoutError
from ._input import InputFile, InputFiles, encode_requests

__all__ = [
    "FINAL_STATUSES",
    "BatchResult",
    "BatchResultError",
    "BatchRunStatus",
    "BatchSubmitError",
    "Op",
    "RunCore",
    "RunState",
    "Steps",
]

FINAL_STATUSES = frozenset({"completed", "failed", "expired", "cancelled"})
ResultOrder = Literal["input", "completion"]
LINES_PER_READ = 500  # lines a ReadLines op returns at most...
CHARS_PER_READ = 256 * 1024  # ...and about this much text (an embedding's line alone is ~30 KB)

_R = TypeVar("_R")
_T = TypeVar("_T")


# -- what the drivers do ----------------------------------------------------------------------------


class Op:
    """One piece of I/O for the driver."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Upload(Op):
    file: InputFile
    filename: str


@dataclass(frozen=True, slots=True)
class CreateBatch(Op):
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class Retrieve(Op):
    batch_id: str


@dataclass(frozen=True, slots=True)
class Cancel(Op):
    batch_id: str


@dataclass(frozen=True, slots=True)
class DeleteFile(Op):
    file_id: str


@dataclass(frozen=True, slots=True)
class OpenLines(Op):
    """Start reading a file's lines; the driver answers a handle for `ReadLines`."""

    file_id: str


@dataclass(frozen=True, slots=True)
class ReadLines(Op):
    """The next lines (LINES_PER_READ or CHARS_PER_READ, whichever comes first) of an opened file;
    `[]` at its end (then it is closed)."""

    handle: int


@dataclass(frozen=True, slots=True)
class Sleep(Op):
    seconds: float


# an operation: yields Ops (answered by the driver) and items (handed to the caller), returns _R
Steps = Generator[Any, Any, _R]


# -- what users get ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchResultError:
    """Why a request has no response: the API's error (`status_code` set when the endpoint answered
    with an error) or the batch's fate (`batch_failed`, `batch_cancelled`, `batch_expired`)."""

    code: str | None
    message: str
    status_code: int | None = None


@dataclass(frozen=True, slots=True)
class BatchResult(Generic[_T]):
    """One request's outcome: `response` (the endpoint's model) or `error`, never both."""

    custom_id: str
    response: _T | None
    error: BatchResultError | None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class BatchRunStatus:
    """A run's progress summed over its batches."""

    total: int
    completed: int
    failed: int
    batches: dict[str, str]  # batch id -> its status

    @property
    def done(self) -> bool:
        """Every batch has ended (completed, failed, expired or cancelled)."""
        return all(status in FINAL_STATUSES for status in self.batches.values())

    def __str__(self) -> str:
        states: dict[str, int] = {}
        for status in self.batches.values():
            states[status] = states.get(status, 0) + 1
        summary = ", ".join(f"{count} {status}" for status, count in sorted(states.items()))
        return f"{self.completed + self.failed}/{self.total} requests done, {self.failed} failed ({summary})"


class BatchSubmitError(RuntimeError):
    """Creating the batches stopped part way: `batch_ids` are the ones created (running), and
    `BatchRun.resume(client, {"endpoint": ..., "batch_ids": err.batch_ids})` follows them."""

    def __init__(self, message: str, batch_ids: list[str]) -> None:
        super().__init__(message)
        self.batch_ids = batch_ids


# -- the run ----------------------------------------------------------------------------------------


@dataclass
class RunState:
    """What a run needs to be followed from another process (`BatchRun.save` writes it as JSON)."""

    endpoint: str
    batch_ids: list[str]
    completion_window: str = "24h"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "pyopenai.batch_run",
            "version": 1,
            "endpoint": self.endpoint,
            "completion_window": self.completion_window,
            "batch_ids": list(self.batch_ids),
        }

    @classmethod
    def from_json(cls, data: object) -> RunState:
        if not isinstance(data, dict):
            raise ValueError(f"a batch run state is a JSON object, got {type(data).__name__}")
        state = cast("dict[str, Any]", data)
        endpoint = state.get("endpoint")
        batch_ids = state.get("batch_ids")
        if not isinstance(endpoint, str):
            raise ValueError("the batch run state has no 'endpoint' string")
        if not isinstance(batch_ids, list) or not all(isinstance(b, str) for b in cast("list[Any]", batch_ids)):
            raise ValueError("the batch run state has no 'batch_ids' list of strings")
        window = state.get("completion_window", "24h")
        return cls(endpoint, list(cast("list[str]", batch_ids)), window if isinstance(window, str) else "24h")


@dataclass
class SubmitOptions:
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    max_requests_per_file: int
    max_bytes_per_file: int


def submit(requests: Iterable[object], options: SubmitOptions) -> Steps[RunState]:
    """Upload the job as input files, then create one batch per file.

    Every file is uploaded before any batch is created, so bad input anywhere in the job (found while
    streaming) starts nothing: the files already uploaded are deleted and the error is raised.
    """
    files = InputFiles(
        encode_requests(requests, endpoint=options.endpoint, max_line_bytes=options.max_bytes_per_file),
        max_requests=options.max_requests_per_file,
        max_bytes=options.max_bytes_per_file,
    )
    uploaded: list[str] = []
    try:
        while (input_file := files.next_file()) is not None:
            obj = yield Upload(input_file, f"batch-input-{len(uploaded) + 1}.jsonl")
            uploaded.append(obj.id)
            if input_file.error is not None:
                raise input_file.error
            if not input_file.done:
                raise RuntimeError("the upload stopped before the end of its input file")
    except Exception:
        for file_id in uploaded:
            try:
                yield DeleteFile(file_id)
            except Exception:  # cleaning up is best effort: the input error is what matters
                pass
        raise
    if not uploaded:
        raise ValueError("no requests: a batch run needs at least one request")
    batch_ids: list[str] = []
    for file_id in uploaded:
        try:
            batch = yield CreateBatch(file_id, options.endpoint, options.completion_window, options.metadata)
        except Exception as err:
            if not batch_ids:
                raise
            raise BatchSubmitError(
                f"created {len(batch_ids)} of {len(uploaded)} batches, then: {err}", batch_ids
            ) from err
        batch_ids.append(batch.id)
    return RunState(options.endpoint, batch_ids, options.completion_window)


def forward(steps: Steps[_R], on_item: Callable[[Any], None]) -> Steps[_R]:
    """Run `steps` inside another operation: its I/O goes to the driver, its items to `on_item`."""
    sent: Any = None
    while True:
        try:
            step = steps.send(sent)
        except StopIteration as stop:
            return cast(_R, stop.value)
        if isinstance(step, Op):
            sent = yield step
        else:
            on_item(step)
            sent = None


def _error_of(record: dict[str, Any]) -> BatchResultError | None:
    """The error of one output/error file line, None when its response is a success."""
    response = cast("dict[str, Any]", record.get("response") or {})
    status = response.get("status_code")
    error = record.get("error")
    if error is None and isinstance(status, int) and 200 <= status < 300:
        return None
    if not isinstance(error, dict):
        body = response.get("body")
        error = cast("dict[str, Any]", body).get("error") if isinstance(body, dict) else None
    details = cast("dict[str, Any]", error) if isinstance(error, dict) else {}
    code = details.get("code") or details.get("type")
    message = details.get("message") or f"the request failed with status {status}"
    return BatchResultError(str(code) if code else None, str(message), status if isinstance(status, int) else None)


def _fate(batch: Any) -> BatchResultError:
    """The error of a request the batch never answered (it failed, was cancelled or expired)."""
    status = batch.status
    if status == "failed":
        errors: list[Any] = list(getattr(batch.errors, "data", None) or [])
        detail = "; ".join(str(getattr(e, "message", "")) for e in errors[:3]) or "the batch failed"
        return BatchResultError("batch_failed", f"batch {batch.id} failed: {detail}")
    if status in ("cancelled", "expired"):
        return BatchResultError(f"batch_{status}", f"batch {batch.id} was {status} before this request ran")
    return BatchResultError("missing_result", f"batch {batch.id} ({status}) has no result for this request")


class _Records:
    """A file's JSON lines, a few hundred at a time: `while (records := (yield from r.next())) is not None`."""

    def __init__(self, file_id: str | None) -> None:
        self.file_id = file_id
        self._handle: int | None = None

    def next(self) -> Steps[list[dict[str, Any]] | None]:
        if self.file_id is None:
            return None
        handle = self._handle
        if handle is None:
            handle = self._handle = cast(int, (yield OpenLines(self.file_id)))
        lines = cast("list[str]", (yield ReadLines(handle)))
        if not lines:
            self.file_id = None
            return None
        return [json.loads(line) for line in lines if line.strip()]


class RunCore(Generic[_T]):
    """The operations of one run over its batches (state plus the batches seen to have ended)."""

    def __init__(self, state: RunState, response_type: Any) -> None:
        self.state = state
        self.response_type = response_type
        self._ended: dict[str, Any] = {}  # batch id -> the Batch, once final (it no longer changes)

    # -- following the batches

    def _batch(self, batch_id: str) -> Steps[Any]:
        ended = self._ended.get(batch_id)
        if ended is not None:
            return ended
        batch = yield Retrieve(batch_id)
        if batch.status in FINAL_STATUSES:
            self._ended[batch_id] = batch
        return batch

    def status(self) -> Steps[BatchRunStatus]:
        total = completed = failed = 0
        statuses: dict[str, str] = {}
        for batch_id in self.state.batch_ids:
            batch = yield from self._batch(batch_id)
            statuses[batch_id] = batch.status
            counts = batch.request_counts
            if counts is not None:
                total += counts.total
                completed += counts.completed
                failed += counts.failed
        return BatchRunStatus(total, completed, failed, statuses)

    def wait(
        self, poll_interval: float, timeout: float | None, on_status: Callable[[BatchRunStatus], None] | None = None
    ) -> Steps[BatchRunStatus]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            current = yield from self.status()
            if on_status is not None:
                on_status(current)
            if current.done:
                return current
            if deadline is not None and time.monotonic() + poll_interval > deadline:
                raise PollingTimeoutError(f"the batch run was not done after {timeout:g} seconds: {current}")
            yield Sleep(poll_interval)

    def _ended_batch(self, batch_id: str, poll_interval: float) -> Steps[Any]:
        while True:
            batch = yield from self._batch(batch_id)
            if batch.status in FINAL_STATUSES:
                return batch
            yield Sleep(poll_interval)

    def cancel(self) -> Steps[BatchRunStatus]:
        """Ask every batch not known to have ended to cancel (no status read first: it would only
        race the batch), then read the statuses."""
        for batch_id in self.state.batch_ids:
            if batch_id in self._ended:
                continue
            try:
                yield Cancel(batch_id)
            except Exception as err:
                if getattr(err, "status_code", None) not in (400, 409):  # the batch had ended meanwhile
                    raise
        return (yield from self.status())

    # -- results

    def _result(self, record: dict[str, Any]) -> BatchResult[_T]:
        from ..._models import parse_obj

        error = _error_of(record)
        if error is not None:
            return BatchResult(str(record.get("custom_id")), None, error)
        body = cast("dict[str, Any]", record.get("response") or {}).get("body")
        parsed = body if self.response_type is None else parse_obj(self.response_type, body)
        return BatchResult(str(record.get("custom_id")), parsed, None)

    def results(self, order: ResultOrder, poll_interval: float) -> Steps[None]:
        """Yield every request's BatchResult: batch by batch in input order, or each batch's results
        as soon as that batch ends (`order="completion"`; within a batch, in the output file's order)."""
        if order not in ("input", "completion"):
            raise ValueError(f"order must be 'input' or 'completion', got {order!r}")
        if order == "input":
            for batch_id in self.state.batch_ids:
                batch = yield from self._ended_batch(batch_id, poll_interval)
                yield from self._batch_in_input_order(batch)
            return
        pending = list(self.state.batch_ids)
        while pending:
            still: list[str] = []
            for batch_id in pending:
                batch = yield from self._batch(batch_id)
                if batch.status in FINAL_STATUSES:
                    yield from self._batch_as_written(batch)
                else:
                    still.append(batch_id)
            pending = still
            if pending:
                yield Sleep(poll_interval)

    def _batch_in_input_order(self, batch: Any) -> Steps[None]:
        """The batch's results in its input file's order, reading the output file alongside it: an
        answer is held only until its turn comes, so output written in input order (the usual
        case) streams, and memory grows only with how far out of order it is. The error file
        (usually short) is read first."""
        found: dict[str, dict[str, Any]] = {}
        errors = _Records(batch.error_file_id)
        while (records := (yield from errors.next())) is not None:
            found.update((str(r.get("custom_id")), r) for r in records)
        outputs = _Records(batch.output_file_id)
        inputs = _Records(batch.input_file_id)
        fate = _fate(batch)
        while (requests := (yield from inputs.next())) is not None:
            for request in requests:
                custom_id = str(request.get("custom_id"))
                record = found.pop(custom_id, None)
                while record is None and (more := (yield from outputs.next())) is not None:
                    found.update((str(r.get("custom_id")), r) for r in more)
                    record = found.pop(custom_id, None)
                yield self._result(record) if record is not None else BatchResult(custom_id, None, fate)

    def _batch_as_written(self, batch: Any) -> Steps[None]:
        seen: set[str] = set()
        for file_id in (batch.output_file_id, batch.error_file_id):
            reader = _Records(file_id)
            while (records := (yield from reader.next())) is not None:
                for record in records:
                    result = self._result(record)
                    seen.add(result.custom_id)
                    yield result
        counts = batch.request_counts
        if counts is not None and batch.status == "completed" and len(seen) >= counts.total:
            return  # every request answered: no need to read the input file
        fate = _fate(batch)
        reader = _Records(batch.input_file_id)
        while (requests := (yield from reader.next())) is not None:
            for request in requests:
                custom_id = str(request.get("custom_id"))
                if custom_id not in seen:
                    yield BatchResult(custom_id, None, fate)

    # -- failures

    def failed(self, poll_interval: float) -> Steps[None]:
        """Yield `{"custom_id", "body"}` for each request without a successful response, in input order."""
        for batch_id in self.state.batch_ids:
            batch = yield from self._ended_batch(batch_id, poll_interval)
            succeeded: set[str] = set()
            reader = _Records(batch.output_file_id)
            while (records := (yield from reader.next())) is not None:
                succeeded.update(str(r.get("custom_id")) for r in records if _error_of(r) is None)
            reader = _Records(batch.input_file_id)
            while (requests := (yield from reader.next())) is not None:
                for request in requests:
                    if str(request.get("custom_id")) not in succeeded:
                        yield {"custom_id": request.get("custom_id"), "body": request.get("body")}

    def retry_failed(self, options: SubmitOptions, poll_interval: float) -> Steps[RunState | None]:
        """Submit this run's failed requests as a new run (None when nothing failed).

        The failed requests are spooled to a temporary file, not kept in memory."""
        with tempfile.TemporaryFile() as spool:
            count = 0

            def write(request: dict[str, Any]) -> None:
                nonlocal count
                spool.write(json.dumps(request, separators=(",", ":")).encode() + b"\n")
                count += 1

            yield from forward(self.failed(poll_interval), write)
            if not count:
                return None
            spool.seek(0)
            return (yield from submit(_spooled(spool), options))


def _spooled(spool: IO[bytes]) -> Iterator[dict[str, Any]]:
    for line in spool:
        yield json.loads(line)

