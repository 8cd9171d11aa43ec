"""Fixtures of the generated endpoint tests: clients pointed at the steady mock server.

`TEST_API_BASE_URL` (default http://127.0.0.1:4010) names the server; `scripts/mock-server` starts
one. When nothing answers there, every test in this folder is skipped, and the reason is printed.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import pytest

from pyopenai import AsyncOpenAI, OpenAI

BASE_URL = os.environ.get("TEST_API_BASE_URL", "http://127.0.0.1:4010")
_reachable: bool | None = None


def _server_reachable() -> bool:
    global _reachable
    if _reachable is None:
        parts = urlsplit(BASE_URL)
        try:
            with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=1):
                _reachable = True
        except OSError:
            _reachable = False
    return _reachable


def _skip_reason() -> str:
    return f"mock server not reachable at {BASE_URL} (start it with scripts/mock-server or set TEST_API_BASE_URL)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    ours = [item for item in items if str(item.fspath).startswith(here)]
    if ours and not _server_reachable():
        marker = pytest.mark.skip(reason=_skip_reason())
        for item in ours:
            item.add_marker(marker)


def pytest_report_header(config: pytest.Config) -> str:
    state = "reachable" if _server_reachable() else "NOT reachable: tests/api_resources will be skipped"
    return f"api_resources mock server: {BASE_URL} ({state})"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _server_reachable() and _reachable is not None:
        terminalreporter.write_line(f"tests/api_resources skipped: {_skip_reason()}", yellow=True)


@pytest.fixture
def client() -> Iterator[OpenAI]:
    with OpenAI(base_url=BASE_URL, api_key="My API Key", admin_api_key="My Admin Key", max_retries=0) as c:
        yield c


def _http_client(transport: str) -> object:
    if transport == "httpx2":
        return None  # the client's default
    try:
        from pyopenai import DefaultAioHttpClient

        return DefaultAioHttpClient()
    except ImportError:
        pytest.skip("the aiohttp variant needs the aiohttp extra: pip install 'pyopenai[aiohttp]'")


# Every async endpoint test runs twice: on the default transport and on DefaultAioHttpClient
# (the official SDK's endpoint tests have the same aiohttp variant).
@pytest.fixture(params=["httpx2", "aiohttp"])
async def async_client(request: pytest.FixtureRequest) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(
        base_url=BASE_URL, api_key="My API Key", admin_api_key="My Admin Key", max_retries=0,
        http_client=_http_client(request.param),
    ) as c:
        yield c
