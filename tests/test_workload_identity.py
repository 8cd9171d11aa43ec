"""`OpenAI(workload_identity=...)`: the token exchange, the cache and its refresh buffer, the resend
on 401, concurrency, the subject-token providers, X.509, and WebSocket handshakes; against loopback
servers (`tokenserver.py`, the realtime `ScriptServer`)."""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
from pathlib import Path
from typing import Any

import httpx2
import pytest
from tokenserver import TokenServer

from pyopenai import AsyncOpenAI, AuthenticationError, OAuthError, OpenAI, OpenAIError, SubjectTokenProviderError
from pyopenai.auth import (
    _exchange,
    azure_managed_identity_token_provider,
    gcp_id_token_provider,
    k8s_service_account_token_provider,
    x509_workload_identity,
)

sys.path.insert(0, str(Path(__file__).parent / "realtime"))
wssupport: Any = importlib.import_module("wssupport")  # the realtime suite's WebSocket server

JWT = "urn:ietf:params:oauth:token-type:jwt"


@pytest.fixture
def tokens() -> Any:
    with TokenServer() as server:
        yield server


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    path = tmp_path / "token"
    path.write_text("k8s-subject-1\n")
    return path


def identity(server: TokenServer, provider: Any, **extra: Any) -> Any:
    return {"identity_provider_id": "idp_1", "service_account_id": "sa_1", "provider": provider,
            "token_exchange_url": f"{server.url}/oauth/token", **extra}


def sync_client(server: TokenServer, wi: Any, **options: Any) -> OpenAI:
    return OpenAI(workload_identity=wi, base_url=f"{server.url}/v1", max_retries=0, **options)


def async_client(server: TokenServer, wi: Any, **options: Any) -> AsyncOpenAI:
    return AsyncOpenAI(workload_identity=wi, base_url=f"{server.url}/v1", max_retries=0, **options)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(_exchange, "time", fake)
    return fake


def test_exchange_then_cached_token_on_every_request(tokens: TokenServer, token_file: Path) -> None:
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    client.models.list()
    client.models.list()
    (exchange,) = tokens.exchanges()
    assert exchange.method == "POST"
    assert exchange.json() == {
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "identity_provider_id": "idp_1",
        "service_account_id": "sa_1",
        "subject_token": "k8s-subject-1",
        "subject_token_type": JWT,
    }
    assert "authorization" not in exchange.headers  # the exchange carries no OpenAI credential
    assert [c.headers["authorization"] for c in tokens.api_calls()] == ["Bearer tok-1", "Bearer tok-1"]


async def test_async_exchange_then_cached_token(tokens: TokenServer, token_file: Path) -> None:
    client = async_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    await client.models.list()
    await client.models.list()
    assert len(tokens.exchanges()) == 1
    assert [c.headers["authorization"] for c in tokens.api_calls()] == ["Bearer tok-1", "Bearer tok-1"]


@pytest.mark.parametrize(("expires_in", "buffer", "refresh_after"), [(3600, 1200, 2400), (100, 1200, 50), (100, 0, 100)])
def test_refresh_buffer(tokens: TokenServer, token_file: Path, clock: FakeClock, expires_in: float,
                        buffer: float, refresh_after: float) -> None:
    tokens.expires_in = expires_in
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file),
                                          refresh_buffer_seconds=buffer))
    client.models.list()
    clock.now += refresh_after - 0.5
    client.models.list()
    assert len(tokens.exchanges()) == 1
    token_file.write_text("k8s-subject-2")  # the kubelet rotated the file
    clock.now += 1.0
    client.models.list()
    assert [e.json()["subject_token"] for e in tokens.exchanges()] == ["k8s-subject-1", "k8s-subject-2"]
    assert tokens.api_calls()[-1].headers["authorization"] == "Bearer tok-2"


def test_a_refused_token_is_exchanged_again_and_the_request_resent_once(tokens: TokenServer, token_file: Path) -> None:
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    client.models.list()
    tokens.valid_tokens.clear()  # revoked server-side before it expired
    assert client.models.list().data[0].id == "m"
    assert [c.headers["authorization"] for c in tokens.api_calls()] == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    assert len(tokens.exchanges()) == 2


async def test_async_refused_token_is_exchanged_again(tokens: TokenServer, token_file: Path) -> None:
    client = async_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    await client.models.list()
    tokens.valid_tokens.clear()
    await client.models.list()
    assert [c.headers["authorization"] for c in tokens.api_calls()] == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_a_second_401_is_raised_not_looped(tokens: TokenServer, token_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    monkeypatch.setattr(tokens, "valid_tokens", set())
    tokens.valid_tokens = set()
    original = tokens.answer

    def never_valid(seen: Any) -> Any:
        answer = original(seen)
        tokens.valid_tokens.clear()  # every token is refused by the API
        return answer

    monkeypatch.setattr(tokens, "answer", never_valid)
    with pytest.raises(AuthenticationError):
        client.models.list()
    assert len(tokens.api_calls()) == 2 and len(tokens.exchanges()) == 2


def test_concurrent_threads_share_one_exchange(tokens: TokenServer, token_file: Path) -> None:
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    tokens.release_exchange.clear()  # hold the first exchange until every thread has asked
    errors: list[BaseException] = []

    def call() -> None:
        try:
            client.models.list()
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=call) for _ in range(16)]
    for thread in threads:
        thread.start()
    assert tokens.wait_for_exchanges(1)
    tokens.release_exchange.set()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert len(tokens.exchanges()) == 1
    assert len(tokens.api_calls()) == 16


async def test_concurrent_tasks_share_one_exchange(tokens: TokenServer, token_file: Path) -> None:
    client = async_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    await asyncio.gather(*(client.models.list() for _ in range(16)))
    assert len(tokens.exchanges()) == 1
    assert len(tokens.api_calls()) == 16


def test_a_failed_refresh_keeps_a_still_valid_token(tokens: TokenServer, token_file: Path, clock: FakeClock) -> None:
    tokens.expires_in = 100
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file),
                                          refresh_buffer_seconds=30))
    client.models.list()
    clock.now += 80  # inside the buffer: a refresh is due, the token is still valid
    tokens.exchange_answers.append((503, {"error": "temporarily_unavailable"}))
    client.models.list()
    assert tokens.api_calls()[-1].headers["authorization"] == "Bearer tok-1"
    client.models.list()  # tried again on the next call
    assert tokens.api_calls()[-1].headers["authorization"] == "Bearer tok-2"


def test_refused_exchange_is_an_oauth_error(tokens: TokenServer, token_file: Path) -> None:
    tokens.exchange_answers.append((400, {"error": "invalid_grant", "error_description": "subject token expired"}))
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    with pytest.raises(OAuthError, match="subject token expired") as caught:
        client.models.list()
    assert caught.value.error == "invalid_grant" and caught.value.status_code == 400
    assert isinstance(caught.value, AuthenticationError)
    assert tokens.api_calls() == []


async def test_async_refused_exchange_is_an_oauth_error(tokens: TokenServer, token_file: Path) -> None:
    tokens.exchange_answers.append((401, {"error": "invalid_client"}))
    client = async_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    with pytest.raises(OAuthError) as caught:
        await client.models.list()
    assert caught.value.error == "invalid_client"


@pytest.mark.parametrize("answer", [(200, {"expires_in": 10}), (200, {"access_token": "t"}), (200, [1])])
def test_malformed_exchange_answers_are_clear_errors(tokens: TokenServer, token_file: Path,
                                                     answer: tuple[int, object]) -> None:
    tokens.exchange_answers.append(answer)
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    with pytest.raises(OpenAIError, match="token exchange answered without"):
        client.models.list()


def test_missing_token_file_is_a_provider_error(tokens: TokenServer, tmp_path: Path) -> None:
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(tmp_path / "absent")))
    with pytest.raises(SubjectTokenProviderError, match="service-account token file"):
        client.models.list()


async def test_custom_provider_runs_off_the_event_loop(tokens: TokenServer) -> None:
    threads: list[str] = []

    def get_token() -> str:
        threads.append(threading.current_thread().name)
        return "custom-subject"

    client = async_client(tokens, identity(tokens, {"token_type": "id", "get_token": get_token}))
    await client.models.list()
    assert threads and threads[0] != threading.main_thread().name
    assert tokens.exchanges()[0].json()["subject_token_type"] == "urn:ietf:params:oauth:token-type:id_token"
    assert tokens.exchanges()[0].json()["subject_token"] == "custom-subject"


def test_azure_managed_identity_provider(tokens: TokenServer) -> None:
    metadata = httpx2.Client(proxy=tokens.url)  # the IMDS address, served by the loopback server
    provider = azure_managed_identity_token_provider("api://openai", client_id="cid-1", http_client=metadata)
    assert provider["get_token"]() == "azure-subject"
    (seen,) = tokens.seen
    assert seen.target.startswith("http://169.254.169.254/metadata/identity/oauth2/token?")
    assert seen.query == {"api-version": ["2018-02-01"], "resource": ["api://openai"], "client_id": ["cid-1"]}
    assert seen.headers["metadata"] == "true"
    assert provider["token_type"] == "jwt"


def test_gcp_id_token_provider(tokens: TokenServer) -> None:
    provider = gcp_id_token_provider(http_client=httpx2.Client(proxy=tokens.url))
    assert provider["get_token"]() == "gcp-subject"
    (seen,) = tokens.seen
    assert seen.target.startswith("http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/")
    assert seen.query == {"audience": ["https://api.openai.com/v1"]}
    assert seen.headers["metadata-flavor"] == "Google"
    assert provider["token_type"] == "id"


def test_metadata_server_error_is_a_provider_error(tokens: TokenServer) -> None:
    provider = gcp_id_token_provider(audience="x", http_client=httpx2.Client(
        transport=httpx2.MockTransport(lambda r: httpx2.Response(404))))
    with pytest.raises(SubjectTokenProviderError, match="HTTP 404") as caught:
        provider["get_token"]()
    assert caught.value.response is not None and caught.value.response.status_code == 404


@pytest.mark.parametrize("cls", [OpenAI, AsyncOpenAI])
def test_configuration_errors(cls: type[OpenAI], tokens: TokenServer) -> None:
    good = identity(tokens, {"token_type": "jwt", "get_token": lambda: "s"})
    with pytest.raises(OpenAIError, match="api_key and workload_identity cannot be used together"):
        cls(api_key="sk-x", workload_identity=good)
    with pytest.raises(OpenAIError, match="service_account_id"):
        cls(workload_identity={**good, "service_account_id": ""})  # type: ignore[arg-type]
    with pytest.raises(OpenAIError, match="token_type"):
        cls(workload_identity={**good, "provider": {"token_type": "saml", "get_token": lambda: "s"}})  # type: ignore[arg-type]
    with pytest.raises(OpenAIError, match="refresh_buffer_seconds"):
        cls(workload_identity={**good, "refresh_buffer_seconds": -1})  # type: ignore[arg-type]


def test_environment_key_is_not_used_with_workload_identity(tokens: TokenServer, token_file: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    client = sync_client(tokens, identity(tokens, k8s_service_account_token_provider(token_file)))
    client.models.list()
    assert tokens.api_calls()[0].headers["authorization"] == "Bearer tok-1"


def test_x509_identity_endpoints() -> None:
    wi = x509_workload_identity("idp_x", "sa_x")
    assert wi == {"type": "x509", "identity_provider_id": "idp_x", "service_account_id": "sa_x"}
    assert str(OpenAI(workload_identity=wi).base_url) == "https://mtls.api.openai.com/v1/"
    assert str(OpenAI(workload_identity=wi, data_residency="eu").base_url) == "https://mtls-eu.api.openai.com/v1/"
    with pytest.raises(OpenAIError, match="X.509 workload identity is served in the regions"):
        OpenAI(workload_identity=wi, data_residency="jp")
    with pytest.raises(OpenAIError, match="client certificate: drop 'provider'"):
        OpenAI(workload_identity={**wi, "provider": {"token_type": "jwt", "get_token": lambda: "s"}})  # type: ignore[typeddict-item]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_x509_exchange_goes_through_the_clients_http_client(tokens: TokenServer, mode: str) -> None:
    """The certificate lives on the HTTP client (`cert=`): the exchange must use that client, with no subject token."""
    wi = {**x509_workload_identity("idp_x", "sa_x"), "token_exchange_url": f"{tokens.url}/oauth/token"}
    used: list[str] = []
    if mode == "sync":
        http = httpx2.Client(event_hooks={"request": [lambda r: used.append(r.url.path)]})
        OpenAI(workload_identity=wi, base_url=f"{tokens.url}/v1", http_client=http).models.list()  # type: ignore[arg-type]
    else:
        async def hook(request: httpx2.Request) -> None:
            used.append(request.url.path)

        async def run() -> None:
            http = httpx2.AsyncClient(event_hooks={"request": [hook]})
            await AsyncOpenAI(workload_identity=wi, base_url=f"{tokens.url}/v1", http_client=http).models.list()  # type: ignore[arg-type]

        asyncio.run(run())
    assert used == ["/oauth/token", "/v1/models"]
    payload = tokens.exchanges()[0].json()
    assert payload["subject_token_type"] == "urn:openai:params:oauth:token-type:x509"
    assert "subject_token" not in payload
    assert tokens.api_calls()[0].headers["authorization"] == "Bearer tok-1"


# -- WebSocket handshakes ------------------------------------------------------------------------------



@pytest.fixture
def realtime_refusing_first() -> Any:
    pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")
    body = {"error": {"message": "expired", "type": "invalid_request_error"}}
    with wssupport.ScriptServer(reject=(401, body), reject_if=lambda i: i == 0) as server:
        yield server


def test_realtime_handshake_carries_the_workload_token(tokens: TokenServer, token_file: Path,
                                                       realtime_refusing_first: Any) -> None:
    ws = realtime_refusing_first
    client = OpenAI(workload_identity=identity(tokens, k8s_service_account_token_provider(token_file)),
                    base_url=ws.url)
    with client.realtime.connect(model="gpt-realtime") as connection:
        assert connection.recv().type == "session.created"
    # the first handshake was refused: the token was exchanged again and the handshake repeated once
    assert [h.headers["authorization"] for h in ws.handshakes] == ["Bearer tok-1", "Bearer tok-2"]
    assert len(tokens.exchanges()) == 2


async def test_async_responses_websocket_carries_the_workload_token(tokens: TokenServer, token_file: Path) -> None:
    pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")
    with wssupport.ScriptServer() as ws:
        client = AsyncOpenAI(workload_identity=identity(tokens, k8s_service_account_token_provider(token_file)),
                             base_url=ws.url)
        async with client.responses.connect():
            pass
    assert ws.handshakes[0].path.endswith("/responses")
    assert ws.handshakes[0].headers["authorization"] == "Bearer tok-1"
