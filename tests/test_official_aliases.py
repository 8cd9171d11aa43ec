"""The official SDK's smaller names and paths: `client.beta.chat.completions`, `client.beta.responses.connect()`,
connection classes where the official SDK defines them, `pydantic_responses_function_tool`,
`AsyncStream.aclose()`, `ContentFilterFinishReasonError.completion`, the module-level client's Azure
settings, and realtime `response.create(...)` on a connection."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx2
import pydantic
import pytest
from helpers import json_response, make_async_client, make_client

import pyopenai
from pyopenai import AsyncOpenAI, ContentFilterFinishReasonError, OpenAI

sys.path.insert(0, str(Path(__file__).parent / "realtime"))
wssupport: Any = __import__("wssupport")  # the realtime suite's WebSocket server


class City(pydantic.BaseModel):
    name: str


def completion(content: str, finish: str = "stop") -> dict[str, Any]:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": content}}]}


def test_beta_chat_completions_is_chat_completions() -> None:
    client, recorder = make_client(lambda r: json_response(completion('{"name": "Paris"}')))
    assert client.beta.chat.completions is client.chat.completions
    parsed = client.beta.chat.completions.parse(model="m", messages=[], response_format=City)
    assert parsed.choices[0].message.parsed == City(name="Paris")
    assert recorder.json()["response_format"]["type"] == "json_schema"


async def test_async_beta_chat_completions_parse() -> None:
    client, _ = make_async_client(lambda r: json_response(completion('{"name": "Oslo"}')))
    assert client.beta.chat.completions is client.chat.completions
    parsed = await client.beta.chat.completions.parse(model="m", messages=[], response_format=City)
    assert parsed.choices[0].message.parsed == City(name="Oslo")


def test_content_filter_error_carries_the_completion() -> None:
    client, _ = make_client(lambda r: json_response(completion("", finish="content_filter")))
    with pytest.raises(ContentFilterFinishReasonError) as caught:
        client.chat.completions.parse(model="m", messages=[], response_format=City)
    completion_seen: Any = caught.value.completion
    assert completion_seen.choices[0].finish_reason == "content_filter"


def test_connection_classes_importable_where_the_official_sdk_defines_them() -> None:
    from pyopenai.lib import realtime as lib
    from pyopenai.resources.beta.realtime import realtime as beta_realtime
    from pyopenai.resources.beta.responses import responses as beta_responses
    from pyopenai.resources.live import live
    from pyopenai.resources.realtime import realtime
    from pyopenai.resources.realtime.translations import translations
    from pyopenai.resources.responses import responses

    assert realtime.RealtimeConnection is lib.RealtimeConnection
    assert realtime.AsyncRealtimeConnection is lib.AsyncRealtimeConnection
    assert realtime.AsyncRealtimeConnectionManager is lib.AsyncRealtimeConnectionManager
    assert responses.ResponsesConnection is lib.ResponsesConnection
    assert responses.AsyncResponsesConnectionManager is lib.AsyncResponsesConnectionManager
    assert beta_realtime.RealtimeConnection is lib.BetaRealtimeConnection
    # the beta module's connection (beta events, with `.agent`) under the names the official beta module uses
    assert beta_responses.AsyncResponsesConnection is lib.AsyncBetaResponsesConnection
    assert beta_responses.ResponsesConnection is lib.BetaResponsesConnection
    assert beta_responses.AsyncResponsesConnectionManager is lib.AsyncBetaResponsesConnectionManager
    assert live.LiveConnection is lib.LiveConnection
    assert live.AsyncLiveConnectionManager is lib.AsyncLiveConnectionManager
    assert translations.TranslationsConnection is lib.TranslationsConnection
    assert translations.AsyncTranslationsConnectionManager is lib.AsyncTranslationsConnectionManager
    with pytest.raises(AttributeError):
        realtime.NoSuchConnection  # noqa: B018


def test_chat_completions_module_type_to_response_format_builds_and_can_be_patched() -> None:
    # llama-index builds its structured-output response_format through this private name of the
    # official module, and its tests patch it there
    from unittest import mock

    from pyopenai.resources.chat.completions import completions

    fmt = completions._type_to_response_format(City)  # pyright: ignore[reportPrivateUsage]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "City"
    assert fmt["json_schema"]["schema"]["properties"] == {"name": {"title": "Name", "type": "string"}}
    assert completions._type_to_response_format({"type": "json_object"}) == {"type": "json_object"}  # pyright: ignore[reportPrivateUsage]
    patched = {"type": "json_schema", "json_schema": {"name": "Patched", "schema": {}}}
    with mock.patch("pyopenai.resources.chat.completions.completions._type_to_response_format",
                    return_value=patched):
        assert completions._type_to_response_format(City) is patched  # pyright: ignore[reportPrivateUsage]
    assert completions._type_to_response_format(City)["json_schema"]["name"] == "City"  # pyright: ignore[reportPrivateUsage]


def test_pydantic_responses_function_tool() -> None:
    class GetWeather(pydantic.BaseModel):
        """Weather for a city."""

        city: str

    tool = pyopenai.pydantic_responses_function_tool(GetWeather, name="weather")
    assert dict(tool) == {
        "type": "function", "name": "weather", "strict": True, "description": "Weather for a city.",
        "parameters": {"description": "Weather for a city.", "properties": {"city": {"title": "City", "type": "string"}},
                       "required": ["city"], "title": "GetWeather", "type": "object", "additionalProperties": False},
    }
    client, recorder = make_client(lambda r: json_response({"id": "resp_1", "object": "response", "created_at": 0,
                                                            "model": "m", "output": [], "status": "completed"}))
    client.responses.create(model="m", input="x", tools=[tool])
    assert recorder.json()["tools"][0]["name"] == "weather"


async def test_async_stream_aclose_closes_the_response() -> None:
    closed: list[bool] = []

    class Body(httpx2.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b'data: {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": []}\n\n'
            yield b"data: [DONE]\n\n"

        async def aclose(self) -> None:
            closed.append(True)

    client, _ = make_async_client(lambda r: httpx2.Response(200, headers={"content-type": "text/event-stream"},
                                                            stream=Body()))
    stream = await client.chat.completions.create(model="m", messages=[], stream=True)
    await stream.aclose()
    assert closed == [True]


# -- the module-level client with Azure ------------------------------------------------------------------

@pytest.fixture
def module_settings(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in ("api_type", "api_key", "api_version", "azure_endpoint", "azure_deployment", "http_client",
                 "azure_ad_token", "azure_ad_token_provider", "base_url"):
        monkeypatch.setattr(pyopenai, name, None)
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return json_response({"object": "list", "data": []})

    monkeypatch.setattr(pyopenai, "http_client", httpx2.Client(transport=httpx2.MockTransport(handler)))
    return seen


def test_module_client_azure_settings(module_settings: list[httpx2.Request]) -> None:
    pyopenai.api_type = "azure"
    pyopenai.azure_endpoint = "https://example-resource.openai.azure.com"
    pyopenai.api_version = "2024-10-21"
    pyopenai.api_key = "azure-key"
    pyopenai.models.list()
    (request,) = module_settings
    assert str(request.url) == "https://example-resource.openai.azure.com/openai/models?api-version=2024-10-21"
    assert request.headers["api-key"] == "azure-key"
    assert "authorization" not in request.headers


def test_module_client_api_type_from_the_environment(module_settings: list[httpx2.Request],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_TYPE", "azure")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://env-resource.openai.azure.com")
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-azure-key")
    pyopenai.models.list()
    assert module_settings[0].url.host == "env-resource.openai.azure.com"
    assert module_settings[0].headers["api-key"] == "env-azure-key"


def test_module_client_azure_setting_without_api_type_is_a_clear_error(module_settings: Any) -> None:
    pyopenai.api_key = "sk-x"
    pyopenai.azure_endpoint = "https://example-resource.openai.azure.com"
    with pytest.raises(pyopenai.OpenAIError, match="api_type = 'azure'"):
        pyopenai.models.list()
    pyopenai.api_type = "bedrock"
    with pytest.raises(pyopenai.OpenAIError, match="must be 'openai' or 'azure'"):
        pyopenai.models.list()


# -- WebSocket paths -----------------------------------------------------------------------------------

@pytest.fixture
def ws() -> Any:
    pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")
    with wssupport.ScriptServer() as server:
        yield server


def test_realtime_response_create_over_a_connection(ws: Any) -> None:
    client = OpenAI(api_key="sk-x", base_url=ws.url)
    with client.realtime.connect(model="gpt-realtime") as connection:
        connection.recv()
        connection.response.create(response={"instructions": "Be brief", "output_modalities": ["text"],
                                             "conversation": "none", "metadata": {"topic": "x"}}, event_id="ev_1")
        connection.response.create()
        ws.wait_for(lambda: len(ws.connections[0].received) >= 2)
    first, second = ws.connections[0].received[:2]
    assert first == {"type": "response.create", "event_id": "ev_1",
                     "response": {"instructions": "Be brief", "output_modalities": ["text"], "conversation": "none",
                                  "metadata": {"topic": "x"}}}
    assert second == {"type": "response.create"}


async def test_beta_responses_connect(ws: Any) -> None:
    client = AsyncOpenAI(api_key="sk-x", base_url=ws.url)
    async with client.beta.responses.connect():
        pass
    assert ws.handshakes[0].path.endswith("/responses")
    assert ws.handshakes[0].headers["authorization"] == "Bearer sk-x"


@pytest.mark.parametrize("cls", [OpenAI, AsyncOpenAI])
def test_client_settings_read_by_their_official_names_are_plain_data(cls: type[OpenAI] | type[AsyncOpenAI]) -> None:
    # instructor keys its response cache on the settings it finds on a client under the official
    # SDK's attribute names; a value it cannot hash (a bound method) turns its cache off
    client = cls(api_key="tenant-a", base_url="http://127.0.0.1:1/v1", default_headers={"X-Team": "a"},
                 default_query={"q": "1"})
    settings = ("base_url", "_base_url", "api_key", "_api_key", "organization", "project", "_custom_headers",
                "_custom_query", "_headers", "_auth")
    found = {name: getattr(client, name) for name in settings if hasattr(client, name)}
    assert not [name for name, value in found.items() if callable(value)]
    assert (found["_custom_headers"], found["_custom_query"]) == ({"X-Team": "a"}, {"q": "1"})
    changed = client.with_options(default_headers={"X-Team": "b"})
    assert changed._custom_headers == {"X-Team": "b"}  # pyright: ignore[reportPrivateUsage]


@pytest.mark.parametrize("cls", [OpenAI, AsyncOpenAI])
def test_auth_headers_give_the_credential_as_the_official_sdk_spells_it(cls: type[OpenAI] | type[AsyncOpenAI]) -> None:
    # openai-agents merges `client.auth_headers` and `client.default_headers` into the handshake of
    # the transcription WebSocket it opens itself, and reads back `headers["Authorization"]`
    assert cls(api_key="sk-fake").auth_headers == {"Authorization": "Bearer sk-fake"}
    assert cls(api_key=lambda: "sk-later").auth_headers == {}  # type: ignore[arg-type,return-value]


def test_azure_auth_headers_carry_its_api_key_header() -> None:
    from pyopenai import AzureOpenAI

    client = AzureOpenAI(api_key="az-key", api_version="2024-10-21", azure_endpoint="https://example.openai.azure.com")
    assert client.auth_headers == {"api-key": "az-key"}
