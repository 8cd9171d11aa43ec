"""The pytest fixtures, driving the server with pyopenai's own clients."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.testing import LocalServer
from pyopenai.testing.pytest_plugin import DUMMY_API_KEY


def test_openai_client_fixture(openai_client: OpenAI, openai_server: LocalServer) -> None:
    reply = openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert reply.choices[0].message.content == 'You said: "hi".'
    assert openai_server.requests[-1].headers["authorization"] == f"Bearer {DUMMY_API_KEY}"


def test_pyopenai_stream_and_retry(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.faults.rate_limit(retry_after_ms=1, times=1)
    stream = openai_client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == 'You said: "hi".'
    assert len(openai_server.requests) == 2


@pytest.mark.openai_server(api_key="sk-exact")
def test_marker_configures_server_and_client(openai_client: OpenAI, openai_server: LocalServer) -> None:
    assert openai_server.config.api_key == "sk-exact"
    assert openai_client.models.retrieve("gpt-4o").id == "gpt-4o"


async def test_async_openai_client_fixture(async_openai_client: AsyncOpenAI) -> None:
    reply = await async_openai_client.responses.create(model="gpt-4o", input="hello")
    message = reply.output[0]
    assert message.type == "message"
    assert message.content[0].text == 'You said: "hello".'  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType]


def test_plugin_loads_in_a_fresh_pytest(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import pytest

            def test_uses_fixtures(openai_server, openai_client):
                assert openai_server.running
                assert openai_client.models.retrieve("gpt-4o").id == "gpt-4o"

            @pytest.mark.openai_server(require_auth=False)
            def test_marker(openai_server):
                assert openai_server.config.require_auth is False

            @pytest.mark.asyncio
            async def test_async(async_openai_client):
                assert (await async_openai_client.models.retrieve("gpt-4o")).id == "gpt-4o"
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers", "test_user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )  # the fixtures come through the pytest11 entry point, in pytest-asyncio's strict mode
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
