"""The `pyopenai` command line, driven as a user and a shell script would."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pyopenai._version import __version__
from pyopenai.cli import EXIT_API, EXIT_CONNECTION, EXIT_LOCAL, EXIT_OK, EXIT_USAGE, main
from pyopenai.cli._progress import Progress, human_bytes
from pyopenai.testing._main import build_parser as server_parser

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_LOG"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))


# -- credentials ----------------------------------------------------------------------------------


def test_without_a_key_a_call_fails_naming_the_variable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "models")
    assert code == EXIT_LOCAL and out == ""
    assert "OPENAI_API_KEY" in err and "--local" in err


def test_local_flag_anywhere_uses_the_embedded_server(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--local", "models")
    assert code == EXIT_OK and "gpt-4o" in out.split()
    code, out, _ = run(capsys, "models", "--local", "--json")
    assert code == EXIT_OK and "gpt-4o" in {m["id"] for m in json.loads(out)["data"]}
    code, out, _ = run(capsys, "--json", "models", "--local")
    assert code == EXIT_OK and json.loads(out)["data"]


def test_with_a_key_it_calls_the_configured_api(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from pyopenai.testing import LocalServer

    with LocalServer(api_key="sk-real") as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-real")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, out, _ = run(capsys, "chat", "hi", "--no-stream")
        assert code == EXIT_OK and out.strip() == 'You said: "hi".'
        assert server.last_request("POST", "/chat/completions").headers["authorization"] == "Bearer sk-real"


# -- options, version, stdin ----------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == EXIT_OK and out.strip() == f"pyopenai {__version__}"


def test_chat_streams_and_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "chat", "hello there", "--local")
    assert code == EXIT_OK and "hello there" in out
    code, out, _ = run(capsys, "chat", "hi", "--json", "--local")
    assert code == EXIT_OK and json.loads(out)["object"] == "chat.completion"


def test_stdin_for_texts_files_and_bodies(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, "from a pipe\n")
    code, out, _ = run(capsys, "--local", "responses", "-", "--no-stream")
    assert code == EXIT_OK and 'You said: "from a pipe".' in out
    stdin(monkeypatch, "one\ntwo\n\nthree\n")
    code, out, _ = run(capsys, "--local", "--json", "embeddings", "-", "--dimensions", "3")
    assert code == EXIT_OK and len(json.loads(out)["data"]) == 3
    stdin(monkeypatch, "line 1\nline 2\n")
    code, out, _ = run(capsys, "--local", "files", "upload", "-", "--filename", "piped.txt")
    assert code == EXIT_OK and "piped.txt (14 bytes)" in out
    stdin(monkeypatch, '{"model": "text-embedding-3-small", "input": "x"}')
    code, out, _ = run(capsys, "--local", "api", "POST", "/embeddings", "-d", "-")
    assert code == EXIT_OK and json.loads(out)["data"][0]["object"] == "embedding"
    stdin(monkeypatch, "")
    code, _, err = run(capsys, "--local", "embeddings", "-")
    assert code == EXIT_LOCAL and "stdin was empty" in err


def test_files_upload_and_download_without_a_terminal_draw_no_bar(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "notes.jsonl"
    source.write_text('{"a": 1}\n')
    code, out, err = run(capsys, "--local", "files", "upload", str(source), "--purpose", "batch")
    assert code == EXIT_OK and "notes.jsonl (9 bytes)" in out and "[" not in err


# -- exit codes -----------------------------------------------------------------------------------


def test_distinct_exit_codes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["no-such-command"]) == EXIT_USAGE
    assert main(["chat"]) == EXIT_USAGE  # missing the message
    assert "usage: pyopenai" in capsys.readouterr().err
    code, _, err = run(capsys, "--local", "models", "no-such-model")
    assert code == EXIT_API and "status 404" in err
    code, _, err = run(capsys, "--local", "api", "POST", "/embeddings", "-d", "{not json")
    assert code == EXIT_LOCAL and "--data is not valid JSON" in err
    code, _, err = run(capsys, "--local", "files", "upload", "/no/such/file")
    assert code == EXIT_LOCAL and "no such file" in err
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # discard port: nothing listens
    code, _, err = run(capsys, "api", "GET", "/models")
    assert code == EXIT_CONNECTION and "could not reach the API" in err
    assert "sk-test" not in err


def test_a_closed_pipe_ends_quietly() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("OPENAI_API_KEY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pyopenai.cli", "--local", "models"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -1` after its line: the reader is gone before the output is written
    err = proc.stderr.read().decode()
    assert proc.wait(60) == EXIT_OK
    assert err == ""


# -- batches --------------------------------------------------------------------------------------


def test_batch_watch_reports_failed_requests_and_the_error_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ok = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
    lines = [
        {"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": ok},
        {"custom_id": "b", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o"}},
    ]
    source = tmp_path / "requests.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    code, out, err = run(capsys, "--local", "batch", "submit", str(source), "--watch", "--interval", "0")
    assert code == EXIT_API
    assert [json.loads(line)["custom_id"] for line in out.splitlines()] == ["a"]
    assert "1 of 2 requests failed" in err and "errors: file file-" in err
    assert "b: 400 Missing required parameter: 'messages'." in err


def test_batch_submit_rejects_invalid_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ok": 1}\nnot json\n')
    code, _, err = run(capsys, "--local", "batch", "submit", str(bad))
    assert code == EXIT_LOCAL and "bad.jsonl:2 is not valid JSON" in err


def test_raw_api_call(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--local", "api", "GET", "/models")
    assert code == EXIT_OK and json.loads(out)["object"] == "list"


# -- progress -------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_human_units_only_on_a_terminal() -> None:
    assert [human_bytes(n) for n in (5, 1536, 3 * 1024**2)] == ["5 B", "1.5 KB", "3.0 MB"]
    screen = Terminal()
    bar = Progress(2048, "uploading x", stream=screen)
    bar.update(1024)
    bar.finish()
    assert "uploading x [###############...............] 1.0 KB / 2.0 KB" in screen.getvalue()
    assert screen.getvalue().endswith("\n")
    piped = io.StringIO()
    quiet = Progress(2048, "uploading x", stream=piped)
    quiet.update(1024)
    quiet.finish()
    assert piped.getvalue() == ""


# -- serve ----------------------------------------------------------------------------------------


def test_serve_takes_the_server_options() -> None:
    from pyopenai.cli import _parser

    server_options = {o for a in server_parser()._actions for o in a.option_strings} - {"-h", "--help"}
    serve = _parser().parse_args(["serve", "--port", "0", "--strict-models", "--seed", "7", "--no-auth"])
    assert (serve.port, serve.strict_models, serve.seed, serve.no_auth) == (0, True, 7, True)
    serve_action = next(a for a in _parser()._actions if a.dest == "command")
    serve_parser = serve_action.choices["serve"]  # pyright: ignore[reportIndexIssue,reportOptionalSubscript]
    assert server_options <= {o for a in serve_parser._actions for o in a.option_strings}  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownVariableType]
    assert _parser().parse_args(["serve"]).port == 8080
