"""Secrets never show: not in reprs, errors, formatted tracebacks or logs at any level; errors and
models pickle.

`secrets_probe.py` runs in a subprocess with `OPENAI_LOG=debug` and the root logger at DEBUG, so
everything any library logs or prints ends up in its stdout/stderr, which is searched here.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from chaos.server import Action, ChaosServer, Exchange, json_body, raw, reset, route, sse, stall_after_headers, status
from helpers import json_response, make_client

import pyopenai
from pyopenai import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from pyopenai.types.chat import ChatCompletion

from .secrets_probe import SECRETS

PROBE = Path(__file__).with_name("secrets_probe.py")
MODEL = {"id": "ok", "object": "model", "created": 0, "owned_by": "x"}
COMPLETION = {"id": "c", "object": "chat.completion", "created": 0, "model": "m",
              "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}]}


def first_then(first: Action, then: Action) -> Action:
    calls = [0]

    def act(ex: Exchange) -> None:
        calls[0] += 1
        (first if calls[0] == 1 else then)(ex)

    return act


@pytest.fixture(scope="module")
def server() -> Iterator[ChaosServer]:
    with ChaosServer(route({
        "GET */models/ok": json_body(MODEL),
        "GET */models/flaky": first_then(status(500), json_body(MODEL)),
        "GET */models/unauthorized": status(401),
        "GET */models/reset": reset(),
        "GET */models/stall": stall_after_headers(30),
        "GET */models/garbage": raw(200, b"<html>not json</html>", content_type="text/html"),
        "GET /v1/organization/users*": json_body({"object": "list", "data": [], "has_more": False}),
        "POST /v1/chat/completions": sse([{"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
                                           "choices": []}]),
        "POST /openai/deployments/*": json_body(COMPLETION),
    })) as running:
        yield running


def test_no_secret_in_anything_printed_or_logged(server: ChaosServer) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_"))}
    env["OPENAI_LOG"] = "debug"
    result = subprocess.run([sys.executable, str(PROBE), server.url], capture_output=True, text=True, timeout=120,
                            env=env, cwd=PROBE.parent)
    output = result.stdout + result.stderr
    assert result.returncode == 0, result.stderr[-3000:]
    # the capture works: every channel carried what it should
    for expected in ("probe done", "CUSTOM Request: GET", "CUSTOM Retrying GET", "AuthenticationError",
                     "Traceback (most recent call last)", "The above exception was the direct cause",
                     "ROOT pyopenai DEBUG Request:", "ROOT httpcore2", " - pyopenai:", "APITimeoutError",
                     "deadline of 0.2 s", "azure key", "ReadError", "<redacted>"):
        assert expected in output, f"{expected!r} missing: the probe did not exercise what it should"
    leaks = {secret: output.count(secret) for secret in SECRETS if secret in output}
    if leaks:
        lines = [line for line in output.splitlines() if any(s in line for s in leaks)]
        pytest.fail(f"secrets leaked {leaks}:\n" + "\n".join(lines[:10]))


def test_the_probe_would_notice_a_leak() -> None:
    """The control: the same search finds a secret when one is printed."""
    secret = SECRETS[0]
    result = subprocess.run([sys.executable, "-c", f"print({secret!r}[::-1][::-1])"], capture_output=True, text=True)
    assert secret in result.stdout


# -- in process: errors keep no credential, and pickle ------------------------------------------------------


def failing(status_code: int, **options: Any) -> Any:
    body = {"error": {"message": "nope", "type": "t", "code": "c", "param": None}}
    return make_client(lambda r: json_response(body, status=status_code), max_retries=0, **options)


@pytest.mark.parametrize("status_code", [400, 401, 403, 404, 409, 422, 429, 500, 418])
def test_status_errors_hold_no_credential_and_pickle(status_code: int) -> None:
    client, _ = failing(status_code, api_key="sk-SECRET-status")
    with pytest.raises(APIStatusError) as info:
        client.models.retrieve("m")
    err = info.value
    dumped = "".join(traceback.format_exception(err)) + repr(err) + str(err) + repr(vars(err))
    assert err.request is not None and "authorization" not in err.request.headers
    dumped += repr(err.request) + repr(err.request.headers) + repr(err.response) + repr(err.response.headers)
    assert "sk-SECRET-status" not in dumped
    restored = pickle.loads(pickle.dumps(err))
    assert type(restored) is type(err) and str(restored) == str(err)
    assert (restored.status_code, restored.request_id, restored.code, restored.body) == (
        err.status_code, err.request_id, err.code, err.body)
    assert "sk-SECRET-status" not in repr(pickle.dumps(err))


def test_azure_key_header_is_not_left_on_the_request_an_error_carries() -> None:
    """The request an error carries has no credential header left (neither `api-key` nor `authorization`),
    as the official SDK's errors: code reading `err.request.headers[...]` cannot leak the key."""
    from pyopenai import AzureOpenAI

    client = AzureOpenAI(api_key="SECRET-azure-key", azure_endpoint="http://azure.test", api_version="2024-10-21",
                         max_retries=0, http_client=httpx2.Client(transport=httpx2.MockTransport(
                             lambda r: json_response({"error": {"message": "no"}}, status=401))))
    with pytest.raises(AuthenticationError) as info:
        client.models.retrieve("m")
    assert info.value.request is not None
    dumped = repr(info.value.request.headers) + repr(info.value.response.request.headers)
    dumped += "".join(traceback.format_exception(info.value))
    assert "SECRET-azure-key" not in dumped
    assert "api-key" not in info.value.request.headers and "api-key" not in info.value.response.request.headers


STATUS_ERRORS = (BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError,
                 UnprocessableEntityError, RateLimitError, InternalServerError, APIStatusError)


def make_error(kind: str, request: httpx2.Request) -> APIError:
    if kind == "APIError":
        return APIError("m", request, body={"error": {"message": "m"}})
    if kind == "APIConnectionError":
        return APIConnectionError(request=request)
    if kind == "APITimeoutError":
        return APITimeoutError(request)
    if kind == "APIResponseValidationError":
        return APIResponseValidationError(httpx2.Response(200, request=request, text="x"), "x")
    (cls,) = [c for c in STATUS_ERRORS if c.__name__ == kind]
    return cls("m", response=httpx2.Response(400, request=request), body=None)


@pytest.mark.parametrize("kind", ["APIError", "APIConnectionError", "APITimeoutError", "APIResponseValidationError",
                                  *[c.__name__ for c in STATUS_ERRORS]])
def test_every_error_type_pickles(kind: str) -> None:
    request = httpx2.Request("GET", "http://x.test/v1/m", headers={"authorization": "Bearer sk-SECRET-pickle"})
    err = make_error(kind, request)
    err.__cause__ = httpx2.ReadError("boom", request=request)
    restored = pickle.loads(pickle.dumps(err))
    assert type(restored) is type(err) and str(restored) == str(err)
    assert b"sk-SECRET-pickle" not in pickle.dumps(err)


def test_models_pickle_with_request_id_and_unknown_fields() -> None:
    client, _ = make_client(lambda r: json_response({**COMPLETION, "x_new_field": {"a": [1]}}))
    completion = client.chat.completions.create(model="m", messages=[])
    restored = pickle.loads(pickle.dumps(completion))
    assert isinstance(restored, ChatCompletion) and restored == completion
    assert restored._request_id == "req_123" and restored.x_new_field == {"a": [1]}  # pyright: ignore[reportAttributeAccessIssue]
    assert restored.choices[0].message.content == "hi"


def test_module_level_client_repr_hides_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyopenai._module_client import module_client

    monkeypatch.setattr(pyopenai, "api_key", "sk-SECRET-module")
    client = module_client()
    assert "sk-SECRET-module" not in repr(client) + str(client)
