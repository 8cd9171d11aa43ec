"""``/v1/webhook_endpoints`` and ``/v1/webhook_event_types``: webhook endpoint management.

Endpoints are stored with a ``whsec_`` signing secret (returned by create and rotate_secret only).
``POST /webhook_endpoints/{id}/test`` builds a sample event of the asked type, signs it with the
endpoint's secret and POSTs it to the endpoint's URL now, answering the receiver's status code: so a
test can check that its receiver unwraps every event type the API sends.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

from ._core import Core, Router, json_response, page_response
from ._errors import bad_request, not_found
from ._http import Request, Response
from ._validate import JSONObject, json_body, opt_bool, opt_list, opt_str, req_list, req_str
from ._webhooks import build_event, deliver

__all__ = ["EVENT_TYPES", "register", "sample_data"]


def _object_id(prefix: str) -> Callable[[Core], JSONObject]:
    return lambda core: {"id": core.ids(prefix, 24)}


def _agent_session(core: Core) -> JSONObject:
    return {"id": core.ids("sess_", 24), "environment_type": "openai_hosted", "environment_id": core.ids("env_", 24)}


def _action_required(core: Core) -> JSONObject:
    return {"id": core.ids("sess_", 24), "required_action": {"type": "function_call"}}


def _sip_headers() -> list[JSONObject]:
    return [
        {"name": "From", "value": "<sip:+15550100@example.com>"},
        {"name": "To", "value": "<sip:+15550199@example.com>"},
    ]


def _live_call(core: Core) -> JSONObject:
    return {"session_id": core.ids("sess_", 24), "sip_headers": _sip_headers()}


def _realtime_call(core: Core) -> JSONObject:
    return {"call_id": core.ids("rtc_", 24), "sip_headers": _sip_headers()}


def _transport_connected(core: Core) -> JSONObject:
    return {"session_id": core.ids("sess_", 24), "type": "webrtc"}


def _transport_incoming(core: Core) -> JSONObject:
    return {
        "session_id": core.ids("sess_", 24),
        "type": "sip",
        "sip_headers": _sip_headers(),
        "sip_media_security": "srtp",
    }


def _identifier_blocked(core: Core) -> JSONObject:
    return {
        "safety_identifier": "user-1234",
        "safety_category": "cyber",
        "model": "gpt-5",
        "request_id": core.ids("req_", 32),
    }


# every event type the API delivers, with the `data` of a sample event (the shapes of the
# `pyopenai.types.webhooks` models)
_SAMPLES: dict[str, Callable[[Core], JSONObject]] = {
    "batch.completed": _object_id("batch_"),
    "batch.failed": _object_id("batch_"),
    "batch.expired": _object_id("batch_"),
    "batch.cancelled": _object_id("batch_"),
    "response.completed": _object_id("resp_"),
    "response.failed": _object_id("resp_"),
    "response.cancelled": _object_id("resp_"),
    "response.incomplete": _object_id("resp_"),
    "eval.run.succeeded": _object_id("evalrun_"),
    "eval.run.failed": _object_id("evalrun_"),
    "eval.run.canceled": _object_id("evalrun_"),
    "fine_tuning.job.succeeded": _object_id("ftjob-"),
    "fine_tuning.job.failed": _object_id("ftjob-"),
    "fine_tuning.job.cancelled": _object_id("ftjob-"),
    "realtime.call.incoming": _realtime_call,
    "video.completed": _object_id("video_"),
    "video.failed": _object_id("video_"),
    "agent.environment.ready": _object_id("env_"),
    "agent.environment.failed": _object_id("env_"),
    "agent.environment.suspended": _object_id("env_"),
    "agent.environment.expired": _object_id("env_"),
    "agent.session.created": _agent_session,
    "agent.session.action_required": _action_required,
    "agent.session.in_progress": _agent_session,
    "agent.session.idle": _agent_session,
    "agent.session.failed": _agent_session,
    "live.call.incoming": _live_call,
    "live.transport.connected": _transport_connected,
    "live.transport.incoming": _transport_incoming,
    "safety.alert.created": _object_id("alert_"),
    "safety.org_alert.created": _object_id("alert_"),
    "safety.warning_issued": _object_id("warning_"),
    "safety.deactivation_issued": _object_id("deactivation_"),
    "safety_identifier.blocked": _identifier_blocked,
}

EVENT_TYPES: tuple[str, ...] = tuple(_SAMPLES)


def sample_data(core: Core, event_type: str) -> JSONObject:
    """The `data` of a sample `event_type` event; raises a 400 for a type the API does not send."""
    build = _SAMPLES.get(event_type)
    if build is None:
        raise bad_request(f"Invalid value for 'event_type': '{event_type}'.", param="event_type", code="invalid_value")
    return build(core)


def _endpoints(core: Core) -> dict[str, JSONObject]:
    return core.store.webhook_endpoints


def _secret(core: Core) -> str:
    seed = core.ids("whsec_seed_", 32).encode()
    return "whsec_" + base64.b64encode(hashlib.sha256(seed).digest()).decode()


def _public(endpoint: JSONObject) -> JSONObject:
    return {key: value for key, value in endpoint.items() if key != "signing_secret"}


def _with_secret(endpoint: JSONObject) -> JSONObject:
    secret: str = endpoint["signing_secret"]
    return {**endpoint, "signing_secret_hint": secret[-4:]}


def _event_types(body: JSONObject, *, required: bool) -> list[str] | None:
    values = req_list(body, "event_types") if required else opt_list(body, "event_types")
    if values is None:
        return None
    for value in values:
        if value not in _SAMPLES:
            raise bad_request(f"Invalid event type: {value!r}.", param="event_types", code="invalid_value")
    return [str(value) for value in values]


def _url(body: JSONObject, *, required: bool) -> str | None:
    url = req_str(body, "url") if required else opt_str(body, "url")
    if url is not None and not url.startswith(("https://", "http://")):
        raise bad_request("The webhook URL must be an http(s) URL.", param="url", code="invalid_url")
    return url


def _endpoint(core: Core, params: dict[str, str]) -> JSONObject:
    endpoint = _endpoints(core).get(params["webhook_endpoint_id"])
    if endpoint is None:
        raise not_found("webhook endpoint", params["webhook_endpoint_id"], param="webhook_endpoint_id")
    return endpoint


def _create(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    endpoint: JSONObject = {
        "id": core.ids("we_", 24),
        "object": "webhook_endpoint",
        "created_at": core.now(),
        "updated_at": None,
        "name": req_str(body, "name"),
        "url": _url(body, required=True),
        "event_types": _event_types(body, required=True),
        "signing_secret": _secret(core),
    }
    endpoint["signing_secret_hint"] = endpoint["signing_secret"][-4:]
    _endpoints(core)[endpoint["id"]] = endpoint
    return json_response(_with_secret(endpoint))


def _list(core: Core, req: Request, params: dict[str, str]) -> Response:
    return page_response(req, [_public(e) for e in _endpoints(core).values()])


def _retrieve(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_public(_endpoint(core, params)))


def _update(core: Core, req: Request, params: dict[str, str]) -> Response:
    endpoint = _endpoint(core, params)
    body = json_body(req)
    changes: JSONObject = {
        "name": opt_str(body, "name"),
        "url": _url(body, required=False),
        "event_types": _event_types(body, required=False),
    }
    endpoint.update({key: value for key, value in changes.items() if value is not None})
    endpoint["updated_at"] = core.now()
    return json_response(_public(endpoint))


def _delete(core: Core, req: Request, params: dict[str, str]) -> Response:
    endpoint = _endpoint(core, params)
    del _endpoints(core)[endpoint["id"]]
    return json_response({"id": endpoint["id"], "object": "webhook_endpoint.deleted", "deleted": True})


def _rotate_secret(core: Core, req: Request, params: dict[str, str]) -> Response:
    endpoint = _endpoint(core, params)
    opt_bool(json_body(req) if req.body else {}, "keep_old_secret_active_for_24_hours")  # validated, not modelled
    endpoint["signing_secret"] = _secret(core)
    endpoint["signing_secret_hint"] = endpoint["signing_secret"][-4:]
    endpoint["updated_at"] = core.now()
    return json_response(_with_secret(endpoint))


def _test(core: Core, req: Request, params: dict[str, str]) -> Response:
    endpoint = _endpoint(core, params)
    event_type = req_str(json_body(req), "event_type")
    event = build_event(core.ids("evt_", 24), event_type, sample_data(core, event_type), core.now())
    # delivered now, on the server's thread: the answer carries the receiver's status code
    delivery = deliver(endpoint["url"], endpoint["signing_secret"], event, msg_id=core.ids("wh_", 24), timeout=5.0)
    return json_response(
        {
            "object": "webhook_endpoint.test",
            "webhook_endpoint_id": endpoint["id"],
            "event_type": event_type,
            "status_code": delivery.status,
            "success": True,
        }
    )


def _list_event_types(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response({"object": "list", "data": list(EVENT_TYPES)})


def register(router: Router) -> None:
    router.add("POST", "/webhook_endpoints", _create)
    router.add("GET", "/webhook_endpoints", _list)
    router.add("GET", "/webhook_endpoints/{webhook_endpoint_id}", _retrieve)
    router.add("POST", "/webhook_endpoints/{webhook_endpoint_id}", _update)
    router.add("DELETE", "/webhook_endpoints/{webhook_endpoint_id}", _delete)
    router.add("POST", "/webhook_endpoints/{webhook_endpoint_id}/rotate_secret", _rotate_secret)
    router.add("POST", "/webhook_endpoints/{webhook_endpoint_id}/test", _test)
    router.add("GET", "/webhook_event_types", _list_event_types)
