"""Where a WebSocket connection goes and what its handshake carries, for `OpenAI` and Azure clients.

* URL: `websocket_base_url` if the client has one, else `base_url` with `http`->`ws` / `https`->`wss`;
  then the endpoint's path (`/realtime`, `/responses`, `/live/sessions`, `/live/sessions/{id}/fork`,
  `/live/sessions/{id}/attach`, `/realtime/translations`), and the query: the base URL's own, the
  client's default query, the endpoint's own parameters (`model`, `call_id`, `graceful_close`), then
  `extra_query`, each replacing the names it gives (see `websocket_url`). Azure
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
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode

from ..._exceptions import AuthenticationError, OpenAIError
from ..._qs import flatten, primitive_to_str
from ..._types import Omit
from ._transport import AsyncSocket, Settings, SyncSocket

__all__ = ["async_opener", "handshake_headers", "query_copy", "sync_opener", "websocket_url"]

Query = Mapping[str, object]
Headers = Mapping[str, "str | Omit"]
SyncOpener = Callable[[Query, Headers], SyncSocket]
AsyncOpener = Callable[[Query, Headers], Awaitable[AsyncSocket]]


def _ws_scheme(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    return ({"http": "ws", "https": "wss"}.get(scheme.lower(), scheme) + sep + rest) if sep else url


def websocket_url(client: Any, path: str, *, query: Query, extra_query: Query) -> str:
    """The `ws(s)://` URL of a connection to `path`, with the endpoint's own `query` (unset values left out).

    The query has tiers, later ones winning by top-level name: the client's `default_query`, the
    parameters written in the base URL, the endpoint's own, then `extra_query` (where `omit` removes
    a name from every tier). A name given by a later tier replaces the earlier values of that name
    instead of adding to them.
    """
    own = {k: v for k, v in query.items() if v is not None}
    extra = _extra_items(extra_query)
    omitted = {key for key, value in extra if isinstance(value, Omit)}
    extra = [(key, value) for key, value in extra if not isinstance(value, Omit)]
    azure_url = getattr(client, "_realtime_url", None)
    if path == "/realtime" and azure_url is not None:
        model = own.pop("model", None)
        if not model and not getattr(client, "_azure_deployment", None):
            raise OpenAIError("`model` (the deployment name) is required for the Azure Realtime API")
        return str(azure_url(model, extra_query=dict(flatten({**own, **dict(extra)}))))
    websocket_base: str | None = client.websocket_base_url
    base = websocket_base if websocket_base else _ws_scheme(str(client._base_url))
    base, _, base_query = base.partition("?")
    extra_names = {key for key, _ in extra}
    request_pairs = flatten({k: v for k, v in own.items() if k not in extra_names and k not in omitted})
    request_pairs += _extra_pairs(extra)
    replaced = {_top_name(key) for key, _ in request_pairs} | omitted
    url_pairs = [(k, v) for k, v in parse_qsl(base_query, keep_blank_values=True) if _top_name(k) not in replaced]
    replaced |= {_top_name(key) for key, _ in url_pairs}
    default_pairs = flatten({k: v for k, v in client._default_query.items() if k not in replaced})
    query_string = urlencode(url_pairs + default_pairs + request_pairs)
    return base.rstrip("/") + path + (f"?{query_string}" if query_string else "")


def _top_name(key: str) -> str:
    return key.partition("[")[0]


def query_copy(query: Query) -> dict[str, object]:
    """A dict copy of a query; an `httpx2.QueryParams` keeps its repeated names (as a list of values)."""
    multi_items = getattr(query, "multi_items", None)
    if not callable(multi_items):
        return dict(query)
    grouped: dict[str, list[object]] = {}
    for key, value in cast("list[tuple[str, object]]", multi_items()):
        grouped.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in grouped.items()}


def _extra_items(extra_query: Query) -> list[tuple[str, object]]:
    return list(query_copy(extra_query).items())


def _extra_pairs(items: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """`extra_query` goes on the URL as written: a list repeats its name, `None` is an empty value
    (left out inside a mapping, whose keys are bracketed)."""
    pairs: list[tuple[str, str]] = []
    for key, value in items:
        if isinstance(value, Mapping):
            pairs += flatten({key: cast("Mapping[str, object]", value)})
        elif isinstance(value, (list, tuple)):
            pairs += [(key, "" if item is None else primitive_to_str(item)) for item in cast("list[object]", value)]
        else:
            pairs.append((key, "" if value is None else primitive_to_str(value)))
    return pairs


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
