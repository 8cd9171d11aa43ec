"""The WebSocket transport: an RFC 6455 session over a connection the client's own httpx2 pool opened.

The handshake is an ordinary httpx2 request (`GET` with the upgrade headers), so it goes through
the client's proxies, TLS settings, event hooks and timeouts; a refused handshake becomes the
usual typed error (`AuthenticationError` for a 401, ...). After the `101`:

* sync: httpx2's `WebSocketSession` runs the socket (a reader thread answers the server's pings and
  sends keep-alive pings of its own);
* async: frames are read in the caller's task with `wsproto` (httpx2's WebSocket dependency). No
  background task: the connection does not belong to the task that opened it (a reconnect may
  happen in another), errors are never wrapped in an `ExceptionGroup`, and it runs under asyncio
  and trio alike. Keep-alive: after `ping_interval` seconds without data a ping goes out, and a
  peer silent for `ping_timeout` more seconds is treated as gone (close code 1006).

Nothing here is imported by `import pyopenai`; `wsproto` is imported on the first connection.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypedDict, cast

import httpx2

from ..._exceptions import APIConnectionError, APITimeoutError, OpenAIError, status_error_from

if TYPE_CHECKING:
    from ..._logging import RequestLogger

__all__ = ["AsyncSocket", "SocketClosed", "SyncSocket", "WebSocketConnectionOptions"]

NORMAL_CLOSURE = 1000
GOING_AWAY = 1001
NO_STATUS = 1005
ABNORMAL_CLOSURE = 1006
MESSAGE_TOO_BIG = 1009

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
_READ_SIZE = 65_536
_POLL_SECONDS = 0.25  # how often a blocked sync reader looks whether another thread closed the socket
_MISSING = (
    "WebSocket connections need the `wsproto` package (httpx2's WebSocket support): "
    "pip install 'pyopenai[realtime]' (or: pip install wsproto)"
)


class WebSocketConnectionOptions(TypedDict, total=False):
    """Socket settings for `connect(websocket_connection_options=...)`; the names are the `websockets`
    library's, so options written for the official SDK carry over."""

    max_size: int | None
    """Largest message accepted, in bytes (default 64 MiB; `None`: up to 256 MiB). A larger one closes
    the connection with code 1009."""
    ping_interval: float | None
    """Seconds between keep-alive pings (sync) / of silence before a ping (async); `None` disables them. Default 20."""
    ping_timeout: float | None
    """Seconds to wait for the answer to a keep-alive ping before the connection counts as lost. Default 20."""
    open_timeout: float | None
    """Timeout of the opening handshake, in seconds (default: the client's timeout)."""
    max_queue: int
    """Received messages buffered before the sync reader thread stops reading (back-pressure). Default 512."""
    compression: Literal["deflate"] | None
    """`"deflate"`: offer permessage-deflate (RFC 7692), used when the server accepts it; `None`: never.
    Left out: offered only when `max_size` is given as a number (as the official SDK does: without a
    message limit, a small compressed frame could inflate without bound)."""


@dataclass(frozen=True)
class Settings:
    max_size: int = 64 << 20
    ping_interval: float | None = 20.0
    ping_timeout: float | None = 20.0
    open_timeout: float | None = None
    open_timeout_given: bool = False
    max_queue: int = 512
    compression: bool = False


def settings_from(options: Mapping[str, Any]) -> Settings:
    unknown = set(options) - set(WebSocketConnectionOptions.__annotations__)
    if unknown:
        allowed = ", ".join(sorted(WebSocketConnectionOptions.__annotations__))
        raise TypeError(f"unknown websocket_connection_options: {', '.join(sorted(unknown))} (supported: {allowed})")
    if "compression" in options:
        compression = options["compression"]
        if compression not in ("deflate", None):
            raise ValueError(f"websocket_connection_options: compression must be 'deflate' or None, got {compression!r}")
        compress = compression == "deflate"
    else:
        compress = options.get("max_size") is not None
    max_size = options.get("max_size", 64 << 20)
    return Settings(
        max_size=256 << 20 if max_size is None else int(max_size),
        ping_interval=options.get("ping_interval", 20.0),
        ping_timeout=options.get("ping_timeout", 20.0),
        open_timeout=options.get("open_timeout"),
        open_timeout_given="open_timeout" in options,
        max_queue=int(options.get("max_queue", 512)),
        compression=compress,
    )


class SocketClosed(Exception):
    """The socket is closed: the close frame's code and reason (1006 and "" when there was none)."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason


def _require_wsproto() -> None:
    try:
        import wsproto  # noqa: F401  # pyright: ignore[reportUnusedImport]
    except ImportError as exc:
        raise OpenAIError(_MISSING) from exc


def _accept_for(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()


def _http_url(url: str) -> str:
    """The handshake goes out as http(s): same bytes on the wire, and the client's proxy routes match."""
    scheme, sep, rest = url.partition("://")
    return {"ws": "http", "wss": "https"}.get(scheme.lower(), scheme) + sep + rest


def build_handshake(
    http: httpx2.Client | httpx2.AsyncClient, url: str, headers: Mapping[str, str], timeout: Any,
    *, compression: bool = False,
) -> tuple[httpx2.Request, str]:
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    upgrade = {
        **headers,
        "connection": "Upgrade",
        "upgrade": "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": key,
    }
    if compression:
        from wsproto.extensions import PerMessageDeflate

        upgrade["sec-websocket-extensions"] = f"{PerMessageDeflate.name}; {PerMessageDeflate().offer()}"
    timeout_obj = timeout if isinstance(timeout, httpx2.Timeout) else httpx2.Timeout(timeout)
    request = http.build_request("GET", _http_url(url), headers=upgrade, extensions={"timeout": timeout_obj.as_dict()})
    return request, key


def check_upgrade(response: httpx2.Response, key: str) -> None:
    if response.http_version != "HTTP/1.1":
        raise APIConnectionError(
            message=f"WebSocket needs HTTP/1.1, but the connection speaks {response.http_version}: "
            "pass an http_client without http2=True",
            request=response.request,
        )
    if response.headers.get("sec-websocket-accept") != _accept_for(key):
        raise APIConnectionError(
            message="The server answered 101 without a valid Sec-WebSocket-Accept: not a WebSocket endpoint",
            request=response.request,
        )


def client_protocol(response: httpx2.Response, settings: Settings) -> Any:
    """The wsproto client connection for an accepted handshake, with permessage-deflate when we offered
    it and the server accepted it (its parameters as the server chose them)."""
    from wsproto import ConnectionType
    from wsproto.connection import Connection
    from wsproto.extensions import Extension, PerMessageDeflate

    extensions: list[Extension] = []
    for accepted in response.headers.get_list("sec-websocket-extensions", split_commas=True):
        name = accepted.split(";", 1)[0].strip()
        if settings.compression and name == PerMessageDeflate.name and not extensions:
            deflate = PerMessageDeflate()
            deflate.finalize(accepted)
            extensions.append(deflate)
        else:  # RFC 6455 section 9.1: an extension the client did not offer fails the connection
            raise APIConnectionError(
                message=f"The server accepted the WebSocket extension {name!r}, which was not offered",
                request=response.request,
            )
    return Connection(ConnectionType.CLIENT, extensions=extensions)


def connection_error(err: BaseException, request: httpx2.Request) -> APIConnectionError:
    if isinstance(err, httpx2.TimeoutException):
        return APITimeoutError(request)
    reason = str(err).strip()  # what failed (e.g. "[Errno 111] Connection refused"), not only its type
    detail = f"{reason} ({type(err).__name__})" if reason else type(err).__name__
    return APIConnectionError(message=f"Connection error: {detail}", request=request)


# -- sync -------------------------------------------------------------------------------------------


class SyncSocket:
    """One open sync WebSocket: `send`, `recv` (raises `SocketClosed`), `close`. Thread-safe."""

    def __init__(self, session: Any, response: httpx2.Response, owned_http: httpx2.Client | None) -> None:
        self._session = session
        self._response = response
        self._owned_http = owned_http
        self._closed: SocketClosed | None = None
        self.response_headers = response.headers

    @classmethod
    def open(
        cls,
        http: httpx2.Client | None,
        url: str,
        headers: Mapping[str, str],
        settings: Settings,
        timeout: Any,
        log: RequestLogger | None = None,
    ) -> SyncSocket:
        _require_wsproto()
        from httpx2.websockets import WebSocketSession

        owned: httpx2.Client | None = None
        if not isinstance(http, httpx2.Client):
            http = owned = httpx2.Client()  # an `httpx` client cannot carry the upgrade: a plain httpx2 one does
        if settings.open_timeout_given:
            timeout = settings.open_timeout
        request, key = build_handshake(http, url, headers, timeout, compression=settings.compression)
        if log is not None:
            log.request(request, 0)
        try:
            try:
                response = http.send(request, stream=True)
            except httpx2.TransportError as err:
                raise connection_error(err, request) from err
            if log is not None:
                log.response(response)
            try:
                if response.status_code != 101:
                    response.read()
                    raise status_error_from(response)  # the handshake was answered with something other than 101
                check_upgrade(response, key)
                protocol = client_protocol(response, settings)
                session = WebSocketSession(
                    response.extensions["network_stream"],
                    max_message_size_bytes=settings.max_size,
                    queue_size=settings.max_queue,
                    keepalive_ping_interval_seconds=settings.ping_interval,
                    keepalive_ping_timeout_seconds=settings.ping_timeout,
                    response=response,
                )
                session.connection = protocol  # httpx2's session frames with it (it offers no extensions itself)
                session.__enter__()  # pyright: ignore[reportUnknownMemberType]
            except BaseException:
                response.close()
                raise
        except BaseException:
            if owned is not None:
                owned.close()
            raise
        return cls(session, response, owned)

    @property
    def closed(self) -> SocketClosed | None:
        return self._closed

    def send(self, data: str | bytes) -> None:
        from httpx2.websockets import WebSocketNetworkError
        from wsproto.utilities import LocalProtocolError

        if self._closed is not None:
            raise self._closed
        try:
            if isinstance(data, str):
                self._session.send_text(data)
            else:
                self._session.send_bytes(data)
        except (WebSocketNetworkError, LocalProtocolError) as exc:
            self._finish(ABNORMAL_CLOSURE, "")
            raise self._closed or SocketClosed(ABNORMAL_CLOSURE) from exc

    def recv(self, timeout: float | None = None) -> str | bytes:
        """The next message; `TimeoutError` after `timeout` seconds (no message is lost to it)."""
        from httpx2.websockets import WebSocketDisconnect, WebSocketNetworkError
        from wsproto.events import BytesMessage, TextMessage

        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self._closed is not None:
                raise self._closed
            poll = _POLL_SECONDS if deadline is None else min(_POLL_SECONDS, max(0.0, deadline - time.monotonic()))
            try:
                event = self._session.receive(timeout=poll)
            except TimeoutError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError(f"No WebSocket message within {timeout} seconds") from None
                continue  # still open: look again (close() from another thread is seen within a poll)
            except WebSocketDisconnect as exc:
                self._finish(exc.code or NO_STATUS, exc.reason)
                continue
            except WebSocketNetworkError:
                self._finish(ABNORMAL_CLOSURE, "")
                continue
            if isinstance(event, TextMessage):
                return event.data
            if isinstance(event, BytesMessage):
                return bytes(event.data)

    def close(self, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        if self._closed is None:
            self._finish(code, reason, send_close=True)

    def _finish(self, code: int, reason: str, *, send_close: bool = False) -> None:
        if self._closed is not None:
            return
        self._closed = SocketClosed(code, reason)
        session = self._session
        try:
            # answers the peer's close frame, or sends ours; closes the stream
            reply = NORMAL_CLOSURE if code in (NO_STATUS, ABNORMAL_CLOSURE) else code
            session.close(reply, (reason or None) if send_close else None)
        except Exception:
            pass
        try:
            session.__exit__(None, None, None)  # joins the reader and keep-alive threads
        finally:
            self._response.close()
            if self._owned_http is not None:
                self._owned_http.close()


# -- async ------------------------------------------------------------------------------------------


class AsyncSocket:
    """One open async WebSocket. `recv` reads in the calling task (one reader at a time); `send` and
    `close` may come from any task."""

    def __init__(
        self, stream: Any, response: httpx2.Response, settings: Settings, owned_http: httpx2.AsyncClient | None,
        protocol: Any,
    ) -> None:
        import anyio

        self._stream = stream
        self._response = response
        self._owned_http = owned_http
        self._settings = settings
        self._ws = protocol
        self._write_lock = anyio.Lock()
        self._messages: deque[str | bytes] = deque()
        self._parts: list[Any] = []
        self._size = 0
        self._ping_sent = False
        self._closed: SocketClosed | None = None
        self.response_headers = response.headers

    @classmethod
    async def open(
        cls,
        http: httpx2.AsyncClient | None,
        url: str,
        headers: Mapping[str, str],
        settings: Settings,
        timeout: Any,
        log: RequestLogger | None = None,
    ) -> AsyncSocket:
        _require_wsproto()
        owned: httpx2.AsyncClient | None = None
        if not isinstance(http, httpx2.AsyncClient):
            http = owned = httpx2.AsyncClient()
        if settings.open_timeout_given:
            timeout = settings.open_timeout
        request, key = build_handshake(http, url, headers, timeout, compression=settings.compression)
        if log is not None:
            log.request(request, 0)
        try:
            try:
                response = await http.send(request, stream=True)
            except httpx2.TransportError as err:
                raise connection_error(err, request) from err
            if log is not None:
                log.response(response)
            try:
                if response.status_code != 101:
                    await response.aread()
                    raise status_error_from(response)  # the handshake was answered with something other than 101
                check_upgrade(response, key)
                protocol = client_protocol(response, settings)
            except BaseException:
                await response.aclose()
                raise
        except BaseException:
            if owned is not None:
                await owned.aclose()
            raise
        return cls(response.extensions["network_stream"], response, settings, owned, protocol)

    @property
    def closed(self) -> SocketClosed | None:
        return self._closed

    async def send(self, data: str | bytes) -> None:
        from wsproto.events import BytesMessage, TextMessage

        if self._closed is not None:
            raise self._closed
        event = TextMessage(data=data) if isinstance(data, str) else BytesMessage(data=data)
        await self._write_event(event)

    async def recv(self) -> str | bytes:
        while not self._messages:
            if self._closed is not None:
                raise self._closed
            await self._read()
        return self._messages.popleft()

    async def close(self, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        if self._closed is not None:
            return
        from wsproto.events import CloseConnection

        try:
            await self._write_event(CloseConnection(code=code, reason=reason or None))
        except SocketClosed:
            pass
        await self._finish(code, reason)

    # -- internals

    async def _write_event(self, event: Any) -> None:
        import httpcore2
        from wsproto.utilities import LocalProtocolError

        try:
            async with self._write_lock:
                if self._closed is not None:
                    raise self._closed
                await self._stream.write(self._ws.send(event))
        except (httpcore2.NetworkError, LocalProtocolError, OSError) as exc:
            await self._finish(ABNORMAL_CLOSURE, "")
            raise self._closed or SocketClosed(ABNORMAL_CLOSURE) from exc

    async def _read(self) -> None:
        import httpcore2
        from wsproto.events import CloseConnection, Message, Ping

        settings = self._settings
        timeout = settings.ping_timeout if self._ping_sent else settings.ping_interval
        try:
            data = await self._stream.read(_READ_SIZE, timeout=timeout)
        except httpcore2.ReadTimeout:
            if self._ping_sent or settings.ping_interval is None:
                await self._finish(ABNORMAL_CLOSURE, "keep-alive ping timeout")
                return
            self._ping_sent = True
            try:
                await self._write_event(Ping(b"pyopenai-keepalive"))
            except SocketClosed:
                pass
            return
        except (httpcore2.NetworkError, OSError):
            await self._finish(ABNORMAL_CLOSURE, "")
            return
        if not data:
            await self._finish(ABNORMAL_CLOSURE, "")  # the peer went away without a close frame
            return
        self._ping_sent = False  # any data shows the peer is alive
        self._ws.receive_data(data)
        for event in self._ws.events():
            if isinstance(event, Message):
                piece = cast("str | bytes | bytearray", event.data)  # pyright: ignore[reportUnknownMemberType]
                self._size += len(piece)
                if self._size > settings.max_size:
                    await self.close(MESSAGE_TOO_BIG, "message too big")
                    return
                self._parts.append(piece)
                if event.message_finished:
                    first = self._parts[0]
                    message: str | bytes = (
                        ("".join(self._parts) if isinstance(first, str) else b"".join(self._parts))
                        if len(self._parts) > 1
                        else (first if isinstance(first, str) else bytes(first))
                    )
                    self._messages.append(message)
                    self._parts, self._size = [], 0
            elif isinstance(event, Ping):
                try:
                    await self._write_event(event.response())
                except SocketClosed:
                    return
            elif isinstance(event, CloseConnection):
                try:
                    await self._write_event(event.response())  # answer the closing handshake
                except SocketClosed:
                    pass
                await self._finish(event.code, event.reason or "")
                return

    async def _finish(self, code: int, reason: str) -> None:
        if self._closed is not None:
            return
        self._closed = SocketClosed(code, reason)
        try:
            await self._stream.aclose()
        except Exception:
            pass
        try:
            await self._response.aclose()
        except Exception:
            pass
        if self._owned_http is not None:
            await self._owned_http.aclose()
