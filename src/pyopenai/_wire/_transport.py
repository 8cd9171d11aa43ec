"""The default sync client's transport: httpcore2's connection pool over `LeanConnection`s.

The pool is httpcore2's own `ConnectionPool` (its limits, queueing, keep-alive expiry and checks
before reuse), with only `create_connection` replaced: mocks that patch
`httpcore2.ConnectionPool.handle_request` (respx, the official SDK's test suite) intercept this
client's requests as they do any httpx2 client's. The transport maps httpcore2's exceptions to
httpx2's, as `httpx2.HTTPTransport` does, so retries and `APITimeoutError` see the same classes.
Mocks that replace `httpx2.HTTPTransport.handle_request` instead (vcrpy's cassettes) are obeyed too.
"""

from __future__ import annotations

import inspect
import ssl
from collections.abc import Iterable, Iterator
from typing import Any, cast

import httpcore2
import httpx2

from ._connection import LeanConnection

__all__ = ["LeanPool", "LeanTransport"]

# httpx2's own `HTTPTransport.handle_request` (unwrapped, in case a patch was active at import):
# any other function there means a test tool replaced it
_HTTPX2_HANDLE_REQUEST = inspect.unwrap(httpx2.HTTPTransport.handle_request)


class LeanPool(httpcore2.ConnectionPool):
    """httpcore2's pool, making `LeanConnection`s (HTTP/1.1, no proxy)."""

    def create_connection(self, origin: httpcore2.Origin) -> httpcore2.ConnectionInterface:
        return LeanConnection(
            origin,
            ssl_context=self._ssl_context,
            keepalive_expiry=self._keepalive_expiry,
            socket_options=self._socket_options,
            network_backend=self._network_backend,
        )


_EXCEPTIONS: dict[type[BaseException], type[httpx2.HTTPError]] = {
    httpcore2.ConnectTimeout: httpx2.ConnectTimeout,
    httpcore2.ReadTimeout: httpx2.ReadTimeout,
    httpcore2.WriteTimeout: httpx2.WriteTimeout,
    httpcore2.PoolTimeout: httpx2.PoolTimeout,
    httpcore2.TimeoutException: httpx2.TimeoutException,
    httpcore2.ConnectError: httpx2.ConnectError,
    httpcore2.ReadError: httpx2.ReadError,
    httpcore2.WriteError: httpx2.WriteError,
    httpcore2.NetworkError: httpx2.NetworkError,
    httpcore2.ProxyError: httpx2.ProxyError,
    httpcore2.UnsupportedProtocol: httpx2.UnsupportedProtocol,
    httpcore2.LocalProtocolError: httpx2.LocalProtocolError,
    httpcore2.RemoteProtocolError: httpx2.RemoteProtocolError,
    httpcore2.ProtocolError: httpx2.ProtocolError,
}


def _httpx2_error(exc: Exception) -> httpx2.HTTPError | None:
    """httpx2's exception for an httpcore2 one (the most specific class); None for any other."""
    for cls in type(exc).__mro__:
        mapped = _EXCEPTIONS.get(cls)
        if mapped is not None:
            return mapped(str(exc))
    return None


class _ResponseStream(httpx2.SyncByteStream):
    """The pool's body stream with its errors in httpx2's classes (one `try` per body, not per block)."""

    __slots__ = ("_stream",)

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except Exception as exc:
            mapped = _httpx2_error(exc)
            if mapped is None:
                raise
            raise mapped from exc

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class LeanTransport(httpx2.BaseTransport):
    """An `httpx2` transport for HTTP/1.1 without a proxy, on `LeanPool`.

    Takes the keywords of `httpx2.HTTPTransport` that apply: `verify`, `cert` and `trust_env` make
    the same TLS context httpx2 would (`httpx2.create_ssl_context`), `limits` the pool's limits.
    """

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        limits: httpx2.Limits,
        socket_options: Iterable[Any] | None = None,
    ) -> None:
        context = httpx2.create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)
        context.set_alpn_protocols(["http/1.1"])
        self._pool = LeanPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            socket_options=socket_options,
        )

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        stock = httpx2.HTTPTransport.handle_request
        if stock is not _HTTPX2_HANDLE_REQUEST:
            # a test tool (vcrpy) replaced httpx2's transport method to record or replay requests:
            # go through it as an httpx2 client's transport would. It calls httpx2's own method back
            # for what it does not replay, which sends on this transport's `_pool` as it would on its own.
            return stock(self, request)  # pyright: ignore[reportArgumentType]
        url = request.url
        core_request = httpcore2.Request(
            method=request.method,
            url=httpcore2.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            content=request.stream,
            extensions=request.extensions,
        )
        # httpx2's headers are bytes pairs already: given to the constructor, each would be checked again
        core_request.headers = request.headers.raw
        try:
            response = self._pool.handle_request(core_request)
        except Exception as exc:
            mapped = _httpx2_error(exc)
            if mapped is None:
                raise
            raise mapped from exc
        return httpx2.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),  # pyright: ignore[reportArgumentType]
            extensions=cast("dict[str, Any]", response.extensions),  # pyright: ignore[reportUnknownMemberType]
        )

    def close(self) -> None:
        self._pool.close()
