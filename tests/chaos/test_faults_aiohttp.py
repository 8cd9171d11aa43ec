"""The byte-level fault cases of `test_faults.py`, with the async client sending through aiohttp.

`AsyncOpenAI(http_client=DefaultAioHttpClient())` must fail (or succeed) exactly as the default
transport does: same attempts, same exception types, same retry waits, same stream events, and
every socket the server saw closed once the client is.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

pytest.importorskip("aiohttp", reason="the aiohttp extra is not installed: pip install 'pyopenai[aiohttp]'")

from pyopenai import DefaultAioHttpClient

from .server import ChaosServer
from .support import abounded, async_client, described
from .test_faults import CASES, Case, async_call, check_outcome

# aiohttp words some failures differently from httpx2; the exception types and counts stay the same.
_MESSAGES = {
    "closed before response": "disconnected|Connection closed",
    "oversized header block": "RemoteProtocolError|Got more than|too long|Header",
    "reset during body": "reset by peer|Connection lost|ContentLength|payload",
}


async def run_aiohttp(case: Case, server: ChaosServer, events: list[Any]) -> tuple[Any, BaseException | None]:
    client = async_client(server, http_client=DefaultAioHttpClient(), **case.options)
    try:
        try:
            return await abounded(async_call(client, case, events)), None
        except Exception as err:
            return None, err
    finally:
        await client.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault_over_aiohttp(case: Case, chaos: ChaosServer, _instant_retries: list[float]) -> None:
    chaos.script(*case.actions())
    events: list[Any] = []
    result, error = asyncio.run(run_aiohttp(case, chaos, events))
    if case.id in _MESSAGES and error is not None:
        assert re.search(_MESSAGES[case.id], described(error), re.S | re.I), described(error)
        case = Case(case.id, case.actions, case.expect, case.attempts, case.call, None, case.options, case.waits,
                    case.events, case.status)
    check_outcome(case, chaos, error, result, _instant_retries, events)
    assert chaos.wait_for_connections(0, timeout=5.0), f"{chaos.open_connections} server-side sockets still open"
