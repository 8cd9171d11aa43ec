"""The `pyopenai` command line, driven as a user would (no API key: the embedded server answers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyopenai.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_without_credentials_it_says_so_and_uses_the_local_server(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "models")
    assert code == 0 and "embedded local server" in err and "gpt-4o" in out.split()


def test_chat_streams_and_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "chat", "hello there")
    assert code == 0 and "hello there" in out
    code, out, _ = run(capsys, "--json", "chat", "hi")
    assert code == 0 and json.loads(out)["object"] == "chat.completion"


def test_responses_and_embeddings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "responses", "ping")
    assert code == 0 and "ping" in out and "response id: resp_" in out
    code, out, _ = run(capsys, "--json", "embeddings", "a", "b", "--dimensions", "4")
    data = json.loads(out)["data"]
    assert code == 0 and len(data) == 2 and len(data[0]["embedding"]) == 4


def test_files_upload_list_download(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "notes.jsonl"
    source.write_text('{"a": 1}\n')
    code, out, err = run(capsys, "files", "upload", str(source), "--purpose", "batch")
    assert code == 0 and "notes.jsonl" in out and "9/9 bytes" in err


def test_raw_api_call(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "api", "GET", "/models")
    assert code == 0 and json.loads(out)["object"] == "list"
    code, out, _ = run(capsys, "api", "POST", "/embeddings", "-d", '{"model": "text-embedding-3-small", "input": "x"}')
    assert code == 0 and json.loads(out)["data"][0]["object"] == "embedding"


def test_api_errors_exit_2_and_bad_input_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "models", "no-such-model")
    assert code == 2 and "status 404" in err
    code, _, err = run(capsys, "api", "POST", "/embeddings", "-d", "{not json")
    assert code == 1 and "--data is not valid JSON" in err
    code, _, err = run(capsys, "files", "upload", "/no/such/file")
    assert code == 1 and "no such file" in err


def test_batch_submit_rejects_invalid_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ok": 1}\nnot json\n')
    code, _, err = run(capsys, "batch", "submit", str(bad))
    assert code == 1 and "bad.jsonl:2 is not valid JSON" in err


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2
