"""`pyopenai batch run requests.jsonl --endpoint ... [--watch] [-o results.jsonl]`: a job of any size.

The JSONL file is read line by line while it uploads (a job bigger than memory is fine), cut into
as many batches as the API's limits need, and with `--watch` followed to the end: progress on a
terminal, then one result line per request, in input order:
``{"custom_id", "response": <the endpoint's answer> | null, "error": {"code", "message", "status_code"} | null}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import EXIT_API, EXIT_OK
from ._progress import Progress

if TYPE_CHECKING:
    from pyopenai import OpenAI
    from pyopenai.lib.batch_run import BatchResult, BatchRun, BatchRunStatus

__all__ = ["add_arguments", "cmd_batch_run"]


def add_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("path", help="a JSONL file: one request ({custom_id, body} or plain params) per line")
    run.add_argument("--endpoint", help="e.g. /v1/chat/completions, /v1/responses, /v1/embeddings (not with --resume)")
    run.add_argument("--watch", action="store_true", help="wait until every batch ends and write the results")
    run.add_argument("-o", "--output", help="where --watch writes the results (default: stdout)")
    run.add_argument("--state", help="write the run's state here (for BatchRun.resume / batch run --resume)")
    run.add_argument("--resume", action="store_true", help="PATH is a --state file: follow that run instead")
    run.add_argument("--interval", type=float, default=10.0, help="seconds between status checks (--watch)")
    run.add_argument("--max-requests-per-file", type=int, default=50_000)
    run.add_argument("--max-bytes-per-file", type=int, default=200 * 1024 * 1024)


def _requests(path: Path) -> Iterator[Any]:
    """The file's requests, one JSON line at a time (blank lines skipped)."""
    from ._commands import InputError

    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError as err:
                raise InputError(f"{path}:{number} is not valid JSON: {err.msg if isinstance(err, json.JSONDecodeError) else err}") from None


def _line_of_request(path: Path, index: int) -> int:
    """The line number of the `index`-th request of the file (blank lines do not count)."""
    seen = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                seen += 1
                if seen == index:
                    return number
    return index


def _submit(client: OpenAI, args: argparse.Namespace) -> BatchRun[Any]:
    from pyopenai.lib.batch_run import BatchInputError, BatchRun

    from ._commands import InputError

    path = Path(args.path)
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    if args.resume:
        try:
            return BatchRun.resume(client, path)
        except ValueError as err:
            raise InputError(str(err)) from None
    endpoint: str | None = args.endpoint
    if not endpoint:
        raise InputError("--endpoint is required (the API path every request of the file goes to)")
    try:
        return client.batches.run(
            _requests(path), endpoint=endpoint, max_requests_per_file=args.max_requests_per_file,
            max_bytes_per_file=args.max_bytes_per_file,
        )
    except BatchInputError as err:
        where = f"{path}:{_line_of_request(path, err.index)}" if err.index is not None else str(path)
        message = str(err).split(": ", 1)[-1]
        ident = f" (custom_id {err.custom_id!r})" if err.custom_id is not None else ""
        raise InputError(f"{where}{ident}: {message}") from None


def _result_line(result: BatchResult[Any]) -> str:
    response = result.response
    to_dict = getattr(response, "to_dict", None)
    error = result.error
    record = {
        "custom_id": result.custom_id,
        "response": to_dict() if callable(to_dict) else response,
        "error": None if error is None else {"code": error.code, "message": error.message, "status_code": error.status_code},
    }
    return json.dumps(record, ensure_ascii=False)


def _write_results(run: BatchRun[Any], target: IO[str], interval: float) -> int:
    failed = 0
    for result in run.results(poll_interval=interval):
        if result.error is not None:
            failed += 1
        target.write(_result_line(result) + "\n")
    return failed


def cmd_batch_run(client: OpenAI, args: argparse.Namespace) -> int:
    run = _submit(client, args)
    if args.state:
        run.save(args.state)
    print(f"{'following' if args.resume else 'submitted'} {len(run.batch_ids)} batch(es): {' '.join(run.batch_ids)}",
          file=sys.stderr)
    if not args.watch:
        print(json.dumps(run.state()))
        return EXIT_OK
    progress = Progress(None, "batch run", unit="requests")

    def show(status: BatchRunStatus) -> None:
        progress.total = status.total or None
        progress.update(status.completed + status.failed, f"{status.failed} failed, {len(status.batches)} batches")

    try:
        final = run.wait(poll_interval=args.interval, on_status=show)
    finally:
        progress.finish()
    print(str(final), file=sys.stderr)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as target:
            failed = _write_results(run, target, args.interval)
        print(f"wrote results to {args.output}", file=sys.stderr)
    else:
        failed = _write_results(run, sys.stdout, args.interval)
    if failed:
        print(f"{failed} requests failed (their lines have an error; BatchRun.retry_failed() resubmits them)",
              file=sys.stderr)
    return EXIT_API if failed else EXIT_OK
