"""The CLI's commands: each takes the client and the parsed arguments, prints, returns an exit code."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyopenai import OpenAI


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
    messages.append({"role": "user", "content": args.message})
    if args.no_stream or args.json:
        completion = client.chat.completions.create(model=args.model, messages=messages)
        _emit(args, completion, completion.choices[0].message.content or "")
        return 0
    for chunk in client.chat.completions.create(model=args.model, messages=messages, stream=True):
        if chunk.choices:
            print(chunk.choices[0].delta.content or "", end="", flush=True)
    print()
    return 0


def cmd_responses(client: OpenAI, args: argparse.Namespace) -> int:
    from pyopenai import omit

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
        return 0
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
                return 2
    return 0


def cmd_embeddings(client: OpenAI, args: argparse.Namespace) -> int:
    options: dict[str, Any] = {"model": args.model, "input": args.texts}
    if args.dimensions:
        options["dimensions"] = args.dimensions
    result = client.embeddings.create(**options)
    lines = [f"{i}: {len(item.embedding)} dimensions, starts {item.embedding[:3]}" for i, item in enumerate(result.data)]
    _emit(args, result, "\n".join(lines))
    return 0


def cmd_models(client: OpenAI, args: argparse.Namespace) -> int:
    if args.model_id:
        model = client.models.retrieve(args.model_id)
        _emit(args, model, f"{model.id} (owned by {model.owned_by})")
        return 0
    page = client.models.list()
    _emit(args, {"data": [m.to_dict() for m in page]}, "\n".join(m.id for m in page))
    return 0


class _Progress:
    """A file wrapper that draws an upload progress bar on stderr as the transport reads it."""

    def __init__(self, handle: IO[bytes], total: int, name: str) -> None:
        self._handle = handle
        self._total = max(total, 1)
        self._done = 0
        self.name = name

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        self._done += len(chunk)
        filled = int(30 * self._done / self._total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self._done}/{self._total} bytes")
        if not chunk:
            sys.stderr.write("\n")
        sys.stderr.flush()
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        self._done = 0
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def seekable(self) -> bool:
        return self._handle.seekable()


def cmd_files(client: OpenAI, args: argparse.Namespace) -> int:
    command = args.files_command
    if command == "upload":
        path = Path(args.path)
        if not path.is_file():
            raise ValueError(f"no such file: {path}")
        with path.open("rb") as handle:
            progress = _Progress(handle, path.stat().st_size, path.name)
            uploaded = client.files.create(file=(path.name, progress), purpose=args.purpose)  # pyright: ignore[reportArgumentType]
        _emit(args, uploaded, f"{uploaded.id} {uploaded.filename} ({uploaded.bytes} bytes)")
    elif command == "list":
        files = list(client.files.list())
        _emit(args, {"data": [f.to_dict() for f in files]}, "\n".join(f"{f.id}\t{f.purpose}\t{f.filename}" for f in files))
    elif command == "download":
        with client.files.with_streaming_response.content(args.file_id) as response:
            if args.output:
                response.stream_to_file(args.output)
                print(f"wrote {Path(args.output).stat().st_size} bytes to {args.output}", file=sys.stderr)
            else:
                for chunk in response.iter_bytes():
                    sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
    elif command == "delete":
        deleted = client.files.delete(args.file_id)
        _emit(args, deleted, f"deleted {deleted.id}")
    return 0


def cmd_batch(client: OpenAI, args: argparse.Namespace) -> int:
    command = args.batch_command
    if command == "submit":
        path = Path(args.path)
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if line.strip():
                try:
                    json.loads(line)
                except ValueError as err:
                    raise ValueError(f"{path}:{number} is not valid JSON: {err}") from None
        uploaded = client.files.create(file=path, purpose="batch")
        batch = client.batches.create(input_file_id=uploaded.id, endpoint=args.endpoint, completion_window="24h")  # pyright: ignore[reportArgumentType]
        print(f"batch {batch.id} submitted ({batch.status})", file=sys.stderr)
        if not args.watch:
            _emit(args, batch, batch.id)
            return 0
        deadline = time.monotonic() + 24 * 3600
        while batch.status not in ("completed", "failed", "expired", "cancelled") and time.monotonic() < deadline:
            counts = batch.request_counts
            done = f"{counts.completed}/{counts.total}" if counts else "?"
            print(f"  {batch.status}: {done} requests done", file=sys.stderr)
            time.sleep(1.0)
            batch = client.batches.retrieve(batch.id)
        print(f"batch {batch.id} {batch.status}", file=sys.stderr)
        if batch.output_file_id:
            sys.stdout.write(client.files.content(batch.output_file_id).text)
        return 0 if batch.status == "completed" else 2
    if command == "status":
        batch = client.batches.retrieve(args.batch_id)
        counts = batch.request_counts
        _emit(args, batch, f"{batch.id} {batch.status} {counts.completed if counts else '?'}/{counts.total if counts else '?'}")
        return 0
    batch = client.batches.retrieve(args.batch_id)
    if not batch.output_file_id:
        raise ValueError(f"batch {batch.id} has no output yet (status {batch.status})")
    content = client.files.content(batch.output_file_id)
    if args.output:
        content.write_to_file(args.output)
    else:
        sys.stdout.write(content.text)
    return 0


def cmd_api(client: OpenAI, args: argparse.Namespace) -> int:
    query: dict[str, str] = {}
    for item in args.query:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"query parameters are key=value, got {item!r}")
        query[key] = value
    body: Any = None
    if args.data:
        try:
            body = json.loads(args.data)
        except ValueError as err:
            raise ValueError(f"--data is not valid JSON: {err}") from None
    method = args.method.lower()
    result: Any
    if method == "get":
        result = client.get(args.path, cast_to=object, options={"params": query})
    else:
        call = getattr(client, method)
        result = call(args.path, cast_to=object, body=body, options={"params": query})
    print(json.dumps(result, indent=2, ensure_ascii=False) if not isinstance(result, str) else result)
    return 0
