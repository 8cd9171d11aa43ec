"""``/v1/batches``: a batch runs its JSONL requests through this server's own handlers.

Deterministic timing, one step per retrieve of the batch (listing does not move anything):

- created ``validating``;
- the next retrieve validates the input file: ``failed`` (with ``errors``, no request runs) or
  ``in_progress`` with ``request_counts.total`` set;
- each retrieve while ``in_progress`` runs the next ``batch_requests_per_step`` requests (server
  option; all of them by default), then the batch is ``finalizing``;
- the next retrieve writes the output and error files: ``completed`` (webhook ``batch.completed``).

``cancel`` makes a batch that has not ended ``cancelling``; the next retrieve makes it ``cancelled``,
with the results of the requests that had run in its output and error files (webhook
``batch.cancelled``). Lines are the API's: ``{"id", "custom_id", "response": {"status_code",
"request_id", "body"}, "error"}``; answers with a 2xx status go to the output file, others to the
error file.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field
from typing import Any

from ..lib.batch_run._input import batch_endpoints
from ._core import Core, Router, json_response, paginate
from ._errors import bad_request, not_found
from ._files import create_file_object
from ._http import Request, Response
from ._validate import JSONObject, as_object, json_body, opt_object, query_int, req_str

__all__ = ["register"]

MAX_REQUESTS = 50_000


def create_batch(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    input_file_id = req_str(body, "input_file_id")
    endpoint = req_str(body, "endpoint")
    window = req_str(body, "completion_window")
    metadata = opt_object(body, "metadata")
    if endpoint not in batch_endpoints():
        raise bad_request(
            f"Invalid value for 'endpoint': '{endpoint}'. Supported values are: {', '.join(batch_endpoints())}.",
            param="endpoint",
            code="invalid_value",
        )
    if window != "24h":
        raise bad_request(
            f"Invalid value for 'completion_window': '{window}'. Supported values are: '24h'.",
            param="completion_window",
            code="invalid_value",
        )
    file = core.store.files.get(input_file_id)
    if file is None:
        raise bad_request(f"No file found with id '{input_file_id}'.", param="input_file_id", code="invalid_value")
    if file["purpose"] != "batch":
        raise bad_request(
            f"The file '{input_file_id}' has purpose '{file['purpose']}'; batches need purpose 'batch'.",
            param="input_file_id",
            code="invalid_value",
        )
    created = core.now()
    batch: JSONObject = {
        "id": core.ids("batch_", 24),
        "object": "batch",
        "endpoint": endpoint,
        "model": None,
        "errors": None,
        "input_file_id": input_file_id,
        "completion_window": window,
        "status": "validating",
        "output_file_id": None,
        "error_file_id": None,
        "created_at": created,
        "in_progress_at": None,
        "expires_at": created + 86_400,
        "finalizing_at": None,
        "completed_at": None,
        "failed_at": None,
        "expired_at": None,
        "cancelling_at": None,
        "cancelled_at": None,
        "request_counts": {"total": 0, "completed": 0, "failed": 0},
        "usage": None,
        "metadata": metadata,
    }
    core.store.batches[batch["id"]] = batch
    return json_response(batch)


@dataclass
class _Work:
    """A running batch's requests and what they answered so far (kept off the batch object)."""

    requests: list[tuple[str, JSONObject]]
    done: int = 0
    outputs: list[str] = field(default_factory=list[str])
    errors: list[str] = field(default_factory=list[str])
    usage: dict[str, int] = field(default_factory=lambda: {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0})


_WORK: weakref.WeakKeyDictionary[Core, dict[str, _Work]] = weakref.WeakKeyDictionary()


def _work(core: Core) -> dict[str, _Work]:
    return _WORK.setdefault(core, {})


def _advance(core: Core, batch: JSONObject) -> None:
    """Move a batch one step (see the module docstring)."""
    status = batch["status"]
    if status == "cancelling":
        _finish(core, batch, "cancelled")
    elif status == "validating":
        _validate(core, batch)
    elif status == "in_progress":
        _run_some(core, batch)
    elif status == "finalizing":
        _finish(core, batch, "completed")


def _line_error(line_no: int, code: str, message: str) -> JSONObject:
    return {"code": code, "message": message, "param": None, "line": line_no}


def _check_line(batch: JSONObject, line_no: int, line: str, seen: set[str]) -> tuple[str, JSONObject] | JSONObject:
    """One input line as (custom_id, body), or the error that fails the batch."""
    try:
        entry = as_object(json.loads(line))
    except ValueError:
        entry = None
    if entry is None:
        return _line_error(line_no, "invalid_json_line", "This line is not a JSON object.")
    custom_id = entry.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        return _line_error(line_no, "missing_required_parameter", "Missing 'custom_id'.")
    if custom_id in seen:
        return _line_error(line_no, "duplicate_custom_id", f"Duplicate custom_id '{custom_id}'.")
    seen.add(custom_id)
    if entry.get("method") != "POST":
        return _line_error(line_no, "invalid_method", "Only the POST method is supported.")
    if entry.get("url") != batch["endpoint"]:
        return _line_error(line_no, "mismatched_url", f"The url must be the batch endpoint '{batch['endpoint']}'.")
    body = as_object(entry.get("body"))
    if body is None:
        return _line_error(line_no, "missing_required_parameter", "Missing 'body'.")
    if body.get("stream"):
        return _line_error(line_no, "invalid_value", "Streaming is not supported in batches.")
    return custom_id, body


def _validate(core: Core, batch: JSONObject) -> None:
    raw = core.store.file_data.get(batch["input_file_id"], b"")
    problems: list[JSONObject] = []
    requests: list[tuple[str, JSONObject]] = []
    seen: set[str] = set()
    model: object = None
    for line_no, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        checked = _check_line(batch, line_no, line, seen)
        if isinstance(checked, dict):
            problems.append(checked)
            continue
        line_model = checked[1].get("model")
        if requests and line_model != model:
            problems.append(_line_error(
                line_no, "mismatched_model",
                f"The model '{line_model}' differs from the file's first model '{model}': one model per batch.",
            ))
            continue
        if not requests:
            model = line_model
        requests.append(checked)
    if not requests and not problems:
        problems.append(_line_error(1, "empty_file", "The input file has no requests."))
    if len(requests) > MAX_REQUESTS:
        problems.append(_line_error(MAX_REQUESTS + 1, "too_many_requests", "A batch can hold at most 50,000 requests."))
    if problems:
        batch.update(status="failed", failed_at=core.now(), errors={"object": "list", "data": problems})
        core.emit_webhook("batch.failed", {"id": batch["id"]})
        return
    batch.update(
        status="in_progress", in_progress_at=core.now(), model=model if isinstance(model, str) else None,
        request_counts={"total": len(requests), "completed": 0, "failed": 0},
    )
    _work(core)[batch["id"]] = _Work(requests)


def _run_some(core: Core, batch: JSONObject) -> None:
    work = _work(core)[batch["id"]]
    step = core.config.batch_requests_per_step or len(work.requests)
    for custom_id, body in work.requests[work.done : work.done + step]:
        resp = core.dispatch("POST", batch["endpoint"], body)
        result_body: Any = json.loads(resp.body) if resp.body else None
        line = {
            "id": core.ids("batch_req_", 32),
            "custom_id": custom_id,
            "response": {"status_code": resp.status, "request_id": core.ids("req_", 32), "body": result_body},
            "error": None,
        }
        text = json.dumps(line, separators=(",", ":"))
        if 200 <= resp.status < 300:
            work.outputs.append(text)
            _add_usage(work.usage, as_object(result_body) or {})
        else:
            work.errors.append(text)
        work.done += 1
    batch["request_counts"] = {"total": len(work.requests), "completed": len(work.outputs), "failed": len(work.errors)}
    if work.done >= len(work.requests):
        batch.update(status="finalizing", finalizing_at=core.now())


def _finish(core: Core, batch: JSONObject, status: str) -> None:
    """Write the output and error files of what ran, and end the batch as `status`."""
    work = _work(core).pop(batch["id"], None)
    if work is not None:
        if core.config.batch_output_reversed:
            work.outputs.reverse()
            work.errors.reverse()
        batch["usage"] = {
            "input_tokens": work.usage["input_tokens"],
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": work.usage["output_tokens"],
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": work.usage["total_tokens"],
        }
        if work.outputs:
            out = create_file_object(core, _jsonl(work.outputs), f"{batch['id']}_output.jsonl", "batch_output")
            batch["output_file_id"] = out["id"]
        if work.errors:
            err = create_file_object(core, _jsonl(work.errors), f"{batch['id']}_error.jsonl", "batch_output")
            batch["error_file_id"] = err["id"]
    batch.update({"status": status, f"{status}_at": core.now()})
    core.emit_webhook(f"batch.{status}", {"id": batch["id"]})


def _jsonl(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _add_usage(total: dict[str, int], body: JSONObject) -> None:
    usage = as_object(body.get("usage")) or {}
    inp = usage.get("input_tokens", usage.get("prompt_tokens", 0))
    out = usage.get("output_tokens", usage.get("completion_tokens", 0))
    total["input_tokens"] += int(inp or 0)
    total["output_tokens"] += int(out or 0)
    total["total_tokens"] += int(usage.get("total_tokens", 0) or 0)


def _batch(core: Core, batch_id: str) -> JSONObject:
    found = core.store.batches.get(batch_id)
    if found is None:
        raise not_found("batch", batch_id, param="batch_id")
    return found


def retrieve_batch(core: Core, req: Request, params: dict[str, str]) -> Response:
    batch = _batch(core, params["batch_id"])
    _advance(core, batch)
    return json_response(batch)


def list_batches(core: Core, req: Request, params: dict[str, str]) -> Response:
    page = paginate(
        list(core.store.batches.values()),
        after=req.query_value("after"),
        limit=query_int(req, "limit", 20),
        order="desc",
    )
    return json_response(page)


def cancel_batch(core: Core, req: Request, params: dict[str, str]) -> Response:
    batch = _batch(core, params["batch_id"])
    if batch["status"] in ("validating", "in_progress", "finalizing"):
        batch.update(status="cancelling", cancelling_at=core.now())
    elif batch["status"] not in ("cancelling", "cancelled"):
        raise bad_request(f"Cannot cancel a batch with status '{batch['status']}'.", code="invalid_state")
    return json_response(batch)


def register(router: Router) -> None:
    router.add("POST", "/batches", create_batch)
    router.add("GET", "/batches", list_batches)
    router.add("GET", "/batches/{batch_id}", retrieve_batch)
    router.add("POST", "/batches/{batch_id}/cancel", cancel_batch)
