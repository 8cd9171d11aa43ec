"""Where a WebSocket connection goes and what its handshake carries, for `OpenAI` and Azure clients.

* URL: `websocket_base_url` if the client has one, else `base_url` with `http`->`ws` / `https`->`wss`;
  then the endpoint's path (`/realtime`, `/responses`, `/live/sessions`, `/live/sessions/{id}/fork`,
  `/live/sessions/{id}/attach`, `/realtime/translations`), and the query: the client's default query,
  the endpoint's own parameters (`model`, `call_id`, `graceful_close`), then `extra_query`. Azure
  clients build Realtime URLs themselves (`/openai/realtime?api-version=...&deployment=...`).
* Headers: the client's own (user agent, platform headers, `OpenAI-Organization`/`OpenAI-Project`,
  `default_headers`), the credential (`Authorization: Bearer`, or Azure's `api-key`), the resource's
  `OpenAI-Beta`, then `extra_headers` (an `Omit` value removes a header).
* The key is resolved through the client for every (re)connection, so key providers, workload identity
  and Azure token providers are called again; a 401 on a provider's key (a cached workload token is
  dropped) resolves it once more and retries at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from ..._exceptions import AuthenticationError, OpenAIError
from ..._qs import flatten
from ..._types import Omit
from ._transport import AsyncSocket, Settings, SyncSocket

__all__ = ["async_opener", "handshake_headers", "sync_opener", "websocket_url"]

Query = Mapping[str, object]
Headers = Mapping[str, "str | Omit"]
SyncOpener = Callable[[Query, Headers], SyncSocket]
AsyncOpener = Callable[[Query, Headers], Awaitable[AsyncSocket]]


def _ws_scheme(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    return ({"http": "ws", "https": "wss"}.get(scheme.lower(), scheme) + sep + rest) if sep else url


def websocket_url(client: Any, path: str, *, query: Query, extra_query: Query) -> str:
    """The `ws(s)://` URL of a connection to `path`, with the endpoint's own `query` (unset values left out)."""
    own = {k: v for k, v in query.items() if v is not None}
    azure_url = getattr(client, "_realtime_url", None)
    if path == "/realtime" and azure_url is not None:
        model = own.pop("model", None)
        if not model and not getattr(client, "_azure_deployment", None):
            raise OpenAIError("`model` (the deployment name) is required for the Azure Realtime API")
        return str(azure_url(model, extra_query=dict(flatten({**own, **extra_query}))))
    websocket_base: str | None = client.websocket_base_url
    base = websocket_base if websocket_base else _ws_scheme(str(client._base_url))
    base, _, base_query = base.partition("?")
    params: dict[str, object] = {**client._default_query, **own, **extra_query}
    query_string = "&".join(part for part in (base_query, urlencode(flatten(params))) if part)
    return base.rstrip("/") + path + (f"?{query_string}" if query_string else "")


def handshake_headers(
    client: Any, auth: Mapping[str, str], extra_headers: Headers, beta: str | None
) -> dict[str, str]:
    headers: dict[str, str] = dict(client._static_headers)
    headers.pop("accept", None)
    headers.update(auth)
    if beta is not None:
        headers["openai-beta"] = beta
    for key, value in extra_headers.items():
        if isinstance(value, Omit):
            headers.pop(key.lower(), None)
        else:
            headers[key.lower()] = value
    return headers


def sync_opener(client: Any, path: str, *, query: Query, beta: str | None, settings: Settings) -> SyncOpener:
    """A function opening a fresh socket for the given query and headers (called again to reconnect)."""

    def open_socket(extra_query: Query, extra_headers: Headers) -> SyncSocket:
        url = websocket_url(client, path, query=query, extra_query=extra_query)
        refreshed = False
        while True:
            auth = client._auth_headers_for(None, client._resolve_key(None))
            headers = handshake_headers(client, auth, extra_headers, beta)
            try:
                return SyncSocket.open(client._http, url, headers, settings, client.timeout, client._log)
            except AuthenticationError:
                if refreshed or not client._credential_refused(None):
                    raise
                refreshed = True  # a provider's key was refused: resolve it again, once

    return open_socket


def async_opener(client: Any, path: str, *, query: Query, beta: str | None, settings: Settings) -> AsyncOpener:
    async def open_socket(extra_query: Query, extra_headers: Headers) -> AsyncSocket:
        url = websocket_url(client, path, query=query, extra_query=extra_query)
        refreshed = False
        while True:
            auth = client._auth_headers_for(None, await client._resolve_key(None))
            headers = handshake_headers(client, auth, extra_headers, beta)
            try:
                return await AsyncSocket.open(client._http, url, headers, settings, client.timeout, client._log)
            except AuthenticationError:
                if refreshed or not client._credential_refused(None):
                    raise
                refreshed = True

    return open_socket
