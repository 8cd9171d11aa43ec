"""pytest fixtures for the local server (registered as the ``pyopenai`` pytest11 plugin).

- ``openai_server``: a started :class:`~pyopenai.testing.LocalServer`, stopped at teardown;
- ``openai_client``: a ``pyopenai.OpenAI`` pointed at it (closed at teardown);
- ``async_openai_client``: a ``pyopenai.AsyncOpenAI`` pointed at it (closed at teardown);
- ``openai_cassette``: the :class:`~pyopenai.testing.Cassette` of a test marked ``openai_cassette``.

The clients use the key ``DUMMY_API_KEY`` (or the server's ``api_key``), default retries, and a
30-second timeout. A test that passed fails afterwards if ``openai_server.verify()`` finds problems
(strict mode: calls with no scripted reply, scripted replies never used; requests no recording matched).

Server options come from the ``openai_server`` marker::

    @pytest.mark.openai_server(api_key="sk-only-this", latency=0.05)
    def test_slow(openai_client): ...

Record and replay with the ``openai_cassette`` marker: the test's traffic is replayed from
``cassettes/<test module>/<test name>.json`` beside the test file (or the path given, relative to
it); ``pytest --openai-record`` records it from the API instead (needs ``OPENAI_API_KEY``)::

    @pytest.mark.openai_cassette()
    def test_summary(openai_client): ...

Without the entry point installed, load it with ``pytest_plugins = ["pyopenai.testing.pytest_plugin"]``
in a top-level ``conftest.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pyopenai import AsyncOpenAI, OpenAI

    from ._cassette import Cassette
    from ._server import LocalServer

# Loaded by pytest in every run wherever pyopenai is installed: the server and the clients are
# imported inside the fixtures, so a run that uses none of them pays for this module only.

__all__ = ["DUMMY_API_KEY", "async_openai_client", "openai_cassette", "openai_client", "openai_server"]

DUMMY_API_KEY = "sk-pyopenai-local-test"
CLIENT_TIMEOUT = 30.0  # a hung test fails in 30 s, not after the default 10 minutes


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("pyopenai").addoption(
        "--openai-record",
        action="store_true",
        help="record the cassettes of tests marked openai_cassette from the real API (needs OPENAI_API_KEY)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "openai_server(**options): options for the openai_server fixture (LocalServer keyword arguments)"
    )
    config.addinivalue_line(
        "markers",
        "openai_cassette(path=None): replay this test's API traffic from a JSON cassette "
        "(pytest --openai-record records it)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """After a test body that passed, fail it on scripted-reply problems (see ``LocalServer.verify``):
    in the test's own phase, so it is reported as a failure of that test."""
    result = yield
    server = getattr(item, "funcargs", {}).get("openai_server")
    verify = getattr(server, "verify", None)  # the fixture's LocalServer (not imported here: see above)
    if callable(verify):
        verify()
    return result


def _recording(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--openai-record", default=False))


def _cassette_path(request: pytest.FixtureRequest, marker: pytest.Mark) -> Path:
    here = Path(str(request.node.path)).parent
    given = marker.args[0] if marker.args else marker.kwargs.get("path")
    if given:
        return here / str(given)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    return here / "cassettes" / Path(str(request.node.path)).stem / f"{name}.json"


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("openai_server")
    options = dict(marker.kwargs) if marker is not None else {}
    cassette = request.node.get_closest_marker("openai_cassette")
    if cassette is not None:
        options["cassette"] = str(_cassette_path(request, cassette))
        if _recording(request):
            if not os.environ.get("OPENAI_API_KEY"):
                pytest.fail("pytest --openai-record needs OPENAI_API_KEY: cassettes are recorded from the real API")
            options["record"] = True
    return options


def _api_key(server: LocalServer) -> str:
    if server.config.record:
        return os.environ["OPENAI_API_KEY"]  # forwarded upstream; redacted from the cassette
    return server.config.api_key or DUMMY_API_KEY


@pytest.fixture
def openai_server(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """A running local server on a free loopback port (replaying or recording a cassette if the test is
    marked ``openai_cassette``)."""
    from ._cassette import CassetteError
    from ._server import LocalServer

    try:
        server = LocalServer(**_options(request)).start()
    except CassetteError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def openai_cassette(openai_server: LocalServer) -> Cassette:
    """The cassette ``openai_server`` replays or records (the test must be marked ``openai_cassette``)."""
    cassette = openai_server.app.cassette
    if cassette is None:
        pytest.fail("the openai_cassette fixture needs the test marked @pytest.mark.openai_cassette(...)")
    return cassette


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
