"""The `pyopenai` command line: quick calls, file and batch chores, raw requests, the local server.

Calls go to the API with OPENAI_API_KEY (and OPENAI_BASE_URL, if set). Without a key a command
that calls the API fails and says so: a CI job missing its secret must not "succeed" against a fake
server. `--local` runs the command against the embedded local server instead; `pyopenai serve`
runs that server in the foreground.

Exit codes: 0 ok; 1 a local problem (missing API key, unreadable or invalid input); 2 a usage error
(the command line); 3 the API answered with an error (or a batch had failed requests); 4 the API could
not be reached (connection error or timeout); 130 interrupted. A closed output pipe
(`pyopenai models | head -1`) ends the command quietly with 0.
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

__all__ = ["EXIT_API", "EXIT_CONNECTION", "EXIT_LOCAL", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK, EXIT_LOCAL, EXIT_USAGE, EXIT_API, EXIT_CONNECTION, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130

NO_KEY = (
    "no API key: set OPENAI_API_KEY (this command calls the OpenAI API), "
    "or add --local to run it against the embedded local server"
)


class CLIError(Exception):
    """A local problem worth one line on stderr and exit code 1 (no traceback)."""


def _global_options(*, suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before or after the command (`pyopenai --json models` = `pyopenai models --json`).

    Subcommands get them with SUPPRESS defaults, so a value given before the command is not reset."""
    parent = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if suppress else False
    parent.add_argument("--json", action="store_true", default=default, help="print results as JSON")
    parent.add_argument("--local", action="store_true", default=default, help="use the embedded local server")
    return parent


def _parser() -> argparse.ArgumentParser:
    from pyopenai._version import __version__
    from pyopenai.testing._main import add_arguments as add_server_arguments

    common = _global_options(suppress=True)
    parser = argparse.ArgumentParser(
        prog="pyopenai",
        description="Call the OpenAI API from the shell (needs OPENAI_API_KEY, or --local for the embedded server).",
        parents=[_global_options(suppress=False)],
        epilog="Use - for a text or file argument to read it from stdin.",
    )
    parser.add_argument("--version", action="version", version=f"pyopenai {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, parents=[common])

    chat = command("chat", "one chat completion, streamed")
    chat.add_argument("message", help="the user message (- reads stdin)")
    chat.add_argument("--model", default="gpt-4o")
    chat.add_argument("--system", help="a developer/system instruction")
    chat.add_argument("--no-stream", action="store_true")

    responses = command("responses", "one response from the Responses API, streamed")
    responses.add_argument("input", help="the input text (- reads stdin)")
    responses.add_argument("--model", default="gpt-4o")
    responses.add_argument("--instructions")
    responses.add_argument("--previous-response-id")
    responses.add_argument("--no-stream", action="store_true")

    embeddings = command("embeddings", "embed one or more texts")
    embeddings.add_argument("texts", nargs="+", help="texts to embed (- reads one text per line from stdin)")
    embeddings.add_argument("--model", default="text-embedding-3-small")
    embeddings.add_argument("--dimensions", type=int)

    models = command("models", "list models, or show one")
    models.add_argument("model_id", nargs="?")

    files = command("files", "upload, list, download, delete files")
    file_commands = files.add_subparsers(dest="files_command", required=True, metavar="ACTION")
    upload = file_commands.add_parser("upload", parents=[common], help="upload a file (- reads stdin)")
    upload.add_argument("path")
    upload.add_argument("--purpose", default="user_data")
    upload.add_argument("--filename", help="the name to give the upload (default: the path's name; 'stdin' for -)")
    file_commands.add_parser("list", parents=[common], help="list files")
    download = file_commands.add_parser("download", parents=[common], help="download a file's content")
    download.add_argument("file_id")
    download.add_argument("-o", "--output", help="where to write (default: stdout)")
    delete = file_commands.add_parser("delete", parents=[common], help="delete a file")
    delete.add_argument("file_id")

    batch = command("batch", "submit a JSONL batch, watch it, fetch its results")
    batch_commands = batch.add_subparsers(dest="batch_command", required=True, metavar="ACTION")
    submit = batch_commands.add_parser("submit", parents=[common], help="upload a JSONL file and start a batch")
    submit.add_argument("path", help="a JSONL file of requests (- reads stdin)")
    submit.add_argument("--endpoint", default="/v1/chat/completions")
    submit.add_argument("--watch", action="store_true", help="wait until it ends and print the results")
    submit.add_argument("--interval", type=float, default=2.0, help="seconds between status checks (--watch)")
    from ._batch_run import add_arguments as add_batch_run_arguments

    add_batch_run_arguments(
        batch_commands.add_parser("run", parents=[common], help="run a JSONL job of any size as one or more batches")
    )
    status = batch_commands.add_parser("status", parents=[common], help="show a batch's status")
    status.add_argument("batch_id")
    results = batch_commands.add_parser("results", parents=[common], help="print a batch's output file")
    results.add_argument("batch_id")
    results.add_argument("-o", "--output")

    api = command("api", "a raw call: pyopenai api GET /models")
    api.add_argument("method", type=str.upper, choices=["GET", "POST", "PUT", "PATCH", "DELETE"])
    api.add_argument("path")
    api.add_argument("-d", "--data", help="a JSON body (- reads it from stdin)")
    api.add_argument("-q", "--query", action="append", default=[], help="key=value query parameters")

    serve = commands.add_parser(
        "serve", help="run the embedded OpenAI-compatible server (the options of python -m pyopenai.testing)"
    )
    add_server_arguments(serve)
    serve.set_defaults(port=8080)
    return parser


@contextmanager
def _client(local: bool) -> Generator[OpenAI, None, None]:
    from pyopenai import OpenAI

    if local:
        from pyopenai.testing import LocalServer

        with LocalServer() as server, OpenAI(api_key="sk-local", base_url=server.url) as client:
            yield client
        return
    if not os.environ.get("OPENAI_API_KEY"):
        raise CLIError(NO_KEY)
    with OpenAI() as client:
        yield client


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        from pyopenai.testing._main import run as serve

        return serve(args)
    from . import _commands

    handler = getattr(_commands, f"cmd_{args.command}")
    with _client(args.local) as client:
        return handler(client, args) or EXIT_OK


def _quiet_stdout() -> None:
    """The reader of stdout went away: point stdout at /dev/null so the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. captured output)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else EXIT_USAGE
    from pyopenai import APIConnectionError, APIStatusError, OpenAIError

    from ._commands import InputError

    try:
        code = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's final flush
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except APIStatusError as err:
        print(f"error: {err.message} (status {err.status_code}, request id {err.request_id})", file=sys.stderr)
        return EXIT_API
    except APIConnectionError as err:
        print(f"error: could not reach the API: {err.message}", file=sys.stderr)
        return EXIT_CONNECTION
    except (CLIError, InputError, OpenAIError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_LOCAL
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
