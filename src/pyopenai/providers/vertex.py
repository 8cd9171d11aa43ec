"""Google Vertex AI: `OpenAI(provider=vertex(project="my-project", location="us-central1"))`.

The base URL is `https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/
{location}/publishers/openai/v1` (`aiplatform.googleapis.com` for `location="global"`); project and
location fall back to `GOOGLE_CLOUD_PROJECT` and `GOOGLE_CLOUD_LOCATION`, and `base_url=` replaces
the whole API root.

Credentials, one of: `token_provider=` (a function returning an OAuth access token, called per
request and again after a 401; may be async with `AsyncOpenAI`), `credentials=` (google-auth
credentials), or, with neither, Application Default Credentials found by google-auth
(`pip install 'pyopenai[vertex]'`). google-auth refreshes its tokens itself; the async client runs
that refresh in a worker thread.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Mapping
from typing import Any

import httpx2

from .._exceptions import OpenAIError
from ._provider import BearerAuth, Provider, ProviderAuth, TokenProvider

__all__ = ["VertexTokenProvider", "vertex"]

VertexTokenProvider = TokenProvider
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
_MISSING = "Google credentials need google-auth: pip install 'pyopenai[vertex]' (or pass token_provider=)"


class _GoogleResponse:
    """The response shape google-auth's transports return."""

    def __init__(self, response: httpx2.Response) -> None:
        self.status = response.status_code
        self.headers = dict(response.headers)
        self.data = response.content


class _GoogleTransport:
    """google-auth's `Request` interface over httpx2 (so google-auth needs no `requests` package)."""

    def __init__(self) -> None:
        self._http = httpx2.Client(timeout=httpx2.Timeout(30.0, connect=10.0))

    def __call__(self, url: str, method: str = "GET", body: bytes | None = None,
                 headers: Mapping[str, str] | None = None, timeout: float | None = None, **_: Any) -> _GoogleResponse:
        try:
            response = self._http.request(method, url, content=body, headers=dict(headers or {}),
                                          timeout=timeout if timeout is not None else httpx2.USE_CLIENT_DEFAULT)
        except httpx2.HTTPError as err:
            exceptions: Any = importlib.import_module("google.auth.exceptions")
            raise exceptions.TransportError(str(err)) from err
        return _GoogleResponse(response)


class GoogleCredentialsAuth(ProviderAuth):
    """Bearer tokens from google-auth credentials (given, or Application Default Credentials)."""

    renewable = True

    def __init__(self, base_url: httpx2.URL, credentials: Any) -> None:
        super().__init__("Vertex", base_url)
        self._credentials: Any = credentials
        self._transport: _GoogleTransport | None = None

    def _headers(self, renew: bool) -> str:
        try:
            google_auth: Any = importlib.import_module("google.auth")
            google_credentials: Any = importlib.import_module("google.auth.credentials")
        except ImportError as err:
            raise OpenAIError(_MISSING) from err
        if self._transport is None:
            self._transport = _GoogleTransport()
        if self._credentials is None:
            self._credentials = google_auth.default(scopes=[CLOUD_PLATFORM_SCOPE], request=self._transport)[0]
        else:
            self._credentials = google_credentials.with_scopes_if_required(self._credentials, [CLOUD_PLATFORM_SCOPE])
        if renew:
            self._credentials.refresh(self._transport)
        headers: dict[str, str] = {}
        self._credentials.before_request(self._transport, "POST", "", headers)  # refreshes when expired
        value = headers.get("authorization") or headers.get("Authorization")
        if not value:
            raise OpenAIError("The Google credentials produced no access token")
        return value

    def authenticate(self, request: httpx2.Request, *, renew: bool) -> None:
        request.headers["authorization"] = self._headers(renew)

    async def authenticate_async(self, request: httpx2.Request, *, renew: bool) -> None:
        import anyio.to_thread

        request.headers["authorization"] = await anyio.to_thread.run_sync(lambda: self._headers(renew))


def vertex(
    *,
    project: str | None = None,
    location: str | None = None,
    base_url: str | httpx2.URL | None = None,
    token_provider: VertexTokenProvider | None = None,
    credentials: Any = None,
) -> Provider:
    """Google Vertex AI's OpenAI API, for `OpenAI(provider=vertex(...))` (see the module's notes)."""
    if token_provider is not None and credentials is not None:
        raise OpenAIError("Pass either token_provider= or credentials= to vertex(...), not both")
    if base_url is None:
        project = project or os.environ.get("GOOGLE_CLOUD_PROJECT")
        location = location or os.environ.get("GOOGLE_CLOUD_LOCATION")
        if not project or not re.fullmatch(r"[a-zA-Z0-9_-][a-zA-Z0-9_.:-]*", project):
            raise OpenAIError("Vertex needs a Google Cloud project: pass project=... or set GOOGLE_CLOUD_PROJECT")
        if not location or not re.fullmatch(r"[a-z0-9-]+", location):
            raise OpenAIError("Vertex needs a location: pass location=... or set GOOGLE_CLOUD_LOCATION")
        host = "aiplatform.googleapis.com" if location == "global" else f"{location}-aiplatform.googleapis.com"
        base_url = f"https://{host}/v1/projects/{project}/locations/{location}/publishers/openai/v1"
    url = httpx2.URL(str(base_url).rstrip("/"))
    if url.scheme not in ("http", "https") or not url.host or url.userinfo or url.query or url.fragment:
        raise OpenAIError("The Vertex base_url must be an http(s) API root without credentials, query or fragment")
    if url.scheme != "https" and url.host.rstrip(".").endswith("googleapis.com"):
        raise OpenAIError("Google's Vertex endpoints need https")

    def make_auth() -> ProviderAuth:
        if token_provider is not None:
            return BearerAuth("Vertex", url, None, token_provider)
        return GoogleCredentialsAuth(url, credentials)

    return Provider("vertex", url, make_auth, refuses_account_headers=True)
