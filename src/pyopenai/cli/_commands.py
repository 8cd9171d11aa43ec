"""The CLI's commands: each takes the client and the parsed arguments, prints, returns an exit code."""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import EXIT_API, EXIT_OK
from ._progress import Progress, ProgressReader

if TYPE_CHECKING:
    from pyopenai import OpenAI

STDIN = "-"


class InputError(ValueError):
    """The command's input is missing or invalid (exit code 1, one line on stderr)."""


def _text(value: str) -> str:
    """An argument, or all of stdin for ``-`` (one trailing newline dropped)."""
    if value != STDIN:
        return value
    text = sys.stdin.read()
    return text[:-1] if text.endswith("\n") else text


def _stdin_bytes() -> bytes:
    return sys.stdin.buffer.read()


def _emit(args: argparse.Namespace, value: Any, text: str) -> None:
    if args.json:
        to_dict = getattr(value, "to_dict", None)
        print(json.dumps(to_dict() if callable(to_dict) else value, indent=2, ensure_ascii=False))
    else:
        print(text)


def cmd_chat(client: OpenAI, args: argparse.Namespace) -> int:
    messages: list[Any] = []
    if args.system:
        messages.append({"role": "developer", "content": args.system})
    messages.append({"role": "user", "content": _text(args.message)})
    if args.no_stream or args.json:
        completion = client.chat.completions.create(model=args.model, messages=messages)
        _emit(args, completion, completion.choices[0].message.content or "")
        return EXIT_OK
    for chunk in client.chat.completions.create(model=args.model, messages=messages, stream=True):
        if chunk.choices:
            print(chunk.choices[0].delta.content or "", end="", flush=True)
    print()
    return EXIT_OK


def cmd_responses(client: OpenAI, args: argparse.Namespace) -> int:
    from pyopenai import omit

    args.input = _text(args.input)
    instructions = args.instructions or omit
    previous = args.previous_response_id or omit
    if args.no_stream or args.json:
        response = client.responses.create(
            model=args.model, input=args.input, instructions=instructions, previous_response_id=previous
        )
        texts: list[str] = []
        for item in response.output or []:
            parts: list[Any] = getattr(item, "content", None) or []
            texts.extend(str(part.text) for part in parts if getattr(part, "type", None) == "output_text")
        _emit(args, response, f"{''.join(texts)}\n(response id: {response.id})")
        return EXIT_OK
    with client.responses.create(
        model=args.model, input=args.input, instructions=instructions, previous_response_id=previous, stream=True
    ) as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                print(event.delta, end="", flush=True)
            elif event.type == "response.completed":
                print(f"\n(response id: {event.response.id})")
            elif event.type in ("response.failed", "error"):
                print(f"\nerror: the response failed: {event}", file=sys.stderr)
                return EXIT_API
    return EXIT_OK


def cmd_embeddings(client: OpenAI, args: argparse.Namespace) -> int:
    texts: list[str] = []
    for text in args.texts:
        if text == STDIN:
            texts.extend(line for line in sys.stdin.read().splitlines() if line.strip())
        else:
            texts.append(text)
    if not texts:
        raise InputError("nothing to embed: stdin was empty")
    options: dict[str, Any] = {"model": args.model, "input": texts}
    if args.dimensions:
        options["dimensions"] = args.dimensions
    result = client.embeddings.create(**options)
    lines = [f"{i}: {len(item.embedding)} dimensions, starts {item.embedding[:3]}" for i, item in enumerate(result.data)]
    _emit(args, result, "\n".join(lines))
    return EXIT_OK


def cmd_models(client: OpenAI, args: argparse.Namespace) -> int:
    if args.model_id:
        model = client.models.retrieve(args.model_id)
        _emit(args, model, f"{model.id} (owned by {model.owned_by})")
        return EXIT_OK
    page = client.models.list()
    _emit(args, {"data": [m.to_dict() for m in page]}, "\n".join(m.id for m in page))
    return EXIT_OK


def cmd_files(client: OpenAI, args: argparse.Namespace) -> int:
    command = args.files_command
    if command == "upload":
        handle, name, size = _open_input(args.path, args.filename)
        with handle:
            progress = Progress(size, f"uploading {name}")
            reader = ProgressReader(handle, progress, name)
            uploaded = client.files.create(file=(name, reader), purpose=args.purpose)  # pyright: ignore[reportArgumentType]
            progress.finish()
        _emit(args, uploaded, f"{uploaded.id} {uploaded.filename} ({uploaded.bytes} bytes)")
    elif command == "list":
        files = list(client.files.list())
        _emit(args, {"data": [f.to_dict() for f in files]}, "\n".join(f"{f.id}\t{f.purpose}\t{f.filename}" for f in files))
    elif command == "download":
        with client.files.with_streaming_response.content(args.file_id) as response:
            length = response.headers.get("content-length")
            progress = Progress(int(length) if length and length.isdigit() else None, f"downloading {args.file_id}")
            target: IO[bytes] = open(args.output, "wb") if args.output else sys.stdout.buffer
            try:
                for chunk in response.iter_bytes():
                    target.write(chunk)
                    progress.advance(len(chunk))
                target.flush()
            finally:
                progress.finish()
                if args.output:
                    target.close()
            if args.output:
                print(f"wrote {progress.done} bytes to {args.output}", file=sys.stderr)
    elif command == "delete":
        deleted = client.files.delete(args.file_id)
        _emit(args, deleted, f"deleted {deleted.id}")
    return EXIT_OK


def _open_input(path_arg: str, filename: str | None) -> tuple[IO[bytes], str, int]:
    """A file to upload: ``(handle, name, size)``; ``-`` reads stdin into memory."""
    if path_arg == STDIN:
        data = _stdin_bytes()
        return io.BytesIO(data), filename or "stdin", len(data)
    path = Path(path_arg)
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    return path.open("rb"), filename or path.name, path.stat().st_size


def _check_jsonl(data: bytes, where: str) -> None:
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if line.strip():
            try:
                json.loads(line)
            except ValueError as err:
                raise InputError(f"{where}:{number} is not valid JSON: {err}") from None


def _watch(client: OpenAI, batch: Any, interval: float) -> Any:
    """Poll until the batch ends, drawing its request counts (on a terminal)."""
    progress = Progress(None, f"batch {batch.id}", unit="requests")
    while batch.status not in ("completed", "failed", "expired", "cancelled"):
        counts = batch.request_counts
        if counts is not None:
            progress.total = counts.total or None
            progress.update(counts.completed + counts.failed, f"{batch.status}, {counts.failed} failed")
        else:
            progress.update(0, batch.status)
        time.sleep(interval)
        batch = client.batches.retrieve(batch.id)
    progress.finish()
    return batch


def _error_line(text: str) -> str:
    """``custom_id: status message`` for one line of a batch's error file (the line itself if it is not JSON)."""
    try:
        record: dict[str, Any] = json.loads(text)
    except ValueError:
        return text
    response: dict[str, Any] = record.get("response") or {}
    body: dict[str, Any] = response.get("body") or {}
    error: dict[str, Any] = record.get("error") or body.get("error") or {}
    return f"{record.get('custom_id')}: {response.get('status_code', '')} {error.get('message', '')}".rstrip()


def _report_failures(client: OpenAI, batch: Any) -> bool:
    """Say on stderr what failed (batch-level errors, failed requests and where their errors are); True if any."""
    failed = False
    batch_errors: list[Any] = getattr(batch.errors, "data", None) or []
    for error in batch_errors:
        failed = True
        line: Any = getattr(error, "line", None)
        print(f"  batch error{f' (line {line})' if line else ''}: {getattr(error, 'message', '')}", file=sys.stderr)
    counts = batch.request_counts
    if counts is not None and counts.failed:
        failed = True
        print(f"{counts.failed} of {counts.total} requests failed", file=sys.stderr)
    if batch.error_file_id:
        print(f"errors: file {batch.error_file_id} (pyopenai files download {batch.error_file_id})", file=sys.stderr)
        lines = client.files.content(batch.error_file_id).text.splitlines()
        for text in lines[:5]:
            print(f"  {_error_line(text)}", file=sys.stderr)
        if len(lines) > 5:
            print(f"  ... and {len(lines) - 5} more", file=sys.stderr)
    return failed or batch.status != "completed"


def cmd_batch(client: OpenAI, args: argparse.Namespace) -> int:
    command = args.batch_command
    if command == "run":
        from ._batch_run import cmd_batch_run

        return cmd_batch_run(client, args)
    if command == "submit":
        handle, name, _ = _open_input(args.path, None)
        with handle:
            data = handle.read()
        _check_jsonl(data, args.path if args.path != STDIN else "stdin")
        uploaded = client.files.create(file=(name, data), purpose="batch")
        batch = client.batches.create(input_file_id=uploaded.id, endpoint=args.endpoint, completion_window="24h")  # pyright: ignore[reportArgumentType]
        print(f"batch {batch.id} submitted ({batch.status})", file=sys.stderr)
        if not args.watch:
            _emit(args, batch, batch.id)
            return EXIT_OK
        batch = _watch(client, batch, args.interval)
        print(f"batch {batch.id} {batch.status}", file=sys.stderr)
        if batch.output_file_id:
            sys.stdout.write(client.files.content(batch.output_file_id).text)
        return EXIT_API if _report_failures(client, batch) else EXIT_OK
    if command == "status":
        batch = client.batches.retrieve(args.batch_id)
        counts = batch.request_counts
        _emit(args, batch, f"{batch.id} {batch.status} {counts.completed if counts else '?'}/{counts.total if counts else '?'}")
        return EXIT_OK
    batch = client.batches.retrieve(args.batch_id)
    if not batch.output_file_id:
        raise InputError(f"batch {batch.id} has no output yet (status {batch.status})")
    content = client.files.content(batch.output_file_id)
    if args.output:
        content.write_to_file(args.output)
    else:
        sys.stdout.write(content.text)
    return EXIT_OK


def cmd_api(client: OpenAI, args: argparse.Namespace) -> int:
    query: dict[str, str] = {}
    for item in args.query:
        key, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"query parameters are key=value, got {item!r}")
        query[key] = value
    body: Any = None
    if args.data:
        try:
            body = json.loads(_text(args.data))
        except ValueError as err:
            raise InputError(f"--data is not valid JSON: {err}") from None
    method = args.method.lower()
    result: Any
    if method == "get":
        result = client.get(args.path, cast_to=object, options={"params": query})
    else:
        call = getattr(client, method)
        result = call(args.path, cast_to=object, body=body, options={"params": query})
    print(json.dumps(result, indent=2, ensure_ascii=False) if not isinstance(result, str) else result)
    return EXIT_OK
