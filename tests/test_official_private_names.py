"""What code written against the official SDK's private modules sees, and the transport behaviour
its test suite pinned down: `retry-after` read as the official SDK reads it (waits up to 120 s, a
spelled-out `inf`/`nan` is no wait, an overflowing number is too long), the `x-stainless-os`
names, `OPENAI_LOG=critical`, and the private names (`_models.FinalRequestOptions`,
`client._build_request`, `_compat`, `_utils`) as adapters onto pyopenai's own machinery."""

from __future__ import annotations

import logging
import platform
from typing import Any, Literal, Union

import httpx2
import pydantic
import pytest
from helpers import json_response, make_async_client, make_client
from typing_extensions import Annotated

import pyopenai
from pyopenai import OpenAI
from pyopenai._base_client import OtherPlatform, get_platform, make_request_options, platform_headers
from pyopenai._models import FinalRequestOptions, construct_type

MODEL = {"id": "gpt-4o", "object": "model", "created": 1, "owned_by": "system"}


def retry_after_then_ok(headers: dict[str, str], status: int = 429) -> Any:
    answers = iter([status])

    def handler(request: httpx2.Request) -> httpx2.Response:
        if next(answers, 200) == 200:
            return json_response(MODEL)
        return json_response({"error": {"message": "slow down", "code": None}}, status, headers)

    return handler


# -- retry-after -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "waited"),
    [
        ({"retry-after": "90"}, 90.0),  # honoured up to two minutes
        ({"retry-after-ms": "120000"}, 120.0),
        ({"retry-after": "1e2"}, 100.0),
    ],
)
def test_a_server_wait_up_to_two_minutes_is_honoured(
    headers: dict[str, str], waited: float, _instant_retries: list[float]
) -> None:
    client, recorder = make_client(retry_after_then_ok(headers), max_retries=1)
    assert client.models.retrieve("gpt-4o").id == "gpt-4o"
    assert len(recorder.requests) == 2
    assert _instant_retries == [waited]


@pytest.mark.parametrize(
    "headers",
    [{"retry-after": "121"}, {"retry-after": "1e999"}, {"retry-after": "9" * 400}, {"retry-after-ms": "1e999"}],
)
def test_a_longer_or_overflowing_wait_is_not_retried(headers: dict[str, str], _instant_retries: list[float]) -> None:
    client, recorder = make_client(retry_after_then_ok(headers), max_retries=1)
    with pytest.raises(pyopenai.RateLimitError):
        client.models.retrieve("gpt-4o")
    assert len(recorder.requests) == 1 and _instant_retries == []


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "inf"}, {"retry-after": " +Infinity "}, {"retry-after": "NaN"}, {"retry-after": "-1e999"},
        {"retry-after": "0"},
        # the millisecond header, when sent, is the one read: a bad one means the usual backoff
        {"retry-after-ms": "inf", "retry-after": "90"},
    ],
)
async def test_a_wait_that_is_not_a_number_of_seconds_means_the_usual_backoff(
    headers: dict[str, str], _instant_retries: list[float]
) -> None:
    client, recorder = make_async_client(retry_after_then_ok(headers), max_retries=1)
    assert (await client.models.retrieve("gpt-4o")).id == "gpt-4o"
    assert len(recorder.requests) == 2
    assert len(_instant_retries) == 1 and 0.375 <= _instant_retries[0] <= 0.5


def test_calculate_retry_timeout_and_should_retry_read_the_policy() -> None:
    client, _ = make_client(lambda r: json_response(MODEL))
    options = FinalRequestOptions(method="get", url="/x", max_retries=3)
    assert client._calculate_retry_timeout(3, options, httpx2.Headers({"retry-after": "61"})) == 61
    assert 0.375 <= client._calculate_retry_timeout(3, options, httpx2.Headers({"retry-after": "121"})) <= 0.5
    assert 6.0 <= client._calculate_retry_timeout(-1100, options, None) <= 8.0  # no overflow on huge counts
    assert client._should_retry(httpx2.Response(429, headers={"retry-after": "120"})) is True
    assert client._should_retry(httpx2.Response(429, headers={"retry-after": "121"})) is False
    assert client._should_retry(httpx2.Response(400)) is False


# -- x-stainless-os --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("system", "name", "release", "expected"),
    [
        ("Darwin", "macOS-14-arm64", {}, "MacOS"),
        ("Darwin", "Darwin-iPhone12,1", {}, "iOS"),
        ("Windows", "Windows-11", {}, "Windows"),
        ("Linux", "Linux-android12", {}, "Android"),
        ("Linux", "Linux-6", {"ID": "ubuntu"}, "Linux"),
        ("Linux", "Linux-6", {"ID": "FreeBSD"}, "FreeBSD"),
        ("SunOS", "SunOS-5", {}, "Other:sunos-5"),
        ("", "", {}, "Unknown"),
    ],
)
def test_the_os_header_names_the_system_as_the_api_expects(
    monkeypatch: pytest.MonkeyPatch, system: str, name: str, release: dict[str, str], expected: str
) -> None:
    monkeypatch.setattr(platform, "system", lambda: system)
    monkeypatch.setattr(platform, "platform", lambda: name)
    monkeypatch.setattr(platform, "freedesktop_os_release", lambda: release)
    platform_headers.cache_clear()
    try:
        client, recorder = make_client(lambda r: json_response(MODEL))
        client.models.retrieve("gpt-4o")
    finally:
        platform_headers.cache_clear()
    assert recorder.requests[0].headers["x-stainless-os"] == expected
    assert str(get_platform()) == expected
    assert isinstance(get_platform(), OtherPlatform) == expected.startswith("Other:")


def test_an_unreadable_os_release_reads_as_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    monkeypatch.setattr(platform, "platform", lambda: "Linux-6")

    def unreadable() -> dict[str, str]:
        raise PermissionError("no")

    monkeypatch.setattr(platform, "freedesktop_os_release", unreadable)
    assert get_platform() == "Linux"


# -- logging ---------------------------------------------------------------------------------------


def test_openai_log_critical_is_a_level(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyopenai._logging import default_logger
    from pyopenai._utils._logs import setup_logging

    before = default_logger.level
    monkeypatch.setenv("OPENAI_LOG", "critical")
    try:
        setup_logging()
        assert default_logger.level == logging.CRITICAL
        make_client(lambda r: json_response(MODEL))  # a client accepts the level too
    finally:
        default_logger.setLevel(before)


def test_sensitive_headers_filter_redacts_credentials_in_logged_options(caplog: pytest.LogCaptureFixture) -> None:
    from pyopenai._utils import SensitiveHeadersFilter

    logger = logging.getLogger("pyopenai-test-filter")
    logger.addFilter(SensitiveHeadersFilter())
    with caplog.at_level(logging.DEBUG, logger="pyopenai-test-filter"):
        logger.debug("options: %s", {"url": "/x", "headers": {"API-Key": "sk-1", "authorization": "Bearer sk-2", "x": "y"}})
    assert "sk-1" not in caplog.text and "sk-2" not in caplog.text
    assert "'x': 'y'" in caplog.text


# -- private names as adapters ---------------------------------------------------------------------


def test_build_request_from_final_request_options_sends_what_a_call_would() -> None:
    client, _ = make_client(lambda r: json_response(MODEL), admin_api_key="sk-admin", default_query={"q": "1"})
    request = client._build_request(
        FinalRequestOptions(
            method="post", url="/foo", json_data={"a": 1},
            **make_request_options(extra_headers={"X-Foo": "bar"}, extra_query={"p": "2"}, extra_body={"b": 2}),
        )
    )
    assert request.url == "http://api.test/v1/foo?q=1&p=2"
    assert request.headers["x-foo"] == "bar" and request.headers["authorization"] == "Bearer sk-test-key"
    assert request.read() == b'{"a":1,"b":2}'
    admin = client._build_request(FinalRequestOptions(method="get", url="/organization/projects",
                                                      security={"admin_api_key_auth": True}))
    assert admin.headers["authorization"] == "Bearer sk-admin"


def test_final_request_options_files_make_a_multipart_body() -> None:
    client, _ = make_client(lambda r: json_response(MODEL))
    request = client._build_request(
        FinalRequestOptions.construct(method="post", url="/up", json_data={"purpose": "x"}, files=[("file", b"data")])
    )
    body = request.read()
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b'name="purpose"' in body and b'name="file"' in body and b"data" in body


class A(pydantic.BaseModel):
    type: Literal["a"]


class B(pydantic.BaseModel):
    type: Literal["b"]
    data: str


def test_compat_functions_are_the_pydantic_methods() -> None:
    from pyopenai import _compat

    b = _compat.parse_obj(B, {"type": "b", "data": "x"})
    assert _compat.model_dump(b) == {"type": "b", "data": "x"} and _compat.model_json(b) == '{"type":"b","data":"x"}'
    assert _compat.model_copy(b) == b and _compat.model_parse(B, {"type": "b", "data": "x"}) == b
    assert set(_compat.get_model_fields(B)) == {"type", "data"}
    assert _compat.is_literal_type(Literal["a"]) and not _compat.is_literal_type(str)
    assert _compat.model_json_schema(A)["properties"]["type"]["const"] == "a"
    with pytest.raises(pydantic.ValidationError):
        _compat.parse_obj(B, {"type": "b"})


def test_property_info_discriminator_picks_the_member_in_lenient_construction() -> None:
    from pyopenai._utils import PropertyInfo

    union: Any = Annotated[Union[A, B], PropertyInfo(discriminator="type")]
    built = construct_type(value={"type": "b", "data": 1}, type_=union)  # data of the wrong type: lenient
    assert isinstance(built, B) and built.data == 1


def test_required_args_names_what_is_missing() -> None:
    from pyopenai._utils import required_args

    @required_args(["a", "b"], ["c"])
    def call(*, a: int | None = None, b: int | None = None, c: int | None = None) -> int:
        return (a or 0) + (b or 0) + (c or 0)

    assert call(a=1, b=2) == 3 and call(c=4) == 4
    with pytest.raises(TypeError, match=r"'a', 'b'.*'c'"):
        call(a=1)

    @required_args(["x"])
    def single(x: int | None = None) -> int | None:
        return x

    assert single(None) is None
    with pytest.raises(TypeError, match="Missing required argument: 'x'"):
        single()
    with pytest.raises(TypeError, match="takes 1 argument"):
        single(1, 2)  # pyright: ignore[reportCallIssue]


def test_private_modules_do_not_load_with_the_package() -> None:
    import subprocess
    import sys

    code = "import sys, pyopenai; OpenAI = pyopenai.OpenAI; print(sorted(m for m in sys.modules if m in ('pydantic', 'pyopenai._utils', 'pyopenai._compat')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert OpenAI  # the name used above exists


# -- the client's edges the official suite pinned down ----------------------------------------------


def test_an_authorization_default_header_wins_over_the_api_key() -> None:
    client, recorder = make_client(lambda r: json_response({"object": "list", "data": []}),
                                   default_headers={"authorization": "Bearer from-defaults"})
    client.models.list()
    client.models.list(extra_headers={"Authorization": "Bearer per-call"})
    client.models.list(extra_headers={"AUTHORIZATION": pyopenai.Omit()})
    assert [r.headers.get_list("authorization") for r in recorder.requests] == [
        ["Bearer from-defaults"], ["Bearer per-call"], []]


def test_a_query_written_in_the_path_is_kept_with_the_params() -> None:
    client, recorder = make_client(lambda r: json_response({}))
    client.get("/files/a%2Fb?beta=true", cast_to=object, options={"params": {"limit": 10}})
    assert recorder.requests[0].url.raw_path == b"/v1/files/a%2Fb?beta=true&limit=10"


def test_the_timeout_of_the_callers_http_client_applies_when_none_is_given() -> None:
    def timeout_of(http_client: httpx2.Client, **options: Any) -> httpx2.Timeout:
        client = OpenAI(api_key="k", base_url="http://api.test/v1", http_client=http_client, **options)
        return httpx2.Timeout(**client._build_request(FinalRequestOptions(method="get", url="/x")).extensions["timeout"])

    assert timeout_of(httpx2.Client(timeout=None)) == httpx2.Timeout(None)
    assert timeout_of(httpx2.Client(timeout=12.0)) == httpx2.Timeout(12.0)
    assert timeout_of(httpx2.Client()) == httpx2.Timeout(600, connect=5.0)  # httpx2's default: ours instead
    assert timeout_of(httpx2.Client(timeout=12.0), timeout=3.0) == httpx2.Timeout(3.0)


def test_plain_text_for_a_model_is_an_error_only_for_a_strict_client() -> None:
    def text(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, text="my-custom-format")

    class Model(pydantic.BaseModel):
        name: str

    lenient, _ = make_client(text)
    assert lenient.get("/x", cast_to=Model) == "my-custom-format"
    strict, _ = make_client(text, _strict_response_validation=True)
    with pytest.raises(pyopenai.APIResponseValidationError) as info:
        strict.get("/x", cast_to=Model)
    assert "authorization" not in info.value.request.headers


def test_the_default_http_client_goes_through_the_environments_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    for http_client in (pyopenai.DefaultHttpxClient(), OpenAI(api_key="k")._client):
        assert [pattern.pattern for pattern in http_client._mounts] == ["https://"]
    assert pyopenai.DefaultHttpxClient(trust_env=False)._mounts == {}


@pytest.mark.parametrize(("value", "error"), [(None, TypeError), ("2", TypeError), (2.0, TypeError), (-1, ValueError)])
def test_a_bad_per_call_max_retries_fails_before_sending(value: object, error: type[Exception]) -> None:
    client, recorder = make_client(lambda r: json_response({}))
    with pytest.raises(error, match="max_retries"):
        client.get("/x", cast_to=object, options={"max_retries": value})  # type: ignore[typeddict-item]
    assert recorder.requests == []


async def test_refresh_api_key_asks_the_provider_now() -> None:
    client, _ = make_client(lambda r: json_response({}), api_key=lambda: "sk-fresh")
    assert client.auth_headers == {}
    client._refresh_api_key()
    assert client.auth_headers == {"Authorization": "Bearer sk-fresh"}

    async def provider() -> str:
        return "sk-async"

    async_client, _ = make_async_client(lambda r: json_response({}), api_key=provider)
    await async_client._refresh_api_key()
    assert async_client.auth_headers == {"Authorization": "Bearer sk-async"}
