"""Command-line entry: run :class:`LocalServer` in the foreground until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence

from ._cassette import CassetteError
from ._server import LocalServer

__all__ = ["add_arguments", "build_parser", "main", "run"]


def build_parser(prog: str = "python -m pyopenai.testing") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Run the pyopenai local OpenAI-compatible server.")
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The server's options, for a parser of its own or a CLI subcommand (then call :func:`run`)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default: 0)")
    parser.add_argument("--api-key", default=None, help="accept only this API key (default: any non-empty key)")
    parser.add_argument("--no-auth", action="store_true", help="accept requests without an API key")
    parser.add_argument("--seed", type=int, default=0, help="seed mixed into generated ids")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added before every answer")
    parser.add_argument("--stream-delay", type=float, default=0.0, help="seconds between streamed events")
    parser.add_argument("--webhook-url", default=None, help="POST webhook events (batch/response completion) here")
    parser.add_argument("--webhook-secret", default=None, help="whsec_... secret used to sign webhook events")
    parser.add_argument("--requests-per-minute", type=int, default=None, metavar="N",
                        help="enforce this request rate limit (429 beyond it; x-ratelimit headers report it)")
    parser.add_argument("--tokens-per-minute", type=int, default=None, metavar="N",
                        help="enforce this token rate limit (input bytes / 4 plus max output tokens per request)")
    parser.add_argument(
        "--strict-models", action="store_true", help="answer 404 for model ids the server does not list"
    )
    parser.add_argument("--batch-requests-per-step", type=int, default=None, metavar="N",
                        help="requests a running batch executes per retrieve (default: all at once)")
    parser.add_argument("--cassette", default=None, help="replay API traffic from this JSON cassette")
    parser.add_argument(
        "--record", action="store_true", help="record the cassette instead, forwarding each request to --upstream"
    )
    parser.add_argument(
        "--upstream", default=None, help="the API to record from (default: OPENAI_BASE_URL or https://api.openai.com/v1)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGINT/SIGTERM. Prints ``listening on <url>`` once the port accepts connections."""
    return run(build_parser().parse_args(argv))


def _server(args: argparse.Namespace) -> LocalServer:
    return LocalServer(
        args.host,
        args.port,
        api_key=args.api_key,
        require_auth=not args.no_auth,
        seed=args.seed,
        latency=args.latency,
        stream_delay=args.stream_delay,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        requests_per_minute=args.requests_per_minute,
        tokens_per_minute=args.tokens_per_minute,
        strict_models=args.strict_models,
        batch_requests_per_step=args.batch_requests_per_step,
        cassette=args.cassette,
        record=args.record,
        upstream=args.upstream,
    )


def run(args: argparse.Namespace) -> int:
    """Serve with options parsed by a parser that :func:`add_arguments` set up; returns an exit code."""
    if args.record and not args.cassette:
        print("error: --record needs --cassette PATH", file=sys.stderr)
        return 2
    try:
        server = _server(args)
    except CassetteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    def started(s: LocalServer) -> None:
        print(f"pyopenai local server listening on {s.url}", flush=True)

    async def run() -> None:
        task = asyncio.ensure_future(server.serve(started))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
