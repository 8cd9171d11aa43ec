"""`AzureOpenAI` and `AsyncAzureOpenAI`: the OpenAI clients, pointed at an Azure OpenAI resource.

What differs from `OpenAI`:

* the base URL is `{azure_endpoint}/openai` (`.../openai/deployments/{azure_deployment}` when a
  deployment is configured), and every request carries the `api-version` query parameter;
* the endpoints Azure serves per deployment (`_DEPLOYMENT_PATHS`) go to
  `/deployments/{deployment}/...`, the deployment being `azure_deployment` or else the request's
  `model`; every other endpoint (`/files`, `/models`, `/batches`, ...) stays at the API root;
* credentials are exactly one of: an API key (sent as the `api-key` header; a callable is called per
  request), an Azure AD / Entra ID token, or a token provider (both sent as `Authorization: Bearer`;
  the provider is called per request, so it can refresh). With none given, `AZURE_OPENAI_AD_TOKEN`
  and then `AZURE_OPENAI_API_KEY` are read from the environment;
* the async client runs a synchronous `azure_ad_token_provider` in a worker thread, so a provider
  that does network I/O does not stall the event loop; an async provider is awaited;
* an `api-key` header is dropped when a redirect leaves the endpoint's origin (httpx2 already does
  this for `Authorization`).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Union, cast
from urllib.parse import urlencode

import httpx2
from typing_extensions import Self, Unpack, override

from .. import _constants as C
from .._client import (
    AsyncOpenAI,
    AsyncOpenAIOptionChanges,
    OpenAI,
    OpenAIClientBase,
    OpenAIOptionChanges,
    show_options,
)
from .._exceptions import OpenAIError
from .._logging import LoggerLike
from .._options import ClientOptions, env
from .._request_plan import RequestPlan
from .._resource import path_param
from .._types import NOT_GIVEN, NotGiven

__all__ = [
    "API_KEY_SENTINEL",
    "AsyncAzureADTokenProvider",
    "AsyncAzureOpenAI",
    "AzureADTokenProvider",
    "AzureOpenAI",
    "AzureOptionsError",
    "MutuallyExclusiveAuthError",
]

# The official SDK's stand-in for "no API key" (an Entra ID client's key), which code written for it
# passes back as `api_key=`: here it means exactly that, no key.
API_KEY_SENTINEL = "<missing API key>"

AzureADTokenProvider = Callable[[], str]
AsyncAzureADTokenProvider = Callable[[], Union[str, Awaitable[str]]]


class AzureOpenAIOptionChanges(OpenAIOptionChanges, total=False):
    """What `AzureOpenAI.with_options()` can change: the client's options, and Azure's own. A new
    credential replaces the old one; a new `base_url` replaces `azure_endpoint` and the reverse."""

    api_version: str | None
    azure_endpoint: str | None
    azure_deployment: str | None
    azure_ad_token: str | None
    azure_ad_token_provider: AzureADTokenProvider | None


class AsyncAzureOpenAIOptionChanges(AsyncOpenAIOptionChanges, total=False):
    """What `AsyncAzureOpenAI.with_options()` can change (see `AzureOpenAIOptionChanges`)."""

    api_version: str | None
    azure_endpoint: str | None
    azure_deployment: str | None
    azure_ad_token: str | None
    azure_ad_token_provider: AsyncAzureADTokenProvider | None

_DEPLOYMENT_PATHS = frozenset(
    {
        "/completions",
        "/chat/completions",
        "/embeddings",
        "/audio/transcriptions",
        "/audio/translations",
        "/audio/speech",
        "/images/generations",
        "/images/edits",
    }
)
_ORIGIN_EXTENSION = "pyopenai.azure_origin"
_CREDENTIALS = ("api_key", "azure_ad_token", "azure_ad_token_provider")

_MISSING_VERSION = (
    "Missing api_version: pass api_version= to the client (e.g. '2024-10-21') or set the OPENAI_API_VERSION "
    "environment variable"
)
_MISSING_ENDPOINT = (
    "Missing azure_endpoint: pass azure_endpoint= (e.g. 'https://my-resource.openai.azure.com') or base_url= "
    "to the client, or set the AZURE_OPENAI_ENDPOINT environment variable"
)
_MISSING_CREDENTIALS = (
    "Missing credentials: pass api_key=, azure_ad_token= or azure_ad_token_provider= to the client, or set the "
    "AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN environment variable"
)
_TOO_MANY_CREDENTIALS = "api_key, azure_ad_token and azure_ad_token_provider are mutually exclusive: pass only one"
_ENDPOINT_AND_BASE = "base_url and azure_endpoint are mutually exclusive: pass only one"


class AzureOptionsError(OpenAIError, ValueError):
    """A required Azure setting (the API version, the endpoint) is missing or contradicts another."""


class MutuallyExclusiveAuthError(AzureOptionsError):
    """More than one Azure credential was given; named as the official SDK names it, so its `except` clauses catch it."""


@dataclass(frozen=True)
class AzureOptions(ClientOptions):
    """The Azure client's options as given (or read from the environment when the client was made).

    `base_url` here is the caller's `base_url=` (None: derived from `azure_endpoint`); the base URL,
    credential and `api-version` query the OpenAI machinery uses are derived from these by `_resolve`.
    """

    api_version: str | None = None
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    azure_ad_token: str | None = None
    azure_ad_token_provider: Any = None
    given_base_url: str | None = None

    @override
    def replaced(self, changes: Mapping[str, Any]) -> Self:
        # a new credential or location replaces the old one instead of clashing with it
        changes = dict(changes)
        cleared: dict[str, Any] = {}
        if any(changes.get(name) for name in _CREDENTIALS):
            cleared.update({name: None for name in _CREDENTIALS if not changes.get(name)})
        base_url = changes.pop("base_url", None)
        if base_url is not None:
            cleared.update(given_base_url=str(base_url), azure_endpoint=None)
        if changes.get("azure_endpoint") is not None:
            cleared["given_base_url"] = None
        return replace(super().replaced(changes), **cleared)


def _azure_options(
    *,
    api_version: str | None,
    azure_endpoint: str | None,
    azure_deployment: str | None,
    api_key: Any,
    azure_ad_token: str | None,
    azure_ad_token_provider: Any,
    base_url: str | httpx2.URL | None,
    **common: Any,
) -> AzureOptions:
    """The Azure constructors' arguments as options: the common ones resolved as the OpenAI clients do."""
    options = AzureOptions.resolve(api_key=api_key, admin_api_key=None, base_url=None, deadline=None, **common)
    return replace(
        options, api_key=api_key, api_version=api_version, azure_endpoint=azure_endpoint,
        azure_deployment=azure_deployment, azure_ad_token=azure_ad_token,
        azure_ad_token_provider=azure_ad_token_provider, given_base_url=None if base_url is None else str(base_url),
    )


@dataclass
class _Resolved:
    base_url: str
    endpoint: str | None
    deployment: str | None
    api_version: str
    credential: Any  # the key/token string, or a provider: handed to the OpenAI client as its api_key
    bearer: bool


def _resolve(options: AzureOptions) -> _Resolved:
    """What the Azure options come to (with the environment's fallbacks), with clear errors for what is missing."""
    api_version = options.api_version or env("OPENAI_API_VERSION")
    if not api_version:
        raise AzureOptionsError(_MISSING_VERSION)
    base_url, azure_endpoint, azure_deployment = options.given_base_url, options.azure_endpoint, options.azure_deployment
    api_key, azure_ad_token, azure_ad_token_provider = (
        options.api_key, options.azure_ad_token, options.azure_ad_token_provider
    )
    if api_key == API_KEY_SENTINEL:
        api_key = None
    if base_url is not None and azure_endpoint is not None:
        raise AzureOptionsError(_ENDPOINT_AND_BASE)
    endpoint: str | None = None
    if base_url is not None:
        resolved_base = str(base_url).rstrip("/")
    else:
        endpoint = (azure_endpoint or env("AZURE_OPENAI_ENDPOINT") or "").rstrip("/")
        if not endpoint:
            raise AzureOptionsError(_MISSING_ENDPOINT)
        resolved_base = f"{endpoint}/openai"
        if azure_deployment:
            resolved_base += f"/deployments/{path_param('azure_deployment', azure_deployment)}"

    given = [name for name, value in zip(_CREDENTIALS, (api_key, azure_ad_token, azure_ad_token_provider)) if value]
    if len(given) > 1:
        raise MutuallyExclusiveAuthError(_TOO_MANY_CREDENTIALS)
    if azure_ad_token_provider:
        credential, bearer = azure_ad_token_provider, True
    elif azure_ad_token:
        credential, bearer = azure_ad_token, True
    elif api_key:
        credential, bearer = api_key, False
    elif env("AZURE_OPENAI_AD_TOKEN"):
        credential, bearer = env("AZURE_OPENAI_AD_TOKEN"), True
    elif env("AZURE_OPENAI_API_KEY"):
        credential, bearer = env("AZURE_OPENAI_API_KEY"), False
    else:
        raise OpenAIError(_MISSING_CREDENTIALS)
    return _Resolved(resolved_base, endpoint, azure_deployment or None, api_version, credential, bearer)


def _origin(url: httpx2.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)


def _drop_api_key_off_origin(request: httpx2.Request) -> None:
    """httpx2 request hook: a redirect to another origin must not carry the `api-key` header."""
    origin = request.extensions.get(_ORIGIN_EXTENSION)
    if origin is not None and origin != _origin(request.url):
        request.headers.pop("api-key", None)


async def _async_drop_api_key_off_origin(request: httpx2.Request) -> None:
    _drop_api_key_off_origin(request)


class _AzureClient(OpenAIClientBase):
    """What both Azure clients add to the OpenAI clients: URLs, routing, the credential's header."""

    _azure_endpoint: str | None
    _azure_deployment: str | None
    _api_version: str
    _bearer: bool

    @override
    def _setup(self, options: ClientOptions, http_client: Any) -> None:
        given = cast(AzureOptions, options)
        resolved = _resolve(given)
        credential = resolved.credential
        if self._is_async and given.azure_ad_token_provider:
            credential = _off_the_loop(given.azure_ad_token_provider)
        super()._setup(replace(
            given, api_key=credential, base_url=resolved.base_url,
            default_query={**given.default_query, "api-version": resolved.api_version},
        ), http_client)
        self._options = given  # copies start again from what was given
        self._azure_endpoint = resolved.endpoint
        self._azure_deployment = resolved.deployment
        self._api_version = resolved.api_version
        self._bearer = resolved.bearer
        hook = _async_drop_api_key_off_origin if self._is_async else _drop_api_key_off_origin
        hooks: dict[str, list[Any]] | None = getattr(self._http, "event_hooks", None)
        if hooks is not None and hook not in hooks.setdefault("request", []):
            hooks["request"].append(hook)  # the same dict the HTTP client reads

    @property
    def api_version(self) -> str:
        return self._api_version

    @override
    def _auth_headers_for(self, security: str | None, key: str) -> dict[str, str]:
        if not key or security == "admin" or self._bearer:
            return super()._auth_headers_for(security, key)
        return {"api-key": key}

    @override
    def _build_attempt(
        self, plan: RequestPlan, retries_taken: int, auth: Mapping[str, str]
    ) -> tuple[httpx2.Request, list[Any]]:
        url = self._azure_url(plan)
        if url != plan.url:
            from dataclasses import replace

            plan = replace(plan, url=url)
        request, opened = super()._build_attempt(plan, retries_taken, auth)
        request.extensions[_ORIGIN_EXTENSION] = _origin(request.url)
        return request, opened

    def _azure_url(self, plan: RequestPlan) -> str:
        """Where a request goes: per-deployment endpoints under `/deployments/{name}`, the rest at the root."""
        path = plan.url
        if "://" in path:
            return path
        if path in _DEPLOYMENT_PATHS:
            if "/deployments/" in self._base_url + "/":
                return path  # the base URL already names the deployment
            deployment = self._azure_deployment or _model_of(plan)
            return f"/deployments/{path_param('model', deployment)}{path}" if deployment else path
        if self._azure_endpoint and self._azure_deployment:
            return f"{self._azure_endpoint}/openai{path}"  # not a per-deployment endpoint: the API root
        return path

    def _realtime_url(self, model: str | None = None, *, extra_query: Mapping[str, str] | None = None) -> str:
        """The Realtime WebSocket URL: `wss://{endpoint}/openai/realtime?api-version=...&deployment=...`."""
        if self.websocket_base_url:
            base = self.websocket_base_url.rstrip("/")
        else:
            root = f"{self._azure_endpoint}/openai" if self._azure_endpoint else self._base_url
            scheme, sep, rest = root.partition("://")
            base = ({"https": "wss", "http": "ws"}.get(scheme.lower(), scheme) + sep + rest) if sep else root
        query: dict[str, str] = {**(extra_query or {}), "api-version": self._api_version}
        deployment = self._azure_deployment or model
        if deployment:
            query["deployment"] = deployment
        return f"{base}/realtime?{urlencode(query)}"


def _model_of(plan: RequestPlan) -> str | None:
    model = (plan.extra_json or {}).get("model") or (plan.json_data or {}).get("model")
    return model if isinstance(model, str) and model else None


class AzureOpenAI(_AzureClient, OpenAI):
    """The synchronous client for Azure OpenAI. Every option falls back to its environment variable."""

    def __init__(
        self,
        *,
        api_version: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        api_key: str | Callable[[], str] | None = None,
        azure_ad_token: str | None = None,
        azure_ad_token_provider: AzureADTokenProvider | None = None,
        organization: str | None = None,
        project: str | None = None,
        webhook_secret: str | None = None,
        base_url: str | httpx2.URL | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.Client | Any | None = None,
        log_level: str | None = None,
        logger: LoggerLike | None = None,
        platform_headers: bool = True,
    ) -> None:
        self._setup(_azure_options(
            api_version=api_version, azure_endpoint=azure_endpoint, azure_deployment=azure_deployment, api_key=api_key,
            azure_ad_token=azure_ad_token, azure_ad_token_provider=azure_ad_token_provider, organization=organization,
            project=project, webhook_secret=webhook_secret, base_url=base_url, websocket_base_url=websocket_base_url,
            timeout=timeout, max_retries=max_retries, default_headers=default_headers, default_query=default_query,
            log_level=log_level, logger=logger, platform_headers=platform_headers,
        ), http_client)

    # more keywords than the base method: fine for callers, but pyright reads an open TypedDict's
    # unknown keys as already taken by the base (the official SDK's override differs the same way)
    @override
    def with_options(self, **changes: Unpack[AzureOpenAIOptionChanges]) -> Self:  # pyright: ignore[reportIncompatibleMethodOverride]
        """A copy with the given options changed (the others kept); see `AzureOpenAIOptionChanges`."""
        return self._copied(dict(changes))

    copy = with_options  # pyright: ignore[reportIncompatibleMethodOverride]

    def _realtime_auth_headers(self) -> dict[str, str]:
        """The credential headers for a Realtime WebSocket handshake (the provider is called now)."""
        return self._auth_headers_for(None, self._resolve_key(None))


class AsyncAzureOpenAI(_AzureClient, AsyncOpenAI):
    """The asynchronous client for Azure OpenAI. Every option falls back to its environment variable."""

    def __init__(
        self,
        *,
        api_version: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        api_key: str | Callable[[], str | Awaitable[str]] | None = None,
        azure_ad_token: str | None = None,
        azure_ad_token_provider: AsyncAzureADTokenProvider | None = None,
        organization: str | None = None,
        project: str | None = None,
        webhook_secret: str | None = None,
        base_url: str | httpx2.URL | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | Any | None = None,
        log_level: str | None = None,
        logger: LoggerLike | None = None,
        platform_headers: bool = True,
    ) -> None:
        self._setup(_azure_options(
            api_version=api_version, azure_endpoint=azure_endpoint, azure_deployment=azure_deployment, api_key=api_key,
            azure_ad_token=azure_ad_token, azure_ad_token_provider=azure_ad_token_provider, organization=organization,
            project=project, webhook_secret=webhook_secret, base_url=base_url, websocket_base_url=websocket_base_url,
            timeout=timeout, max_retries=max_retries, default_headers=default_headers, default_query=default_query,
            log_level=log_level, logger=logger, platform_headers=platform_headers,
        ), http_client)

    @override
    def with_options(self, **changes: Unpack[AsyncAzureOpenAIOptionChanges]) -> Self:  # pyright: ignore[reportIncompatibleMethodOverride]
        """A copy with the given options changed (the others kept); see `AsyncAzureOpenAIOptionChanges`."""
        return self._copied(dict(changes))

    copy = with_options  # pyright: ignore[reportIncompatibleMethodOverride]

    async def _realtime_auth_headers(self) -> dict[str, str]:
        """The credential headers for a Realtime WebSocket handshake (the provider is called now)."""
        return self._auth_headers_for(None, await self._resolve_key(None))


def _off_the_loop(provider: AsyncAzureADTokenProvider) -> Callable[[], Awaitable[str]]:
    """An async provider as is; a sync one run in a worker thread (token providers may do network I/O)."""
    is_async = inspect.iscoroutinefunction(provider) or inspect.iscoroutinefunction(type(provider).__call__)

    async def call() -> str:
        if is_async:
            result: Any = provider()
        else:
            import anyio.to_thread

            result = await anyio.to_thread.run_sync(provider)
        if inspect.isawaitable(result):
            result = await result
        return result

    return call


show_options(AzureOpenAI.with_options, AzureOpenAIOptionChanges)
show_options(AsyncAzureOpenAI.with_options, AsyncAzureOpenAIOptionChanges)
