"""pytest fixtures for the local server (registered as the ``pyopenai`` pytest11 plugin).

- ``openai_server``: a started :class:`~pyopenai.testing.LocalServer`, stopped at teardown;
- ``openai_client``: a ``pyopenai.OpenAI`` pointed at it (closed at teardown);
- ``async_openai_client``: a ``pyopenai.AsyncOpenAI`` pointed at it (closed at teardown).

The clients use the key ``DUMMY_API_KEY`` (or the server's ``api_key``), default retries, and a
30-second timeout.

Server options come from the ``openai_server`` marker::

    @pytest.mark.openai_server(api_key="sk-only-this", latency=0.05)
    def test_slow(openai_client): ...

Without the entry point installed, load it with ``pytest_plugins = ["pyopenai.testing.pytest_plugin"]``
in a top-level ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pyopenai import AsyncOpenAI, OpenAI

    from ._server import LocalServer

# Loaded by pytest in every run wherever pyopenai is installed: the server and the clients are
# imported inside the fixtures, so a run that uses none of them pays for this module only.

__all__ = ["DUMMY_API_KEY", "async_openai_client", "openai_client", "openai_server"]

DUMMY_API_KEY = "sk-pyopenai-local-test"
CLIENT_TIMEOUT = 30.0  # a hung test fails in 30 s, not after the default 10 minutes


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "openai_server(**options): options for the openai_server fixture (LocalServer keyword arguments)"
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("openai_server")
    return dict(marker.kwargs) if marker is not None else {}


def _api_key(server: LocalServer) -> str:
    return server.config.api_key or DUMMY_API_KEY


@pytest.fixture
def openai_server(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """A running local server on a free loopback port."""
    from ._server import LocalServer

    server = LocalServer(**_options(request)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def openai_client(openai_server: LocalServer) -> Iterator[OpenAI]:
    """A ``pyopenai.OpenAI`` client for ``openai_server`` with a dummy key."""
    from pyopenai import OpenAI

    client = OpenAI(api_key=_api_key(openai_server), base_url=openai_server.url, timeout=CLIENT_TIMEOUT)
    try:
        yield client
    finally:
        client.close()


try:  # pytest-asyncio runs async fixtures in both its strict and auto modes
    from pytest_asyncio import fixture as _async_fixture
except ImportError:  # pragma: no cover - then an async-capable plugin (e.g. anyio) must run it
    _async_fixture = pytest.fixture


@_async_fixture
async def async_openai_client(openai_server: LocalServer) -> AsyncIterator[AsyncOpenAI]:
    """A ``pyopenai.AsyncOpenAI`` client for ``openai_server`` with a dummy key."""
    from pyopenai import AsyncOpenAI

    client = AsyncOpenAI(api_key=_api_key(openai_server), base_url=openai_server.url, timeout=CLIENT_TIMEOUT)
    try:
        yield client
    finally:
        await client.close()
