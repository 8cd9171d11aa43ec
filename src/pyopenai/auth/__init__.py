"""Workload identity: authenticate as an OpenAI service account with the platform's own credentials.

    from pyopenai import OpenAI
    from pyopenai.auth import k8s_service_account_token_provider

    client = OpenAI(workload_identity={
        "identity_provider_id": "idp_...",
        "service_account_id": "sa_...",
        "provider": k8s_service_account_token_provider(),
    })

Providers: Kubernetes service-account tokens, Azure managed identities, GCP ID tokens, any function
returning a token (`{"token_type": "jwt", "get_token": my_function}`), and X.509 client certificates
over mTLS (`x509_workload_identity(...)` with an HTTP client holding the certificate).
"""

from __future__ import annotations

from ._exchange import WorkloadIdentityAuth
from ._identity import (
    SubjectTokenProvider,
    SubjectTokenWorkloadIdentity,
    WorkloadIdentity,
    X509WorkloadIdentity,
    azure_managed_identity_token_provider,
    gcp_id_token_provider,
    k8s_service_account_token_provider,
    x509_workload_identity,
)

__all__ = [
    "SubjectTokenProvider",
    "SubjectTokenWorkloadIdentity",
    "WorkloadIdentity",
    "WorkloadIdentityAuth",
    "X509WorkloadIdentity",
    "azure_managed_identity_token_provider",
    "gcp_id_token_provider",
    "k8s_service_account_token_provider",
    "x509_workload_identity",
]
