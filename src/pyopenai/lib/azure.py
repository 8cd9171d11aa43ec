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
    "AzureCredentialError",
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
# the official SDK's name for the same set (its tests and some gateways read it)
_deployments_endpoints = _DEPLOYMENT_PATHS
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
_NO_WORKLOAD_IDENTITY = (
    "Azure clients take no `workload_identity` (X.509 or token exchange): authenticate with `api_key`, "
    "`azure_ad_token` or `azure_ad_token_provider`"
)


class AzureOptionsError(OpenAIError, ValueError):
    """A required Azure setting (the API version, the endpoint) is missing or contradicts another."""


class AzureCredentialError(OpenAIError, ValueError):
    """A credential callable (`azure_ad_token_provider`, a callable `api_key`) returned no usable
    credential. The message names the callable and the kind of value, never the value itself."""


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
    enforce_credentials: bool = True

    @override
    def replaced(self, changes: Mapping[str, Any]) -> Self:
        # a new credential or location replaces the old one instead of clashing with it
        changes = dict(changes)
        if changes.get("workload_identity") is not None:
            raise AzureOptionsError(_NO_WORKLOAD_IDENTITY)
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
    enforce_credentials: bool = True,
    **common: Any,
) -> AzureOptions:
    """The Azure constructors' arguments as options: the common ones resolved as the OpenAI clients do."""
    options = AzureOptions.resolve(api_key=api_key, admin_api_key=None, base_url=None, deadline=None, **common)
    return replace(
        options, api_key=api_key, api_version=api_version, azure_endpoint=azure_endpoint,
        azure_deployment=azure_deployment, azure_ad_token=azure_ad_token,
        azure_ad_token_provider=azure_ad_token_provider, given_base_url=None if base_url is None else str(base_url),
        enforce_credentials=enforce_credentials,
    )


@dataclass
class _Resolved:
    base_url: str
    endpoint: str | None
    deployment: str | None
    api_version: str
    credential: Any  # the key/token string, or a provider: handed to the OpenAI client as its api_key
    bearer: bool
    pinned: dict[str, Any]  # what came from the environment, kept by copies (see `_AzureClient._setup`)


def _resolve(options: AzureOptions) -> _Resolved:
    """What the Azure options come to (with the environment's fallbacks), with clear errors for what is missing."""
    api_version = options.api_version or env("OPENAI_API_VERSION")
    pinned: dict[str, Any] = {"api_version": api_version}
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
        # a base URL is the whole location: `azure_deployment` does not apply (the official SDK ignores it too);
        # per-deployment endpoints take the request's `model`, unless the URL names a deployment
        resolved_base = str(base_url).rstrip("/")
        azure_deployment = None
    else:
        endpoint = (azure_endpoint or env("AZURE_OPENAI_ENDPOINT") or "").rstrip("/")
        if not endpoint:
            raise AzureOptionsError(_MISSING_ENDPOINT)
        pinned["azure_endpoint"] = azure_endpoint or endpoint
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
        pinned["azure_ad_token"] = credential
    elif env("AZURE_OPENAI_API_KEY"):
        credential, bearer = env("AZURE_OPENAI_API_KEY"), False
        pinned["api_key"] = credential
    elif options.enforce_credentials:
        raise OpenAIError(_MISSING_CREDENTIALS)
    else:  # the caller's headers carry the credential (`_enforce_credentials=False`)
        credential, bearer = "", False
    return _Resolved(resolved_base, endpoint, azure_deployment or None, api_version, credential, bearer, pinned)


def _origin(url: httpx2.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)


def _drop_api_key_off_origin(request: httpx2.Request) -> None:
    """httpx2 request hook: a redirect to another origin must not carry the `api-key` header.

    The first request of a chain notes its origin; httpx2 hands the same extensions to each redirect
    it follows, so API requests and WebSocket handshakes (built by the transport, not by the client)
    are covered alike."""
    origin = request.extensions.setdefault(_ORIGIN_EXTENSION, _origin(request.url))
    if origin != _origin(request.url):
        request.headers.pop("api-key", None)


async def _async_drop_api_key_off_origin(request: httpx2.Request) -> None:
    _drop_api_key_off_origin(request)


class _AzureClient(OpenAIClientBase):
    """What both Azure clients add to the OpenAI clients: URLs, routing, the credential's header."""

    _azure_endpoint: str | None
    _azure_deployment: str | None
    _api_version: str
    _bearer: bool
    _credential_source: str  # the option whose callable is asked per request (named in errors)

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
        # copies start again from what was given, with what the environment gave now: a copy made
        # after the environment changed still talks to the same resource with the same credential
        self._options = replace(given, **resolved.pinned)
        self._azure_endpoint = resolved.endpoint
        self._azure_deployment = resolved.deployment
        self._api_version = resolved.api_version
        self._bearer = resolved.bearer
        self._credential_source = "azure_ad_token_provider" if given.azure_ad_token_provider else "api_key"
        hook = _async_drop_api_key_off_origin if self._is_async else _drop_api_key_off_origin
        hooks: dict[str, list[Any]] | None = getattr(self._http, "event_hooks", None)
        if hooks is not None and hook not in hooks.setdefault("request", []):
            hooks["request"].append(hook)  # the same dict the HTTP client reads

    @property
    def api_version(self) -> str:
        return self._api_version

    @property
    @override
    def default_query(self) -> dict[str, object]:
        """The query parameters sent with every request: `default_query=` and the `api-version`."""
        return {**self._options.default_query, "api-version": self._api_version}

    @property
    @override
    def _custom_query(self) -> dict[str, object]:
        return self.default_query

    @override
    def _static_key(self) -> str:
        return self.api_key  # checked when the client was made ("" only with `_enforce_credentials=False`)

    @override
    def _checked_key(self, key: object) -> str:
        """What a credential callable returned, as a plain `str`. A token provider must return a
        non-empty string; a callable `api_key` may return "" (no `api-key` header: the request's own
        headers then carry the credential). A subclass of `str` is read without calling its
        overrides, and nothing else is accepted: no value reaches an error message or a log."""
        token = str.__str__(key) if isinstance(key, str) else None
        if token is None or (not token and self._bearer):
            raise AzureCredentialError(
                f"`{self._credential_source}` must return a non-empty string, but it returned {_kind_of(key)}"
            )
        return super()._checked_key(token) if token else ""

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
        if not auth and not any(name in request.headers for name in ("api-key", "authorization")):
            raise AzureCredentialError(
                f"This request has no credential: `{self._credential_source}` gave none, and neither an "
                "`api-key` nor an `Authorization` header was set"
            )
        return request, opened

    def _azure_url(self, plan: RequestPlan) -> str:
        return self._azure_path(plan.url, _model_of(plan))

    def _azure_path(self, path: str, model: str | None) -> str:
        """Where a request goes: per-deployment endpoints under `/deployments/{model}` (unless the base
        URL names a deployment already), the others at the API root even when it does."""
        if "://" in path:
            return path
        if path in _DEPLOYMENT_PATHS:
            if "/deployments/" in self._base_url + "/":
                return path  # the base URL already names the deployment
            return f"/deployments/{path_param('model', model)}{path}" if model else path
        if self._azure_endpoint and self._azure_deployment:
            return f"{self._azure_endpoint}/openai{path}"  # not a per-deployment endpoint: the API root
        return path

    def _send_request(self, request: httpx2.Request, *, stream: bool = False, follow_redirects: bool | None = None) -> Any:
        """Send a request made by `_build_request` once, as it is (no retries): the official SDK's private
        name. A redirect to another origin drops the `api-key` header as on every Azure request."""
        if follow_redirects is None:
            return self._http.send(request, stream=stream)
        return self._http.send(request, stream=stream, follow_redirects=follow_redirects)

    def _prepare_url(self, url: str) -> httpx2.URL:
        """The URL a request to `url` goes to, without its query (no `model` known: per-deployment
        endpoints as the base URL names them). The official SDK's private name."""
        path = self._azure_path(url if url.startswith("/") or "://" in url else f"/{url}", None)
        return httpx2.URL(path if "://" in path else self._base_url + path)

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


def _kind_of(value: object) -> str:
    """What a credential callable returned, described without its value (which may be a secret)."""
    if isinstance(value, str):
        return "an empty string"
    if value is None:
        return "None"
    hint = " (an access-token object: return its `.token`)" if hasattr(type(value), "token") else ""
    return f"an object of type `{type(value).__name__}`{hint}"


def _officially_spelled(headers: Mapping[str, str]) -> dict[str, str]:
    return {"Authorization" if name == "authorization" else name: value for name, value in headers.items()}


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
        _enforce_credentials: bool = True,
    ) -> None:
        # `_enforce_credentials=False` (the official SDK's option): no credential needed when the client
        # is made; the caller's `api-key`/`Authorization` headers carry it
        self._setup(_azure_options(
            api_version=api_version, azure_endpoint=azure_endpoint, azure_deployment=azure_deployment, api_key=api_key,
            azure_ad_token=azure_ad_token, azure_ad_token_provider=azure_ad_token_provider, organization=organization,
            project=project, webhook_secret=webhook_secret, base_url=base_url, websocket_base_url=websocket_base_url,
            timeout=timeout, max_retries=max_retries, default_headers=default_headers, default_query=default_query,
            log_level=log_level, logger=logger, platform_headers=platform_headers,
            enforce_credentials=_enforce_credentials,
        ), http_client)

    # more keywords than the base method: fine for callers, but pyright reads an open TypedDict's
    # unknown keys as already taken by the base (the official SDK's override differs the same way)
    @override
    def with_options(self, **changes: Unpack[AzureOpenAIOptionChanges]) -> Self:  # pyright: ignore[reportIncompatibleMethodOverride]
        """A copy with the given options changed (the others kept); see `AzureOpenAIOptionChanges`."""
        return self._copied(dict(changes))

    copy = with_options  # pyright: ignore[reportIncompatibleMethodOverride]

    @override
    def _resolve_key(self, security: str | None) -> str:
        if security == "admin" or self._api_key_provider is None:
            return super()._resolve_key(security)
        return self._refresh_api_key()

    def _refresh_api_key(self) -> str:
        """Ask the credential callable for the key the next request carries (the official SDK's
        name: code written for it overrides this to watch or wrap each call)."""
        return super()._resolve_key(None)

    def _get_azure_ad_token(self) -> str | None:
        """The bearer token the next request would carry (a provider is asked now); None when the
        client authenticates with an API key. The official SDK's private name."""
        return self._resolve_key(None) if self._bearer else None

    def _realtime_auth_headers(self) -> dict[str, str]:
        """The credential headers for a Realtime WebSocket handshake (the provider is called now)."""
        return self._auth_headers_for(None, self._resolve_key(None))

    def _configure_realtime(self, model: str | None, extra_query: Mapping[str, str]) -> tuple[httpx2.URL, dict[str, str]]:
        """The Realtime handshake's URL and credential headers (`Authorization`, or `api-key`), under
        the official SDK's private name; code written for it reads them to open the socket itself."""
        url = httpx2.URL(self._realtime_url(model, extra_query=extra_query))
        return url, _officially_spelled(self._realtime_auth_headers())


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
        _enforce_credentials: bool = True,
    ) -> None:
        self._setup(_azure_options(
            api_version=api_version, azure_endpoint=azure_endpoint, azure_deployment=azure_deployment, api_key=api_key,
            azure_ad_token=azure_ad_token, azure_ad_token_provider=azure_ad_token_provider, organization=organization,
            project=project, webhook_secret=webhook_secret, base_url=base_url, websocket_base_url=websocket_base_url,
            timeout=timeout, max_retries=max_retries, default_headers=default_headers, default_query=default_query,
            log_level=log_level, logger=logger, platform_headers=platform_headers,
            enforce_credentials=_enforce_credentials,
        ), http_client)

    @override
    def with_options(self, **changes: Unpack[AsyncAzureOpenAIOptionChanges]) -> Self:  # pyright: ignore[reportIncompatibleMethodOverride]
        """A copy with the given options changed (the others kept); see `AsyncAzureOpenAIOptionChanges`."""
        return self._copied(dict(changes))

    copy = with_options  # pyright: ignore[reportIncompatibleMethodOverride]

    @override
    async def _resolve_key(self, security: str | None) -> str:
        if security == "admin" or self._api_key_provider is None:
            return await super()._resolve_key(security)
        return await self._refresh_api_key()

    async def _refresh_api_key(self) -> str:
        """Ask the credential callable for the key the next request carries (see `AzureOpenAI._refresh_api_key`)."""
        return await super()._resolve_key(None)

    async def _get_azure_ad_token(self) -> str | None:
        """The bearer token the next request would carry (see `AzureOpenAI._get_azure_ad_token`)."""
        return await self._resolve_key(None) if self._bearer else None

    async def _realtime_auth_headers(self) -> dict[str, str]:
        """The credential headers for a Realtime WebSocket handshake (the provider is called now)."""
        return self._auth_headers_for(None, await self._resolve_key(None))

    async def _configure_realtime(
        self, model: str | None, extra_query: Mapping[str, str]
    ) -> tuple[httpx2.URL, dict[str, str]]:
        """The Realtime handshake's URL and credential headers (see `AzureOpenAI._configure_realtime`)."""
        url = httpx2.URL(self._realtime_url(model, extra_query=extra_query))
        return url, _officially_spelled(await self._realtime_auth_headers())


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
