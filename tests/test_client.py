"""Client options, credentials, request building, retries and errors, sync and async."""

from __future__ import annotations

import json
import pickle
import platform
from typing import Any

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client
from widgets import AsyncWidgets, Widget, Widgets

import pyopenai
from pyopenai import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OpenAI,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    omit,
)
from pyopenai._base_client import _architecture  # pyright: ignore[reportPrivateUsage]

WIDGET = {"id": "w_1", "object": "widget", "size": 3}


def ok(_: httpx2.Request) -> httpx2.Response:
    return json_response(WIDGET)


# -- options and credentials -----------------------------------------------------------------------


def test_missing_api_key_names_the_variable() -> None:
    with pytest.raises(OpenAIError, match="OPENAI_API_KEY"):
        OpenAI()


def test_options_fall_back_to_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-1")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-1")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.test/v1")
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", "whsec_x")
    monkeypatch.setenv("OPENAI_ADMIN_KEY", "sk-admin")
    client = OpenAI()
    assert client.api_key == "sk-env"
    assert client.organization == "org-1" and client.project == "proj-1"
    assert str(client.base_url) == "http://env.test/v1/"
    assert client.webhook_secret == "whsec_x" and client.admin_api_key == "sk-admin"


def test_auth_organization_project_and_default_headers_are_sent() -> None:
    client, rec = make_client(ok, organization="org-1", project="proj-1", default_headers={"X-Custom": "1"})
    Widgets(client).retrieve("w_1")
    headers = rec.last.headers
    assert headers["authorization"] == "Bearer sk-test-key"
    assert headers["openai-organization"] == "org-1"
    assert headers["openai-project"] == "proj-1"
    assert headers["x-custom"] == "1"
    assert headers["openai-beta"] == "widgets=v1"
    assert headers["x-stainless-retry-count"] == "0"


def test_platform_headers_can_be_turned_off() -> None:
    client, rec = make_client(ok, platform_headers=False)
    Widgets(client).retrieve("w_1")
    assert not [k for k in rec.last.headers if k.startswith("x-stainless")]


@pytest.mark.parametrize(
    ("machine", "sent"),
    [("x86_64", "x64"), ("aarch64", "arm64"), ("arm64", "arm64"), ("arm", "arm"), ("riscv64", "other:riscv64"), ("", "unknown")],
)
def test_architecture_header_uses_the_official_sdks_names(machine: str, sent: str) -> None:
    # the API's telemetry reads `x-stainless-arch` as the official SDK spells it, not `platform.machine()`
    assert _architecture(machine) == sent


async def test_the_architecture_header_sent_sync_and_async() -> None:
    expected = _architecture(platform.machine())
    client, rec = make_client(ok)
    Widgets(client).retrieve("w_1")
    async_client, async_rec = make_async_client(ok)
    await AsyncWidgets(async_client).retrieve("w_1")
    assert rec.last.headers["x-stainless-arch"] == async_rec.last.headers["x-stainless-arch"] == expected
    if platform.machine() == "x86_64":
        assert expected == "x64"


def test_api_key_callable_is_called_per_request() -> None:
    keys = iter(["sk-one", "sk-two"])
    client, rec = make_client(ok, api_key=lambda: next(keys))
    Widgets(client).retrieve("w_1")
    Widgets(client).retrieve("w_1")
    assert [r.headers["authorization"] for r in rec.requests] == ["Bearer sk-one", "Bearer sk-two"]


async def test_async_api_key_provider_may_be_async() -> None:
    async def provider() -> str:
        return "sk-async"

    client, rec = make_async_client(ok, api_key=provider)
    await AsyncWidgets(client).retrieve("w_1")
    assert rec.last.headers["authorization"] == "Bearer sk-async"


def test_admin_endpoints_use_the_admin_key() -> None:
    client, rec = make_client(ok, admin_api_key="sk-admin")
    Widgets(client).admin_stats()
    assert rec.last.headers["authorization"] == "Bearer sk-admin"
    client_without, _ = make_client(ok)
    with pytest.raises(OpenAIError, match="OPENAI_ADMIN_KEY"):
        Widgets(client_without).admin_stats()


def test_with_options_shares_the_pool_and_overrides() -> None:
    client, rec = make_client(ok, default_headers={"X-A": "1"})
    copy = client.with_options(max_retries=5, default_headers={"X-B": "2"}, timeout=3.0)
    assert copy._http is client._http
    assert copy.max_retries == 5 and client.max_retries == 2
    Widgets(copy).retrieve("w_1")
    assert rec.last.headers["x-a"] == "1" and rec.last.headers["x-b"] == "2"
    assert rec.last.extensions["timeout"]["read"] == 3.0
    copy.close()
    assert not client._http.is_closed  # closing a copy leaves the shared pool open
    client.close()
    assert client._http.is_closed


def test_client_repr_and_pickle_never_show_the_key() -> None:
    client, _ = make_client(ok, api_key="sk-secret-123")
    assert "sk-secret-123" not in repr(client)
    with pytest.raises(TypeError):
        pickle.dumps(client)


def test_context_manager_closes() -> None:
    client, _ = make_client(ok)
    with client as c:
        assert c is client
    assert client._http.is_closed


def test_rejects_wrong_http_client_type() -> None:
    with pytest.raises(TypeError, match="httpx2.Client"):
        OpenAI(api_key="x", http_client=httpx2.AsyncClient())  # pyright: ignore[reportArgumentType]


# -- request building --------------------------------------------------------------------------------


def test_json_body_omits_unset_and_sends_none_as_null() -> None:
    client, rec = make_client(ok)
    Widgets(client).create(name="a", size=None)
    assert rec.json() == {"name": "a", "size": None}
    assert rec.last.headers["content-type"] == "application/json"


def test_models_pydantic_objects_and_iterables_in_bodies_are_serialized() -> None:
    import pydantic

    class Tag(pydantic.BaseModel):
        label: str

    client, rec = make_client(ok)
    widget = Widget.model_validate(WIDGET)
    Widgets(client).create(name="a", tags=(t for t in ["x", "y"]), extra_body={"w": widget, "p": Tag(label="l")})
    assert rec.json() == {"name": "a", "tags": ["x", "y"], "w": WIDGET, "p": {"label": "l"}}


def test_query_arrays_use_brackets_and_extra_query_merges() -> None:
    client, rec = make_client(ok)
    Widgets(client).retrieve("w_1", include=["a", "b"], extra_query={"flag": True, "meta": {"k": "v"}})
    assert rec.last.url.query.decode() == "include%5B%5D=a&include%5B%5D=b&flag=true&meta%5Bk%5D=v"


def test_path_parameters_are_escaped_and_empty_ones_rejected() -> None:
    client, rec = make_client(ok)
    Widgets(client).retrieve("a/b c")
    assert rec.last.url.raw_path.decode().startswith("/v1/widgets/a%2Fb%20c")
    with pytest.raises(ValueError, match="non-empty value for `widget_id`"):
        Widgets(client).retrieve("")
    assert len(rec.requests) == 1


def test_extra_headers_override_and_omit_removes() -> None:
    client, rec = make_client(ok)
    Widgets(client).retrieve("w", extra_headers={"OpenAI-Beta": omit, "X-Extra": "1"})  # pyright: ignore[reportArgumentType]
    assert "openai-beta" not in rec.last.headers and rec.last.headers["x-extra"] == "1"


def test_per_request_timeout_reaches_the_transport() -> None:
    client, rec = make_client(ok)
    Widgets(client).retrieve("w", timeout=1.5)
    assert rec.last.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}
    Widgets(client).retrieve("w")
    assert rec.last.extensions["timeout"]["read"] == 600.0 and rec.last.extensions["timeout"]["connect"] == 5.0


def test_results_carry_the_request_id() -> None:
    client, _ = make_client(ok)
    widget = Widgets(client).retrieve("w")
    assert isinstance(widget, Widget) and widget.size == 3
    assert widget._request_id == "req_123"


def test_empty_response_returns_none() -> None:
    client, _ = make_client(lambda r: httpx2.Response(200))
    assert Widgets(client).delete("w") is None


def test_non_json_body_is_a_clear_validation_error() -> None:
    client, _ = make_client(lambda r: httpx2.Response(200, text="<html>oops</html>", headers={"content-type": "text/html"}))
    with pytest.raises(APIResponseValidationError, match="text/html") as info:
        Widgets(client).retrieve("w")
    assert info.value.status_code == 200


# -- errors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError), (401, AuthenticationError), (403, PermissionDeniedError), (404, NotFoundError),
        (409, ConflictError), (422, UnprocessableEntityError), (429, RateLimitError), (500, InternalServerError),
        (503, InternalServerError), (418, APIStatusError),
    ],
)
def test_errors_by_status(status: int, cls: type[APIStatusError]) -> None:
    body = {"error": {"message": "Nope", "type": "invalid_request_error", "param": "model", "code": "bad_model"}}
    client, _ = make_client(lambda r: json_response(body, status=status), max_retries=0)
    with pytest.raises(cls) as info:
        Widgets(client).retrieve("w")
    err = info.value
    assert type(err) is cls
    assert err.status_code == status and err.request_id == "req_123"
    assert (err.code, err.param, err.type) == ("bad_model", "model", "invalid_request_error")
    assert err.body == body["error"] and "Nope" in str(err) and str(status) in str(err)
    assert err.headers is not None and err.headers["x-request-id"] == "req_123"


def test_html_error_page_gives_status_and_the_page_as_body() -> None:
    client, _ = make_client(lambda r: httpx2.Response(502, text=" <html>Bad gateway</html>\n"), max_retries=0)
    with pytest.raises(InternalServerError) as info:
        Widgets(client).retrieve("w")
    assert str(info.value) == "Error code: 502" and info.value.body == "<html>Bad gateway</html>"


def test_errors_pickle_without_the_response() -> None:
    client, _ = make_client(lambda r: json_response({"error": {"message": "m", "code": "c"}}, status=404))
    with pytest.raises(NotFoundError) as info:
        Widgets(client).retrieve("w")
    restored = pickle.loads(pickle.dumps(info.value))
    assert type(restored) is NotFoundError
    assert (restored.status_code, restored.code, restored.request_id, str(restored)) == (
        404, "c", "req_123", str(info.value)
    )


def test_errors_never_show_the_api_key() -> None:
    client, _ = make_client(lambda r: json_response({"error": {"message": "m"}}, status=401), api_key="sk-very-secret")
    with pytest.raises(AuthenticationError) as info:
        Widgets(client).retrieve("w")
    assert "sk-very-secret" not in repr(info.value) + str(info.value) + repr(info.value.__dict__.get("body"))


# -- retries ---------------------------------------------------------------------------------------------


def sequence(*responses: httpx2.Response | Exception) -> Any:
    remaining = list(responses)

    def handler(request: httpx2.Request) -> httpx2.Response:
        item = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        if isinstance(item, Exception):
            raise item
        return item

    return handler


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503])
def test_retryable_statuses_are_retried_twice_by_default(status: int, _instant_retries: list[float]) -> None:
    client, rec = make_client(lambda r: json_response({"error": {"message": "x"}}, status=status))
    with pytest.raises(APIStatusError):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 3
    assert [r.headers["x-stainless-retry-count"] for r in rec.requests] == ["0", "1", "2"]
    assert len(_instant_retries) == 2
    assert 0.375 <= _instant_retries[0] <= 0.5 and 0.75 <= _instant_retries[1] <= 1.0  # backoff with jitter


def test_success_after_retry() -> None:
    client, rec = make_client(sequence(json_response({}, status=500), json_response(WIDGET)))
    assert Widgets(client).retrieve("w").id == "w_1"
    assert len(rec.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(status: int) -> None:
    client, rec = make_client(lambda r: json_response({"error": {}}, status=status))
    with pytest.raises(APIStatusError):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 1


def test_insufficient_quota_is_never_retried() -> None:
    body = {"error": {"message": "quota", "type": "insufficient_quota", "code": "insufficient_quota"}}
    client, rec = make_client(lambda r: json_response(body, status=429, headers={"x-should-retry": "true"}))
    with pytest.raises(RateLimitError) as info:
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 1 and info.value.code == "insufficient_quota"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"retry-after-ms": "250"}, 0.25), ({"retry-after": "3"}, 3.0), ({"retry-after": "1.5"}, 1.5)],
)
def test_retry_after_headers_are_honoured(headers: dict[str, str], expected: float, _instant_retries: list[float]) -> None:
    client, _ = make_client(sequence(json_response({}, status=429, headers=headers), json_response(WIDGET)))
    Widgets(client).retrieve("w")
    assert _instant_retries == [expected]


def test_retry_after_http_date(_instant_retries: list[float]) -> None:
    import email.utils
    import time

    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    client, _ = make_client(sequence(json_response({}, status=503, headers={"retry-after": date}), json_response(WIDGET)))
    Widgets(client).retrieve("w")
    assert 3.0 <= _instant_retries[0] <= 5.0


def test_retry_after_beyond_the_cap_raises_instead_of_waiting(_instant_retries: list[float]) -> None:
    client, rec = make_client(lambda r: json_response({}, status=429, headers={"retry-after": "3600"}))
    with pytest.raises(RateLimitError):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 1 and _instant_retries == []


def test_x_should_retry_overrides_the_status_rule() -> None:
    client, rec = make_client(lambda r: json_response({}, status=400, headers={"x-should-retry": "true"}))
    with pytest.raises(BadRequestError):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 3
    client, rec = make_client(lambda r: json_response({}, status=503, headers={"x-should-retry": "false"}))
    with pytest.raises(InternalServerError):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 1


def test_max_retries_per_client_and_per_call() -> None:
    client, rec = make_client(lambda r: json_response({}, status=500), max_retries=0)
    with pytest.raises(InternalServerError):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 1
    with pytest.raises(InternalServerError):
        Widgets(client.with_options(max_retries=4)).retrieve("w")
    assert len(rec.requests) == 6


def test_connection_errors_are_retried_then_raised() -> None:
    client, rec = make_client(sequence(httpx2.ConnectError("refused")))
    with pytest.raises(APIConnectionError) as info:
        Widgets(client).retrieve("w")
    assert not isinstance(info.value, APITimeoutError)
    assert len(rec.requests) == 3


def test_timeouts_raise_api_timeout_error() -> None:
    client, rec = make_client(sequence(httpx2.ReadTimeout("slow")), max_retries=1)
    with pytest.raises(APITimeoutError):
        Widgets(client).retrieve("w")
    assert len(rec.requests) == 2


async def test_async_retries_and_errors(_instant_retries: list[float]) -> None:
    client, rec = make_async_client(sequence(json_response({}, status=503), httpx2.ConnectError("x"), json_response(WIDGET)))
    widget = await AsyncWidgets(client).retrieve("w")
    assert widget.id == "w_1" and len(rec.requests) == 3 and len(_instant_retries) == 2
    client, _ = make_async_client(lambda r: json_response({"error": {"message": "m"}}, status=404))
    with pytest.raises(NotFoundError):
        await AsyncWidgets(client).retrieve("w")


def test_real_timeout_against_a_silent_server() -> None:
    """A loopback server that accepts and never answers: the client gives up after its timeout."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    try:
        client = OpenAI(api_key="x", base_url=f"http://127.0.0.1:{port}/v1", timeout=0.2, max_retries=0)
        with pytest.raises(APITimeoutError):
            Widgets(client).retrieve("w")
        client.close()
    finally:
        listener.close()


# -- custom requests and the module-level client ----------------------------------------------------------


def test_custom_requests_share_retries_headers_and_errors() -> None:
    client, rec = make_client(sequence(json_response({}, status=500), json_response({"ok": True})))
    result = client.post("/custom", cast_to=dict, body={"a": 1}, options={"headers": {"X-H": "v"}, "params": {"q": 1}})
    assert result == {"ok": True}
    assert len(rec.requests) == 2 and rec.last.headers["x-h"] == "v" and rec.last.url.params["q"] == "1"
    assert json.loads(rec.last.content) == {"a": 1}
    assert client.get("/custom", cast_to=Widget).to_dict() == {"ok": True}  # lenient: nothing required


async def test_async_custom_requests() -> None:
    client, rec = make_async_client(ok)
    widget = await client.get("/widgets/w_1", cast_to=Widget)
    assert widget.id == "w_1" and rec.last.method == "GET"
    await client.delete("/widgets/w_1", cast_to=type(None))
    assert rec.last.method == "DELETE"


def test_module_level_client_follows_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyopenai._module_client import module_client

    monkeypatch.setattr(pyopenai, "api_key", "sk-module")
    monkeypatch.setattr(pyopenai, "base_url", "http://module.test/v1")
    first = module_client()
    assert first.api_key == "sk-module" and str(first.base_url) == "http://module.test/v1/"
    assert module_client() is first
    monkeypatch.setattr(pyopenai, "api_key", "sk-other")
    assert module_client().api_key == "sk-other"
