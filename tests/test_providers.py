"""Providers: Amazon Bedrock (bearer tokens, AWS Signature Version 4, the mantle/runtime endpoints)
and Google Vertex AI (token providers, google-auth credentials), against loopback servers.

The signing is checked three ways: AWS's published test vectors, a loopback server that verifies
each signature independently with botocore, and the headers that reach the wire.
"""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import datetime, timezone
from typing import Any

import pytest
from tokenserver import Answer, LoopbackHTTP, Seen

from pyopenai import AsyncOpenAI, AuthenticationError, OpenAI, OpenAIError
from pyopenai.providers import bedrock, vertex
from pyopenai.providers._sigv4 import AwsCredentials, sign, signing_key

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
VECTOR_TIME = datetime(2015, 8, 30, 12, 36, 0, tzinfo=timezone.utc)
MODEL = {"id": "m", "object": "model", "created": 0, "owned_by": "o"}


@pytest.fixture(autouse=True)
def _no_aws_or_google_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_BEARER_TOKEN_BEDROCK", "AWS_BEDROCK_BASE_URL",
                 "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    # botocore's default chain must find nothing on this machine
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


# -- Signature Version 4: AWS's published vectors -----------------------------------------------------

def test_signing_key_vector() -> None:
    # AWS's documentation example: the key derived for 20150830 / us-east-1 / iam
    assert signing_key(SECRET, "20150830", "us-east-1", "iam").hex() == (
        "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")


VECTORS = [
    # (name, method, path, query, extra headers, body, service, host, expected signature)
    ("iam ListUsers (documentation example)", "GET", "/", [("Action", "ListUsers"), ("Version", "2010-05-08")],
     {"content-type": "application/x-www-form-urlencoded; charset=utf-8"}, b"", "iam", "iam.amazonaws.com",
     "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"),
    ("get-vanilla", "GET", "/", [], {}, b"", "service", "example.amazonaws.com",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    ("post-vanilla", "POST", "/", [], {}, b"", "service", "example.amazonaws.com",
     "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    ("get-vanilla-query-order-key-case", "GET", "/", [("Param2", "value2"), ("Param1", "value1")], {}, b"",
     "service", "example.amazonaws.com", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    ("post-x-www-form-urlencoded", "POST", "/", [], {"content-type": "application/x-www-form-urlencoded"},
     b"Param1=value1", "service", "example.amazonaws.com",
     "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
]


@pytest.mark.parametrize("vector", VECTORS, ids=[v[0] for v in VECTORS])
def test_signature_v4_published_vectors(vector: tuple[Any, ...]) -> None:
    _, method, path, query, headers, body, service, host, expected = vector
    added = sign(method=method, raw_path=path, query=query, headers={"host": host, **headers}, body=body,
                 credentials=AwsCredentials(AKID, SECRET), region="us-east-1", service=service, now=VECTOR_TIME,
                 sign_payload_header=False)
    assert added["x-amz-date"] == "20150830T123600Z"
    assert added["authorization"].endswith(f"Signature={expected}")
    assert added["authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={AKID}/20150830/us-east-1/{service}/aws4_request")


def test_credentials_repr_hides_the_secret() -> None:
    assert SECRET not in repr(AwsCredentials(AKID, SECRET, "session-secret"))
    assert "session-secret" not in repr(AwsCredentials(AKID, SECRET, "session-secret"))


# -- a loopback provider endpoint -----------------------------------------------------------------------

class Endpoint:
    """Records requests; answers 401 to the first `refuse` of them, else a model (or 307 when `redirect_to`)."""

    def __init__(self) -> None:
        self.refuse = 0
        self.redirect_to: str | None = None
        self._loopback = LoopbackHTTP(self._answer, lambda seen: {"location": self.redirect_to or ""})
        self.root = self._loopback.url
        self.url = f"{self.root}/openai/v1"

    @property
    def seen(self) -> list[dict[str, Any]]:
        return [{"method": s.method, "path": s.target, "body": s.body, "headers": s.headers} for s in self._loopback.seen]

    def _answer(self, seen: Seen) -> Answer:
        if self.refuse:
            self.refuse -= 1
            return 401, {"error": {"message": "expired token"}}, "application/json"
        if self.redirect_to:
            return 307, b"", "application/json"
        return 200, MODEL, "application/json"

    def stop(self) -> None:
        self._loopback.close()


@pytest.fixture
def endpoint() -> Any:
    server = Endpoint()
    try:
        yield server
    finally:
        server.stop()


def botocore_signature(seen: dict[str, Any], root: str, region: str, service: str, token: str | None = None) -> str:
    """The signature botocore computes for the request the server received (an independent verifier)."""
    botocore_auth = pytest.importorskip("botocore.auth", reason="botocore (the bedrock extra) is not installed")
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    headers = seen["headers"]
    signed = headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    request = AWSRequest(method=seen["method"], url=root + seen["path"], data=seen["body"],
                         headers={name: headers[name] for name in signed})
    request.context["timestamp"] = headers["x-amz-date"]
    signer = botocore_auth.SigV4Auth(Credentials(AKID, SECRET, token), service, region)
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    return signer.signature(string_to_sign, request)


# -- Bedrock ---------------------------------------------------------------------------------------------

def test_bedrock_bearer_token_replaces_openai_headers(endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-should-not-leak")
    client = OpenAI(provider=bedrock(region="us-east-1", api_key="bedrock-key", base_url=endpoint.url))
    assert client.models.retrieve("m").id == "m"
    (seen,) = endpoint.seen
    assert seen["path"] == "/openai/v1/models/m"
    assert seen["headers"]["authorization"] == "Bearer bedrock-key"
    assert "openai-organization" not in seen["headers"]


def test_bedrock_bearer_from_the_environment(endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "env-bedrock-key")
    monkeypatch.setenv("AWS_BEDROCK_BASE_URL", endpoint.url)
    client = OpenAI(provider=bedrock())
    client.models.retrieve("m")
    assert endpoint.seen[0]["headers"]["authorization"] == "Bearer env-bedrock-key"


def test_bedrock_token_provider_is_asked_again_after_a_401(endpoint: Endpoint) -> None:
    tokens = iter(["token-1", "token-2"])
    endpoint.refuse = 1
    client = OpenAI(provider=bedrock(region="us-east-1", token_provider=lambda: next(tokens), base_url=endpoint.url),
                    max_retries=0)
    assert client.models.retrieve("m").id == "m"
    assert [s["headers"]["authorization"] for s in endpoint.seen] == ["Bearer token-1", "Bearer token-2"]


async def test_bedrock_async_token_provider(endpoint: Endpoint) -> None:
    async def token() -> str:
        return "async-token"

    client = AsyncOpenAI(provider=bedrock(region="us-east-1", token_provider=token, base_url=endpoint.url))
    assert (await client.models.retrieve("m")).id == "m"
    assert endpoint.seen[0]["headers"]["authorization"] == "Bearer async-token"


def test_bedrock_async_token_provider_on_the_sync_client_is_a_clear_error(endpoint: Endpoint) -> None:
    async def token() -> str:
        return "async-token"

    client = OpenAI(provider=bedrock(region="us-east-1", token_provider=token, base_url=endpoint.url))
    with pytest.raises(OpenAIError, match="async: use it with AsyncOpenAI"):
        client.models.retrieve("m")
    assert endpoint.seen == []


def test_a_second_401_is_raised(endpoint: Endpoint) -> None:
    endpoint.refuse = 5
    client = OpenAI(provider=bedrock(region="us-east-1", token_provider=lambda: "t", base_url=endpoint.url),
                    max_retries=0)
    with pytest.raises(AuthenticationError):
        client.models.retrieve("m")
    assert len(endpoint.seen) == 2


@pytest.mark.parametrize(("endpoint_name", "service"), [("mantle", "bedrock-mantle"), ("runtime", "bedrock")])
def test_bedrock_sigv4_verified_by_botocore(endpoint: Endpoint, endpoint_name: Any, service: str) -> None:
    client = OpenAI(provider=bedrock(endpoint=endpoint_name, region="eu-west-3", access_key_id=AKID,
                                     secret_access_key=SECRET, session_token="session-token", base_url=endpoint.url))
    client.chat.completions.with_raw_response.create(model="openai.gpt-oss-120b", messages=[{"role": "user", "content": "hi"}])
    client.models.list()
    post, get = endpoint.seen
    for seen in (post, get):
        headers = seen["headers"]
        assert headers["authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={AKID}/")
        assert f"/eu-west-3/{service}/aws4_request" in headers["authorization"]
        assert headers["x-amz-security-token"] == "session-token"
        assert headers["x-amz-content-sha256"] == __import__("hashlib").sha256(seen["body"]).hexdigest()
        signed = headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
        assert {"host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"} <= set(signed)
        assert "user-agent" not in signed
        expected = botocore_signature(seen, endpoint.root, "eu-west-3", service, "session-token")
        assert headers["authorization"].endswith(f"Signature={expected}")
    assert json.loads(post["body"])["model"] == "openai.gpt-oss-120b"


async def test_bedrock_async_credential_provider_signs(endpoint: Endpoint) -> None:
    calls: list[int] = []

    async def credentials() -> dict[str, str]:
        calls.append(1)
        return {"access_key_id": AKID, "secret_access_key": SECRET}

    client = AsyncOpenAI(provider=bedrock(region="us-east-1", credential_provider=credentials, base_url=endpoint.url))
    await client.models.retrieve("m")
    await client.models.retrieve("m")
    assert len(calls) == 2  # asked per request: rotating credentials are picked up
    expected = botocore_signature(endpoint.seen[0], endpoint.root, "us-east-1", "bedrock-mantle")
    assert endpoint.seen[0]["headers"]["authorization"].endswith(f"Signature={expected}")


def test_bedrock_environment_keys_sign_without_botocore(endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AKID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    monkeypatch.setitem(sys.modules, "botocore", None)
    monkeypatch.setitem(sys.modules, "botocore.session", None)
    client = OpenAI(provider=bedrock(base_url=endpoint.url))
    client.models.retrieve("m")
    assert "/us-west-2/bedrock-mantle/aws4_request" in endpoint.seen[0]["headers"]["authorization"]


def test_bedrock_profile_without_botocore_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "botocore", None)
    monkeypatch.setitem(sys.modules, "botocore.session", None)
    with pytest.raises(OpenAIError, match=r"pip install 'pyopenai\[bedrock\]'"):
        OpenAI(provider=bedrock(region="us-east-1", profile="dev"))


def test_bedrock_without_any_credentials_says_what_to_configure() -> None:
    with pytest.raises(OpenAIError, match="Could not find credentials for Bedrock"):
        OpenAI(provider=bedrock(region="us-east-1"))


@pytest.mark.parametrize(("kwargs", "url"), [
    ({"region": "us-east-1"}, "https://bedrock-mantle.us-east-1.api.aws/openai/v1/"),
    ({"region": "us-west-2", "endpoint": "runtime"}, "https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1/"),
    ({"region": "cn-north-1", "endpoint": "runtime"}, "https://bedrock-runtime.cn-north-1.amazonaws.com.cn/openai/v1/"),
    ({"base_url": "https://bedrock-runtime.ap-south-1.amazonaws.com/openai/v1"},
     "https://bedrock-runtime.ap-south-1.amazonaws.com/openai/v1/"),
])
def test_bedrock_endpoints(kwargs: dict[str, Any], url: str) -> None:
    for cls in (OpenAI, AsyncOpenAI):
        client = cls(provider=bedrock(api_key="k", **kwargs))
        assert str(client.base_url) == url


@pytest.mark.parametrize(("region", "standard", "dual_stack"), [
    ("us-east-1", "amazonaws.com", "api.aws"),
    ("cn-north-1", "amazonaws.com.cn", "api.amazonwebservices.com.cn"),
    ("us-iso-east-1", "c2s.ic.gov", "api.aws.ic.gov"),
    ("us-isob-east-1", "sc2s.sgov.gov", "api.aws.scloud"),
    ("eu-isoe-west-1", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"),
    ("us-isof-south-1", "csp.hci.ic.gov", "api.aws.hci.ic.gov"),
])
def test_bedrock_runtime_hosts_of_every_partition(region: str, standard: str, dual_stack: str) -> None:
    built = OpenAI(provider=bedrock(api_key="k", endpoint="runtime", region=region))
    assert built.base_url.host == f"bedrock-runtime.{region}.{standard}"
    for host in (f"bedrock-runtime.{region}.{dual_stack}.", f"bedrock-runtime-fips.{region}.{standard}"):
        # recognised as the runtime endpoint of that region: the endpoint is inferred, a wrong region refused
        client = AsyncOpenAI(provider=bedrock(api_key="k", base_url=f"https://{host}/openai/v1"))
        assert client.base_url.host == host
        with pytest.raises(OpenAIError, match="does not match the AWS region"):
            bedrock(api_key="k", region="eu-west-3", base_url=f"https://{host}/openai/v1")
        with pytest.raises(OpenAIError, match="HTTPS only"):
            bedrock(api_key="k", base_url=f"http://{host}/openai/v1")


def test_bedrock_base_url_copied_from_a_responses_call_means_the_api_root() -> None:
    for url in ("https://proxy.example/openai/v1/responses", "https://proxy.example/openai/v1/responses/resp_1/"):
        assert str(OpenAI(provider=bedrock(api_key="k", base_url=url)).base_url) == "https://proxy.example/openai/v1/"


@pytest.mark.parametrize("name", ["AWS_REGION", "AWS_DEFAULT_REGION"])
def test_bedrock_environment_region_is_ignored_where_nothing_needs_it(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1"
    monkeypatch.setenv(name, "us-west-2")
    # a bearer token sent to a configured URL needs no region: a stale one in the environment is not an error
    assert OpenAI(provider=bedrock(api_key="k", base_url=runtime)).base_url.host == "bedrock-runtime.us-east-1.amazonaws.com"
    monkeypatch.setenv(name, "local")
    assert str(OpenAI(provider=bedrock(api_key="k", base_url="https://proxy.example/v1")).base_url) == "https://proxy.example/v1/"
    # signing needs it: then it is checked like an explicit one
    with pytest.raises(OpenAIError, match="region 'local' .* is invalid"):
        bedrock(base_url="https://proxy.example/v1", access_key_id=AKID, secret_access_key=SECRET)
    monkeypatch.setenv(name, "us-west-2")
    with pytest.raises(OpenAIError, match="endpoint region 'us-east-1' does not match"):
        bedrock(base_url=runtime, access_key_id=AKID, secret_access_key=SECRET)


def test_bedrock_region_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert str(OpenAI(provider=bedrock(api_key="k")).base_url) == "https://bedrock-mantle.eu-central-1.api.aws/openai/v1/"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"region": "nowhere"}, "region 'nowhere' .* is invalid"),
    ({"region": ""}, "must not be empty"),
    ({"endpoint": "edge", "region": "us-east-1"}, "must be 'mantle' or 'runtime'"),
    ({"region": "us-east-1", "api_key": "k", "token_provider": lambda: "t"}, "ambiguous"),
    ({"region": "us-east-1", "api_key": "k", "profile": "p"}, "ambiguous"),
    ({"region": "us-east-1", "access_key_id": AKID}, "require both"),
    ({"api_key": "k"}, "requires an AWS region"),
    ({"endpoint": "mantle", "base_url": "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1", "api_key": "k"},
     "runtime host, which does not match the selected endpoint 'mantle'"),
    ({"region": "us-west-2", "base_url": "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1", "api_key": "k"},
     "endpoint region 'us-east-1' does not match the AWS region 'us-west-2'"),
    ({"region": "us-east-1", "base_url": "http://bedrock-runtime.us-east-1.amazonaws.com/openai/v1", "api_key": "k"},
     "HTTPS only"),
    ({"region": "us-east-1.amazonaws.com@attacker.example#", "api_key": "k"}, "is invalid"),
    ({"api_key": lambda: "t", "region": "us-east-1"}, "token_provider="),
])
def test_bedrock_configuration_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(OpenAIError, match=message):
        bedrock(**kwargs)


@pytest.mark.parametrize("other", [{"api_key": "sk-x"}, {"base_url": "http://x/v1"}, {"data_residency": "eu"},
                                   {"workload_identity": {"identity_provider_id": "i", "service_account_id": "s",
                                                          "provider": {"token_type": "jwt", "get_token": str}}}])
@pytest.mark.parametrize("cls", [OpenAI, AsyncOpenAI])
def test_provider_is_exclusive_with_other_endpoints_and_credentials(cls: type[OpenAI], other: dict[str, Any]) -> None:
    with pytest.raises(OpenAIError, match="cannot be used together"):
        cls(provider=bedrock(region="us-east-1", api_key="k"), **other)


def test_provider_must_come_from_a_factory() -> None:
    with pytest.raises(TypeError, match="pyopenai.providers"):
        OpenAI(provider="bedrock")  # type: ignore[arg-type]


def test_provider_credentials_never_go_to_another_host(endpoint: Endpoint) -> None:
    other = Endpoint()
    try:
        client = OpenAI(provider=bedrock(region="us-east-1", api_key="bedrock-key", base_url=endpoint.url))
        with pytest.raises(OpenAIError, match="Refusing to send Bedrock credentials .* other than the configured provider URL"):
            client.get(f"{other.url}/models", cast_to=dict)
        assert other.seen == []
        endpoint.redirect_to = f"{other.url}/models/m"  # a redirect is not followed with credentials
        with contextlib.suppress(Exception):  # whatever the client makes of a 307: nothing reaches the other host
            client.models.retrieve("m")
        assert len(endpoint.seen) == 1
        assert other.seen == []
    finally:
        other.stop()


def test_provider_repr_shows_no_credentials() -> None:
    provider = bedrock(region="us-east-1", access_key_id=AKID, secret_access_key=SECRET)
    assert SECRET not in repr(provider) and AKID not in repr(provider)


# -- BedrockOpenAI / AsyncBedrockOpenAI ------------------------------------------------------------------

def test_bedrock_openai_names(endpoint: Endpoint) -> None:
    from pyopenai import AsyncBedrockOpenAI, BedrockOpenAI

    client = BedrockOpenAI(aws_region="us-east-1", api_key="legacy-key", base_url=endpoint.url)
    client.models.retrieve("m")
    assert endpoint.seen[-1]["headers"]["authorization"] == "Bearer legacy-key"
    signed = BedrockOpenAI(aws_region="us-east-1", aws_access_key_id=AKID, aws_secret_access_key=SECRET,
                           base_url=endpoint.url)
    signed.models.retrieve("m")
    assert endpoint.seen[-1]["headers"]["authorization"].startswith("AWS4-HMAC-SHA256")
    assert isinstance(AsyncBedrockOpenAI(aws_region="us-east-1", api_key="k"), AsyncOpenAI)
    assert str(AsyncBedrockOpenAI(aws_region="us-east-1", api_key="k").base_url).startswith("https://bedrock-mantle.")
    # the region in use, wherever it came from
    assert client.aws_region == "us-east-1"
    runtime = "https://bedrock-runtime.eu-central-1.amazonaws.com/openai/v1"
    assert AsyncBedrockOpenAI(api_key="k", base_url=runtime).aws_region == "eu-central-1"
    assert BedrockOpenAI(api_key="k", base_url=endpoint.url).aws_region is None


# -- Vertex ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("location", "url"), [
    ("global", "https://aiplatform.googleapis.com/v1/projects/proj-1/locations/global/publishers/openai/v1/"),
    ("us-central1", "https://us-central1-aiplatform.googleapis.com/v1/projects/proj-1/locations/us-central1/publishers/openai/v1/"),
])
def test_vertex_base_urls(location: str, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert str(OpenAI(provider=vertex(project="proj-1", location=location, token_provider=lambda: "t")).base_url) == url
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "proj-1")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", location)
    assert str(AsyncOpenAI(provider=vertex(token_provider=lambda: "t")).base_url) == url


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"location": "global"}, "needs a Google Cloud project"),
    ({"project": "p"}, "needs a location"),
    ({"project": "p", "location": "global", "token_provider": lambda: "t", "credentials": object()}, "not both"),
    ({"base_url": "http://us-aiplatform.googleapis.com/v1"}, "need https"),
    ({"base_url": "https://user:pw@example.com/v1"}, "without credentials"),
])
def test_vertex_configuration_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(OpenAIError, match=message):
        vertex(**kwargs)


def test_vertex_token_provider_per_request_and_after_401(endpoint: Endpoint) -> None:
    tokens = iter(["g-1", "g-2", "g-3"])
    endpoint.refuse = 1
    client = OpenAI(provider=vertex(base_url=endpoint.url, token_provider=lambda: next(tokens)), max_retries=0)
    client.models.retrieve("m")
    client.models.retrieve("m")
    assert [s["headers"]["authorization"] for s in endpoint.seen] == ["Bearer g-1", "Bearer g-2", "Bearer g-3"]


def test_vertex_refuses_openai_account_settings(endpoint: Endpoint) -> None:
    with pytest.raises(OpenAIError, match="organization"):
        OpenAI(provider=vertex(base_url=endpoint.url, token_provider=lambda: "t"), organization="org-1")


def test_vertex_google_credentials_refresh_against_a_token_endpoint(endpoint: Endpoint) -> None:
    pytest.importorskip("google.oauth2.credentials", reason="google-auth (the vertex extra) is not installed")
    from google.oauth2.credentials import Credentials

    def issue(seen: Seen) -> Answer:
        return 200, {"access_token": f"google-{len(token_server.seen)}", "expires_in": 3600}, "application/json"

    token_server = LoopbackHTTP(issue)
    try:
        credentials = Credentials(token=None, refresh_token="refresh-1", client_id="cid", client_secret="cs",
                                  token_uri=f"{token_server.url}/token")
        endpoint.refuse = 1
        client = OpenAI(provider=vertex(base_url=endpoint.url, credentials=credentials), max_retries=0)
        client.models.retrieve("m")
        # no token yet: refreshed before the first request; the 401 forced one more refresh
        assert [s["headers"]["authorization"] for s in endpoint.seen] == ["Bearer google-1", "Bearer google-2"]
        assert b"grant_type=refresh_token" in token_server.seen[0].body
    finally:
        token_server.close()


def test_vertex_without_google_auth_names_the_extra(endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "google.auth", None)
    client = OpenAI(provider=vertex(base_url=endpoint.url))
    with pytest.raises(OpenAIError, match=r"pip install 'pyopenai\[vertex\]'"):
        client.models.retrieve("m")
    assert endpoint.seen == []
