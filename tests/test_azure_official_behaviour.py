"""Azure clients where code written for the official SDK relies on its exact behaviour: what a token
provider may return, deployment names that are dot-segments, copies made after the environment
changed, the official private helpers (`_configure_realtime`, `_prepare_url`, `_send_request`, ...),
`_enforce_credentials=False`. Each case runs on the sync and the async client."""

from __future__ import annotations

import inspect
import traceback
from typing import Any, NamedTuple

import httpx2
import pytest
from helpers import AZURE_ENVIRONMENT, Recorder, json_response

from pyopenai import AsyncAzureOpenAI, AzureOpenAI, OpenAIError
from pyopenai.auth import x509_workload_identity
from pyopenai.lib.azure import AzureCredentialError, _deployments_endpoints

ENDPOINT = "https://my-resource.openai.azure.com"
VERSION = "2024-10-21"
SECRET = "secret-token-value"
LIST = {"object": "list", "data": [], "has_more": False}
CHAT = {"id": "c_1", "object": "chat.completion", "created": 1, "model": "m", "choices": []}


@pytest.fixture(autouse=True)
def _no_azure_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AZURE_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def make(asynchronous: bool, **options: Any) -> tuple[Any, Recorder]:
    recorder = Recorder(lambda request: json_response(LIST if request.method == "GET" else CHAT))
    options.setdefault("api_version", VERSION)
    if "base_url" not in options:
        options.setdefault("azure_endpoint", ENDPOINT)
    transport = httpx2.MockTransport(recorder)
    if asynchronous:
        return AsyncAzureOpenAI(http_client=httpx2.AsyncClient(transport=transport), max_retries=0, **options), recorder
    return AzureOpenAI(http_client=httpx2.Client(transport=transport), max_retries=0, **options), recorder


async def done(value: Any) -> Any:
    """The value of a sync call, or of an async one once awaited."""
    return await value if inspect.isawaitable(value) else value


SYNC_AND_ASYNC = pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])


class AccessToken(NamedTuple):  # what azure-identity's `get_token()` returns
    token: str
    expires_on: int


class LoudStr(str):
    """A str subclass whose overrides must not be what reaches the wire."""

    def __format__(self, format_spec: str) -> str:
        return "altered"

    def __str__(self) -> str:
        raise AssertionError("str() called on the token")


# -- token providers -----------------------------------------------------------------------------------


@SYNC_AND_ASYNC
@pytest.mark.parametrize(
    ("returned", "described"),
    [
        (None, "None"),
        ("", "an empty string"),
        ({"access_token": SECRET}, "`dict`"),
        (AccessToken(SECRET, 0), "`AccessToken` (an access-token object: return its `.token`)"),
    ],
)
async def test_a_token_provider_must_return_a_non_empty_string(asynchronous: bool, returned: Any, described: str) -> None:
    client, rec = make(asynchronous, azure_ad_token_provider=lambda: returned)
    with pytest.raises(AzureCredentialError) as caught:
        await done(client.models.list())
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, OpenAIError)
    assert "`azure_ad_token_provider` must return a non-empty string" in str(error) and described in str(error)
    # the value (a token, perhaps) is nowhere in what the error shows
    assert SECRET not in "".join(traceback.format_exception(type(error), error, error.__traceback__))
    assert error.__cause__ is None and error.__context__ is None
    assert rec.requests == []
    with pytest.raises(AzureCredentialError):
        await done(client._configure_realtime("m", {}))


@SYNC_AND_ASYNC
async def test_a_str_subclass_token_is_sent_as_its_plain_string(asynchronous: bool) -> None:
    client, rec = make(asynchronous, azure_ad_token_provider=lambda: LoudStr(SECRET))
    await done(client.models.list())
    assert rec.last.headers["authorization"] == f"Bearer {SECRET}"
    token = await done(client._get_azure_ad_token())
    assert type(token) is str and token == SECRET


@SYNC_AND_ASYNC
async def test_get_azure_ad_token(asynchronous: bool) -> None:
    keyed, _ = make(asynchronous, api_key="k")
    assert await done(keyed._get_azure_ad_token()) is None
    static, _ = make(asynchronous, azure_ad_token="static-token")
    assert await done(static._get_azure_ad_token()) == "static-token"


# -- deployment names ----------------------------------------------------------------------------------


@SYNC_AND_ASYNC
@pytest.mark.parametrize("model", [".", ".."])
async def test_a_dot_segment_deployment_is_refused_before_sending(asynchronous: bool, model: str) -> None:
    client, rec = make(asynchronous, api_key="k")
    with pytest.raises(ValueError, match=r"`model` is '\.{1,2}', a dot-segment"):
        await done(client.chat.completions.create(model=model, messages=[]))
    assert rec.requests == []
    await done(client.chat.completions.create(model="a/../b", messages=[]))  # one escaped segment: fine
    assert rec.last.url.raw_path == f"/openai/deployments/a%2F..%2Fb/chat/completions?api-version={VERSION}".encode()


def test_the_deployment_endpoints_under_the_official_name() -> None:
    assert "/chat/completions" in _deployments_endpoints and "/responses" not in _deployments_endpoints


# -- copies, the environment, URLs -----------------------------------------------------------------------


@SYNC_AND_ASYNC
async def test_copies_keep_what_the_environment_gave(asynchronous: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-key")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-01-01")
    client, rec = make(asynchronous, api_version=None, azure_endpoint=None)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "new-env-key")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://elsewhere.example")
    monkeypatch.setenv("OPENAI_API_VERSION", "2099-01-01")
    await done(client.copy(timeout=5).models.list())
    assert rec.last.headers["api-key"] == "env-key"
    assert str(rec.last.url) == f"{ENDPOINT}/openai/models?api-version=2024-01-01"


@SYNC_AND_ASYNC
async def test_configure_realtime(asynchronous: bool) -> None:
    keyed, _ = make(asynchronous, api_key="k", azure_deployment="rt")
    url, headers = await done(keyed._configure_realtime("ignored", {"x": "1"}))
    assert url == f"wss://my-resource.openai.azure.com/openai/realtime?x=1&api-version={VERSION}&deployment=rt"
    assert headers == {"api-key": "k"}
    tokens = iter(["t1", "t2"])
    provided, _ = make(asynchronous, azure_ad_token_provider=lambda: next(tokens))
    assert (await done(provided._configure_realtime("m", {})))[1] == {"Authorization": "Bearer t1"}
    assert (await done(provided._configure_realtime("m", {})))[1] == {"Authorization": "Bearer t2"}


@SYNC_AND_ASYNC
async def test_default_query_carries_the_api_version(asynchronous: bool) -> None:
    client, _ = make(asynchronous, api_key="k", default_query={"a": "b"})
    assert client.default_query == client._custom_query == {"a": "b", "api-version": VERSION}
    assert client.copy(api_version="v2")._custom_query == {"a": "b", "api-version": "v2"}


@SYNC_AND_ASYNC
async def test_a_base_url_set_later_routes_as_it_says(asynchronous: bool) -> None:
    client, rec = make(asynchronous, api_key="k", azure_deployment="dep")
    assert client._prepare_url("/models") == f"{ENDPOINT}/openai/models"
    assert client._prepare_url("/chat/completions") == f"{ENDPOINT}/openai/deployments/dep/chat/completions"
    client.base_url = f"{ENDPOINT}/openai/deployments/other/"
    await done(client.chat.completions.create(model="m", messages=[]))
    assert rec.last.url.path == "/openai/deployments/other/chat/completions"
    client.base_url = f"{ENDPOINT}/openai/"  # no deployment in the URL: the request's model routes
    await done(client.chat.completions.create(model="m", messages=[]))
    assert rec.last.url.path == "/openai/deployments/m/chat/completions"
    await done(client.models.list())
    assert rec.last.url.path == "/openai/models"


@SYNC_AND_ASYNC
async def test_send_request_follows_redirects_only_when_asked(asynchronous: bool) -> None:
    def moved(request: httpx2.Request) -> httpx2.Response:
        if request.url.host == "elsewhere.example":
            return json_response(LIST)
        return httpx2.Response(307, headers={"location": "https://elsewhere.example/final"})

    recorder = Recorder(moved)
    transport = httpx2.MockTransport(recorder)
    http: Any = httpx2.AsyncClient(transport=transport) if asynchronous else httpx2.Client(transport=transport)
    cls: Any = AsyncAzureOpenAI if asynchronous else AzureOpenAI
    client = cls(api_key="k", api_version=VERSION, azure_endpoint=ENDPOINT, http_client=http)
    from pyopenai._request_plan import RequestPlan

    response = await done(client._send_request(client._build_request(RequestPlan(method="get", url="/start"))))
    assert response.status_code == 307 and len(recorder.requests) == 1
    response = await done(
        client._send_request(client._build_request(RequestPlan(method="get", url="/start")), follow_redirects=True)
    )
    assert response.status_code == 200
    assert recorder.requests[1].headers["api-key"] == "k" and "api-key" not in recorder.requests[2].headers


def test_workload_identity_is_refused_by_azure_copies() -> None:
    client, _ = make(False, api_key="k")
    identity = x509_workload_identity(identity_provider_id="idp", service_account_id="svc")
    with pytest.raises(OpenAIError, match="Azure clients take no `workload_identity`"):
        client.copy(workload_identity=identity)


# -- no credential at construction ----------------------------------------------------------------------


@SYNC_AND_ASYNC
async def test_enforce_credentials_false_leaves_the_credential_to_the_headers(asynchronous: bool) -> None:
    client, rec = make(asynchronous, default_headers={"api-key": "header-key"}, _enforce_credentials=False)
    await done(client.models.list())
    assert rec.last.headers["api-key"] == "header-key" and "authorization" not in rec.last.headers
    bare, bare_rec = make(asynchronous, _enforce_credentials=False)
    await done(bare.models.list(extra_headers={"Authorization": "Bearer request-token"}))
    assert bare_rec.last.headers["authorization"] == "Bearer request-token" and "api-key" not in bare_rec.last.headers
    with pytest.raises(AzureCredentialError, match="no credential"):
        await done(bare.models.list())
    assert len(bare_rec.requests) == 1


@SYNC_AND_ASYNC
async def test_a_callable_key_may_leave_the_credential_to_the_headers(asynchronous: bool) -> None:
    client, rec = make(asynchronous, api_key=lambda: "", default_headers={"Authorization": "Bearer default"})
    await done(client.models.list())
    assert rec.last.headers["authorization"] == "Bearer default" and "api-key" not in rec.last.headers
    bare, bare_rec = make(asynchronous, api_key=lambda: "")
    with pytest.raises(AzureCredentialError, match="`api_key` gave none"):
        await done(bare.models.list())
    assert bare_rec.requests == []
