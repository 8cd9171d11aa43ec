"""What a workload identity is made of, and the subject-token providers for common platforms.

A `WorkloadIdentity` names the OpenAI identity provider and service account to act as, and where the
workload's own credential (the subject token) comes from. `OpenAI(workload_identity=...)` trades
that credential for a short-lived OpenAI access token (see `_exchange.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import httpx2
from typing_extensions import NotRequired, TypeAlias, TypedDict

from .._exceptions import SubjectTokenProviderError

__all__ = [
    "SubjectTokenProvider",
    "SubjectTokenWorkloadIdentity",
    "WorkloadIdentity",
    "X509WorkloadIdentity",
    "azure_managed_identity_token_provider",
    "gcp_id_token_provider",
    "k8s_service_account_token_provider",
    "x509_workload_identity",
]

K8S_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token"
AZURE_IMDS_TOKEN_URL = "http://169.254.169.254/metadata/identity/oauth2/token"
GCP_IDENTITY_URL = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity"


class SubjectTokenProvider(TypedDict):
    """Where the subject token comes from: `get_token()` returns it, `token_type` says what it is."""

    token_type: Literal["jwt", "id"]
    get_token: Callable[[], str]


class WorkloadIdentity(TypedDict):
    """Act as `service_account_id`, proving it with a token from `provider`."""

    identity_provider_id: str
    service_account_id: str
    provider: SubjectTokenProvider
    refresh_buffer_seconds: NotRequired[float]
    """Refresh the OpenAI token this long before it expires (default 1200 s, at most half its lifetime)."""
    token_exchange_url: NotRequired[str]
    """Where to exchange the subject token (default `https://auth.openai.com/oauth/token`)."""


SubjectTokenWorkloadIdentity: TypeAlias = WorkloadIdentity


class X509WorkloadIdentity(TypedDict):
    """Act as `service_account_id`, proving it with the client certificate of the HTTP client (mTLS)."""

    type: Literal["x509"]
    identity_provider_id: str
    service_account_id: str
    refresh_buffer_seconds: NotRequired[float]
    token_exchange_url: NotRequired[str]
    """Where to exchange (default `https://mtls.auth.openai.com/oauth/token`)."""


def x509_workload_identity(
    identity_provider_id: str, service_account_id: str, *, refresh_buffer_seconds: float | None = None
) -> X509WorkloadIdentity:
    """An X.509 workload identity; pass `http_client=DefaultHttpx2Client(cert=(...))` with it."""
    identity: X509WorkloadIdentity = {
        "type": "x509", "identity_provider_id": identity_provider_id, "service_account_id": service_account_id,
    }
    if refresh_buffer_seconds is not None:
        identity["refresh_buffer_seconds"] = refresh_buffer_seconds
    return identity


def k8s_service_account_token_provider(token_file_path: str | Path = K8S_TOKEN_PATH) -> SubjectTokenProvider:
    """The Kubernetes service-account token mounted in the pod (read again at every exchange: it rotates)."""
    path = Path(token_file_path)

    def get_token() -> str:
        try:
            token = path.read_text().strip()
        except OSError as err:
            raise SubjectTokenProviderError(f"Could not read the service-account token file {str(path)!r}: {err.strerror}") from err
        if not token:
            raise SubjectTokenProviderError(f"The service-account token file {str(path)!r} is empty")
        return token

    return {"token_type": "jwt", "get_token": get_token}


def _metadata_token(
    what: str, url: str, params: dict[str, str], headers: dict[str, str], timeout: float,
    http_client: httpx2.Client | None, read: Callable[[httpx2.Response], Any],
) -> str:
    # a link-local metadata server: never through a proxy from the environment
    http = http_client if http_client is not None else httpx2.Client(trust_env=False)
    try:
        response: httpx2.Response = http.get(url, params=params, headers=headers, timeout=timeout)
    except httpx2.HTTPError as err:
        raise SubjectTokenProviderError(f"Could not reach the {what}: {type(err).__name__}: {err}") from err
    finally:
        if http is not http_client:
            http.close()
    if response.is_error:
        raise SubjectTokenProviderError(f"The {what} answered HTTP {response.status_code}", response=response)
    try:
        token = read(response)
    except ValueError as err:
        raise SubjectTokenProviderError(f"The {what} answered something that is not a token", response=response) from err
    if not isinstance(token, str) or not token.strip():
        raise SubjectTokenProviderError(f"The {what} answered without a token", response=response)
    return token.strip()


def azure_managed_identity_token_provider(
    resource: str = "https://management.azure.com/",
    *,
    object_id: str | None = None,
    client_id: str | None = None,
    msi_res_id: str | None = None,
    api_version: str = "2018-02-01",
    timeout: float = 10.0,
    http_client: httpx2.Client | None = None,
) -> SubjectTokenProvider:
    """A token for `resource` from the Azure Instance Metadata Service (a VM's or container's managed identity).

    `object_id`, `client_id` or `msi_res_id` pick a user-assigned identity.
    """
    params = {"api-version": api_version, "resource": resource}
    for name, value in (("object_id", object_id), ("client_id", client_id), ("msi_res_id", msi_res_id)):
        if value is not None:
            params[name] = value

    def get_token() -> str:
        return _metadata_token(
            "Azure instance metadata service", AZURE_IMDS_TOKEN_URL, params, {"Metadata": "true"}, timeout,
            http_client, lambda response: response.json().get("access_token"),
        )

    return {"token_type": "jwt", "get_token": get_token}


def gcp_id_token_provider(
    audience: str = "https://api.openai.com/v1", *, timeout: float = 10.0, http_client: httpx2.Client | None = None
) -> SubjectTokenProvider:
    """A Google-signed ID token for `audience` from the GCP metadata server (a VM's, GKE's or Cloud Run's identity)."""

    def get_token() -> str:
        return _metadata_token(
            "GCP metadata server", GCP_IDENTITY_URL, {"audience": audience}, {"Metadata-Flavor": "Google"}, timeout,
            http_client, lambda response: response.text,
        )

    return {"token_type": "id", "get_token": get_token}
