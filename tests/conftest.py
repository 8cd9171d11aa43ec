"""Fixtures shared by every test: no real credentials, no real waiting on retries."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's real credentials or settings."""
    for name in (
        "OPENAI_API_KEY", "OPENAI_ADMIN_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_BASE_URL",
        "OPENAI_WEBHOOK_SECRET", "OPENAI_LOG",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _instant_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries wait for real in production; in tests the waits are recorded instead of slept."""
    waits: list[float] = []

    def record(seconds: float) -> None:
        waits.append(seconds)

    async def record_async(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("pyopenai._base_client.time.sleep", record)
    monkeypatch.setattr("pyopenai._base_client._async_sleep", record_async)
    return waits
