"""Client options as the caller gave them: copies, headers, timeouts, base URLs, HTTP clients (issue 22, 13)."""

from __future__ import annotations

import inspect

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client
from widgets import Widgets

from pyopenai import AsyncOpenAI, Omit, OpenAI, OpenAIError
from pyopenai.lib.azure import AsyncAzureOpenAI, AzureOpenAI

WIDGET = {"id": "w_1", "object": "widget"}


def ok(_: httpx2.Request) -> httpx2.Response:
    return json_response(WIDGET)


def test_a_copy_keeps_timeout_none_as_no_timeout() -> None:
    client, rec = make_client(ok, timeout=None)
    for copy in (client.copy(), client.with_options(max_retries=1), client.with_options(timeout=None)):
        assert copy.timeout is None
        Widgets(copy).retrieve("w")
        assert set(rec.last.extensions["timeout"].values()) == {None}


def test_a_float_timeout_means_the_same_in_the_constructor_and_per_call() -> None:
    client, rec = make_client(ok, timeout=20.0)
    assert client.timeout == 20.0  # as given
    Widgets(client).retrieve("w")
    from_constructor = rec.last.extensions["timeout"]
    Widgets(client).retrieve("w", timeout=20.0)
    assert from_constructor == rec.last.extensions["timeout"] == {"connect": 20.0, "read": 20.0, "write": 20.0, "pool": 20.0}


def test_default_headers_keep_their_spelling_and_read_case_insensitively() -> None:
    client, rec = make_client(ok, default_headers={"X-Foo": "1"})
    copy = client.copy(default_headers={"X-Bar": "2"})
    assert client.default_headers["X-Foo"] == client.default_headers["x-foo"] == "1"
    assert "X-Foo" in list(copy.default_headers) and "X-Bar" in list(copy.default_headers)
    assert copy.default_headers["x-bar"] == "2" and "X-BAR" in copy.default_headers
    Widgets(copy).retrieve("w")
    assert rec.last.headers["x-foo"] == "1" and rec.last.headers["x-bar"] == "2"
    replaced = client.copy(set_default_headers={"X-Only": "3"})
    assert "X-Foo" not in replaced.default_headers and replaced.default_headers["X-Only"] == "3"


def test_set_default_headers_with_default_headers_is_a_value_error() -> None:
    client, _ = make_client(ok)
    with pytest.raises(ValueError, match="mutually exclusive"):
        client.copy(default_headers={"a": "b"}, set_default_headers={"c": "d"})
    with pytest.raises(ValueError, match="mutually exclusive"):
        client.with_options(default_query={"a": "b"}, set_default_query={"c": "d"})


def test_max_retries_none_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="max_retries cannot be None"):
        OpenAI(api_key="k", max_retries=None)  # type: ignore[arg-type]
    client, _ = make_client(ok)
    with pytest.raises(TypeError, match="max_retries cannot be None"):
        client.copy(max_retries=None)  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]  # the mistake under test


def test_is_closed_on_both_clients() -> None:
    client = OpenAI(api_key="k")
    assert client.is_closed() is False
    client.close()
    assert client.is_closed() is True


async def test_async_is_closed() -> None:
    client = AsyncOpenAI(api_key="k")
    assert client.is_closed() is False
    await client.close()
    assert client.is_closed() is True


def test_retry_count_header_can_be_replaced_or_omitted_per_request() -> None:
    client, rec = make_client(ok)
    Widgets(client).retrieve("w", extra_headers={"x-stainless-retry-count": "42"})
    assert rec.last.headers["x-stainless-retry-count"] == "42"
    Widgets(client).retrieve("w", extra_headers={"X-Stainless-Retry-Count": Omit()})
    assert "x-stainless-retry-count" not in rec.last.headers


async def test_async_retry_count_header_can_be_replaced() -> None:
    client, rec = make_async_client(ok)
    await client.get("/widgets/w", cast_to=object, options={"headers": {"x-stainless-retry-count": "7"}})
    assert rec.last.headers["x-stainless-retry-count"] == "7"


def test_host_only_base_url_is_kept_as_given_and_relative_paths_join() -> None:
    client, rec = make_client(ok, base_url="http://api.test")
    assert str(client.base_url) == "http://api.test"
    client.get("models", cast_to=object)
    assert str(rec.last.url) == "http://api.test/models"
    client, rec = make_client(ok, base_url="http://api.test/v1")
    assert str(client.base_url) == "http://api.test/v1/"
    client.get("models", cast_to=object)
    assert str(rec.last.url) == "http://api.test/v1/models"
    client.get("/models", cast_to=object)
    assert str(rec.last.url) == "http://api.test/v1/models"


class MyClient(httpx2.Client):
    pass


class MyAsyncClient(httpx2.AsyncClient):
    pass


def test_http_client_subclasses_are_accepted() -> None:
    OpenAI(api_key="k", http_client=MyClient())
    AsyncOpenAI(api_key="k", http_client=MyAsyncClient())
    with pytest.raises(TypeError, match="httpx2.AsyncClient"):
        AsyncOpenAI(api_key="k", http_client=MyClient())  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", [AzureOpenAI, AsyncAzureOpenAI])
def test_azure_without_version_or_endpoint_is_a_value_error(cls: type[AzureOpenAI], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_VERSION", "AZURE_OPENAI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="api_version") as info:
        cls(api_key="k", azure_endpoint="https://r.openai.azure.com")
    assert isinstance(info.value, OpenAIError)
    with pytest.raises(ValueError, match="azure_endpoint"):
        cls(api_key="k", api_version="2024-10-21")


def test_azure_copies_keep_their_settings() -> None:
    client = AzureOpenAI(api_key="k", api_version="2024-10-21", azure_endpoint="https://r.openai.azure.com", timeout=None)
    copy = client.copy(max_retries=0)
    assert copy.api_version == "2024-10-21" and copy.timeout is None and copy.max_retries == 0
    assert str(copy.base_url) == "https://r.openai.azure.com/openai/"
    token = client.copy(azure_ad_token="tok")  # a new credential replaces the key instead of clashing with it
    assert token._auth_headers_for(None, token._resolve_key(None)) == {"authorization": "Bearer tok"}  # pyright: ignore[reportPrivateUsage]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("value", "error"), [(-1, ValueError), ("2", TypeError), (2.0, TypeError), (None, TypeError)])
async def test_a_per_request_max_retries_is_checked_as_the_client_option_is(
        is_async: bool, value: object, error: type[Exception]) -> None:
    client, rec = (make_async_client if is_async else make_client)(ok)
    with pytest.raises(error, match="max_retries"):
        result = client.get("/models", cast_to=object, options={"max_retries": value})  # pyright: ignore[reportArgumentType]
        if inspect.isawaitable(result):
            await result
    assert rec.requests == []  # refused before anything is sent
    with pytest.raises(error, match="max_retries"):
        client.with_options(max_retries=value)  # pyright: ignore[reportArgumentType]


@pytest.mark.parametrize("client_class", [OpenAI, AsyncOpenAI, AzureOpenAI, AsyncAzureOpenAI])
def test_copy_and_with_options_show_the_options_they_take(client_class: type) -> None:
    client = client_class(api_key="sk-test", api_version="2024-10-21", azure_endpoint="https://example.test") \
        if "Azure" in client_class.__name__ else client_class(api_key="sk-test")
    for method in (client.copy, client.with_options):
        parameters = inspect.signature(method).parameters
        assert "changes" not in parameters
        assert {"api_key", "base_url", "timeout", "max_retries", "default_headers", "http_client"} <= set(parameters)
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
        assert parameters["max_retries"].annotation.startswith("int")
