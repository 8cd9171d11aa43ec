"""`pyopenai batch run`: a JSONL job of any size, driven as a user would from the shell."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyopenai.cli import EXIT_API, EXIT_LOCAL, EXIT_OK, main
from pyopenai.testing import LocalServer

CHAT = "/v1/chat/completions"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    with LocalServer() as running:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-cli-test")
        monkeypatch.setenv("OPENAI_BASE_URL", running.url)
        monkeypatch.delenv("OPENAI_LOG", raising=False)
        yield running


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def chat(text: str) -> dict[str, Any]:
    return {"model": "gpt-4o", "messages": [{"role": "user", "content": text}]}


def test_run_watch_writes_one_result_per_request_in_input_order(
    server: LocalServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "requests.jsonl", [
        {"custom_id": "a", "body": chat("first")},
        "",  # blank lines are allowed
        chat("second"),
        {"custom_id": "c", "method": "POST", "url": CHAT, "body": {"model": "gpt-4o"}},  # fails: no messages
    ])
    results = tmp_path / "results.jsonl"
    code, out, err = run(capsys, "batch", "run", str(source), "--endpoint", CHAT, "--watch", "-o", str(results),
                         "--interval", "0", "--max-requests-per-file", "2")
    assert code == EXIT_API  # a request failed
    assert out == ""
    assert "submitted 2 batch(es)" in err and "3/3 requests done, 1 failed (2 completed)" in err
    assert "1 requests failed" in err and "\r" not in err  # no progress bar off a terminal
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert [line["custom_id"] for line in lines] == ["a", "request-2", "c"]
    assert lines[0]["response"]["choices"][0]["message"]["content"] == 'You said: "first".'
    assert lines[0]["error"] is None
    assert lines[2]["response"] is None and lines[2]["error"]["status_code"] == 400


def test_run_without_watch_prints_the_state_and_resume_follows_it(
    server: LocalServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "requests.jsonl", [chat("one"), chat("two")])
    state = tmp_path / "state.json"
    code, out, _ = run(capsys, "batch", "run", str(source), "--endpoint", CHAT, "--state", str(state))
    assert code == EXIT_OK
    printed = json.loads(out)
    assert printed == json.loads(state.read_text()) and len(printed["batch_ids"]) == 1
    code, out, err = run(capsys, "batch", "run", str(state), "--resume", "--watch", "--interval", "0")
    assert code == EXIT_OK and f"following 1 batch(es): {printed['batch_ids'][0]}" in err
    assert [json.loads(line)["custom_id"] for line in out.splitlines()] == ["request-1", "request-2"]


def test_progress_is_drawn_on_a_terminal(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "requests.jsonl", [chat("one"), chat("two"), chat("three")])
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    code = main(["batch", "run", str(source), "--endpoint", CHAT, "--watch", "--interval", "0",
                 "--max-requests-per-file", "2", "-o", str(tmp_path / "out.jsonl")])
    assert code == EXIT_OK
    drawn = screen.getvalue()
    assert "\rbatch run [" in drawn and "3 requests / 3 requests  0 failed, 2 batches" in drawn


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([chat("ok"), "", '{"custom_id": "x",'], "requests.jsonl:3 is not valid JSON"),
        ([{"custom_id": "a", "body": chat("1")}, "", {"custom_id": "a", "body": chat("2")}],
         "requests.jsonl:3 (custom_id 'a'): duplicate custom_id"),
        ([{"custom_id": "a", "url": "/v1/embeddings", "body": chat("1")}],
         "requests.jsonl:1 (custom_id 'a'): url '/v1/embeddings' is not the job's endpoint"),
        (["[1, 2]"], "requests.jsonl:1: expected a dict, got list"),
    ],
)
def test_bad_input_is_a_clear_error_and_starts_nothing(
    server: LocalServer, capsys: pytest.CaptureFixture[str], tmp_path: Path, lines: list[Any], message: str
) -> None:
    source = write_jsonl(tmp_path / "requests.jsonl", lines)
    code, out, err = run(capsys, "batch", "run", str(source), "--endpoint", CHAT, "--watch")
    assert code == EXIT_LOCAL and out == ""
    assert err.startswith("error: ") and message in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.jsonl", "--endpoint", CHAT], "no such file: missing.jsonl"),
        (["requests.jsonl", "--endpoint", "/v1/nope"], "not a Batch API endpoint"),
        (["requests.jsonl", "--resume"], "no 'endpoint' string"),
    ],
)
def test_unusable_arguments_are_a_clear_error(
    server: LocalServer, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    argv: list[str], message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "requests.jsonl", [chat("one")])
    code, _, err = run(capsys, "batch", "run", *argv)
    assert code == EXIT_LOCAL and message in err, err


def test_the_endpoint_is_required_unless_resuming(
    server: LocalServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "requests.jsonl", [chat("one")])
    code, _, err = run(capsys, "batch", "run", str(source))
    assert code == EXIT_LOCAL and "--endpoint is required" in err
