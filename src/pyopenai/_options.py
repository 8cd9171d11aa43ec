"""Client options, resolved once: the constructor's arguments, then the environment, then the defaults.

`ClientOptions` is the one typed, immutable value a client is built from; `with_options`/`copy`
replace some of its fields (`ClientOptions.replaced`) and build a new client from the result, so a
copy keeps exactly what the caller gave (a `timeout=None` stays None, header names keep their
spelling). `as_timeout` is the one rule that turns a float into a timeout, in the constructor and
per call alike.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

import httpx2
from typing_extensions import Self

from . import _constants as C
from ._deadline import check_deadline
from ._exceptions import OpenAIError
from ._rate_limiter import RateLimiter, resolve_rate_limiter
from ._residency import residency_base_url
from ._retry_policy import DEFAULT_RETRY_POLICY, RetryPolicy
from ._types import NOT_GIVEN, NotGiven, Omit

__all__ = [
    "DEFAULT_TIMEOUT", "HTTPX_DEFAULT_TIMEOUT", "ClientOptions", "HeaderMap", "as_timeout", "check_max_retries", "env",
    "timeout_for",
]

DEFAULT_TIMEOUT = httpx2.Timeout(C.DEFAULT_TIMEOUT_SECONDS, connect=C.DEFAULT_CONNECT_TIMEOUT_SECONDS)

# httpx2's own default timeout: an HTTP client left at it gets the API client's default instead
HTTPX_DEFAULT_TIMEOUT = httpx2.Timeout(5.0)


def timeout_for(timeout: float | httpx2.Timeout | NotGiven | None, http_client: object) -> float | httpx2.Timeout | NotGiven | None:
    """`timeout=` as given; when it is not, the timeout set on the caller's own HTTP client (an
    httpx2 or httpx client), unless that is the HTTP library's default."""
    own: Any = getattr(http_client, "timeout", None)
    if not isinstance(timeout, NotGiven) or own is None or not hasattr(own, "read"):
        return timeout
    phases = {"connect": own.connect, "read": own.read, "write": own.write, "pool": own.pool}
    own_timeout = httpx2.Timeout(**phases)
    return timeout if own_timeout == HTTPX_DEFAULT_TIMEOUT else own_timeout


def env(name: str) -> str | None:
    """An environment variable, with empty values treated as unset."""
    value = os.environ.get(name)
    return value if value else None


def as_timeout(value: float | httpx2.Timeout | None) -> httpx2.Timeout:
    """A timeout for the HTTP library: a number of seconds applies to every phase; None is no limit."""
    return value if isinstance(value, httpx2.Timeout) else httpx2.Timeout(value)


def _policy(retry: RetryPolicy | None, max_retries: int | NotGiven) -> RetryPolicy:
    """The retry policy: `retry=` (else the default), with `max_retries=` applied on top when given."""
    if retry is not None and not isinstance(retry, RetryPolicy):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"retry must be a pyopenai.RetryPolicy, got {type(retry).__name__}")
    policy = retry or DEFAULT_RETRY_POLICY
    if isinstance(max_retries, NotGiven):
        return policy
    return policy.with_max_retries(check_max_retries(max_retries))


def _telemetry(tracer_provider: Any, meter_provider: Any) -> Any:
    """A client's own instruments when it was given providers (imports OpenTelemetry only then)."""
    if tracer_provider is None and meter_provider is None:
        return None
    from ._telemetry import Telemetry

    return Telemetry(tracer_provider=tracer_provider, meter_provider=meter_provider)


def check_max_retries(value: object) -> int:
    if value is None:
        raise TypeError("max_retries cannot be None: pass 0 to turn retries off, or a larger number for more")
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"max_retries must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"max_retries must be 0 or more, got {value}")
    return value


class HeaderMap(Mapping[str, str]):
    """Headers as given (each name keeps its spelling), read case-insensitively."""

    __slots__ = ("_items",)

    def __init__(self, headers: Mapping[str, str] | None = None) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in (headers or {}).items():
            self._items[name.lower()] = (name, value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (spelled for spelled, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


# with_options(name=None) means "none" for these, "keep it" for every other option
_NONE_IS_A_VALUE = ("timeout", "deadline", "rate_limiter")


def _check_provider(provider: object, **given: object) -> None:
    """A provider comes from pyopenai.providers and is not combined with what it sets itself."""
    from .providers._provider import Provider

    if not isinstance(provider, Provider):
        raise TypeError(f"provider must come from pyopenai.providers (bedrock(...), vertex(...)), got {type(provider).__name__}")
    for name in ("api_key", "base_url", "workload_identity"):
        if given[name] is not None:
            raise OpenAIError(f"provider and {name} cannot be used together: the provider sets the endpoint and "
                              "credentials (configure them in its factory)")
    if provider.refuses_account_headers:
        for name in ("organization", "project"):
            if given[name] is not None:
                raise OpenAIError(f"{provider.name} does not take an OpenAI {name}: remove {name}=")


def _is_x509(workload_identity: object) -> bool:
    return isinstance(workload_identity, Mapping) and cast("Mapping[str, object]", workload_identity).get("type") == "x509"


@dataclass(frozen=True)
class ClientOptions:
    """Everything a client is configured with, after the environment and the defaults have been applied."""

    api_key: str | Callable[[], Any] | None
    admin_api_key: str | None = None
    organization: str | None = None
    project: str | None = None
    webhook_secret: str | None = None
    base_url: str = C.DEFAULT_BASE_URL
    websocket_base_url: str | None = None
    timeout: float | httpx2.Timeout | None = field(default_factory=lambda: DEFAULT_TIMEOUT)
    deadline: float | None = None
    max_retries: int = C.DEFAULT_MAX_RETRIES
    # as the caller gave them; an `Omit()` value removes a header the client would send
    default_headers: Mapping[str, str | Omit] = field(default_factory=dict[str, "str | Omit"])
    default_query: Mapping[str, object] = field(default_factory=dict[str, object])
    log_level: str | None = None
    logger: Any = None
    platform_headers: bool = True
    data_residency: str | None = None  # the region `base_url` was derived from
    workload_identity: Any = None
    provider: Any = None  # a pyopenai.providers endpoint (Bedrock, Vertex): it sets base URL and credentials
    # what is retried and how (its `max_retries` is the field above: they are kept equal)
    retry: RetryPolicy = DEFAULT_RETRY_POLICY
    # shared by a client and its copies, so they pace together under one account's limits
    rate_limiter: RateLimiter | None = None
    # OpenTelemetry: the providers as given, and the instruments made from them (None: the global
    # `pyopenai.instrument()` setting applies)
    tracer_provider: Any = None
    meter_provider: Any = None
    telemetry: Any = None

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | Callable[[], Any] | None,
        admin_api_key: str | None,
        organization: str | None,
        project: str | None,
        webhook_secret: str | None,
        base_url: str | httpx2.URL | None,
        websocket_base_url: str | httpx2.URL | None,
        timeout: float | httpx2.Timeout | NotGiven | None,
        deadline: float | None,
        max_retries: int | NotGiven,
        default_headers: Mapping[str, str | Omit] | None,
        default_query: Mapping[str, object] | None,
        log_level: str | None,
        logger: Any,
        platform_headers: bool,
        data_residency: str | None = None,
        workload_identity: Any = None,
        provider: Any = None,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | str | None = None,
        tracer_provider: Any = None,
        meter_provider: Any = None,
    ) -> Self:
        """The options of a new client: each argument, else its environment variable, else the default.

        A region (`data_residency`) or an X.509 workload identity decides the base URL, and a workload
        identity is the credential: `OPENAI_BASE_URL` and `OPENAI_API_KEY` are not read for them. A
        provider sets both, and takes none of them.
        """
        if provider is not None:
            _check_provider(provider, api_key=api_key, base_url=base_url, workload_identity=workload_identity,
                            organization=organization, project=project)
            base_url, api_key = str(provider.base_url), ""
        if _is_x509(workload_identity) and base_url is None:
            from .auth._exchange import mtls_base_url

            base_url = mtls_base_url(data_residency)  # the API checks the client certificate on these hosts
            data_residency = None
        regional = residency_base_url(
            data_residency, base_url=base_url, websocket_base_url=websocket_base_url, provider=provider
        )
        if api_key is None and workload_identity is None:
            api_key = env("OPENAI_API_KEY")
        policy = _policy(retry, max_retries)
        return cls(
            api_key=api_key,
            admin_api_key=admin_api_key if admin_api_key is not None else env("OPENAI_ADMIN_KEY"),
            organization=organization if organization is not None else env("OPENAI_ORG_ID"),
            project=project if project is not None else env("OPENAI_PROJECT_ID"),
            webhook_secret=webhook_secret if webhook_secret is not None else env("OPENAI_WEBHOOK_SECRET"),
            base_url=regional or (str(base_url) if base_url is not None else env("OPENAI_BASE_URL") or C.DEFAULT_BASE_URL),
            websocket_base_url=None if websocket_base_url is None else str(websocket_base_url),
            timeout=DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout,
            deadline=check_deadline(deadline),
            max_retries=policy.max_retries,
            retry=policy,
            rate_limiter=resolve_rate_limiter(rate_limiter),  # pyright: ignore[reportArgumentType]
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
            telemetry=_telemetry(tracer_provider, meter_provider),
            default_headers=dict(default_headers or {}),
            default_query=dict(default_query or {}),
            log_level=log_level,
            logger=logger,
            platform_headers=platform_headers,
            data_residency=data_residency,
            workload_identity=workload_identity,
            provider=provider,
        )

    def replaced(self, changes: Mapping[str, Any]) -> Self:
        """These options with `changes` (the keyword arguments of `with_options`) applied.

        None and NOT_GIVEN keep a field as it is, except `timeout` and `deadline`, where None means
        "no limit". `default_headers`/`default_query` add to the current ones, `set_default_headers`/
        `set_default_query` replace them.
        """
        changes = dict(changes)
        for name in ("headers", "query"):
            added, whole = changes.pop(f"default_{name}", None), changes.pop(f"set_default_{name}", None)
            if added is not None and whole is not None:
                raise ValueError(f"default_{name}= and set_default_{name}= are mutually exclusive: pass one")
            current: Mapping[str, Any] = getattr(self, f"default_{name}")
            if whole is not None:
                changes[f"default_{name}"] = dict(whole)
            elif added is not None:
                changes[f"default_{name}"] = {**current, **added}
        if changes.get("max_retries", NOT_GIVEN) is None:
            check_max_retries(None)
        if changes.get("retry") is not None or not isinstance(changes.get("max_retries", NOT_GIVEN), NotGiven):
            policy = _policy(changes.get("retry") or self.retry, changes.get("max_retries", NOT_GIVEN))
            changes["retry"], changes["max_retries"] = policy, policy.max_retries
        if changes.get("rate_limiter") is not None:
            changes["rate_limiter"] = resolve_rate_limiter(changes["rate_limiter"])
        if changes.get("tracer_provider") is not None or changes.get("meter_provider") is not None:
            tracer_provider = changes.get("tracer_provider") or self.tracer_provider
            meter_provider = changes.get("meter_provider") or self.meter_provider
            changes["telemetry"] = _telemetry(tracer_provider, meter_provider)
        cleared: dict[str, Any] = {}
        region = changes.get("data_residency")
        if region is not None:  # a new region replaces the inherited endpoints
            changes["base_url"] = residency_base_url(region, base_url=None, websocket_base_url=None, provider=None)
            cleared["websocket_base_url"] = None
        elif changes.get("base_url") is not None or changes.get("websocket_base_url") is not None:
            cleared["data_residency"] = None  # an explicit endpoint replaces the inherited region
        fields: dict[str, Any] = {}
        for name, value in changes.items():
            if isinstance(value, NotGiven) or (value is None and name not in _NONE_IS_A_VALUE):
                continue
            if name in ("base_url", "websocket_base_url"):
                value = str(value)
            fields[name] = value
        result = replace(self, **{**fields, **cleared})
        check_deadline(result.deadline)
        check_max_retries(result.max_retries)
        return result
