"""`OpenAI` and `AsyncOpenAI`: configuration, credentials, and the resource tree.

The endpoint resources (`client.chat`, `client.files`, ...) come from the generated
`resources._root` mixins and are created on first access.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Union

import httpx2
from typing_extensions import Self, override

from . import _constants as C
from ._base_client import AsyncAPIClient, SyncAPIClient, check_deadline, env
from ._default_clients import DefaultAsyncHttpx2Client, DefaultHttpx2Client
from ._exceptions import OpenAIError
from ._fork_safety import watch_for_fork
from ._logging import LoggerLike, RequestLogger
from ._residency import DataResidency, residency_base_url
from ._types import NOT_GIVEN, NotGiven
from .resources._root import AsyncRootResources, RootResources

if TYPE_CHECKING:
    from .auth import WorkloadIdentity, X509WorkloadIdentity
    from .auth._exchange import WorkloadIdentityAuth
    from .providers import Provider

__all__ = ["AsyncOpenAI", "OpenAI"]

ApiKeyProvider = Callable[[], str]
AsyncApiKeyProvider = Callable[[], Union[str, Awaitable[str]]]

_MISSING_KEY = (
    "No API key: pass api_key= to the client or set the OPENAI_API_KEY environment variable"
)
_MISSING_ADMIN_KEY = (
    "This endpoint needs an admin API key: pass admin_api_key= to the client or set the OPENAI_ADMIN_KEY "
    "environment variable"
)


_INIT_OPTION_NAMES = (
    "api_key", "organization", "project", "admin_api_key", "webhook_secret", "base_url", "websocket_base_url",
    "timeout", "max_retries", "default_headers", "default_query", "log_level", "logger", "platform_headers",
    "data_residency", "workload_identity", "provider",
)


class _ClientOptions:
    """The settings shared by both clients, resolved from arguments and the environment."""

    api_key: str
    organization: str | None
    project: str | None
    admin_api_key: str | None
    webhook_secret: str | None
    websocket_base_url: str | None
    _options: dict[str, Any]
    _owns_http: bool

    _http: Any
    deadline: float | None

    def _configure(self, arguments: dict[str, Any], http_kind: str, default_http: Callable[[], Any]) -> None:
        """The body both constructors share: `arguments` are the constructor's `locals()`."""
        self._options = {k: v for k, v in arguments.items() if k not in ("self", "__class__")}
        options = self._options
        http_client = options["http_client"]
        _check_http_client(http_client, http_kind)
        self._init_options(**{k: options[k] for k in _INIT_OPTION_NAMES})
        self.deadline = check_deadline(options["deadline"])
        self._owns_http = True
        self._http = http_client or default_http()
        watch_for_fork(self._http)

    def with_options(self, **changes: Any) -> Self:
        """A copy with some options changed, sharing this client's connection pool."""
        deadline = changes.pop("deadline", self.deadline)
        kwargs = self._copy_kwargs(changes)
        if changes.get("http_client") is None:
            kwargs["http_client"] = self._http
        copy = type(self)(**kwargs)
        copy._owns_http = changes.get("http_client") is not None
        copy.deadline = check_deadline(deadline)
        return copy

    def copy(self, **changes: Any) -> Self:
        """The official SDK's other name for `with_options`."""
        return self.with_options(**changes)

    def _init_options(
        self,
        *,
        api_key: Any,
        organization: str | None,
        project: str | None,
        admin_api_key: str | None,
        webhook_secret: str | None,
        base_url: str | httpx2.URL | None,
        websocket_base_url: str | httpx2.URL | None,
        timeout: float | httpx2.Timeout | NotGiven | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        log_level: str | None,
        logger: LoggerLike | None,
        platform_headers: bool,
        data_residency: DataResidency | None,
        workload_identity: Any,
        provider: Any,
    ) -> None:
        self._workload_auth = None
        self._provider_auth = None
        if provider is not None:
            self._provider_auth = _provider_auth(provider, locals())
            base_url, api_key = str(provider.base_url), ""
        if workload_identity is not None:
            from .auth._exchange import WorkloadIdentityAuth, mtls_base_url

            if api_key is not None:
                raise OpenAIError("api_key and workload_identity cannot be used together: pass one of them")
            self._workload_auth = auth = WorkloadIdentityAuth(workload_identity)
            api_key = self._workload_token_provider(auth)
            if auth.x509 and base_url is None:
                base_url = mtls_base_url(data_residency)  # the API checks the client certificate on these hosts
                data_residency = None
        base_url = residency_base_url(
            data_residency, base_url=base_url, websocket_base_url=websocket_base_url, provider=provider
        ) or base_url
        if api_key is None:
            api_key = env("OPENAI_API_KEY")
        if admin_api_key is None:
            admin_api_key = env("OPENAI_ADMIN_KEY")
        if api_key is None and admin_api_key is None:
            raise OpenAIError(_MISSING_KEY)
        if self._provider_auth is not None:
            # the provider authenticates each request itself, and a signed request is not replayed elsewhere
            self._send_options = {"auth": self._provider_auth, "follow_redirects": False}
        self._api_key_provider = api_key if callable(api_key) else None
        self.api_key = "" if callable(api_key) or api_key is None else str(api_key)
        self.admin_api_key = admin_api_key
        self.organization = organization if organization is not None else env("OPENAI_ORG_ID")
        self.project = project if project is not None else env("OPENAI_PROJECT_ID")
        self.webhook_secret = webhook_secret if webhook_secret is not None else env("OPENAI_WEBHOOK_SECRET")
        self.websocket_base_url = None if websocket_base_url is None else str(websocket_base_url)
        resolved_base = str(base_url) if base_url is not None else env("OPENAI_BASE_URL") or C.DEFAULT_BASE_URL
        resolved_timeout = (
            httpx2.Timeout(C.DEFAULT_TIMEOUT_SECONDS, connect=C.DEFAULT_CONNECT_TIMEOUT_SECONDS)
            if isinstance(timeout, NotGiven)
            else timeout
        )
        self._log = RequestLogger(logger, log_level, secrets=[self.api_key, admin_api_key or ""])
        self._init_transport(  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType]
            base_url=resolved_base,
            timeout=resolved_timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            platform_headers_enabled=platform_headers,
        )

    def _workload_token_provider(self, auth: WorkloadIdentityAuth) -> Callable[[], Any]:
        raise NotImplementedError

    def _auth_refreshable(self, security: str | None) -> bool:
        return security != "admin" and self._api_key_provider is not None

    def _credential_refused(self, security: str | None) -> bool:
        """The API answered 401: drop a cached workload token; whether resolving the key again may help."""
        if self._workload_auth is not None and security != "admin":
            self._workload_auth.invalidate(self.api_key)
        return self._auth_refreshable(security)

    def _identity_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.organization:
            headers["openai-organization"] = self.organization
        if self.project:
            headers["openai-project"] = self.project
        return headers

    @override
    def __repr__(self) -> str:
        # never the keys
        return (
            f"{type(self).__name__}(base_url={getattr(self, '_base_url', None)!r}, "
            f"organization={self.organization!r}, project={self.project!r}, "
            f"max_retries={getattr(self, 'max_retries', None)!r})"
        )

    def _copy_kwargs(self, changes: dict[str, Any]) -> dict[str, Any]:
        kwargs = dict(self._options)
        kwargs.pop("deadline", None)  # `with_options` sets it on the copy (Azure's constructors do not take it)
        if "default_headers" in changes and "set_default_headers" not in changes:
            changes["default_headers"] = {**(kwargs.get("default_headers") or {}), **(changes["default_headers"] or {})}
        if "default_query" in changes and "set_default_query" not in changes:
            changes["default_query"] = {**(kwargs.get("default_query") or {}), **(changes["default_query"] or {})}
        if changes.get("base_url") is not None or changes.get("websocket_base_url") is not None:
            kwargs.pop("data_residency", None)  # an explicit endpoint replaces the inherited region
        if changes.get("data_residency") is not None:
            kwargs.pop("base_url", None)
            kwargs.pop("websocket_base_url", None)
        if "set_default_headers" in changes:
            changes["default_headers"] = changes.pop("set_default_headers")
        if "set_default_query" in changes:
            changes["default_query"] = changes.pop("set_default_query")
        kwargs.update({k: v for k, v in changes.items() if (v is not NOT_GIVEN and v is not None) or k == "timeout"})
        return kwargs

    def __getstate__(self) -> None:
        raise TypeError(f"{type(self).__name__} cannot be pickled: create a client in each process")


def _provider_auth(provider: object, arguments: dict[str, Any]) -> Any:
    """The request authentication of `provider` for one client, after checking what it cannot be combined with."""
    from .providers._provider import Provider

    if not isinstance(provider, Provider):
        raise TypeError(f"provider must come from pyopenai.providers (bedrock(...), vertex(...)), got {type(provider).__name__}")
    for name in ("api_key", "base_url", "workload_identity"):
        if arguments[name] is not None:
            raise OpenAIError(f"provider and {name} cannot be used together: the provider sets the endpoint and "
                              "credentials (configure them in its factory)")
    if provider.refuses_account_headers:
        for name in ("organization", "project"):
            if arguments[name] is not None:
                raise OpenAIError(f"{provider.name} does not take an OpenAI {name}: remove {name}=")
    return provider.auth()


def _check_http_client(http_client: object, expected: str) -> None:
    if http_client is None:
        return
    kind = type(http_client)
    # subclasses count (DefaultHttpx2Client, DefaultAioHttpClient, users' own)
    if not any(cls.__name__ == expected and cls.__module__.split(".")[0] in ("httpx2", "httpx") for cls in kind.__mro__):
        raise TypeError(
            f"http_client must be an httpx2.{expected} (or httpx.{expected}), got {kind.__module__}.{kind.__name__}"
        )


class OpenAI(_ClientOptions, RootResources, SyncAPIClient):
    """The synchronous client. Every option falls back to its environment variable."""

    def __init__(
        self,
        *,
        api_key: str | ApiKeyProvider | None = None,
        organization: str | None = None,
        project: str | None = None,
        admin_api_key: str | None = None,
        webhook_secret: str | None = None,
        base_url: str | httpx2.URL | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
        deadline: float | None = None,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.Client | Any | None = None,
        log_level: str | None = None,
        logger: LoggerLike | None = None,
        platform_headers: bool = True,
        data_residency: DataResidency | None = None,
        workload_identity: WorkloadIdentity | X509WorkloadIdentity | None = None,
        provider: Provider | None = None,
    ) -> None:
        self._configure(locals(), "Client", lambda: DefaultHttpx2Client(timeout=self.timeout))

    def _workload_token_provider(self, auth: WorkloadIdentityAuth) -> Callable[[], Any]:
        return lambda: auth.get_token(self._http)

    def _resolve_key(self, security: str | None) -> str:
        if security == "admin":
            if not self.admin_api_key:
                raise OpenAIError(_MISSING_ADMIN_KEY)
            return self.admin_api_key
        provider = self._api_key_provider
        if provider is not None:
            key = provider()
            if not isinstance(key, str) or not key:  # pyright: ignore[reportUnnecessaryIsInstance]
                raise OpenAIError(f"The api_key provider must return a non-empty str, got {type(key).__name__}")
            if key != self.api_key:
                self.api_key = key
                self._log.secrets = (*self._log.secrets[-8:], key)  # redact the latest keys
            return key
        if not self.api_key and self._provider_auth is None:
            raise OpenAIError(_MISSING_KEY)
        return self.api_key

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncOpenAI(_ClientOptions, AsyncRootResources, AsyncAPIClient):
    """The asynchronous client (asyncio or trio). Every option falls back to its environment variable."""

    def __init__(
        self,
        *,
        api_key: str | AsyncApiKeyProvider | None = None,
        organization: str | None = None,
        project: str | None = None,
        admin_api_key: str | None = None,
        webhook_secret: str | None = None,
        base_url: str | httpx2.URL | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
        deadline: float | None = None,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | Any | None = None,
        log_level: str | None = None,
        logger: LoggerLike | None = None,
        platform_headers: bool = True,
        data_residency: DataResidency | None = None,
        workload_identity: WorkloadIdentity | X509WorkloadIdentity | None = None,
        provider: Provider | None = None,
    ) -> None:
        self._configure(locals(), "AsyncClient", lambda: DefaultAsyncHttpx2Client(timeout=self.timeout))

    def _workload_token_provider(self, auth: WorkloadIdentityAuth) -> Callable[[], Any]:
        return lambda: auth.get_token_async(self._http)

    async def _resolve_key(self, security: str | None) -> str:
        if security == "admin":
            if not self.admin_api_key:
                raise OpenAIError(_MISSING_ADMIN_KEY)
            return self.admin_api_key
        provider = self._api_key_provider
        if provider is not None:
            key: Any = provider()
            if hasattr(key, "__await__"):
                key = await key
            if not isinstance(key, str) or not key:
                raise OpenAIError(f"The api_key provider must return a non-empty str, got {type(key).__name__}")
            if key != self.api_key:
                self.api_key = key
                self._log.secrets = (*self._log.secrets[-8:], key)  # redact the latest keys
            return key
        if not self.api_key and self._provider_auth is None:
            raise OpenAIError(_MISSING_KEY)
        return self.api_key

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
