from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from pyopenai.testing import LocalServer

# openai_server, openai_client, async_openai_client come from the `pyopenai` pytest11 plugin

API_KEY = "sk-test"


@pytest.fixture
def http(openai_server: LocalServer) -> Iterator[httpx2.Client]:
    """A plain HTTP client for the server, with auth and a short timeout."""
    client = httpx2.Client(base_url=openai_server.url, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10.0)
    with client:
        yield client
