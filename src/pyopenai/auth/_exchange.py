"""The token exchange behind `OpenAI(workload_identity=...)`, and the cache of the token it yields.

The workload's credential (a subject token, or for X.509 the client certificate the HTTP client
presents) is exchanged (RFC 8693) for an OpenAI access token, which every request then carries as
`Authorization: Bearer`, WebSocket handshakes included. The token is cached and exchanged again
`refresh_buffer_seconds` before it expires (at most half-way through its lifetime); when the API
answers 401 the token is dropped and the request resent once with a fresh one.

Thread- and task-safe: one exchange at a time per identity (a lock for threads, an anyio lock for
the tasks of an async client); callers that find a fresh token do not wait. A refresh that fails
while the old token is still valid keeps the old token (it is tried again on the next call).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping
from typing import Any, cast

import httpx2

from .._exceptions import APIConnectionError, APITimeoutError, OAuthError, OpenAIError, SubjectTokenProviderError
from ._identity import WorkloadIdentity, X509WorkloadIdentity

__all__ = ["WorkloadIdentityAuth", "mtls_base_url"]

DEFAULT_TOKEN_EXCHANGE_URL = "https://auth.openai.com/oauth/token"
X509_TOKEN_EXCHANGE_URL = "https://mtls.auth.openai.com/oauth/token"
DEFAULT_REFRESH_BUFFER_SECONDS = 1200.0
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
SUBJECT_TOKEN_TYPES = {"jwt": "urn:ietf:params:oauth:token-type:jwt", "id": "urn:ietf:params:oauth:token-type:id_token"}
X509_SUBJECT_TOKEN_TYPE = "urn:openai:params:oauth:token-type:x509"
MTLS_BASE_URLS = {
    "global": "https://mtls.api.openai.com/v1",
    "us": "https://mtls-us.api.openai.com/v1",
    "eu": "https://mtls-eu.api.openai.com/v1",
}
_EXCHANGE_TIMEOUT = httpx2.Timeout(60.0, connect=10.0)


def mtls_base_url(data_residency: str | None) -> str:
    """The API host an X.509 identity talks to (the client certificate is checked there)."""
    url = MTLS_BASE_URLS.get(data_residency or "global")
    if url is None:
        raise OpenAIError(
            f"X.509 workload identity is served in the regions {', '.join(MTLS_BASE_URLS)}, not {data_residency!r}"
        )
    return url


def _check(identity: Mapping[str, Any]) -> bool:
    """Validate a workload identity; True when it is an X.509 one."""
    if not isinstance(identity, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise OpenAIError(f"workload_identity must be a dict, got {type(identity).__name__}")
    for field in ("identity_provider_id", "service_account_id"):
        value = identity.get(field)
        if not isinstance(value, str) or not value:
            raise OpenAIError(f"workload_identity needs a non-empty {field!r}")
    buffer = identity.get("refresh_buffer_seconds")
    if buffer is not None and (not isinstance(buffer, int | float) or not math.isfinite(buffer) or buffer < 0):
        raise OpenAIError(f"refresh_buffer_seconds must be a finite number of seconds >= 0, got {buffer!r}")
    x509 = identity.get("type") == "x509"
    if x509:
        if "provider" in identity:
            raise OpenAIError("An X.509 workload identity proves itself with the client certificate: drop 'provider'")
        return True
    provider = identity.get("provider")
    if not isinstance(provider, Mapping) or not callable(cast("Mapping[str, Any]", provider).get("get_token")):
        raise OpenAIError("workload_identity needs a 'provider' with a 'get_token' function (see pyopenai.auth)")
    token_type = cast("Mapping[str, Any]", provider).get("token_type")
    if token_type not in SUBJECT_TOKEN_TYPES:
        raise OpenAIError(f"The provider's token_type must be one of {', '.join(SUBJECT_TOKEN_TYPES)}, got {token_type!r}")
    return False


class WorkloadIdentityAuth:
    """Exchanges a workload identity for OpenAI access tokens and caches them (one per client)."""

    def __init__(self, workload_identity: WorkloadIdentity | X509WorkloadIdentity) -> None:
        self.x509 = _check(workload_identity)
        self._identity: Mapping[str, Any] = workload_identity
        default_url = X509_TOKEN_EXCHANGE_URL if self.x509 else DEFAULT_TOKEN_EXCHANGE_URL
        self.token_exchange_url: str = workload_identity.get("token_exchange_url") or default_url
        self._buffer = float(workload_identity.get("refresh_buffer_seconds", DEFAULT_REFRESH_BUFFER_SECONDS))
        self._token: str | None = None
        self._refresh_at = 0.0
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self._async_lock: Any = None  # an anyio.Lock, made in the event loop that first needs it

    # -- the cache ---------------------------------------------------------------------------------

    def _fresh(self) -> str | None:
        token = self._token
        return token if token is not None and time.monotonic() < self._refresh_at else None

    def _still_valid(self) -> str | None:
        token = self._token
        return token if token is not None and time.monotonic() < self._expires_at else None

    def invalidate(self, token: str | None = None) -> None:
        """Forget the cached token (only if it is still `token`, when given): the API refused it."""
        with self._lock:
            if token is None or token == self._token:
                self._token = None

    # -- one exchange ------------------------------------------------------------------------------

    def _payload(self) -> dict[str, str]:
        payload = {
            "grant_type": GRANT_TYPE,
            "identity_provider_id": self._identity["identity_provider_id"],
            "service_account_id": self._identity["service_account_id"],
        }
        if self.x509:
            payload["subject_token_type"] = X509_SUBJECT_TOKEN_TYPE
            return payload
        provider = self._identity["provider"]
        try:
            subject_token = provider["get_token"]()
        except SubjectTokenProviderError:
            raise
        except Exception as err:
            raise SubjectTokenProviderError(f"The subject-token provider failed: {type(err).__name__}: {err}") from err
        if not isinstance(subject_token, str) or not subject_token:
            raise SubjectTokenProviderError("The subject-token provider returned no token")
        payload["subject_token"] = subject_token
        payload["subject_token_type"] = SUBJECT_TOKEN_TYPES[provider["token_type"]]
        return payload

    def _store(self, response: httpx2.Response) -> str:
        try:
            body: Any = response.json() if response.content else None
        except ValueError:
            body = None
        if response.status_code in (400, 401, 403):
            raise OAuthError(response=response, body=body)
        if not response.is_success:
            raise OpenAIError(f"The token exchange failed with status {response.status_code}")
        fields = cast("dict[str, Any]", body) if isinstance(body, dict) else {}
        token, expires_in = fields.get("access_token"), fields.get("expires_in")
        if not isinstance(token, str) or not token:
            raise OpenAIError("The token exchange answered without an access_token")
        if not isinstance(expires_in, int | float) or isinstance(expires_in, bool) or expires_in <= 0:
            raise OpenAIError("The token exchange answered without a valid expires_in")
        now = time.monotonic()
        self._token = token
        self._expires_at = now + expires_in
        self._refresh_at = now + expires_in - min(self._buffer, expires_in / 2)
        return token

    def _failed(self, err: Exception, request: httpx2.Request | None) -> str:
        """A refresh that failed: keep using a still-valid token, else raise."""
        token = self._still_valid()
        if token is not None and not isinstance(err, OAuthError):
            return token
        if request is None:  # failed before a request was built: not a transport error
            raise err
        if isinstance(err, httpx2.TimeoutException):
            raise APITimeoutError(request, message="The token exchange timed out") from err
        if isinstance(err, httpx2.TransportError):
            raise APIConnectionError(message=f"Could not reach the token exchange: {type(err).__name__}",
                                     request=request) from err
        raise err

    def _request(self, http: Any, payload: dict[str, str]) -> httpx2.Request:
        return cast(httpx2.Request, http.build_request(
            "POST", self.token_exchange_url, json=payload, headers={"accept": "application/json"},
            extensions={"timeout": _EXCHANGE_TIMEOUT.as_dict()},
        ))

    # -- the two drivers ---------------------------------------------------------------------------

    def get_token(self, http: httpx2.Client) -> str:
        """A valid access token, exchanged through `http` (the client's own HTTP client) when needed."""
        token = self._fresh()
        if token is not None:
            return token
        with self._lock:
            token = self._fresh()
            if token is not None:
                return token
            request: httpx2.Request | None = None
            try:
                request = self._request(http, self._payload())
                response = http.send(request, follow_redirects=False)  # credentials never follow a redirect
                return self._store(response)
            except (httpx2.TransportError, OpenAIError) as err:
                return self._failed(err, request)

    async def get_token_async(self, http: httpx2.AsyncClient) -> str:
        token = self._fresh()
        if token is not None:
            return token
        import anyio
        import anyio.to_thread

        if self._async_lock is None:
            self._async_lock = anyio.Lock()
        async with self._async_lock:
            token = self._fresh()
            if token is not None:
                return token
            request: httpx2.Request | None = None
            try:
                # a provider may block (a file, a metadata server): not on the event loop
                payload = self._payload() if self.x509 else await anyio.to_thread.run_sync(self._payload)
                request = self._request(http, payload)
                response = await http.send(request, follow_redirects=False)
                return self._store(response)
            except (httpx2.TransportError, OpenAIError) as err:
                return self._failed(err, request)
