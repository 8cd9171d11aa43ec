"""`DefaultAioHttpClient`: the async client's requests sent by aiohttp (`pip install 'pyopenai[aiohttp]'`).

    client = AsyncOpenAI(http_client=DefaultAioHttpClient())

It is an `httpx2.AsyncClient` whose transport is aiohttp, so everything above the socket (the retry
loop, deadlines, streaming, errors, logging, redirects, cookies, event hooks) stays the client's
own and behaves as with the default transport. What the transport does:

* timeouts: the request's `connect` (and `pool`) bound getting a connection, `read` bounds each wait
  for the server (the headers, then every body chunk; a deadline that shortens it after the
  headers arrive is honoured); they surface as httpx2's `ConnectTimeout`/`ReadTimeout`, which the
  client turns into `APITimeoutError`. Other aiohttp failures become httpx2 transport errors
  (`APIConnectionError`).
* bodies: JSON bodies go as bytes; multipart uploads are streamed from the files, chunk by chunk.
* the response body is handed over raw (`auto_decompress=False`) and decoded by httpx2.
* connections go back to the pool when a body is read to its end, and are closed on every other
  exit (an error, a stream abandoned half way, a cancelled task).
* proxies: `trust_env=True` (the default) reads `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (and
  `.netrc`) through aiohttp; `proxy=` sets one explicitly.
* WebSocket handshakes (`realtime.connect()`, `responses.connect()`) go through httpx2's own
  transport with the same TLS and proxy settings: the connection outlives the handshake there.

aiohttp is imported when the first request is sent (never by `import pyopenai`); its session is
created inside the running event loop, on first use, and closed by `aclose()`.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from typing import Any

import httpx2

from ._default_clients import DEFAULT_CONNECTION_LIMITS, DEFAULT_TIMEOUT

__all__ = ["AiohttpTransport", "DefaultAioHttpClient"]

_MISSING = "DefaultAioHttpClient needs aiohttp: pip install 'pyopenai[aiohttp]'"
_CHUNK = 64 * 1024


def _aiohttp() -> Any:
    try:
        import aiohttp
    except ImportError as err:
        raise ImportError(_MISSING) from err
    return aiohttp


def _ssl_context(verify: ssl.SSLContext | str | bool, cert: Any) -> ssl.SSLContext | bool:
    if isinstance(verify, ssl.SSLContext):
        context = verify
    elif verify is False:
        if cert is None:
            return False
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context = ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)
    if cert is not None:  # a client certificate (mTLS): a path, or (certfile, keyfile[, password])
        parts: tuple[Any, ...] = (cert,) if isinstance(cert, str) else tuple(cert)
        context.load_cert_chain(*parts)
    return context


def _timeout_error(err: BaseException) -> httpx2.TimeoutException:
    aiohttp = _aiohttp()
    if isinstance(err, aiohttp.ConnectionTimeoutError):
        return httpx2.ConnectTimeout(str(err) or "timed out connecting")
    return httpx2.ReadTimeout(str(err) or "timed out waiting for the server")


def _transport_error(err: BaseException) -> httpx2.TransportError:
    aiohttp = _aiohttp()
    message = str(err) or type(err).__name__
    if isinstance(err, aiohttp.ClientProxyConnectionError | aiohttp.ClientHttpProxyError):
        return httpx2.ProxyError(message)
    if isinstance(err, aiohttp.ClientConnectorError):
        return httpx2.ConnectError(message)
    if isinstance(err, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return httpx2.RemoteProtocolError(message)
    return httpx2.ReadError(message)


class _Body(httpx2.AsyncByteStream):
    """A response body read from aiohttp; the connection is released at its end, closed otherwise."""

    def __init__(self, response: Any, request: httpx2.Request, read_timeout: float | None) -> None:
        self._response = response
        self._request = request
        self._read_timeout = read_timeout  # the one aiohttp already enforces per socket read

    async def __aiter__(self) -> AsyncIterator[bytes]:
        aiohttp = _aiohttp()
        chunks = self._response.content.iter_chunked(_CHUNK).__aiter__()
        # a deadline may have shortened the read timeout since the request went out (see `_Deadline`)
        timeouts: dict[str, float | None] = self._request.extensions.get("timeout", {})
        read: float | None = timeouts.get("read")
        stricter = read if read is not None and (self._read_timeout is None or read < self._read_timeout) else None
        try:
            while True:
                try:
                    if stricter is None:
                        chunk: bytes = await chunks.__anext__()
                    else:
                        chunk = await asyncio.wait_for(chunks.__anext__(), stricter)
                except StopAsyncIteration:
                    break
                yield chunk
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as err:
            self._response.close()
            raise _timeout_error(err) from err
        except aiohttp.ClientError as err:
            self._response.close()
            raise _transport_error(err) from err
        except BaseException:
            self._response.close()
            raise

    async def aclose(self) -> None:
        if self._response.content.at_eof():
            self._response.release()  # read to the end: the connection goes back to the pool
        else:
            self._response.close()  # abandoned half way: the connection cannot be reused


class AiohttpTransport(httpx2.AsyncBaseTransport):
    """An httpx2 transport that sends requests with an aiohttp session (one per event loop)."""

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        proxy: str | None = None,
        limits: httpx2.Limits = DEFAULT_CONNECTION_LIMITS,
    ) -> None:
        self._ssl = _ssl_context(verify, cert) if (verify is not True or cert is not None) else True
        self._verify, self._cert = verify, cert
        self._websocket: httpx2.AsyncHTTPTransport | None = None
        self._trust_env = trust_env
        self._proxy = proxy
        self._limits = limits
        self._session: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _session_for_loop(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._session is None or self._loop is not loop or self._session.closed:
            # a client reused under a new event loop (a test suite's loop per test) gets a new session:
            # the old one's connections belong to the old loop
            aiohttp = _aiohttp()
            connector = aiohttp.TCPConnector(
                limit=self._limits.max_connections or 0,
                keepalive_timeout=self._limits.keepalive_expiry,
                ssl=self._ssl,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                trust_env=self._trust_env,
                auto_decompress=False,  # httpx2 decodes, as with its own transport
                cookie_jar=aiohttp.DummyCookieJar(),  # cookies are httpx2's business
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            )
            # aiohttp resends a GET once by itself when a connection fails: the client's retry loop
            # decides about resending (and counts attempts), so that one is turned off
            if hasattr(self._session, "_retry_connection"):
                self._session._retry_connection = False
            self._loop = loop
        return self._session

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.headers.get("upgrade", "").lower() == "websocket":
            # a WebSocket handshake (realtime, responses connect()) needs the socket afterwards, which
            # aiohttp does not hand over: httpx2's own transport, same TLS and proxy settings, opens it
            if self._websocket is None:
                self._websocket = httpx2.AsyncHTTPTransport(verify=self._verify, cert=self._cert,
                                                            trust_env=self._trust_env, proxy=self._proxy)
            return await self._websocket.handle_async_request(request)
        aiohttp = _aiohttp()
        session = self._session_for_loop()
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        connect = timeouts.get("connect")
        pool = timeouts.get("pool")
        read = timeouts.get("read")
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if pool is None and connect is None else (pool or 0) + (connect or 0),
            sock_connect=connect,
            sock_read=read,
        )
        body: Any
        headers = request.headers.multi_items()
        if isinstance(request.stream, httpx2.ByteStream):
            body = request.read()  # not `.content`: a request httpx2 made to follow a redirect was never read
        else:
            body = _upload(request.stream)
            # aiohttp frames a body of unknown length itself and refuses one that already carries
            # httpx2's `Transfer-Encoding: chunked` header.
            headers = [(name, value) for name, value in headers if name.lower() != "transfer-encoding"]
        try:
            # entered as aiohttp documents its request context (`async with session.request(...)`);
            # the body's `aclose` releases the response
            response = await session.request(
                request.method,
                str(request.url),
                headers=headers,
                data=body,
                timeout=timeout,
                allow_redirects=False,  # httpx2 follows redirects itself
                proxy=self._proxy,
            ).__aenter__()
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise _timeout_error(err) from err
        except aiohttp.ClientError as err:
            raise _transport_error(err) from err
        return httpx2.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_Body(response, request, read),
            request=request,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": (response.reason or "").encode()},
        )

    async def aclose(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        if self._websocket is not None:
            await self._websocket.aclose()


async def _upload(stream: Any) -> AsyncIterator[bytes]:
    """A streamed request body (multipart files), passed on chunk by chunk."""
    if hasattr(stream, "__aiter__"):
        async for chunk in stream:
            yield chunk
    else:
        for chunk in stream:
            yield chunk


class DefaultAioHttpClient(httpx2.AsyncClient):
    """An `httpx2.AsyncClient` sending through aiohttp, with pyopenai's defaults; for `AsyncOpenAI(http_client=...)`.

    Takes `httpx2.AsyncClient`'s keywords; `verify`, `cert`, `trust_env`, `proxy` and `limits` configure
    the aiohttp side.
    """

    def __init__(self, **kwargs: Any) -> None:
        _aiohttp()  # a missing extra is reported when the client is created, not at the first request
        transport_kwargs = {name: kwargs.pop(name) for name in ("verify", "cert", "trust_env", "proxy", "limits") if name in kwargs}
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("follow_redirects", True)
        kwargs.setdefault("transport", AiohttpTransport(**transport_kwargs))
        # proxies from the environment are aiohttp's to apply: httpx2 would mount its own transports for them
        super().__init__(trust_env=False, **kwargs)
