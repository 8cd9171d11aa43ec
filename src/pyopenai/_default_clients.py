"""HTTP clients pre-set with pyopenai's defaults, for users who extend them (proxies, mTLS, event hooks).

`OpenAI(http_client=DefaultHttpx2Client(proxy="http://proxy:3128"))` keeps the client's usual
timeout, pool limits, redirects and TCP keep-alive, and adds the proxy. Any default can be
overridden by passing the same keyword. `DefaultHttpxClient`/`DefaultAsyncHttpxClient` are the
official SDK's names for the same classes.
"""

from __future__ import annotations

from typing import Any

import httpx2

from . import _constants as C

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
    if "transport" not in kwargs and kwargs.get("trust_env", True) and "mounts" not in kwargs and environment_proxies():
        # httpx2 routes through the environment's proxies only when it builds its transports itself
        kwargs.setdefault("limits", limits)
    elif "transport" not in kwargs:
        transport_kwargs = {name: kwargs.pop(name) for name in _TRANSPORT_KEYWORDS if name in kwargs}
        transport_kwargs.setdefault("limits", limits)
        kwargs["transport"] = transport_class(socket_options=socket_keepalive_options(), **transport_kwargs)
    else:
        kwargs.setdefault("limits", limits)
    return kwargs


def environment_proxies() -> bool:
    """Whether the environment names a proxy (`HTTPS_PROXY`, `ALL_PROXY`, ...), as httpx2 reads it."""
    from urllib.request import getproxies

    return any(scheme in ("http", "https", "all") for scheme in getproxies())


def own_sync_client(timeout: httpx2.Timeout) -> httpx2.Client:
    """The HTTP client of an `OpenAI()` given none: a `DefaultHttpx2Client`, on the lean HTTP/1.1
    transport (`_wire`) unless the environment names a proxy (httpx2's proxy transports then carry
    the requests, as they would for any httpx2 client)."""
    if environment_proxies():
        return DefaultHttpx2Client(timeout=timeout)
    from ._wire import LeanTransport

    transport = LeanTransport(limits=DEFAULT_CONNECTION_LIMITS, socket_options=socket_keepalive_options())
    return DefaultHttpx2Client(timeout=timeout, transport=transport)


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


# The official SDK's names for the same clients: since its 3.0 they are `httpx2` clients too, and
# libraries subclass them (`class Wrapper(openai.DefaultHttpxClient)`) and hand them `httpx2`
# transports, so they are the very same classes, not plain `httpx` clients.
DefaultHttpxClient = DefaultHttpx2Client
DefaultAsyncHttpxClient = DefaultAsyncHttpx2Client
