"""The pre-set HTTP clients and default constants (`DefaultHttpx2Client`, `DEFAULT_TIMEOUT`, ...) and
`data_residency=` (regional API hosts for HTTP and WebSocket)."""

from __future__ import annotations

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client

import pyopenai
from pyopenai import (
    DEFAULT_CONNECTION_LIMITS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncOpenAI,
    DefaultAsyncHttpx2Client,
    DefaultAsyncHttpxClient,
    DefaultHttpx2Client,
    DefaultHttpxClient,
    OpenAI,
    OpenAIError,
)
from pyopenai.lib.realtime._endpoint import websocket_url


def test_default_constants() -> None:
    assert DEFAULT_TIMEOUT == httpx2.Timeout(600.0, connect=5.0)
    assert DEFAULT_MAX_RETRIES == 2
    assert (DEFAULT_CONNECTION_LIMITS.max_connections, DEFAULT_CONNECTION_LIMITS.max_keepalive_connections) == (1000, 100)
    assert pyopenai.not_given is pyopenai.NOT_GIVEN
    assert not pyopenai.not_given


def test_the_default_timeout_prints_and_is_sent_as_the_official_sdk_does() -> None:
    printed = "Timeout(connect=5.0, read=600, write=600, pool=600)"
    assert repr(DEFAULT_TIMEOUT) == printed
    client, rec = make_client(lambda request: json_response({"object": "list", "data": []}))
    assert repr(client.timeout) == printed and repr(client.with_options(max_retries=1).timeout) == printed
    client.models.list()
    assert rec.last.headers["x-stainless-read-timeout"] == "600"
    client.models.list(timeout=20.5)
    assert rec.last.headers["x-stainless-read-timeout"] == "20.5"


async def test_the_async_default_timeout_is_sent_as_the_official_sdk_does() -> None:
    client, rec = make_async_client(lambda request: json_response({"object": "list", "data": []}))
    assert repr(client.timeout) == "Timeout(connect=5.0, read=600, write=600, pool=600)"
    await client.models.list()
    assert rec.last.headers["x-stainless-read-timeout"] == "600"


@pytest.mark.parametrize("cls", [DefaultHttpx2Client, DefaultAsyncHttpx2Client])
def test_default_httpx2_clients_carry_the_defaults(cls: type[httpx2.Client | httpx2.AsyncClient]) -> None:
    client = cls()
    assert client.timeout == DEFAULT_TIMEOUT
    assert client.follow_redirects is True
    assert client._transport._pool._max_connections == 1000  # pyright: ignore
    assert client._transport._pool._socket_options  # pyright: ignore  # TCP keep-alive
    overridden = cls(timeout=3.0, follow_redirects=False, verify=False)
    assert overridden.timeout == httpx2.Timeout(3.0)
    assert overridden.follow_redirects is False
    # keywords meant for the transport reach the transport built here (a given transport would ignore them)
    assert overridden._transport._pool._ssl_context.verify_mode == 0  # pyright: ignore  # ssl.CERT_NONE


def test_default_client_with_a_proxy_is_accepted_and_used() -> None:
    seen: list[httpx2.Request] = []

    def proxy(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return json_response({"id": "m", "object": "model", "created": 0, "owned_by": "o"})

    http = DefaultHttpx2Client(mounts={"http://": httpx2.MockTransport(proxy)})
    client = OpenAI(api_key="sk-x", base_url="http://api.test/v1", http_client=http)
    assert client.models.retrieve("m").id == "m"
    assert seen[0].url == "http://api.test/v1/models/m"


async def test_async_client_accepts_the_default_async_client() -> None:
    http = DefaultAsyncHttpx2Client(transport=httpx2.MockTransport(
        lambda r: json_response({"id": "m", "object": "model", "created": 0, "owned_by": "o"})))
    async with AsyncOpenAI(api_key="sk-x", base_url="http://api.test/v1", http_client=http) as client:
        assert (await client.models.retrieve("m")).id == "m"


def test_sync_client_refuses_an_async_default_client() -> None:
    with pytest.raises(TypeError, match="http_client must be an httpx2.Client"):
        OpenAI(api_key="sk-x", http_client=DefaultAsyncHttpx2Client())


def test_default_httpx_clients_are_httpx2_clients_as_in_the_official_sdk() -> None:
    # the official SDK 3.x builds its DefaultHttpxClient family on httpx2; libraries hand them httpx2
    # transports, so a plain httpx client here would break them
    assert DefaultHttpxClient is DefaultHttpx2Client
    assert DefaultAsyncHttpxClient is DefaultAsyncHttpx2Client
    client = DefaultHttpxClient(proxy="http://127.0.0.1:3128")
    assert isinstance(client, httpx2.Client)
    assert client.timeout == httpx2.Timeout(600.0, connect=5.0)
    assert client.follow_redirects is True
    assert isinstance(DefaultAsyncHttpxClient(), httpx2.AsyncClient)


def _model_answer(request: httpx2.Request) -> httpx2.Response:
    return json_response({"id": "m", "object": "model", "created": 0, "owned_by": "o"})


def test_a_subclass_of_the_default_httpx_client_serves_the_client() -> None:
    # libraries written for the official SDK subclass it at import time
    # (`class _SyncHttpxClientWrapper(openai.DefaultHttpxClient)`) and pass an httpx2 transport
    class SyncWrapper(DefaultHttpxClient):
        def __del__(self) -> None:
            self.close()

    http = SyncWrapper(base_url="http://api.test/v1", timeout=7.0, transport=httpx2.MockTransport(_model_answer))
    assert http.timeout == httpx2.Timeout(7.0)  # the caller's keyword wins over the default
    client = OpenAI(api_key="sk-x", base_url="http://api.test/v1", http_client=http)
    assert client.models.retrieve("m").id == "m"
    assert client._client is http  # pyright: ignore[reportPrivateUsage]  # libraries compare it to share clients


async def test_a_subclass_of_the_default_async_httpx_client_serves_the_async_client() -> None:
    class AsyncWrapper(DefaultAsyncHttpxClient):
        pass

    http = AsyncWrapper(base_url="http://api.test/v1", transport=httpx2.MockTransport(_model_answer))
    assert http.follow_redirects is True
    async with AsyncOpenAI(api_key="sk-x", base_url="http://api.test/v1", http_client=http) as client:
        assert (await client.models.retrieve("m")).id == "m"
        assert client._client is http  # pyright: ignore[reportPrivateUsage]


def test_default_query_reads_back_as_given_and_is_sent() -> None:
    # instructor checks `client.default_query` after building the client (official SDK property)
    client, recorder = make_client(lambda r: json_response({"id": "m", "object": "model", "created": 0,
                                                             "owned_by": "o"}), default_query={"trace": "on"})
    assert client.default_query == {"trace": "on"}
    client.default_query["trace"] = "changed"  # a copy: the client's setting is not changed through it
    client.models.retrieve("m")
    assert recorder.requests[0].url.params["trace"] == "on"
    assert OpenAI(api_key="sk-x").default_query == {}


async def test_async_default_query_reads_back_as_given() -> None:
    client, _ = make_async_client(lambda r: json_response({}), default_query={"trace": "on"})
    assert client.default_query == {"trace": "on"}


# -- data residency ---------------------------------------------------------------------------------

REGIONS = {
    "global": "https://api.openai.com/v1/",
    "us": "https://us.api.openai.com/v1/",
    "eu": "https://eu.api.openai.com/v1/",
    "ae": "https://ae.api.openai.com/v1/",
    "au": "https://au.api.openai.com/v1/",
    "in": "https://in.api.openai.com/v1/",
    "jp": "https://jp.api.openai.com/v1/",
}


@pytest.mark.parametrize("region", list(REGIONS))
def test_data_residency_steers_http_and_websocket(region: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://from-the-environment/v1")  # a named region wins over it
    for client in (OpenAI(api_key="sk-x", data_residency=region), AsyncOpenAI(api_key="sk-x", data_residency=region)):  # type: ignore[arg-type]
        assert str(client.base_url) == REGIONS[region]
        ws = websocket_url(client, "/realtime", query={"model": "gpt-realtime"}, extra_query={})
        assert ws == REGIONS[region].replace("https://", "wss://") + "realtime?model=gpt-realtime"


def test_data_residency_requests_go_to_the_region() -> None:
    client, recorder = make_client(lambda r: json_response({"object": "list", "data": []}), base_url=None,
                                   data_residency="eu")
    client.models.list()
    assert str(recorder.last.url) == "https://eu.api.openai.com/v1/models"


async def test_data_residency_async_requests_go_to_the_region() -> None:
    client, recorder = make_async_client(lambda r: json_response({"object": "list", "data": []}), base_url=None,
                                         data_residency="jp")
    await client.models.list()
    assert str(recorder.last.url) == "https://jp.api.openai.com/v1/models"


@pytest.mark.parametrize("other", [{"base_url": "http://x/v1"}, {"websocket_base_url": "ws://x/v1"}])
@pytest.mark.parametrize("cls", [OpenAI, AsyncOpenAI])
def test_data_residency_is_exclusive_with_explicit_endpoints(cls: type[OpenAI], other: dict[str, str]) -> None:
    name = next(iter(other))
    with pytest.raises(ValueError, match=f"data_residency and {name} cannot be used together"):
        cls(api_key="sk-x", data_residency="eu", **other)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["EU", "mars", "", 1])
def test_unknown_region_is_a_clear_error(bad: object) -> None:
    with pytest.raises(OpenAIError, match="data_residency must be one of 'global', 'us', 'eu', 'ae', 'au', 'in', 'jp'"):
        OpenAI(api_key="sk-x", data_residency=bad)  # type: ignore[arg-type]


def test_with_options_switches_between_region_and_explicit_endpoint() -> None:
    client = OpenAI(api_key="sk-x", data_residency="eu")
    assert str(client.with_options(data_residency="au").base_url) == REGIONS["au"]
    assert str(client.with_options(base_url="http://proxy.local/v1").base_url) == "http://proxy.local/v1/"
    explicit = OpenAI(api_key="sk-x", base_url="http://proxy.local/v1")
    assert str(explicit.with_options(data_residency="us").base_url) == REGIONS["us"]
