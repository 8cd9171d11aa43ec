"""What `bedrock(...)` and `vertex(...)` return, and how a client uses it: `OpenAI(provider=...)`.

A provider decides the base URL and authenticates every request itself, as an httpx2 auth flow run
by the client's HTTP client: it checks that the request goes to the provider's own origin, removes
OpenAI's credentials and account headers, adds its own (a bearer token, or an AWS signature), and
when the answer is a 401 from a credential that can be renewed, renews it and resends once.
Redirects are not followed (a signed request must not be replayed elsewhere).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import Any, Union

import httpx2

from .._exceptions import OpenAIError

__all__ = ["Provider", "ProviderAuth", "TokenProvider"]

TokenProvider = Callable[[], Union[str, Awaitable[str]]]

# OpenAI's own credentials and account headers mean nothing to another host and must not reach it
_OPENAI_ONLY_HEADERS = ("authorization", "api-key", "openai-organization", "openai-project")


class ProviderAuth(httpx2.Auth):
    """Authenticates requests for one client; subclasses add the credential."""

    requires_request_body = True  # a signature covers the body; a resend needs it again

    def __init__(self, name: str, base_url: httpx2.URL) -> None:
        self.name = name
        self.origin = (base_url.scheme, base_url.host, base_url.port)

    def _check(self, request: httpx2.Request) -> None:
        if (request.url.scheme, request.url.host, request.url.port) != self.origin:
            raise OpenAIError(f"Refusing to send {self.name} credentials to {request.url.scheme}://{request.url.host}, "
                              "an origin other than the configured provider URL")
        for name in _OPENAI_ONLY_HEADERS:
            request.headers.pop(name, None)

    # what subclasses implement
    renewable = False

    def authenticate(self, request: httpx2.Request, *, renew: bool) -> None:
        raise NotImplementedError

    async def authenticate_async(self, request: httpx2.Request, *, renew: bool) -> None:
        raise NotImplementedError

    # the flows httpx2 runs

    def sync_auth_flow(self, request: httpx2.Request) -> Generator[httpx2.Request, httpx2.Response, None]:
        self._check(request)
        self.authenticate(request, renew=False)
        response = yield request
        if response.status_code == 401 and self.renewable:
            self.authenticate(request, renew=True)
            yield request

    async def async_auth_flow(self, request: httpx2.Request) -> AsyncGenerator[httpx2.Request, httpx2.Response]:
        self._check(request)
        await self.authenticate_async(request, renew=False)
        response = yield request
        if response.status_code == 401 and self.renewable:
            await self.authenticate_async(request, renew=True)
            yield request


def bearer_value(name: str, token: object) -> str:
    if not isinstance(token, str) or not token.strip() or any(ord(c) < 33 or ord(c) > 126 for c in token.strip()):
        raise OpenAIError(f"The {name} token provider must return a non-empty token (printable, no spaces)")
    return f"Bearer {token.strip()}"


def call_sync_token_provider(name: str, provider: TokenProvider) -> str:
    token = provider()
    if inspect.isawaitable(token):
        if inspect.iscoroutine(token):
            token.close()  # never awaited: no "coroutine was never awaited" warning
        raise OpenAIError(f"The {name} token provider is async: use it with AsyncOpenAI")
    return bearer_value(name, token)


async def call_async_token_provider(name: str, provider: TokenProvider) -> str:
    token: Any = provider()
    if inspect.isawaitable(token):
        token = await token
    return bearer_value(name, token)


class BearerAuth(ProviderAuth):
    """A fixed bearer token, or a token provider called for every request (and again after a 401)."""

    def __init__(self, name: str, base_url: httpx2.URL, token: str | None, provider: TokenProvider | None) -> None:
        super().__init__(name, base_url)
        self._token = None if token is None else bearer_value(name, token)
        self._provider = provider
        self.renewable = provider is not None

    def authenticate(self, request: httpx2.Request, *, renew: bool) -> None:
        value = self._token if self._provider is None else call_sync_token_provider(self.name, self._provider)
        request.headers["authorization"] = value or ""

    async def authenticate_async(self, request: httpx2.Request, *, renew: bool) -> None:
        value = self._token if self._provider is None else await call_async_token_provider(self.name, self._provider)
        request.headers["authorization"] = value or ""


class Provider:
    """A hosted OpenAI API (Amazon Bedrock, Google Vertex AI) for `OpenAI(provider=...)`.

    Made by `pyopenai.providers.bedrock(...)` or `vertex(...)`; holds no connection, so one provider
    can configure several clients (each gets its own credential state).
    """

    __slots__ = ("_make_auth", "base_url", "name", "refuses_account_headers", "region")

    def __init__(self, name: str, base_url: httpx2.URL, make_auth: Callable[[], ProviderAuth],
                 *, refuses_account_headers: bool = False, region: str | None = None) -> None:
        self.name = name
        self.base_url = base_url
        self._make_auth = make_auth
        self.refuses_account_headers = refuses_account_headers
        self.region = region
        """The cloud region the provider resolved (Bedrock's AWS region), if any."""

    def auth(self) -> ProviderAuth:
        return self._make_auth()

    def __repr__(self) -> str:  # never a credential
        return f"<Provider {self.name} {self.base_url}>"
