from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from pyopenai.testing import LocalServer, pytest_plugin

# The plugin's fixtures, also when the pytest11 entry point is not installed (conftest ones win).
openai_server = pytest_plugin.openai_server
openai_client = pytest_plugin.openai_client
async_openai_client = pytest_plugin.async_openai_client
pytest_configure = pytest_plugin.pytest_configure

API_KEY = "sk-test"


@pytest.fixture
def http(openai_server: LocalServer) -> Iterator[httpx2.Client]:
    """A plain HTTP client for the server, with auth and a short timeout."""
    client = httpx2.Client(base_url=openai_server.url, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10.0)
    with client:
        yield client
