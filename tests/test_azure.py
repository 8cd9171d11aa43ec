"""AzureOpenAI / AsyncAzureOpenAI on the wire: URLs, deployment routing, api-version, credentials."""

from __future__ import annotations

import io
import threading
from typing import Any

import httpx2
import pytest
from helpers import AZURE_ENVIRONMENT, Recorder, json_response

import pyopenai
from pyopenai import AsyncAzureOpenAI, AuthenticationError, AzureOpenAI, BadRequestError, OpenAI, OpenAIError
from pyopenai.lib.azure import API_KEY_SENTINEL, MutuallyExclusiveAuthError

ENDPOINT = "https://my-resource.openai.azure.com"
VERSION = "2024-10-21"
CHAT = {"id": "c_1", "object": "chat.completion", "created": 1, "model": "m", "choices": []}
LIST = {"object": "list", "data": [], "has_more": False}
EMBEDDINGS = {
    "object": "list", "model": "m", "usage": {"prompt_tokens": 1, "total_tokens": 1},
    "data": [{"object": "embedding", "index": 0, "embedding": [0.5]}],
}

DEPLOYMENT_PATHS = [
    "/completions",
    "/chat/completions",
    "/embeddings",
    "/audio/transcriptions",
    "/audio/translations",
    "/audio/speech",
    "/images/generations",
    "/images/edits",
]
OTHER_PATHS = [
    "/files",
    "/models",
    "/batches",
    "/responses",
    "/assistants",
    "/fine_tuning/jobs",
    "/chat/completions/c_1",
    "/completions/extra",
    "/vector_stores",
]


@pytest.fixture(autouse=True)
def _no_azure_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AZURE_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def answer(request: httpx2.Request) -> httpx2.Response:
    if request.url.path.endswith("/embeddings"):
        return json_response(EMBEDDINGS)
    return json_response(LIST if request.method == "GET" else CHAT)


def make_azure(handler: Any = answer, **options: Any) -> tuple[AzureOpenAI, Recorder]:
    recorder = Recorder(handler)
    options.setdefault("api_version", VERSION)
    if "base_url" not in options:
        options.setdefault("azure_endpoint", ENDPOINT)
    if not any(k in options for k in ("api_key", "azure_ad_token", "azure_ad_token_provider")):
        options["api_key"] = "azure-key"
    http = httpx2.Client(transport=httpx2.MockTransport(recorder), follow_redirects=True)
    return AzureOpenAI(http_client=http, **options), recorder


def make_async_azure(handler: Any = answer, **options: Any) -> tuple[AsyncAzureOpenAI, Recorder]:
    recorder = Recorder(handler)
    options.setdefault("api_version", VERSION)
    if "base_url" not in options:
        options.setdefault("azure_endpoint", ENDPOINT)
    if not any(k in options for k in ("api_key", "azure_ad_token", "azure_ad_token_provider")):
        options["api_key"] = "azure-key"
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(recorder), follow_redirects=True)
    return AsyncAzureOpenAI(http_client=http, **options), recorder


def path_of(request: httpx2.Request) -> str:
    return request.url.path


# -- URLs and routing ------------------------------------------------------------------------------


def test_exported_and_an_openai_client() -> None:
    assert pyopenai.AzureOpenAI is AzureOpenAI and pyopenai.AsyncAzureOpenAI is AsyncAzureOpenAI
    client, _ = make_azure()
    assert isinstance(client, OpenAI)


def test_base_url_without_deployment() -> None:
    client, rec = make_azure(azure_endpoint=ENDPOINT + "/")
    assert str(client.base_url) == f"{ENDPOINT}/openai/"
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert str(rec.last.url) == f"{ENDPOINT}/openai/deployments/gpt-4o/chat/completions?api-version={VERSION}"
    assert rec.json()["model"] == "gpt-4o"


@pytest.mark.parametrize("path", DEPLOYMENT_PATHS)
def test_deployment_endpoints_route_by_model(path: str) -> None:
    client, rec = make_azure()
    client.post(path, body={"model": "my-deploy", "input": "x"}, cast_to=object)
    assert path_of(rec.last) == f"/openai/deployments/my-deploy{path}"


@pytest.mark.parametrize("path", OTHER_PATHS)
def test_other_endpoints_are_not_rewritten(path: str) -> None:
    client, rec = make_azure()
    client.post(path, body={"model": "my-deploy"}, cast_to=object)
    client.get(path, cast_to=object)
    assert [path_of(r) for r in rec.requests] == [f"/openai{path}", f"/openai{path}"]


def test_multipart_endpoints_route_by_form_model() -> None:
    client, rec = make_azure(lambda r: json_response({"text": "hello"}))
    client.audio.transcriptions.create(file=("a.wav", io.BytesIO(b"RIFF")), model="whisper-dep")
    assert path_of(rec.last) == "/openai/deployments/whisper-dep/audio/transcriptions"
    assert rec.last.headers["content-type"].startswith("multipart/form-data")
    assert rec.last.url.params["api-version"] == VERSION

    client.images.edit(image=("i.png", io.BytesIO(b"png")), prompt="p", model="image-dep")
    assert path_of(rec.last) == "/openai/deployments/image-dep/images/edits"


def test_model_in_extra_body_routes() -> None:
    client, rec = make_azure()
    client.chat.completions.create(model="a", messages=[], extra_body={"model": "b"})
    assert path_of(rec.last) == "/openai/deployments/b/chat/completions"


def test_no_model_no_rewrite() -> None:
    client, rec = make_azure()
    client.post("/embeddings", body={"input": "x"}, cast_to=object)
    assert path_of(rec.last) == "/openai/embeddings"


def test_deployment_name_is_escaped() -> None:
    client, rec = make_azure()
    client.post("/embeddings", body={"model": "a/b c"}, cast_to=object)
    assert rec.last.url.raw_path.startswith(b"/openai/deployments/a%2Fb%20c/embeddings")


def test_configured_deployment() -> None:
    client, rec = make_azure(azure_deployment="dep-1")
    assert str(client.base_url) == f"{ENDPOINT}/openai/deployments/dep-1/"
    client.chat.completions.create(model="ignored", messages=[])
    client.post("/audio/speech", body={"model": "other"}, cast_to=object)
    client.files.list()
    client.models.list()
    client.post("/responses", body={"model": "x"}, cast_to=object)
    assert [path_of(r) for r in rec.requests] == [
        "/openai/deployments/dep-1/chat/completions",
        "/openai/deployments/dep-1/audio/speech",
        "/openai/files",  # not a per-deployment endpoint: the API root
        "/openai/models",
        "/openai/responses",
    ]
    assert all(r.url.params["api-version"] == VERSION for r in rec.requests)


def test_custom_base_url() -> None:
    client, rec = make_azure(base_url="https://proxy.example/azure/openai")
    client.chat.completions.create(model="gpt", messages=[])
    client.files.list()
    assert [str(r.url) for r in rec.requests] == [
        f"https://proxy.example/azure/openai/deployments/gpt/chat/completions?api-version={VERSION}",
        f"https://proxy.example/azure/openai/files?api-version={VERSION}",
    ]


def test_custom_base_url_naming_a_deployment_is_not_rewritten() -> None:
    client, rec = make_azure(base_url="https://proxy.example/openai/deployments/fixed")
    client.chat.completions.create(model="gpt", messages=[])
    assert path_of(rec.last) == "/openai/deployments/fixed/chat/completions"


def test_custom_base_url_is_the_whole_location() -> None:
    # as with the official SDK, `azure_deployment` does not add to a `base_url`: the request's model routes
    client, rec = make_azure(base_url="https://proxy.example/openai", azure_deployment="dep")
    client.embeddings.create(model="emb", input="x")
    client.files.list()
    assert [path_of(r) for r in rec.requests] == ["/openai/deployments/emb/embeddings", "/openai/files"]


def test_api_version_on_every_request() -> None:
    pages = iter([
        {"object": "list", "data": [{"id": "f1", "object": "file"}], "has_more": True, "last_id": "f1"},
        {"object": "list", "data": [{"id": "f2", "object": "file"}], "has_more": False},
    ])

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/files"):
            return json_response(next(pages))
        return answer(request)

    client, rec = make_azure(handler, default_query={"tenant": "t1"})
    assert [f.id for f in client.files.list()] == ["f1", "f2"]  # two pages
    client.chat.completions.create(model="m", messages=[], extra_query={"trace": "1"})
    client.get("/models", cast_to=object)
    client.with_options(max_retries=0).models.list()
    assert len(rec.requests) == 5
    for request in rec.requests:
        assert request.url.params["api-version"] == VERSION
        assert request.url.params["tenant"] == "t1"
    assert rec.requests[1].url.params["after"] == "f1"
    assert rec.requests[2].url.params["trace"] == "1"


def test_api_version_per_request_override() -> None:
    client, rec = make_azure()
    client.models.list(extra_query={"api-version": "preview"})
    assert rec.last.url.params.get_list("api-version") == ["preview"]


def test_organization_project_and_default_headers() -> None:
    client, rec = make_azure(organization="org-1", project="proj-1", default_headers={"x-custom": "1"})
    client.models.list()
    assert rec.last.headers["openai-organization"] == "org-1"
    assert rec.last.headers["openai-project"] == "proj-1"
    assert rec.last.headers["x-custom"] == "1"


# -- credentials -----------------------------------------------------------------------------------


def test_api_key_goes_in_the_api_key_header() -> None:
    client, rec = make_azure(api_key="azure-key")
    client.models.list()
    assert rec.last.headers["api-key"] == "azure-key"
    assert "authorization" not in rec.last.headers


def test_api_key_callable_called_per_request() -> None:
    keys = iter(["k1", "k2"])
    client, rec = make_azure(api_key=lambda: next(keys))
    client.models.list()
    client.models.list()
    assert [r.headers["api-key"] for r in rec.requests] == ["k1", "k2"]


def test_ad_token_is_a_bearer_token() -> None:
    client, rec = make_azure(azure_ad_token="ad-token")
    client.models.list()
    assert rec.last.headers["authorization"] == "Bearer ad-token"
    assert "api-key" not in rec.last.headers


def test_token_provider_called_per_request() -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return f"token-{len(calls)}"

    client, rec = make_azure(azure_ad_token_provider=provider)
    client.models.list()
    client.chat.completions.create(model="m", messages=[])
    assert [r.headers["authorization"] for r in rec.requests] == ["Bearer token-1", "Bearer token-2"]
    assert all("api-key" not in r.headers for r in rec.requests)


def test_the_official_sdks_no_key_sentinel_means_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # libraries hand the official SDK's placeholder back as api_key= next to an Entra ID credential
    for name in ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert API_KEY_SENTINEL == "<missing API key>"
    client, rec = make_azure(api_key=API_KEY_SENTINEL, azure_ad_token_provider=lambda: "tok")
    client.models.list()
    assert rec.last.headers["authorization"] == "Bearer tok" and "api-key" not in rec.last.headers
    with pytest.raises(OpenAIError, match="Missing credentials"):  # alone it is no credential at all
        AzureOpenAI(api_key=API_KEY_SENTINEL, api_version=VERSION, azure_endpoint=ENDPOINT)


async def test_async_the_official_sdks_no_key_sentinel_means_no_key() -> None:
    client, rec = make_async_azure(api_key=API_KEY_SENTINEL, azure_ad_token="entra-token")
    await client.models.list()
    assert rec.last.headers["authorization"] == "Bearer entra-token" and "api-key" not in rec.last.headers


def test_token_provider_must_return_a_string() -> None:
    client, _ = make_azure(azure_ad_token_provider=lambda: "")
    with pytest.raises(OpenAIError, match="non-empty str"):
        client.models.list()


def test_token_provider_refreshed_once_on_401() -> None:
    tokens = iter(["expired", "fresh", "unused"])

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.headers["authorization"] == "Bearer fresh":
            return answer(request)
        return json_response({"error": {"message": "token expired"}}, status=401)

    client, rec = make_azure(handler, azure_ad_token_provider=lambda: next(tokens), max_retries=0)
    client.models.list()
    assert [r.headers["authorization"] for r in rec.requests] == ["Bearer expired", "Bearer fresh"]


def test_static_ad_token_is_not_resent_on_401() -> None:
    client, rec = make_azure(lambda r: json_response({"error": {"message": "no"}}, status=401), azure_ad_token="t")
    with pytest.raises(AuthenticationError):
        client.models.list()
    assert len(rec.requests) == 1


def test_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://env-resource.openai.azure.com")
    monkeypatch.setenv("OPENAI_API_VERSION", "2025-01-01-preview")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-key")
    recorder = Recorder(answer)
    client = AzureOpenAI(http_client=httpx2.Client(transport=httpx2.MockTransport(recorder)))
    client.models.list()
    assert str(recorder.last.url) == "https://env-resource.openai.azure.com/openai/models?api-version=2025-01-01-preview"
    assert recorder.last.headers["api-key"] == "env-key"
    assert client.api_version == "2025-01-01-preview"

    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", "env-token")  # both set: the AD token wins
    client = AzureOpenAI(http_client=httpx2.Client(transport=httpx2.MockTransport(recorder)))
    client.models.list()
    assert recorder.last.headers["authorization"] == "Bearer env-token" and "api-key" not in recorder.last.headers

    client = AzureOpenAI(api_key="explicit", http_client=httpx2.Client(transport=httpx2.MockTransport(recorder)))
    client.models.list()  # an explicit credential beats the environment
    assert recorder.last.headers["api-key"] == "explicit" and "authorization" not in recorder.last.headers


def test_openai_api_key_is_not_an_azure_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    with pytest.raises(OpenAIError, match="AZURE_OPENAI_API_KEY"):
        AzureOpenAI(api_version=VERSION, azure_endpoint=ENDPOINT)


# -- configuration errors --------------------------------------------------------------------------


def test_missing_api_version() -> None:
    with pytest.raises(OpenAIError, match="OPENAI_API_VERSION") as info:
        AzureOpenAI(azure_endpoint=ENDPOINT, api_key="k")
    assert "api_version=" in str(info.value)


def test_missing_endpoint() -> None:
    with pytest.raises(OpenAIError, match="AZURE_OPENAI_ENDPOINT") as info:
        AzureOpenAI(api_version=VERSION, api_key="k")
    assert "azure_endpoint=" in str(info.value) and "base_url=" in str(info.value)


def test_missing_credentials() -> None:
    with pytest.raises(OpenAIError) as info:
        AzureOpenAI(api_version=VERSION, azure_endpoint=ENDPOINT)
    message = str(info.value)
    for name in ("api_key=", "azure_ad_token=", "azure_ad_token_provider=", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN"):
        assert name in message


@pytest.mark.parametrize(
    "credentials",
    [
        {"api_key": "k", "azure_ad_token": "t"},
        {"api_key": "k", "azure_ad_token_provider": lambda: "t"},
        {"azure_ad_token": "t", "azure_ad_token_provider": lambda: "t"},
    ],
)
def test_credentials_are_mutually_exclusive(credentials: dict[str, Any]) -> None:
    # raised as the official SDK's class (openai.lib.azure.MutuallyExclusiveAuthError), which code catches by name
    for client_class in (AzureOpenAI, AsyncAzureOpenAI):
        with pytest.raises(MutuallyExclusiveAuthError, match="mutually exclusive"):
            client_class(api_version=VERSION, azure_endpoint=ENDPOINT, **credentials)


def test_base_url_and_endpoint_are_mutually_exclusive() -> None:
    with pytest.raises(OpenAIError, match="mutually exclusive"):
        AzureOpenAI(api_version=VERSION, azure_endpoint=ENDPOINT, base_url="https://x/openai", api_key="k")


async def test_async_errors_match() -> None:
    with pytest.raises(OpenAIError, match="OPENAI_API_VERSION"):
        AsyncAzureOpenAI(azure_endpoint=ENDPOINT, api_key="k")
    with pytest.raises(OpenAIError, match="AZURE_OPENAI_ENDPOINT"):
        AsyncAzureOpenAI(api_version=VERSION, api_key="k")
    with pytest.raises(OpenAIError, match="AZURE_OPENAI_AD_TOKEN"):
        AsyncAzureOpenAI(api_version=VERSION, azure_endpoint=ENDPOINT)


# -- with_options / copy -----------------------------------------------------------------------------


def test_with_options_keeps_the_azure_configuration() -> None:
    client, rec = make_azure(azure_deployment="dep", organization="org-1")
    copy = client.with_options(max_retries=5, timeout=3.0)
    assert isinstance(copy, AzureOpenAI) and copy.max_retries == 5
    copy.chat.completions.create(model="m", messages=[])
    copy.files.list()
    assert [str(r.url) for r in rec.requests] == [
        f"{ENDPOINT}/openai/deployments/dep/chat/completions?api-version={VERSION}",
        f"{ENDPOINT}/openai/files?api-version={VERSION}",
    ]
    assert all(r.headers["api-key"] == "azure-key" and r.headers["openai-organization"] == "org-1" for r in rec.requests)
    assert copy._http is client._http  # one connection pool


def test_with_options_changes_version_and_deployment() -> None:
    client, rec = make_azure()
    client.with_options(api_version="2025-04-01-preview", azure_deployment="d2").embeddings.create(model="x", input="y")
    assert str(rec.last.url) == f"{ENDPOINT}/openai/deployments/d2/embeddings?api-version=2025-04-01-preview"
    client.copy(azure_endpoint="https://other.openai.azure.com").models.list()
    assert str(rec.last.url) == f"https://other.openai.azure.com/openai/models?api-version={VERSION}"


def test_with_options_switches_credentials() -> None:
    client, rec = make_azure(api_key="k")
    client.with_options(azure_ad_token="t").models.list()
    assert rec.last.headers["authorization"] == "Bearer t" and "api-key" not in rec.last.headers
    tokened, _ = make_azure(azure_ad_token="t")
    tokened.with_options(api_key="k2", http_client=client._http).models.list()
    assert rec.last.headers["api-key"] == "k2" and "authorization" not in rec.last.headers


def test_with_options_switches_between_endpoint_and_base_url() -> None:
    client, rec = make_azure()
    client.with_options(base_url="https://proxy.example/openai").models.list()
    assert str(rec.last.url) == f"https://proxy.example/openai/models?api-version={VERSION}"


# -- redirects ---------------------------------------------------------------------------------------


def _redirecting(target: str) -> Any:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path == "/openai/models":
            return httpx2.Response(307, headers={"location": target})
        return json_response(LIST)

    return handler


def test_api_key_dropped_on_cross_origin_redirect() -> None:
    client, rec = make_azure(_redirecting("https://elsewhere.example/models"))
    client.models.list()
    assert [r.url.host for r in rec.requests] == ["my-resource.openai.azure.com", "elsewhere.example"]
    assert rec.requests[0].headers["api-key"] == "azure-key"
    assert "api-key" not in rec.requests[1].headers


def test_api_key_kept_on_same_origin_redirect() -> None:
    client, rec = make_azure(_redirecting(f"{ENDPOINT}/openai/models-v2"))
    client.models.list()
    assert [r.headers.get("api-key") for r in rec.requests] == ["azure-key", "azure-key"]


async def test_async_api_key_dropped_on_cross_origin_redirect() -> None:
    client, rec = make_async_azure(_redirecting("https://elsewhere.example/models"))
    await client.models.list()
    assert rec.requests[0].headers["api-key"] == "azure-key"
    assert "api-key" not in rec.requests[1].headers


def _handshake_moved(request: httpx2.Request) -> httpx2.Response:
    if request.url.host == "elsewhere.example":
        return json_response({"error": {"message": "not here"}}, status=400)
    return httpx2.Response(302, headers={"location": "https://elsewhere.example/realtime"})


def test_api_key_dropped_when_a_websocket_handshake_is_redirected_elsewhere() -> None:
    # the handshake is built by the WebSocket transport, not by the client: the same rule holds
    client, rec = make_azure(_handshake_moved)
    with pytest.raises(BadRequestError):
        client.realtime.connect(model="m").enter()
    assert [r.url.host for r in rec.requests] == ["my-resource.openai.azure.com", "elsewhere.example"]
    assert rec.requests[0].headers["api-key"] == "azure-key" and "api-key" not in rec.requests[1].headers


async def test_async_api_key_dropped_when_a_websocket_handshake_is_redirected_elsewhere() -> None:
    client, rec = make_async_azure(_handshake_moved)
    with pytest.raises(BadRequestError):
        await client.realtime.connect(model="m").enter()
    assert rec.requests[0].headers["api-key"] == "azure-key" and "api-key" not in rec.requests[1].headers


def test_redirect_hook_installed_once_on_a_shared_client() -> None:
    client, _ = make_azure()
    client.with_options(max_retries=1).with_options(max_retries=2)
    assert len(client._http.event_hooks["request"]) == 1


# -- async -------------------------------------------------------------------------------------------


async def test_async_routing_and_api_key() -> None:
    client, rec = make_async_azure()
    await client.chat.completions.create(model="gpt", messages=[])
    await client.files.list()
    assert [str(r.url) for r in rec.requests] == [
        f"{ENDPOINT}/openai/deployments/gpt/chat/completions?api-version={VERSION}",
        f"{ENDPOINT}/openai/files?api-version={VERSION}",
    ]
    assert all(r.headers["api-key"] == "azure-key" for r in rec.requests)


async def test_async_token_provider_may_be_async() -> None:
    calls: list[int] = []

    async def provider() -> str:
        calls.append(1)
        return f"async-token-{len(calls)}"

    client, rec = make_async_azure(azure_ad_token_provider=provider)
    await client.models.list()
    await client.models.list()
    assert [r.headers["authorization"] for r in rec.requests] == ["Bearer async-token-1", "Bearer async-token-2"]


async def test_async_client_runs_a_sync_token_provider_in_a_thread() -> None:
    threads: list[int] = []

    def provider() -> str:
        threads.append(threading.get_ident())
        return "sync-token"

    client, rec = make_async_azure(azure_ad_token_provider=provider)
    await client.models.list()
    await client.models.list()
    assert [r.headers["authorization"] for r in rec.requests] == ["Bearer sync-token"] * 2
    assert len(threads) == 2 and threading.get_ident() not in threads


async def test_async_callable_object_provider() -> None:
    class Provider:
        async def __call__(self) -> str:
            return "object-token"

    client, rec = make_async_azure(azure_ad_token_provider=Provider())
    await client.models.list()
    assert rec.last.headers["authorization"] == "Bearer object-token"


async def test_async_token_provider_refreshed_once_on_401() -> None:
    tokens = iter(["expired", "fresh"])

    async def provider() -> str:
        return next(tokens)

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.headers["authorization"] == "Bearer fresh":
            return answer(request)
        return json_response({"error": {"message": "expired"}}, status=401)

    client, rec = make_async_azure(handler, azure_ad_token_provider=provider)
    await client.models.list()
    assert [r.headers["authorization"] for r in rec.requests] == ["Bearer expired", "Bearer fresh"]


async def test_async_with_options() -> None:
    client, rec = make_async_azure(azure_deployment="dep")
    copy = client.with_options(api_version="v2")
    assert isinstance(copy, AsyncAzureOpenAI)
    await copy.embeddings.create(model="x", input="y")
    assert str(rec.last.url) == f"{ENDPOINT}/openai/deployments/dep/embeddings?api-version=v2"


# -- realtime ------------------------------------------------------------------------------------------


def test_realtime_url() -> None:
    client, _ = make_azure()
    assert client._realtime_url("gpt-rt") == (
        f"wss://my-resource.openai.azure.com/openai/realtime?api-version={VERSION}&deployment=gpt-rt"
    )
    deployed, _ = make_azure(azure_deployment="rt-dep")
    assert deployed._realtime_url("ignored") == (
        f"wss://my-resource.openai.azure.com/openai/realtime?api-version={VERSION}&deployment=rt-dep"
    )
    local, _ = make_azure(base_url="http://127.0.0.1:8080/openai")
    assert local._realtime_url("m", extra_query={"x": "1"}) == (
        f"ws://127.0.0.1:8080/openai/realtime?x=1&api-version={VERSION}&deployment=m"
    )
    custom, _ = make_azure(websocket_base_url="wss://ws.example/openai/")
    assert custom._realtime_url("m").startswith("wss://ws.example/openai/realtime?api-version=")


def test_realtime_auth_headers() -> None:
    keyed, _ = make_azure(api_key="k")
    assert keyed._realtime_auth_headers() == {"api-key": "k"}
    tokens = iter(["t1", "t2"])
    provided, _ = make_azure(azure_ad_token_provider=lambda: next(tokens))
    assert provided._realtime_auth_headers() == {"authorization": "Bearer t1"}
    assert provided._realtime_auth_headers() == {"authorization": "Bearer t2"}


async def test_async_realtime_auth_headers() -> None:
    async def provider() -> str:
        return "at"

    client, _ = make_async_azure(azure_ad_token_provider=provider)
    assert await client._realtime_auth_headers() == {"authorization": "Bearer at"}
    assert client._realtime_url("m").endswith("deployment=m")
