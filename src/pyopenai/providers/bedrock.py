"""Amazon Bedrock: `OpenAI(provider=bedrock(region="us-east-1"))`.

Two endpoints serve the OpenAI API on Bedrock: `mantle` (the default,
`https://bedrock-mantle.{region}.api.aws/openai/v1`, signing name `bedrock-mantle`) and `runtime`
(`https://bedrock-runtime.{region}.amazonaws.com/openai/v1`, signing name `bedrock`).

Credentials, exactly one of (checked in this order when none is given explicitly):

* a bearer token: `api_key=`, `token_provider=` (called per request, again after a 401; may be
  async with `AsyncOpenAI`), or the `AWS_BEARER_TOKEN_BEDROCK` environment variable;
* AWS credentials, each request signed with Signature Version 4 (`_sigv4.py`): static keys
  (`access_key_id=`, `secret_access_key=`, `session_token=`), a `credential_provider=` function, a
  named `profile=`, or the default credential chain. Static keys and `AWS_ACCESS_KEY_ID` /
  `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` need nothing more; profiles and the rest of the
  chain (files, SSO, instance roles) use botocore: `pip install 'pyopenai[bedrock]'`.

Region: `region=`, else `AWS_REGION` / `AWS_DEFAULT_REGION`, else the one in a Bedrock base URL (a
bearer token sent to a configured base URL ignores the environment's region: it needs none).
Base URL: `base_url=`, else `AWS_BEDROCK_BASE_URL`, else the endpoint's for the region; a trailing
`/responses` is dropped. AWS's own Bedrock hosts (every partition, dual-stack and FIPS names too) are
reached over HTTPS only, and must agree with the endpoint and region chosen.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, Union, cast

import httpx2

from .._exceptions import OpenAIError
from .._types import NOT_GIVEN, NotGiven
from ._provider import BearerAuth, Provider, ProviderAuth, TokenProvider
from ._sigv4 import AwsCredentials, sign

__all__ = ["AwsCredentialsProvider", "BedrockEndpoint", "BedrockTokenProvider", "bedrock"]

BedrockEndpoint = Literal["mantle", "runtime"]
BedrockTokenProvider = TokenProvider
AwsCredentialsProvider = Callable[[], Union[Any, Awaitable[Any]]]

_REGION = re.compile(r"^[a-z]{2,8}(?:-[a-z0-9]+)+-\d+$")
_MISSING_BOTOCORE = "AWS profiles and the default credential chain need botocore: pip install 'pyopenai[bedrock]'"
# headers a proxy or the HTTP stack may change on the way: not signed (as AWS's own SDKs do)
_UNSIGNED = frozenset({"authorization", "user-agent", "expect", "x-amzn-trace-id", "connection", "content-length"})


# runtime DNS suffixes per partition, by region prefix: (the standard one, the dual-stack one)
_RUNTIME_SUFFIXES = (
    ("cn-", ("amazonaws.com.cn", "api.amazonwebservices.com.cn")),
    ("eusc-", ("amazonaws.eu", "api.amazonwebservices.eu")),
    ("us-iso-", ("c2s.ic.gov", "api.aws.ic.gov")),
    ("us-isob-", ("sc2s.sgov.gov", "api.aws.scloud")),
    ("eu-isoe-", ("cloud.adc-e.uk", "api.cloud-aws.adc-e.uk")),
    ("us-isof-", ("csp.hci.ic.gov", "api.aws.hci.ic.gov")),
)
_COMMERCIAL_SUFFIXES = ("amazonaws.com", "api.aws")
# a base URL copied from a Responses call (`.../openai/v1/responses[/...]`) means the API root before it
_RESPONSES_TAIL = re.compile(r"/responses(?:/.*)?$")


def _runtime_suffixes(region: str) -> tuple[str, str]:
    return next((suffixes for prefix, suffixes in _RUNTIME_SUFFIXES if region.startswith(prefix)), _COMMERCIAL_SUFFIXES)


def default_base_url(endpoint: BedrockEndpoint, region: str) -> str:
    if endpoint == "runtime":
        return f"https://bedrock-runtime.{region}.{_runtime_suffixes(region)[0]}/openai/v1"
    return f"https://bedrock-mantle.{region}.api.aws/openai/v1"


def endpoint_of(host: str) -> tuple[BedrockEndpoint, str] | None:
    """(endpoint, region) of a Bedrock host name (a fully qualified one too), or None for any other host."""
    service, _, rest = host.lower().removesuffix(".").partition(".")
    region, _, domain = rest.partition(".")
    if not _REGION.fullmatch(region):
        return None
    if service == "bedrock-mantle" and domain == "api.aws":
        return "mantle", region
    if service in ("bedrock-runtime", "bedrock-runtime-fips") and domain in _runtime_suffixes(region):
        return "runtime", region
    return None


def _base_url(value: str | httpx2.URL) -> httpx2.URL:
    url = httpx2.URL(str(value).rstrip("/"))
    if url.scheme not in ("http", "https") or not url.host:
        raise OpenAIError(f"The Bedrock `base_url` must be an http(s) URL, got {str(value)!r}")
    return url.copy_with(path=_RESPONSES_TAIL.sub("", url.path.rstrip("/")) or "/")


def _check_region(region: str, origin: str) -> None:
    if not _REGION.fullmatch(region):
        raise OpenAIError(f"The Bedrock region {region!r} ({origin}) is invalid: expected an AWS region name "
                          "such as 'us-east-1'")


def _check_canonical(url: httpx2.URL, endpoint: BedrockEndpoint, region: str | None) -> None:
    """A Bedrock host of AWS's own must be reached over HTTPS and agree with the endpoint and region chosen."""
    known = endpoint_of(url.host)
    if known is None:
        return
    if url.scheme != "https":
        raise OpenAIError(f"{url.host} is an Amazon Bedrock endpoint: it takes credentials over HTTPS only")
    if known[0] != endpoint:
        raise OpenAIError(f"The Bedrock base_url {str(url)!r} is a {known[0]} host, which does not match the "
                          f"selected endpoint {endpoint!r}")
    if region is not None and known[1] != region:
        raise OpenAIError(f"The Bedrock base_url's endpoint region {known[1]!r} does not match the AWS region "
                          f"{region!r}")


def _credentials(value: Any) -> AwsCredentials:
    """AWS credentials from what a credential provider returned (ours, botocore's, or a mapping)."""
    if isinstance(value, AwsCredentials):
        return value
    if isinstance(value, Mapping):
        fields = cast("Mapping[str, Any]", value)
        access, secret = fields.get("access_key_id"), fields.get("secret_access_key")
        token = fields.get("session_token")
    else:
        frozen = getattr(value, "get_frozen_credentials", None)  # botocore: one consistent snapshot
        if callable(frozen):
            value = frozen()
        access, secret, token = (getattr(value, "access_key", None), getattr(value, "secret_key", None),
                                 getattr(value, "token", None))
    if not isinstance(access, str) or not access or not isinstance(secret, str) or not secret:
        raise OpenAIError("The AWS credential provider returned no access key id and secret access key")
    return AwsCredentials(access, secret, token if isinstance(token, str) and token else None)


def load_botocore() -> Any:
    """`botocore.session`, imported only when AWS profiles or the default chain are used."""
    try:
        return importlib.import_module("botocore.session")
    except ImportError as err:
        raise OpenAIError(_MISSING_BOTOCORE) from err


def _botocore_source(profile: str | None) -> Callable[[], AwsCredentials]:
    session: Any = load_botocore().Session(profile=profile)
    found: Any = session.get_credentials()
    if found is None:
        raise OpenAIError("Could not find AWS credentials" + (f" for the profile {profile!r}" if profile else "")
                          + " (the default credential chain found none)")
    return lambda: _credentials(found)


class SigV4Auth(ProviderAuth):
    """Signs each request for `service` in `region` with credentials from `source` (asked every time:
    refreshable credentials stay fresh)."""

    renewable = False

    def __init__(self, base_url: httpx2.URL, region: str, service: str,
                 source: Callable[[], Any]) -> None:
        super().__init__("Bedrock", base_url)
        self._region = region
        self._service = service
        self._source = source

    def _sign(self, request: httpx2.Request, credentials: AwsCredentials) -> None:
        headers = {name: value for name, value in request.headers.items() if name not in _UNSIGNED}
        headers["host"] = request.headers.get("host") or request.url.netloc.decode()
        for name in ("x-amz-date", "x-amz-content-sha256", "x-amz-security-token"):
            headers.pop(name, None)
        added = sign(
            method=request.method, raw_path=request.url.raw_path.split(b"?")[0].decode(),
            query=[(k, v) for k, v in request.url.params.multi_items()], headers=headers, body=request.content,
            credentials=credentials, region=self._region, service=self._service,
        )
        request.headers.update(added)

    def authenticate(self, request: httpx2.Request, *, renew: bool) -> None:
        value = self._source()
        if hasattr(value, "__await__"):
            if hasattr(value, "close"):
                value.close()
            raise OpenAIError("The AWS credential provider is async: use it with AsyncOpenAI")
        self._sign(request, _credentials(value))

    async def authenticate_async(self, request: httpx2.Request, *, renew: bool) -> None:
        value = self._source()
        if hasattr(value, "__await__"):
            value = await value
        self._sign(request, _credentials(value))


def _text(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():  # pyright: ignore[reportUnnecessaryIsInstance]
        raise OpenAIError(f"The Bedrock `{name}` must not be empty")
    return value.strip()


def bedrock(
    *,
    endpoint: BedrockEndpoint | None = None,
    region: str | None = None,
    base_url: str | httpx2.URL | NotGiven | None = NOT_GIVEN,
    api_key: str | NotGiven | None = NOT_GIVEN,
    token_provider: BedrockTokenProvider | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    session_token: str | None = None,
    profile: str | None = None,
    credential_provider: AwsCredentialsProvider | None = None,
) -> Provider:
    """Amazon Bedrock's OpenAI API, for `OpenAI(provider=bedrock(...))` (see the module's notes)."""
    if endpoint is not None and endpoint not in ("mantle", "runtime"):
        raise OpenAIError(f"The Bedrock `endpoint` must be 'mantle' or 'runtime', got {endpoint!r}")
    if callable(api_key):
        raise OpenAIError("The Bedrock `api_key` must be a string: pass a function that returns tokens as "
                          "`token_provider=` (`bedrock_token_provider=` of BedrockOpenAI)")
    region = _text("region", region)
    if region is not None:
        _check_region(region, "region=")
    profile = _text("profile", profile)
    access_key_id, secret_access_key = _text("access_key_id", access_key_id), _text("secret_access_key", secret_access_key)
    session_token = _text("session_token", session_token)
    if (access_key_id is None) != (secret_access_key is None) or (session_token and access_key_id is None):
        raise OpenAIError("Static AWS credentials require both `access_key_id` and `secret_access_key` "
                          "(and `session_token` only with them)")
    bearer_given = not isinstance(api_key, NotGiven) and api_key is not None
    if bearer_given:
        _text("api_key", api_key)  # type: ignore[arg-type]
    aws_modes = [name for name, given in (("static credentials", access_key_id is not None), ("profile", profile is not None),
                                          ("credential_provider", credential_provider is not None)) if given]
    bearer_modes = [name for name, given in (("api_key", bearer_given), ("token_provider", token_provider is not None)) if given]
    if len(aws_modes) + len(bearer_modes) > 1:
        raise OpenAIError(f"Bedrock authentication is ambiguous: {', '.join(bearer_modes + aws_modes)} were all given; "
                          "pass exactly one")
    environment_bearer = None
    if not bearer_modes and not aws_modes and not (not isinstance(api_key, NotGiven) and api_key is None):
        environment_bearer = os.environ.get("AWS_BEARER_TOKEN_BEDROCK") or None
    uses_bearer = bool(bearer_modes) or environment_bearer is not None

    if isinstance(base_url, NotGiven):
        base_url = os.environ.get("AWS_BEDROCK_BASE_URL") or None
    url = _base_url(base_url) if base_url else None
    known = endpoint_of(url.host) if url is not None else None
    resolved_endpoint: BedrockEndpoint = endpoint or (known[0] if known else "mantle")
    # the region of the environment matters where something needs it: to build the URL, or to sign.
    # A bearer token sent to a configured URL needs none, so a stale AWS_REGION cannot break it.
    if region is None and not (uses_bearer and url is not None):
        ambient = (os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "").strip()
        if ambient:
            _check_region(ambient, "from AWS_REGION / AWS_DEFAULT_REGION")
            region = ambient
    if url is None:
        if region is None:
            raise OpenAIError("Bedrock requires an AWS region: pass region=..., or set AWS_REGION or AWS_DEFAULT_REGION")
        url = httpx2.URL(default_base_url(resolved_endpoint, region))
    _check_canonical(url, resolved_endpoint, region)
    if region is None and known is not None:
        region = known[1]
    service = "bedrock" if resolved_endpoint == "runtime" else "bedrock-mantle"
    final_url = url

    def make_auth() -> ProviderAuth:
        if bearer_given or token_provider is not None or environment_bearer is not None:
            token = api_key if bearer_given else environment_bearer
            return BearerAuth("Bedrock", final_url, token if isinstance(token, str) else None, token_provider)
        if region is None:
            raise OpenAIError("Signing Bedrock requests requires an AWS region: pass region=..., or set AWS_REGION")
        source: Callable[[], Any]
        if access_key_id is not None and secret_access_key is not None:
            static = AwsCredentials(access_key_id, secret_access_key, session_token)
            source = lambda: static  # noqa: E731
        elif credential_provider is not None:
            source = credential_provider
        elif profile is None and os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY"):
            from_env = AwsCredentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"],
                                      os.environ.get("AWS_SESSION_TOKEN") or None)
            source = lambda: from_env  # noqa: E731
        else:
            try:
                source = _botocore_source(profile)
            except OpenAIError as err:
                if profile is not None:
                    raise
                raise OpenAIError(
                    "Could not find credentials for Bedrock: pass api_key=, token_provider= or AWS credentials to "
                    "bedrock(...), set AWS_BEARER_TOKEN_BEDROCK, or configure the AWS credential chain "
                    f"({err})"
                ) from err
        return SigV4Auth(final_url, region, service, source)

    return Provider("bedrock", final_url, make_auth, region=region)
