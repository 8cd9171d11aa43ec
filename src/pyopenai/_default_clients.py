"""HTTP clients pre-set with pyopenai's defaults, for users who extend them (proxies, mTLS, event hooks).

`OpenAI(http_client=DefaultHttpx2Client(proxy="http://proxy:3128"))` keeps the client's usual
timeout, pool limits, redirects and TCP keep-alive, and adds the proxy. Any default can be
overridden by passing the same keyword. The `httpx` variants are for code that still passes plain
`httpx` clients; `httpx` is imported only when one is created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx2

from . import _constants as C

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "DefaultAsyncHttpx2Client",
    "DefaultAsyncHttpxClient",
    "DefaultHttpx2Client",
    "DefaultHttpxClient",
]

DEFAULT_TIMEOUT = httpx2.Timeout(C.DEFAULT_TIMEOUT_SECONDS, connect=C.DEFAULT_CONNECT_TIMEOUT_SECONDS)
DEFAULT_MAX_RETRIES = C.DEFAULT_MAX_RETRIES
DEFAULT_CONNECTION_LIMITS = httpx2.Limits(
    max_connections=C.DEFAULT_MAX_CONNECTIONS, max_keepalive_connections=C.DEFAULT_MAX_KEEPALIVE_CONNECTIONS
)

# The keywords a transport takes: when the caller gives none of them a transport is not built
# here, and when they do, they go to the transport this module builds (a client ignores them once
# it is handed a transport).
_TRANSPORT_KEYWORDS = ("verify", "cert", "trust_env", "http1", "http2", "limits")


def socket_keepalive_options() -> list[tuple[int, int, int]]:
    """TCP keep-alive, so a long call behind a NAT or load balancer is not silently dropped."""
    import socket

    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    for name, value in (("TCP_KEEPIDLE", 60), ("TCP_KEEPINTVL", 15), ("TCP_KEEPCNT", 4)):
        constant = getattr(socket, name, None)
        if constant is not None:
            options.append((socket.IPPROTO_TCP, constant, value))
    return options


def with_defaults(kwargs: dict[str, Any], transport_class: Any, limits: Any, timeout: Any) -> dict[str, Any]:
    """The client keywords with pyopenai's defaults filled in where the caller left them out."""
    kwargs.setdefault("timeout", timeout)
    kwargs.setdefault("follow_redirects", True)
    if "transport" not in kwargs:
        transport_kwargs = {name: kwargs.pop(name) for name in _TRANSPORT_KEYWORDS if name in kwargs}
        transport_kwargs.setdefault("limits", limits)
        kwargs["transport"] = transport_class(socket_options=socket_keepalive_options(), **transport_kwargs)
    else:
        kwargs.setdefault("limits", limits)
    return kwargs


class DefaultHttpx2Client(httpx2.Client):
    """An `httpx2.Client` with pyopenai's timeout, limits, redirects and keep-alive."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**with_defaults(kwargs, httpx2.HTTPTransport, DEFAULT_CONNECTION_LIMITS, DEFAULT_TIMEOUT))


class DefaultAsyncHttpx2Client(httpx2.AsyncClient):
    """An `httpx2.AsyncClient` with pyopenai's timeout, limits, redirects and keep-alive."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            **with_defaults(kwargs, httpx2.AsyncHTTPTransport, DEFAULT_CONNECTION_LIMITS, DEFAULT_TIMEOUT)
        )


def _httpx() -> Any:
    try:
        import httpx  # pyright: ignore[reportMissingImports]
    except ImportError as err:
        raise ImportError(
            "DefaultHttpxClient and DefaultAsyncHttpxClient need the httpx package: pip install httpx "
            "(or use DefaultHttpx2Client / DefaultAsyncHttpx2Client, which need nothing more)"
        ) from err
    return httpx


def _httpx_defaults(kwargs: dict[str, Any], transport_name: str) -> dict[str, Any]:
    httpx = _httpx()
    limits = httpx.Limits(
        max_connections=C.DEFAULT_MAX_CONNECTIONS, max_keepalive_connections=C.DEFAULT_MAX_KEEPALIVE_CONNECTIONS
    )
    timeout = httpx.Timeout(C.DEFAULT_TIMEOUT_SECONDS, connect=C.DEFAULT_CONNECT_TIMEOUT_SECONDS)
    return with_defaults(kwargs, getattr(httpx, transport_name), limits, timeout)


def DefaultHttpxClient(**kwargs: Any) -> httpx.Client:  # a class in the official SDK: named like one
    """A plain `httpx.Client` with pyopenai's defaults (needs the `httpx` package)."""
    return _httpx().Client(**_httpx_defaults(kwargs, "HTTPTransport"))


def DefaultAsyncHttpxClient(**kwargs: Any) -> httpx.AsyncClient:  # a class in the official SDK: named like one
    """A plain `httpx.AsyncClient` with pyopenai's defaults (needs the `httpx` package)."""
    return _httpx().AsyncClient(**_httpx_defaults(kwargs, "AsyncHTTPTransport"))
