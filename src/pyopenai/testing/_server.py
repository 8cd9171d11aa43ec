"""``LocalServer``: the app served on a loopback port from a background thread, or in the foreground."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from types import TracebackType
from typing import Any

from . import _control
from ._app import App
from ._assertions import assert_requested, find_requests
from ._core import IdMaker, ServerConfig, Store
from ._faults import FaultQueue
from ._http import HTTPServer, Request
from ._script import Script, fail_on
from ._webhooks import WebhookDelivery, build_event, deliver, signed_headers

__all__ = ["LocalServer"]

_CONFIG_FIELDS = {f.name for f in fields(ServerConfig)}


class LocalServer:
    """A deterministic OpenAI-compatible server on ``127.0.0.1`` (see the package docstring).

    ``LocalServer(port=0, **config)`` where ``config`` are :class:`ServerConfig` fields
    (``api_key``, ``require_auth``, ``latency``, ``stream_delay``, ``webhook_url``, ...).
    ``start()`` returns once the port accepts connections; ``stop()`` closes every connection and
    joins the thread. Also a context manager: ``with LocalServer() as server: ...``.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, config: ServerConfig | None = None, **options: Any
    ) -> None:
        unknown = set(options) - _CONFIG_FIELDS
        if unknown:
            raise TypeError(f"unknown LocalServer option(s): {', '.join(sorted(unknown))}")
        self.host = host
        self._requested_port = port
        self.config = replace(config or ServerConfig(), **options)
        self.faults = FaultQueue()
        self.script = Script(strict=self.config.strict)
        self.webhook_deliveries: list[WebhookDelivery] = []
        self._deliveries_lock = threading.Lock()
        self._delivery_listeners: list[Callable[[WebhookDelivery], None]] = []
        self._new_app()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._http: HTTPServer | None = None
        self._port: int | None = None
        self._startup_error: BaseException | None = None

    def _new_app(self) -> None:
        self.app = App(self.config, self.faults, self.script)
        self.app.core.emit_webhook = self._emit_webhook
        self.app.control = _control.make_control(self)

    # -- addresses ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("LocalServer is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no ``/v1``)."""
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/v1``: what a client takes as ``base_url``."""
        return f"{self.base_url}/v1"

    @property
    def running(self) -> bool:
        return self._port is not None

    @property
    def requests(self) -> list[Request]:
        """Requests received under ``/v1`` so far (oldest first; the last 10,000)."""
        return list(self.app.requests)

    # -- lifecycle in a background thread ---------------------------------------------------------

    def start(self, timeout: float = 10.0) -> LocalServer:
        if self._thread is not None:
            return self
        ready = threading.Event()
        self._startup_error = None
        thread = threading.Thread(target=self._run_thread, args=(ready,), name="pyopenai-local-server", daemon=True)
        self._thread = thread
        thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("LocalServer did not start in time")
        if self._startup_error is not None:
            thread.join(timeout)
            self._thread = None
            raise self._startup_error
        return self

    def _run_thread(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        http = HTTPServer(self.app.handle)
        try:
            loop.run_until_complete(http.start(self.host, self._requested_port))
        except BaseException as exc:
            self._startup_error = exc
            loop.close()
            self._loop = None
            ready.set()
            return
        self._http = http
        self._port = http.port
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(http.close())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()
            self._loop = None
            self._http = None

    def stop(self, timeout: float = 10.0) -> None:
        """Close the listening socket and every connection, then join the thread. Idempotent."""
        thread, loop = self._thread, self._loop
        if thread is None:
            return
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError("LocalServer thread did not stop in time")
        self._thread = None
        self._port = None

    def __enter__(self) -> LocalServer:
        return self.start()

    async def __aenter__(self) -> LocalServer:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.stop)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- running in the foreground (``python -m pyopenai.testing``) ----------------------------------

    async def serve(self, started: Callable[[LocalServer], None] | None = None) -> None:
        """Serve on the current event loop until cancelled."""
        self._loop = asyncio.get_running_loop()
        http = HTTPServer(self.app.handle)
        await http.start(self.host, self._requested_port)
        self._http = http
        self._port = http.port
        try:
            if started is not None:
                started(self)
            await asyncio.Event().wait()
        finally:
            await http.close()
            self._http = None
            self._port = None

    # -- test helpers -------------------------------------------------------------------------------

    def find_requests(self, method: str | None = None, path: str | None = None) -> list[Request]:
        """Received requests with this method and path (exact or glob; ``/v1`` may be left out)."""
        return find_requests(self.requests, method, path)

    def last_request(self, method: str | None = None, path: str | None = None) -> Request:
        """The latest request with this method and path; ``AssertionError`` if there is none."""
        return assert_requested(self.requests, method, path)

    def assert_requested(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        files: Mapping[str, str | bytes] | None = None,
        times: int | None = None,
    ) -> Request:
        """Assert a request was sent: ``json`` is matched as a subset (nested dicts: the keys given;
        anything else: equal), ``headers`` by value (names case-insensitive), ``files`` by field name to
        a filename (``str``) or the content (``bytes``), ``times`` the exact number of matches.
        Returns the last matching request; the ``AssertionError`` lists what was received."""
        return assert_requested(self.requests, method, path, json=json, headers=headers, files=files, times=times)

    def verify(self) -> None:
        """Fail (``AssertionError``) on scripted-reply problems: calls with no scripted reply and replies
        never used (strict mode), failing ``respond()`` callbacks, requests no recording matched and
        (strict mode) recordings never replayed."""
        problems: list[str] = []
        cassette = self.app.cassette
        if cassette is not None:
            problems += cassette.problems
            if self.config.strict and not cassette.record:
                problems += [f"recording never replayed: {entry}" for entry in cassette.unused()]
        fail_on(problems + self.script.findings())

    def reset(self) -> None:
        """Forget stored objects, recorded requests, queued faults, scripted replies and webhook deliveries."""
        self.faults.clear()
        self.script.reset()
        with self._deliveries_lock:
            self.webhook_deliveries.clear()
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and threading.current_thread() is not thread:
            # swap the state on the server's own thread, between two requests
            done = threading.Event()
            loop.call_soon_threadsafe(lambda: (self._reset_state(), done.set()))
            done.wait(10)
        else:
            self._reset_state()

    def _reset_state(self) -> None:
        core = self.app.core
        core.store = Store()
        core.ids = IdMaker(self.config.seed)
        self.app.requests.clear()

    def send_webhook(
        self, event_type: str, data: dict[str, Any], *, url: str | None = None, secret: str | None = None
    ) -> WebhookDelivery:
        """Build, sign and POST one event now (blocking); returns the delivery record.

        ``url``/``secret`` default to the ``webhook_url``/``webhook_secret`` config.
        """
        target = url or self.config.webhook_url
        key = secret or self.config.webhook_secret
        if not target or not key:
            raise ValueError("send_webhook needs a url and a secret (or webhook_url/webhook_secret config)")
        core = self.app.core
        event = build_event(core.ids("evt_", 24), event_type, data, core.now())
        delivery = deliver(target, key, event, msg_id=core.ids("wh_", 24))
        self._record(delivery)
        return delivery

    def webhook_headers(self, body: bytes, *, msg_id: str = "wh_local", timestamp: int | None = None) -> dict[str, str]:
        """The Standard-Webhooks headers this server would send with ``body`` (for unwrap tests)."""
        if not self.config.webhook_secret:
            raise ValueError("no webhook_secret configured")
        return signed_headers(self.config.webhook_secret, msg_id, body, timestamp)

    def on_webhook(self, listener: Callable[[WebhookDelivery], None]) -> None:
        """Call ``listener(delivery)`` after each delivery attempt (from a worker thread)."""
        self._delivery_listeners.append(listener)

    def _record(self, delivery: WebhookDelivery) -> None:
        with self._deliveries_lock:
            self.webhook_deliveries.append(delivery)
        for listener in list(self._delivery_listeners):
            listener(delivery)

    def _emit_webhook(self, event_type: str, data: dict[str, Any]) -> None:
        """Called from handlers (loop thread): deliver in an executor thread if configured."""
        url, secret, loop = self.config.webhook_url, self.config.webhook_secret, self._loop
        if not url or not secret or loop is None:
            return
        core = self.app.core
        event = build_event(core.ids("evt_", 24), event_type, data, core.now())
        msg_id = core.ids("wh_", 24)

        def run() -> None:
            self._record(deliver(url, secret, event, msg_id=msg_id))

        loop.run_in_executor(None, run)

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"<LocalServer {where}>"
