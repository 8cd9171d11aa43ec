"""File inputs and multipart bodies; logging with secrets redacted."""

from __future__ import annotations

import io
import logging
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

import httpx2
import pytest
from helpers import Recorder, json_response, make_async_client, make_client
from widgets import AsyncWidgets, Widgets

from pyopenai import file_from_path, to_file


def parts_of(recorder: Recorder) -> dict[str, tuple[str | None, str | None, bytes]]:
    """Parse the recorded multipart body with the stdlib email parser (an independent parser)."""
    request = recorder.last
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    parts: dict[str, tuple[str | None, str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        parts[str(name)] = (part.get_filename(), part.get_content_type() if part.get_filename() else None, payload)  # type: ignore[assignment]
    return parts


def ok(_: httpx2.Request) -> httpx2.Response:
    return json_response({"id": "w", "object": "widget"})


@pytest.mark.parametrize(
    "make_file",
    [
        lambda tmp: tmp / "data.jsonl",
        lambda tmp: ("data.jsonl", b'{"a": 1}\n'),
        lambda tmp: ("data.jsonl", b'{"a": 1}\n', "application/jsonl"),
        lambda tmp: open(tmp / "data.jsonl", "rb"),
        lambda tmp: to_file(io.BytesIO(b'{"a": 1}\n'), "data.jsonl"),
        lambda tmp: file_from_path(tmp / "data.jsonl"),
    ],
    ids=["path", "tuple", "tuple-mime", "open-file", "to_file", "file_from_path"],
)
def test_file_inputs_become_multipart_parts(tmp_path: Path, make_file) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "data.jsonl").write_bytes(b'{"a": 1}\n')
    client, rec = make_client(ok)
    Widgets(client).upload(file=make_file(tmp_path), purpose="batch")
    parts = parts_of(rec)
    filename, content_type, payload = parts["file"]
    assert filename == "data.jsonl" and payload == b'{"a": 1}\n'
    assert content_type in ("application/jsonl", "application/octet-stream", "application/json")
    assert parts["purpose"][2] == b"batch"
    assert rec.last.headers["content-type"].startswith("multipart/form-data; boundary=")


def test_raw_bytes_get_a_default_filename() -> None:
    client, rec = make_client(ok)
    Widgets(client).upload(file=b"abc", purpose="x")
    assert parts_of(rec)["file"][:1] == ("upload",)


def test_bad_file_input_is_a_clear_error_before_sending(tmp_path: Path) -> None:
    client, rec = make_client(ok)
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        Widgets(client).upload(file=tmp_path / "missing.txt", purpose="x")
    with pytest.raises(TypeError, match="Expected a file input"):
        Widgets(client).upload(file=12345, purpose="x")  # type: ignore[arg-type]
    assert rec.requests == []


def test_file_objects_are_rewound_for_retries(tmp_path: Path) -> None:
    attempts: list[bytes] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        attempts.append(request.content)
        return json_response({}, status=500) if len(attempts) == 1 else ok(request)

    client, _ = make_client(handler)
    with open(tmp_path / "f.bin", "wb") as f:
        f.write(b"x" * 10_000)
    with open(tmp_path / "f.bin", "rb") as f:
        Widgets(client).upload(file=f, purpose="x")
    assert len(attempts) == 2 and all(b"x" * 10_000 in body for body in attempts)


async def test_async_multipart(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"hello")
    client, rec = make_async_client(ok)
    await AsyncWidgets(client).upload(file=tmp_path / "a.txt", purpose="assistants")
    assert parts_of(rec)["file"] == ("a.txt", "text/plain", b"hello")


# -- logging ---------------------------------------------------------------------------------------------


class ListLogger:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def _log(self, msg: str, *args: object) -> None:
        self.lines.append(msg % args)

    debug = info = warning = error = _log


def test_debug_logs_redact_the_key_and_auth_headers() -> None:
    logger = ListLogger()
    client, _ = make_client(
        lambda r: json_response({}, status=500) if r.headers.get("x-stainless-retry-count") == "0" else ok(r),
        api_key="sk-supersecret", logger=logger, log_level="debug", default_headers={"X-Echo": "sk-supersecret"},
    )
    Widgets(client).retrieve("w")
    text = "\n".join(logger.lines)
    assert "Request: GET http://api.test/v1/widgets/w" in text
    assert "Retrying GET" in text and "status 500" in text
    assert "request_id=req_123" in text
    assert "sk-supersecret" not in text and "<redacted>" in text


def test_openai_log_environment_variable(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("OPENAI_LOG", "debug")
    client, _ = make_client(ok, api_key="sk-envsecret")
    with caplog.at_level(logging.DEBUG, logger="pyopenai"):
        Widgets(client).retrieve("w")
    assert "Request: GET" in caplog.text and "sk-envsecret" not in caplog.text


def test_logging_is_quiet_by_default(caplog: pytest.LogCaptureFixture) -> None:
    client, _ = make_client(ok)
    with caplog.at_level(logging.WARNING, logger="pyopenai"):
        Widgets(client).retrieve("w")
    assert caplog.text == ""


async def test_logging_configured_after_the_client_was_created_applies(caplog: pytest.LogCaptureFixture) -> None:
    # programs create clients at import time and configure logging later in main(), as with the official SDK
    client, _ = make_client(ok)
    async_client, _ = make_async_client(ok)
    with caplog.at_level(logging.DEBUG, logger="pyopenai"):
        Widgets(client).retrieve("w")
        await AsyncWidgets(async_client).retrieve("w")
    assert caplog.text.count("Request: GET") == 2
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pyopenai"):  # raised again later: the same client goes quiet
        Widgets(client).retrieve("w")
    assert "Request: GET" not in caplog.text


def test_bad_log_level_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Unknown log level 'loud'"):
        make_client(ok, log_level="loud")
