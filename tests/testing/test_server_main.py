"""``python -m pyopenai.testing`` runs the server in the foreground until SIGTERM."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import httpx2

from pyopenai.testing._main import build_parser

SRC = Path(__file__).resolve().parents[2] / "src"


def test_module_runs_and_stops_on_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pyopenai.testing", "--port", "0", "--api-key", "sk-cli"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "the server did not announce its URL"
        line = proc.stdout.readline()
        assert line.startswith("pyopenai local server listening on http://127.0.0.1:")
        url = line.split()[-1]
        assert url.endswith("/v1")
        client = httpx2.Client(base_url=url, timeout=10)
        with client:
            assert client.get("/models", headers={"Authorization": "Bearer sk-cli"}).status_code == 200
            assert client.get("/models", headers={"Authorization": "Bearer other"}).status_code == 401
        proc.terminate()
        assert proc.wait(20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(20)


def test_parser_defaults() -> None:
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.api_key, args.no_auth) == ("127.0.0.1", 0, None, False)
