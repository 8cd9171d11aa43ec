"""An embedded, deterministic, OpenAI-compatible server for tests, examples and offline use.

What ``moto`` is to AWS: a fast local stand-in for the OpenAI REST API, standard library only.

    from pyopenai import OpenAI
    from pyopenai.testing import LocalServer

    with LocalServer() as server:                       # 127.0.0.1, a free port
        client = OpenAI(base_url=server.url, api_key="test")
        reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
        assert reply.choices[0].message.content == 'You said: "hi".'

Replies are a pure function of the request (same input, same output), unless a test scripts them
(``server.script.chat.text("Hi")``, ``.tool_call(...)``, ``.stream([...])``, ``.error(429)``, ...; see
``Script``), or replays recorded traffic (``LocalServer(cassette="c.json")``). ``strict=True`` makes
unscripted calls and unused replies fail ``server.verify()``; ``server.assert_requested(...)`` checks
what was sent. Faults are scripted on ``server.faults`` (see ``README.md`` in this package):

    server.faults.rate_limit(retry_after_ms=10, times=2)   # two 429s, then normal service
    server.faults.insufficient_quota()                     # a 429 with code insufficient_quota
    server.faults.push(status=500, path="/v1/embeddings")  # any status, for one path
    server.faults.drop()                                   # close the connection, no answer
    server.faults.cut_stream(after=3)                      # a stream that dies after 3 events
    server.faults.stall(2.0)                               # headers, then 2 s of silence
    server.faults.latency(0.5, times=None)                 # every request 0.5 s late

Run it as a process with ``python -m pyopenai.testing --port 8080``. With pytest, the
``openai_server``, ``openai_client`` and ``async_openai_client`` fixtures come from
``pyopenai.testing.pytest_plugin``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from ._cassette import Cassette as Cassette
    from ._cassette import CassetteError as CassetteError
    from ._core import ServerConfig as ServerConfig
    from ._faults import Fault as Fault
    from ._faults import FaultQueue as FaultQueue
    from ._http import Request as Request
    from ._main import main as main
    from ._script import EndpointScript as EndpointScript
    from ._script import Reply as Reply
    from ._script import Script as Script
    from ._script import ScriptedError as ScriptedError
    from ._script import ToolCall as ToolCall
    from ._script import Usage as Usage
    from ._server import LocalServer as LocalServer
    from ._webhooks import WebhookDelivery as WebhookDelivery

__all__ = [
    "Cassette",
    "CassetteError",
    "EndpointScript",
    "Fault",
    "FaultQueue",
    "LocalServer",
    "Reply",
    "Request",
    "Script",
    "ScriptedError",
    "ServerConfig",
    "ToolCall",
    "Usage",
    "WebhookDelivery",
    "main",
]

# loaded on first use: the pytest plugin (a submodule) must not start the server's imports in every
# pytest run of a project that has pyopenai installed
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Cassette": "._cassette",
        "CassetteError": "._cassette",
        "EndpointScript": "._script",
        "Reply": "._script",
        "Script": "._script",
        "ScriptedError": "._script",
        "ToolCall": "._script",
        "Usage": "._script",
        "Fault": "._faults",
        "FaultQueue": "._faults",
        "LocalServer": "._server",
        "Request": "._http",
        "ServerConfig": "._core",
        "WebhookDelivery": "._webhooks",
        "main": "._main",
    },
)
