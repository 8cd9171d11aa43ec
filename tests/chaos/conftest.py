"""Fixtures for the fault-injection suite: a chaos server per test; retry waits that really wait."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

import pyopenai._base_client as base_client

from .server import ChaosServer

# The real functions, saved at import, before the suite-wide fixture replaces them with recorders.
_REAL_SLEEP = time.sleep
_REAL_ASYNC_SLEEP = base_client._async_sleep  # pyright: ignore[reportPrivateUsage]


@pytest.fixture
def chaos() -> Iterator[ChaosServer]:
    server = ChaosServer()
    try:
        yield server
    finally:
        server.stop()
    assert server.errors == [], f"the chaos server itself failed: {server.errors!r}"


@pytest.fixture
def real_sleeps(monkeypatch: pytest.MonkeyPatch, _instant_retries: list[float]) -> list[float]:
    """Retry waits really wait (deadline tests need the clock to move); they are still recorded."""

    def sleep(seconds: float) -> None:
        _instant_retries.append(seconds)
        _REAL_SLEEP(seconds)

    async def async_sleep(seconds: float) -> None:
        _instant_retries.append(seconds)
        await _REAL_ASYNC_SLEEP(seconds)

    monkeypatch.setattr("pyopenai._base_client.time.sleep", sleep)
    monkeypatch.setattr("pyopenai._base_client._async_sleep", async_sleep)
    return _instant_retries


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """With CHAOS_REPORT=1: the fault table (fault, client, attempts the server counted, outcome, seconds)."""
    if not os.environ.get("CHAOS_REPORT"):
        return
    from .test_faults import RESULTS

    terminalreporter.write_sep("-", "chaos: faults survived")
    terminalreporter.write_line(f"{'fault':34} {'client':6} {'attempts':>8}  {'outcome':28} {'seconds':>7}")
    for fault, mode, attempts, outcome, seconds in RESULTS:
        terminalreporter.write_line(f"{fault:34} {mode:6} {attempts:>8}  {outcome:28} {seconds:>7.2f}")
