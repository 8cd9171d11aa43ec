"""Handshakes: Azure URLs and credentials, refused and broken handshakes, lazy imports, a missing wsproto."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

from wssupport import ScriptServer

import pyopenai
from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.azure import AsyncAzureOpenAI, AzureOpenAI


@pytest.fixture
def server() -> Any:
    with ScriptServer() as s:
        yield s


def root(server: ScriptServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def test_azure_url_and_api_key(server: ScriptServer) -> None:
    client = AzureOpenAI(azure_endpoint=root(server), api_version="2025-04-01-preview", api_key="az-key")
    with client.realtime.connect(model="my-deployment", extra_query={"x": "1"}) as c:
        assert c.recv().type == "session.created"
    (hs,) = server.handshakes
    assert hs.path == "/openai/realtime"
    assert hs.q("api-version") == "2025-04-01-preview" and hs.q("deployment") == "my-deployment" and hs.q("x") == "1"
    assert hs.headers["api-key"] == "az-key"
    assert "authorization" not in hs.headers


def test_azure_deployment_and_token_provider(server: ScriptServer) -> None:
    tokens = iter(["tok-1", "tok-2"])
    client = AzureOpenAI(
        azure_endpoint=root(server), azure_deployment="dep-1", api_version="2025-04-01-preview",
        azure_ad_token_provider=lambda: next(tokens),
    )
    for _ in range(2):
        with client.realtime.connect() as c:
            c.recv()
    assert [h.q("deployment") for h in server.handshakes] == ["dep-1", "dep-1"]
    assert [h.headers["authorization"] for h in server.handshakes] == ["Bearer tok-1", "Bearer tok-2"]
    assert all("api-key" not in h.headers for h in server.handshakes)


def test_azure_needs_a_model_or_deployment(server: ScriptServer) -> None:
    client = AzureOpenAI(azure_endpoint=root(server), api_version="v", api_key="k")
    with pytest.raises(pyopenai.OpenAIError, match="model"), client.realtime.connect():
        pass
    assert server.handshakes == []


async def test_async_azure_with_async_token_provider(server: ScriptServer) -> None:
    async def token() -> str:
        return "async-token"

    client = AsyncAzureOpenAI(
        azure_endpoint=root(server), api_version="2025-04-01-preview", azure_ad_token_provider=token
    )
    async with client.realtime.connect(model="dep-async") as c:
        assert (await c.recv()).type == "session.created"
    (hs,) = server.handshakes
    assert hs.path == "/openai/realtime" and hs.q("deployment") == "dep-async"
    assert hs.headers["authorization"] == "Bearer async-token"


def test_refused_handshake_raises_the_typed_error() -> None:
    body = {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}}
    with ScriptServer(reject=(401, body)) as server:
        client = OpenAI(api_key="sk-bad", base_url=server.url)
        with pytest.raises(pyopenai.AuthenticationError) as info, client.realtime.connect(model="m"):
            pass
    assert info.value.status_code == 401
    assert info.value.code == "invalid_api_key"
    assert info.value.request_id == "req_refused"
    assert "Incorrect API key" in str(info.value)


async def test_async_refused_handshake() -> None:
    with ScriptServer(reject=(429, {"error": {"message": "slow down", "type": "rate_limit"}})) as server:
        client = AsyncOpenAI(api_key="sk", base_url=server.url)
        with pytest.raises(pyopenai.RateLimitError, match="slow down"):
            async with client.realtime.connect(model="m"):
                pass


def test_a_refused_provider_key_is_resolved_again_once() -> None:
    body = {"error": {"message": "expired", "type": "invalid_request_error"}}
    keys = iter(["sk-old", "sk-new"])
    with ScriptServer(reject=(401, body), reject_if=lambda i: i == 0) as server:
        client = OpenAI(api_key=lambda: next(keys), base_url=server.url)
        with client.realtime.connect(model="m") as c:
            assert c.recv().type == "session.created"
    assert [h.headers["authorization"] for h in server.handshakes] == ["Bearer sk-old", "Bearer sk-new"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once closed


def test_connection_refused_is_a_connection_error_that_says_why() -> None:
    client = OpenAI(api_key="sk", base_url=f"http://127.0.0.1:{_closed_port()}/v1")
    with pytest.raises(pyopenai.APIConnectionError, match=r"^Connection error: .*refused.* \(ConnectError\)$"), \
            client.realtime.connect(model="m"):
        pass


async def test_async_connection_refused_says_why() -> None:
    client = AsyncOpenAI(api_key="sk", base_url=f"http://127.0.0.1:{_closed_port()}/v1")
    with pytest.raises(pyopenai.APIConnectionError, match=r"^Connection error: .+ \(ConnectError\)$"):
        async with client.realtime.connect(model="m"):
            pass


def test_a_101_without_the_right_accept_is_rejected() -> None:
    with ScriptServer(bad_accept=True) as server:
        client = OpenAI(api_key="sk", base_url=server.url)
        with pytest.raises(pyopenai.APIConnectionError, match="Sec-WebSocket-Accept"), client.realtime.connect(model="m"):
            pass


def test_missing_wsproto_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch, server: ScriptServer) -> None:
    monkeypatch.setitem(sys.modules, "wsproto", None)
    client = OpenAI(api_key="sk", base_url=server.url)
    with pytest.raises(pyopenai.OpenAIError, match=r"pip install 'pyopenai\[realtime\]'"), client.realtime.connect(model="m"):
        pass


def test_import_pyopenai_does_not_load_the_websocket_stack() -> None:
    code = (
        "import sys, pyopenai\n"
        "client = pyopenai.OpenAI(api_key='sk')\n"
        "manager = client.realtime.connect(model='m')\n"  # building the manager opens nothing yet
        "print(sorted(m for m in sys.modules if m.startswith(('wsproto', 'httpx2.websockets', 'websockets'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
    code = "import sys, pyopenai; print(sorted(m for m in sys.modules if 'realtime' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


# -- the handshake's query: tiers, `omit`, repeated names ------------------------------------------------

QUERY_CASES = [
    # a name given by the connection replaces the base URL's and the client's values of it
    ({"route": "connection", "filter": "plain"}, {"route": ["connection"], "filter": ["plain"], "repeat": ["first", "second"]}),
    # `omit` removes a name from every tier (it used to go out as the text "omit")
    ({"route": pyopenai.omit, "filter": pyopenai.omit, "repeat": pyopenai.omit}, {}),
    # None is an empty value; a list repeats its name; a mapping's keys are bracketed (its None left out)
    ({"route": None, "filter": {"language": "fr", "empty": None}, "repeat": ["new", None, "last"]},
     {"route": [""], "filter[language]": ["fr"], "repeat": ["new", "", "last"]}),
]


def _query_client(cls: Any, server: ScriptServer) -> Any:
    return cls(
        api_key="k",
        websocket_base_url=f"ws://127.0.0.1:{server.port}/v1?route=url&repeat=first&repeat=second&keep=one&keep=two&selected=url",
        default_query={"route": "default", "filter": {"old": "x"}, "global": "kept", "selected": "default", "absent": None},
    )


def _expected_query(given: dict[str, list[str]]) -> dict[str, list[str]]:
    # the base URL's own names beat the client's default_query; names nobody repeats stay as they are
    return {"keep": ["one", "two"], "selected": ["url"], "global": ["kept"], "model": ["m"], **given}


@pytest.mark.parametrize(("extra_query", "expected"), QUERY_CASES, ids=["replace", "omit", "structured"])
def test_handshake_query_tiers(server: ScriptServer, extra_query: dict[str, Any], expected: dict[str, list[str]]) -> None:
    with _query_client(OpenAI, server) as client, client.realtime.connect(model="m", extra_query=extra_query) as c:
        c.recv()
    (hs,) = server.handshakes
    assert hs.query == _expected_query(expected)


@pytest.mark.parametrize(("extra_query", "expected"), QUERY_CASES, ids=["replace", "omit", "structured"])
async def test_async_handshake_query_tiers(
    server: ScriptServer, extra_query: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    async with _query_client(AsyncOpenAI, server) as client, client.realtime.connect(model="m", extra_query=extra_query) as c:
        await c.recv()
    (hs,) = server.handshakes
    assert hs.query == _expected_query(expected)


def test_query_params_object_keeps_repeated_names(server: ScriptServer) -> None:
    import httpx2

    client = OpenAI(api_key="k", base_url=server.url)
    with client.realtime.connect(model="m", extra_query=httpx2.QueryParams("route=x&route=y")) as c:
        c.recv()
    assert server.handshakes[0].query["route"] == ["x", "y"]
