"""Record and replay: a second local server stands in for the real API while recording."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pyopenai
from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.testing import CassetteError, LocalServer

SECRET_KEY = "sk-proj-upstreamSECRET0123456789"
ORG = "org-Abc123def456ghi"
PROJECT = "proj_Xyz987wvu654tsr"
HELLO: Any = [{"role": "user", "content": "hello"}]


@pytest.fixture
def api() -> Iterator[LocalServer]:
    """The 'real API': only the secret key gets in."""
    with LocalServer(api_key=SECRET_KEY) as server:
        yield server


def record_session(api: LocalServer, cassette: Path) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    with LocalServer(cassette=str(cassette), record=True, upstream=api.url) as recorder:
        client = OpenAI(base_url=recorder.url, api_key=SECRET_KEY, organization=ORG, project=PROJECT)
        seen["chat"] = client.chat.completions.create(model="gpt-4o", messages=HELLO).choices[0].message.content
        stream = client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True)
        seen["deltas"] = [c.choices[0].delta.content for c in stream if c.choices]
        seen["file"] = client.files.create(file=("notes.txt", b"some notes"), purpose="user_data").filename
        with pytest.raises(pyopenai.NotFoundError):
            client.models.retrieve("no-such-model")
        recorder.verify()
    return seen


def test_record_then_replay_offline(api: LocalServer, tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    recorded = record_session(api, cassette)
    assert len(api.requests) == 4  # every call went through to the API, with the client's key
    assert api.requests[0].headers["authorization"] == f"Bearer {SECRET_KEY}"

    with LocalServer(cassette=str(cassette)) as replayer:  # no upstream: answers come from the file
        client = OpenAI(base_url=replayer.url, api_key="sk-anything")
        assert client.chat.completions.create(model="gpt-4o", messages=HELLO).choices[0].message.content == recorded["chat"]
        stream = client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True)
        assert [c.choices[0].delta.content for c in stream if c.choices] == recorded["deltas"]
        assert client.files.create(file=("notes.txt", b"some notes"), purpose="user_data").filename == "notes.txt"
        with pytest.raises(pyopenai.NotFoundError) as info:
            client.models.retrieve("no-such-model")
        assert info.value.code == "model_not_found"
        replayer.verify()
    assert len(api.requests) == 4


def test_cassette_is_readable_json_without_secrets(api: LocalServer, tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    record_session(api, cassette)
    text = cassette.read_text()
    for secret in (SECRET_KEY, ORG, PROJECT, "upstreamSECRET", "Bearer"):
        assert secret not in text
    document = json.loads(text)
    first = document["interactions"][0]
    assert first["request"] == {
        "method": "POST",
        "path": "/v1/chat/completions",
        "query": {},
        "json": {"messages": HELLO, "model": "gpt-4o"},
        "headers": {"content-type": "application/json"},
    }
    assert first["response"]["status"] == 200 and first["response"]["json"]["object"] == "chat.completion"
    assert first["response"]["headers"]["openai-organization"] == "REDACTED"
    assert document["interactions"][1]["response"]["stream"][-1] == "data: [DONE]"
    upload = document["interactions"][2]["request"]
    assert upload["form"] == {"purpose": "user_data"} and upload["files"] == {"file": "notes.txt"}


async def test_an_edited_cassette_replays_the_edit_async(tmp_path: Path) -> None:
    cassette = tmp_path / "edited.json"
    reply = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o", "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Edited by hand."}}
    ]}
    cassette.write_text(json.dumps({"interactions": [{
        "request": {"method": "POST", "path": "/v1/chat/completions", "json": {"model": "gpt-4o", "messages": HELLO}},
        "response": {"status": 200, "json": reply},
    }]}))
    async with LocalServer(cassette=str(cassette)) as server:
        client = AsyncOpenAI(base_url=server.url, api_key="sk-test")
        completion = await client.chat.completions.create(model="gpt-4o", messages=HELLO)
        assert completion.choices[0].message.content == "Edited by hand."
        await client.close()


def test_an_unmatched_request_says_how_it_differs(api: LocalServer, tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    record_session(api, cassette)
    with LocalServer(cassette=str(cassette)) as replayer:
        client = OpenAI(base_url=replayer.url, api_key="sk-test")
        other: Any = [{"role": "user", "content": "goodbye"}]
        with pytest.raises(pyopenai.BadRequestError) as info:
            client.chat.completions.create(model="gpt-4o", messages=other)
        message = str(info.value)
        assert info.value.code == "no_matching_recording" and len(replayer.requests) == 1  # not retried
        assert "closest is #1, which differs in json.messages: recorded" in message and "'goodbye'" in message
        with pytest.raises(AssertionError, match="no recording in .*session.json matches POST /v1/chat/completions"):
            replayer.verify()


def test_strict_replay_reports_recordings_never_replayed(api: LocalServer, tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    record_session(api, cassette)
    with LocalServer(cassette=str(cassette), strict=True) as replayer:
        OpenAI(base_url=replayer.url, api_key="sk-test").chat.completions.create(model="gpt-4o", messages=HELLO)
        with pytest.raises(AssertionError) as info:
            replayer.verify()
    assert "recording never replayed: #2 POST /v1/chat/completions" in str(info.value)
    assert "#4 GET /v1/models/no-such-model" in str(info.value)


def test_missing_or_broken_cassettes_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="cassette .*nothing.json not found: record it first"):
        LocalServer(cassette=str(tmp_path / "nothing.json"))
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(CassetteError, match="is not valid JSON"):
        LocalServer(cassette=str(tmp_path / "broken.json"))


def test_the_pytest_marker_replays_and_records(api: LocalServer, tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import pytest

            @pytest.mark.openai_cassette()
            def test_hello(openai_client, openai_cassette):
                reply = openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hello"}])
                assert reply.choices[0].message.content == 'You said: "hello".'
                assert len(openai_cassette.interactions) == 1
            """
        )
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}

    def pytest_run(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py", *args],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**env, **extra_env},
        )

    missing = pytest_run()
    assert "1 error" in missing.stdout and "cassettes/test_user/test_hello.json not found" in missing.stdout
    no_key = pytest_run("--openai-record")
    assert "1 error" in no_key.stdout and "--openai-record needs OPENAI_API_KEY" in no_key.stdout
    recorded = pytest_run("--openai-record", OPENAI_API_KEY=SECRET_KEY, OPENAI_BASE_URL=api.url)
    assert "1 passed" in recorded.stdout, recorded.stdout
    assert SECRET_KEY not in (tmp_path / "cassettes" / "test_user" / "test_hello.json").read_text()
    replayed = pytest_run()
    assert "1 passed" in replayed.stdout, replayed.stdout
    assert len(api.requests) == 1


def test_recording_with_the_api_unreachable_answers_502(tmp_path: Path) -> None:
    with LocalServer(cassette=str(tmp_path / "c.json"), record=True, upstream="http://127.0.0.1:9/v1") as recorder:
        client = OpenAI(base_url=recorder.url, api_key="sk-test", max_retries=0)
        with pytest.raises(pyopenai.APIStatusError) as info:
            client.models.list()
    assert info.value.status_code == 502 and "could not be reached" in str(info.value)
    assert not (tmp_path / "c.json").exists()
