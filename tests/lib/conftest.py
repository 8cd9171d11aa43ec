"""Fixtures for the helper tests: one local server for the whole session, clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.testing import LocalServer


@pytest.fixture(scope="session")
def local_server() -> Iterator[LocalServer]:
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def client(local_server: LocalServer) -> Iterator[OpenAI]:
    with OpenAI(base_url=local_server.url, api_key="sk-local", max_retries=0) as c:
        yield c


@pytest.fixture
async def async_client(local_server: LocalServer) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(base_url=local_server.url, api_key="sk-local", max_retries=0) as c:
        yield c
