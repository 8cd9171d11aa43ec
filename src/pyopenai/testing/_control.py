"""Control endpoints under ``/_pyopenai/`` (no auth): drive a server running in another process.

- ``GET /_pyopenai/health`` → ``{"status": "ok"}``
- ``POST /_pyopenai/faults`` with a JSON object of :class:`Fault` fields → queued fault
- ``DELETE /_pyopenai/faults`` → clear queued faults
- ``POST /_pyopenai/reset`` → forget stored objects, requests, faults
- ``POST /_pyopenai/webhooks`` with ``{"type", "data", "url"?, "secret"?}`` → send one event now
- ``GET /_pyopenai/requests`` → ``[{"method", "path"}]`` of recorded requests
- ``GET /_pyopenai/media/{name}`` → a generated image (the ``url`` of an images answer)
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from . import _media
from ._core import json_response
from ._errors import APIFailure
from ._faults import Fault
from ._http import Request, Response

if TYPE_CHECKING:
    from ._server import LocalServer

__all__ = ["make_control", "not_found"]

_FAULT_FIELDS = {f.name for f in dataclasses.fields(Fault)} - {"hits"}


def not_found(req: Request) -> Response:
    return Response(404, APIFailure(404, f"Invalid URL ({req.method} {req.path})", code="unknown_url").body())


def _body(req: Request) -> dict[str, Any]:
    try:
        data = json.loads(req.body or b"{}")
    except ValueError:
        raise APIFailure(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise APIFailure(400, "The request body must be a JSON object.")
    return cast(dict[str, Any], data)


def make_control(server: LocalServer) -> Callable[[Request], Awaitable[Response | None]]:
    async def control(req: Request) -> Response | None:
        try:
            return await _control(server, req)
        except APIFailure as failure:
            return Response(failure.status, failure.body())

    return control


async def _control(server: LocalServer, req: Request) -> Response | None:
    route = (req.method, req.path)
    if route == ("GET", "/_pyopenai/health"):
        return json_response({"status": "ok"})
    if route == ("POST", "/_pyopenai/faults"):
        fields = _body(req)
        unknown = set(fields) - _FAULT_FIELDS
        if unknown:
            raise APIFailure(400, f"Unknown fault field(s): {', '.join(sorted(unknown))}.")
        fault = server.faults.push(**fields)
        return json_response(dataclasses.asdict(fault))
    if route == ("DELETE", "/_pyopenai/faults"):
        server.faults.clear()
        return json_response({"cleared": True})
    if route == ("POST", "/_pyopenai/reset"):
        server.reset()
        return json_response({"reset": True})
    if route == ("POST", "/_pyopenai/webhooks"):
        body = _body(req)
        event_type, data = body.get("type"), body.get("data")
        if not isinstance(event_type, str) or not isinstance(data, dict):
            raise APIFailure(400, "Expected {'type': str, 'data': object}.")
        try:
            send = functools.partial(
                server.send_webhook,
                event_type,
                cast(dict[str, Any], data),
                url=body.get("url"),
                secret=body.get("secret"),
            )
            delivery = await asyncio.get_running_loop().run_in_executor(None, send)
        except ValueError as exc:
            raise APIFailure(400, str(exc)) from None
        return json_response({"status": delivery.status, "error": delivery.error, "event": delivery.event})
    if req.method == "GET" and req.path.startswith(_media.MEDIA_PREFIX):
        return _media.media_file(server.app.core, req.path[len(_media.MEDIA_PREFIX) :])
    if route == ("GET", "/_pyopenai/requests"):
        return json_response([{"method": r.method, "path": r.path} for r in server.requests])
    return None
