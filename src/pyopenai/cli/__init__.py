"""The `pyopenai` command line: quick calls, file and batch chores, raw requests, the local server.

Reads OPENAI_API_KEY / OPENAI_BASE_URL; with neither, it says so on stderr and runs against the
embedded local server for the duration of the command. Exit codes: 0 ok, 1 usage or local error,
2 the API answered with an error, 3 the API could not be reached.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyopenai import OpenAI

__all__ = ["main"]

EXIT_OK, EXIT_LOCAL, EXIT_API, EXIT_CONNECTION = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pyopenai", description="Call the OpenAI API (or the local server).")
    parser.add_argument("--json", action="store_true", help="print results as JSON, for scripts")
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="one chat completion, streamed")
    chat.add_argument("message")
    chat.add_argument("--model", default="gpt-4o")
    chat.add_argument("--system", help="a developer/system instruction")
    chat.add_argument("--no-stream", action="store_true")

    responses = commands.add_parser("responses", help="one response from the Responses API, streamed")
    responses.add_argument("input")
    responses.add_argument("--model", default="gpt-4o")
    responses.add_argument("--instructions")
    responses.add_argument("--previous-response-id")
    responses.add_argument("--no-stream", action="store_true")

    embeddings = commands.add_parser("embeddings", help="embed one or more texts")
    embeddings.add_argument("texts", nargs="+")
    embeddings.add_argument("--model", default="text-embedding-3-small")
    embeddings.add_argument("--dimensions", type=int)

    models = commands.add_parser("models", help="list models, or show one")
    models.add_argument("model_id", nargs="?")

    files = commands.add_parser("files", help="upload, list, download, delete files")
    file_commands = files.add_subparsers(dest="files_command", required=True)
    upload = file_commands.add_parser("upload")
    upload.add_argument("path")
    upload.add_argument("--purpose", default="user_data")
    file_commands.add_parser("list")
    download = file_commands.add_parser("download")
    download.add_argument("file_id")
    download.add_argument("-o", "--output", help="where to write (default: stdout)")
    delete = file_commands.add_parser("delete")
    delete.add_argument("file_id")

    batch = commands.add_parser("batch", help="submit a JSONL batch, watch it, fetch its results")
    batch_commands = batch.add_subparsers(dest="batch_command", required=True)
    submit = batch_commands.add_parser("submit")
    submit.add_argument("path", help="a JSONL file of requests")
    submit.add_argument("--endpoint", default="/v1/chat/completions")
    submit.add_argument("--watch", action="store_true", help="wait until it ends and print the results")
    status = batch_commands.add_parser("status")
    status.add_argument("batch_id")
    results = batch_commands.add_parser("results")
    results.add_argument("batch_id")
    results.add_argument("-o", "--output")

    api = commands.add_parser("api", help="a raw call: pyopenai api GET /models")
    api.add_argument("method", type=str.upper, choices=["GET", "POST", "PUT", "PATCH", "DELETE"])
    api.add_argument("path")
    api.add_argument("-d", "--data", help="a JSON body")
    api.add_argument("-q", "--query", action="append", default=[], help="key=value query parameters")

    serve = commands.add_parser("serve", help="run the embedded OpenAI-compatible server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    return parser


@contextmanager
def _client() -> Generator[OpenAI, None, None]:
    from pyopenai import OpenAI

    if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
        with OpenAI(api_key=os.environ.get("OPENAI_API_KEY") or "sk-no-key") as client:
            yield client
        return
    from pyopenai.testing import LocalServer

    print("No OPENAI_API_KEY or OPENAI_BASE_URL: using the embedded local server.", file=sys.stderr)
    with LocalServer() as server, OpenAI(api_key="sk-local", base_url=server.url) as client:
        yield client


def _run(args: argparse.Namespace) -> int:
    from . import _commands

    if args.command == "serve":
        from pyopenai.testing import main as serve_main

        return serve_main(["--host", args.host, "--port", str(args.port)]) or 0
    with _client() as client:
        handler = getattr(_commands, f"cmd_{args.command}")
        return handler(client, args) or 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from pyopenai import APIConnectionError, APIStatusError, OpenAIError

    try:
        return _run(args)
    except APIStatusError as err:
        print(f"error: {err.message} (status {err.status_code}, request id {err.request_id})", file=sys.stderr)
        return EXIT_API
    except APIConnectionError as err:
        print(f"error: could not reach the API: {err.message}", file=sys.stderr)
        return EXIT_CONNECTION
    except (OpenAIError, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_LOCAL
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
