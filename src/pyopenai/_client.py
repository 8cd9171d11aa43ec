"""`OpenAI` and `AsyncOpenAI`: configuration, credentials, and the resource tree.

The endpoint resources (`client.chat`, `client.files`, ...) come from the generated
`resources._root` mixins and are created on first access.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ForwardRef, Literal, Union

import httpx2
from typing_extensions import Self, TypedDict, Unpack, override

from ._base_client import AsyncAPIClient, BaseClient, SyncAPIClient
from ._default_clients import DefaultAsyncHttpx2Client, own_sync_client
from ._exceptions import OpenAIError
from ._fork_safety import watch_for_fork
from ._logging import LoggerLike, RequestLogger
from ._options import ClientOptions, as_timeout, timeout_for
from ._rate_limiter import RateLimiter
from ._residency import DataResidency
from ._retry_policy import RetryPolicy
from ._types import NOT_GIVEN, NotGiven, Omit
from .resources._root import AsyncRootResources, RootResources

if TYPE_CHECKING:
    from .auth import WorkloadIdentity, X509WorkloadIdentity
    from .auth._exchange import WorkloadIdentityAuth
    from .providers import Provider

__all__ = ["AsyncOpenAI", "OpenAI", "OpenAIClientBase"]

ApiKeyProvider = Callable[[], str]
AsyncApiKeyProvider = Callable[[], Union[str, Awaitable[str]]]


class OptionChanges(TypedDict, total=False):
    """What `with_options()` / `copy()` can change; an option not given keeps its value, and so
    does None, except for `timeout`, `deadline` and `rate_limiter`, where None means none.
    `default_headers`/`default_query` add to the current ones, `set_default_headers`/
    `set_default_query` replace them. The copy shares the connection pool unless `http_client`
    is given."""

    organization: str | None
    project: str | None
    admin_api_key: str | None
    webhook_secret: str | None
    base_url: str | httpx2.URL | None
    websocket_base_url: str | httpx2.URL | None
    timeout: float | httpx2.Timeout | NotGiven | None
    deadline: float | NotGiven | None
    max_retries: int | NotGiven
    default_headers: Mapping[str, str | Omit] | None
    set_default_headers: Mapping[str, str | Omit] | None
    default_query: Mapping[str, object] | None
    set_default_query: Mapping[str, object] | None
    log_level: str | None
    logger: LoggerLike | None
    platform_headers: bool | None
    data_residency: DataResidency | None
    workload_identity: WorkloadIdentity | X509WorkloadIdentity | None
    provider: Provider | None
    retry: RetryPolicy | None
    rate_limiter: RateLimiter | Literal["auto"] | NotGiven | None
    tracer_provider: Any
    meter_provider: Any


class OpenAIOptionChanges(OptionChanges, total=False):
    api_key: str | ApiKeyProvider | None
    http_client: httpx2.Client | None


class AsyncOpenAIOptionChanges(OptionChanges, total=False):
    api_key: str | AsyncApiKeyProvider | None
    http_client: httpx2.AsyncClient | None

_MISSING_KEY = (
    "No API key: pass api_key= to the client or set the OPENAI_API_KEY environment variable"
)
_MISSING_ADMIN_KEY = (
    "This endpoint needs an admin API key: pass admin_api_key= to the client or set the OPENAI_ADMIN_KEY "
    "environment variable"
)


def _check_http_client(http_client: object, asynchronous: bool) -> None:
    """An httpx2 client of the right kind (or an httpx one, for code that already has one), by isinstance."""
    name = "AsyncClient" if asynchronous else "Client"
    kinds: list[type] = [httpx2.AsyncClient if asynchronous else httpx2.Client]
    legacy = sys.modules.get("httpx")  # an httpx client exists only if its module was imported
    if legacy is not None:
        kinds.append(getattr(legacy, name))
    if not isinstance(http_client, tuple(kinds)):
        kind = type(http_client)
        raise TypeError(f"http_client must be an httpx2.{name} (or httpx.{name}), got {kind.__module__}.{kind.__name__}")


class OpenAIClientBase(BaseClient):
    """What both clients do with their options: credentials, identity headers, copies."""

    api_key: str
    organization: str | None
    project: str | None
    admin_api_key: str | None
    webhook_secret: str | None
    websocket_base_url: str | None
    _options: ClientOptions
    _owns_http: bool
    _api_key_provider: Callable[[], Any] | None
    # the official SDK's option: a result that does not match its type raises
    # `APIResponseValidationError` instead of being built leniently
    _strict_response_validation: bool = False

    def _setup(self, options: ClientOptions, http_client: Any) -> None:
        """Configure this client from `options`; `http_client` None: a new default one."""
        api_key = options.api_key
        self._provider_auth: Any = None
        if options.provider is not None:
            self._provider_auth = options.provider.auth()
            # the provider authenticates each request itself, and a signed request is not replayed elsewhere
            self._send_options = {"auth": self._provider_auth, "follow_redirects": False}
        self._workload_auth: WorkloadIdentityAuth | None = None
        if options.workload_identity is not None:
            from .auth._exchange import WorkloadIdentityAuth

            if api_key is not None:
                raise OpenAIError("api_key and workload_identity cannot be used together: pass one of them")
            self._workload_auth = auth = WorkloadIdentityAuth(options.workload_identity)
            api_key = self._workload_token_provider(auth)
        if api_key is None and options.admin_api_key is None:
            raise OpenAIError(_MISSING_KEY)
        if http_client is not None:
            _check_http_client(http_client, self._is_async)
        self._options = options
        self._api_key_provider = api_key if callable(api_key) else None
        self.api_key = "" if callable(api_key) or api_key is None else str(api_key)
        self.admin_api_key = options.admin_api_key
        self.organization = options.organization
        self.project = options.project
        self.webhook_secret = options.webhook_secret
        self.websocket_base_url = options.websocket_base_url
        self._log = RequestLogger(options.logger, options.log_level, secrets=[self.api_key, self.admin_api_key or ""])
        self._apply_transport_options(options)
        self._owns_http = True  # closing the client closes its HTTP client, the caller's too
        self._http = self._default_http_client() if http_client is None else http_client
        watch_for_fork(self._http)

    _is_async = False

    def _default_http_client(self) -> Any:
        raise NotImplementedError

    def _workload_token_provider(self, auth: WorkloadIdentityAuth) -> Callable[[], Any]:
        raise NotImplementedError

    def _copied(self, changes: dict[str, Any]) -> Self:
        """`with_options()`: the given options changed, sharing this client's connection pool
        unless given another HTTP client."""
        changes = {name: value for name, value in changes.items() if not isinstance(value, NotGiven)}
        http_client = changes.pop("http_client", None)
        copy = type(self).__new__(type(self))
        copy._setup(self._options.replaced(changes), http_client or self._http)
        copy._owns_http = http_client is not None
        copy._strict_response_validation = self._strict_response_validation
        copy._latest_rate_limits = self._latest_rate_limits  # one account, one picture of its limits
        return copy

    @property
    def default_query(self) -> dict[str, object]:
        """The query parameters sent with every request (`default_query=`), as in the official SDK."""
        return dict(self._options.default_query)

    @property
    def _custom_headers(self) -> dict[str, str | Omit]:
        """`default_headers=` as given, under the official SDK's attribute name (libraries read it,
        e.g. to tell clients apart in a cache key)."""
        return dict(self._options.default_headers)

    @property
    def _custom_query(self) -> dict[str, object]:
        """`default_query=` as given, under the official SDK's attribute name."""
        return dict(self._options.default_query)

    @property
    def _client(self) -> Any:
        """The HTTP client, under the official SDK's attribute name: libraries read it to tell
        whether two clients share a connection pool (`a._client is b._client`)."""
        return self._http

    def is_closed(self) -> bool:
        """Whether the HTTP client is closed (after `close()`, or closed by whoever shares it)."""
        return bool(self._http.is_closed)

    def _auth_refreshable(self, security: str | None) -> bool:
        return security != "admin" and self._api_key_provider is not None

    @override
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

    def _admin_key(self) -> str:
        if not self.admin_api_key:
            raise OpenAIError(_MISSING_ADMIN_KEY)
        return self.admin_api_key

    def _checked_key(self, key: object) -> str:
        """A key from the provider: checked, remembered and redacted from the logs from now on."""
        if not isinstance(key, str) or not key:
            raise OpenAIError(f"The api_key provider must return a non-empty str, got {type(key).__name__}")
        if key != self.api_key:
            self.api_key = key
            self._log.secrets = (*self._log.secrets[-8:], key)  # redact the latest keys
        return key

    @override
    def _current_key(self, security: str | None) -> str:
        if security == "admin":
            return self._admin_key()
        return self.api_key if self._api_key_provider is not None else self._static_key()

    def _static_key(self) -> str:
        if not self.api_key and self._provider_auth is None:
            raise OpenAIError(_MISSING_KEY)
        return self.api_key

    @override
    def __repr__(self) -> str:
        # never the keys
        return (
            f"{type(self).__name__}(base_url={getattr(self, '_base_url', None)!r}, "
            f"organization={self.organization!r}, project={self.project!r}, "
            f"max_retries={getattr(self, 'max_retries', None)!r})"
        )

    def __getstate__(self) -> None:
        raise TypeError(f"{type(self).__name__} cannot be pickled: create a client in each process")


class OpenAI(OpenAIClientBase, RootResources, SyncAPIClient):
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
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.Client | Any | None = None,
        log_level: str | None = None,
        logger: LoggerLike | None = None,
        platform_headers: bool = True,
        data_residency: DataResidency | None = None,
        workload_identity: WorkloadIdentity | X509WorkloadIdentity | None = None,
        provider: Provider | None = None,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | Literal["auto"] | None = None,
        tracer_provider: Any = None,
        meter_provider: Any = None,
        _strict_response_validation: bool = False,
    ) -> None:
        options = ClientOptions.resolve(
            api_key=api_key, admin_api_key=admin_api_key, organization=organization, project=project,
            webhook_secret=webhook_secret, base_url=base_url, websocket_base_url=websocket_base_url,
            timeout=timeout_for(timeout, http_client),
            deadline=deadline, max_retries=max_retries, default_headers=default_headers, default_query=default_query,
            log_level=log_level, logger=logger, platform_headers=platform_headers, data_residency=data_residency,
            workload_identity=workload_identity, provider=provider, retry=retry, rate_limiter=rate_limiter,
            tracer_provider=tracer_provider, meter_provider=meter_provider,
        )
        self._setup(options, http_client)
        self._strict_response_validation = _strict_response_validation

    def with_options(self, **changes: Unpack[OpenAIOptionChanges]) -> Self:
        """A copy with the given options changed (the others kept); see `OptionChanges`."""
        return self._copied(dict(changes))

    copy = with_options  # the official SDK's other name

    def _default_http_client(self) -> httpx2.Client:
        return own_sync_client(as_timeout(self.timeout))

    def _workload_token_provider(self, auth: WorkloadIdentityAuth) -> Callable[[], Any]:
        return lambda: auth.get_token(self._http)

    def _resolve_key(self, security: str | None) -> str:
        if security == "admin":
            return self._admin_key()
        provider = self._api_key_provider
        return self._static_key() if provider is None else self._checked_key(provider())

    def _refresh_api_key(self) -> str:
        """Ask the `api_key` provider for a key now (the official SDK's name; calls do it themselves)."""
        return self._resolve_key(None)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncOpenAI(OpenAIClientBase, AsyncRootResources, AsyncAPIClient):
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
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | Any | None = None,
        log_level: str | None = None,
        logger: LoggerLike | None = None,
        platform_headers: bool = True,
        data_residency: DataResidency | None = None,
        workload_identity: WorkloadIdentity | X509WorkloadIdentity | None = None,
        provider: Provider | None = None,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | Literal["auto"] | None = None,
        tracer_provider: Any = None,
        meter_provider: Any = None,
        _strict_response_validation: bool = False,
    ) -> None:
        options = ClientOptions.resolve(
            api_key=api_key, admin_api_key=admin_api_key, organization=organization, project=project,
            webhook_secret=webhook_secret, base_url=base_url, websocket_base_url=websocket_base_url,
            timeout=timeout_for(timeout, http_client),
            deadline=deadline, max_retries=max_retries, default_headers=default_headers, default_query=default_query,
            log_level=log_level, logger=logger, platform_headers=platform_headers, data_residency=data_residency,
            workload_identity=workload_identity, provider=provider, retry=retry, rate_limiter=rate_limiter,
            tracer_provider=tracer_provider, meter_provider=meter_provider,
        )
        self._setup(options, http_client)
        self._strict_response_validation = _strict_response_validation

    _is_async = True

    def with_options(self, **changes: Unpack[AsyncOpenAIOptionChanges]) -> Self:
        """A copy with the given options changed (the others kept); see `OptionChanges`."""
        return self._copied(dict(changes))

    copy = with_options  # the official SDK's other name

    def _default_http_client(self) -> httpx2.AsyncClient:
        return DefaultAsyncHttpx2Client(timeout=as_timeout(self.timeout))

    def _workload_token_provider(self, auth: WorkloadIdentityAuth) -> Callable[[], Any]:
        return lambda: auth.get_token_async(self._http)

    async def _resolve_key(self, security: str | None) -> str:
        if security == "admin":
            return self._admin_key()
        provider = self._api_key_provider
        if provider is None:
            return self._static_key()
        key: Any = provider()
        if hasattr(key, "__await__"):
            key = await key
        return self._checked_key(key)

    async def _refresh_api_key(self) -> str:
        """Ask the `api_key` provider for a key now (the official SDK's name; calls do it themselves)."""
        return await self._resolve_key(None)

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def show_options(method: Callable[..., Any], changes: type) -> None:
    """`inspect.signature(client.with_options)` (and `copy`, help(), runtime introspection) lists the
    options it takes, as the official SDK's does, not `**changes`: each keyword-only, defaulting to
    "keep the current value"."""
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for name, hint in changes.__annotations__.items():
        annotation = hint.__forward_arg__ if isinstance(hint, ForwardRef) else hint
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=NOT_GIVEN,
                                            annotation=annotation))
    setattr(method, "__signature__", inspect.Signature(parameters, return_annotation="Self"))  # noqa: B010


show_options(OpenAI.with_options, OpenAIOptionChanges)
show_options(AsyncOpenAI.with_options, AsyncOpenAIOptionChanges)
