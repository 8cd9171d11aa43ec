"""Hand-written: what codegen/config.yaml wires into the generated classes (mixins, sync helpers).

The generated tests next to this file call every endpoint; these check the hooks on top of them.
"""

from __future__ import annotations

import inspect
from typing import Any

from helpers import json_response, make_async_client, make_client

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.response_mixins import ResponseOutputTextMixin
from pyopenai.lib.realtime.mixins import (
    AsyncBetaRealtimeConnectMixin,
    AsyncRealtimeConnectMixin,
    BetaRealtimeConnectMixin,
    RealtimeConnectMixin,
)
from pyopenai.lib.resource_mixins import (
    AsyncCompletionsHelpers,
    AsyncResponsesHelpers,
    CompletionsHelpers,
    ResponsesHelpers,
)
from pyopenai.types.responses import Response

RESPONSE: dict[str, Any] = {
    "id": "resp_1",
    "object": "response",
    "output": [
        {"type": "reasoning", "id": "rs_1", "summary": []},
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "status": "completed",
            "content": [
                {"type": "output_text", "text": "Hello, ", "annotations": []},
                {"type": "refusal", "refusal": "no"},
                {"type": "output_text", "text": "world", "annotations": []},
            ],
        },
    ],
}


def test_resource_mixins(client: OpenAI, async_client: AsyncOpenAI) -> None:
    assert isinstance(client.chat.completions, CompletionsHelpers)
    assert isinstance(async_client.chat.completions, AsyncCompletionsHelpers)
    assert isinstance(client.responses, ResponsesHelpers)
    assert isinstance(async_client.responses, AsyncResponsesHelpers)
    assert isinstance(client.realtime, RealtimeConnectMixin)
    assert isinstance(async_client.realtime, AsyncRealtimeConnectMixin)
    assert isinstance(client.beta.realtime, BetaRealtimeConnectMixin)
    assert isinstance(async_client.beta.realtime, AsyncBetaRealtimeConnectMixin)
    assert callable(client.uploads.upload_file_chunked)
    assert inspect.iscoroutinefunction(async_client.uploads.upload_file_chunked)


def test_output_text_on_a_plain_create() -> None:
    client, _ = make_client(lambda request: json_response(RESPONSE))
    response = client.responses.create(input="hi", model="gpt-4o")
    assert isinstance(response, ResponseOutputTextMixin)
    assert response.output_text == "Hello, world"
    assert Response.model_construct(output=[]).output_text == ""


def test_shared_types_are_not_renamed_copies() -> None:
    # a `$ref` to a schema that has a public name renders as that type, nested or not
    from pyopenai.types.responses import ResponseOutputMessage, ResponseOutputRefusal, ResponseOutputText

    client, _ = make_client(lambda request: json_response(RESPONSE))
    message: Any = client.responses.create(input="hi", model="gpt-4o").output[1]
    assert isinstance(message, ResponseOutputMessage)
    assert isinstance(message.content[0], ResponseOutputText)
    assert isinstance(message.content[1], ResponseOutputRefusal)


async def test_output_text_on_a_plain_async_create() -> None:
    client, _ = make_async_client(lambda request: json_response(RESPONSE))
    response = await client.responses.create(input="hi", model="gpt-4o")
    assert response.output_text == "Hello, world"


def test_output_text_against_the_mock_server(client: OpenAI) -> None:
    response = client.responses.create(input="hi", model="gpt-4o")
    assert isinstance(response.output_text, str)


def test_async_webhook_helpers_are_plain_functions(async_client: AsyncOpenAI) -> None:
    # the official SDK's are synchronous: ported code calls them without `await`
    assert not inspect.iscoroutinefunction(async_client.webhooks.unwrap)
    assert not inspect.iscoroutinefunction(async_client.webhooks.verify_signature)


def test_unwrap_webhook_event_covers_every_event_type() -> None:
    from pyopenai._models import construct
    from pyopenai.types.webhooks import (
        LiveCallIncomingWebhookEvent,
        SafetyIdentifierBlockedWebhookEvent,
        UnwrapWebhookEvent,
    )

    blocked: Any = construct(
        UnwrapWebhookEvent,
        {
            "id": "evt_1",
            "object": "event",
            "created_at": 1,
            "type": "safety_identifier.blocked",
            "data": {"safety_identifier": "user-1", "safety_category": "cyber"},
        },
    )
    assert isinstance(blocked, SafetyIdentifierBlockedWebhookEvent)
    assert blocked.data.safety_identifier == "user-1" and blocked.data.model is None
    live: Any = construct(
        UnwrapWebhookEvent,
        {
            "id": "evt_2",
            "created_at": 1,
            "type": "live.call.incoming",
            "data": {"session_id": "rtc_1", "sip_headers": []},
        },
    )
    assert isinstance(live, LiveCallIncomingWebhookEvent)


def test_realtime_call_sends_a_bare_sdp_offer() -> None:
    import httpx2

    client, recorder = make_client(lambda request: httpx2.Response(201, content=b"v=0 answer"))
    answer = client.realtime.calls.create(sdp="v=0 offer")
    assert answer.content == b"v=0 answer"
    assert recorder.last.content == b"v=0 offer"
    assert recorder.last.headers["content-type"] == "application/sdp"
    assert recorder.last.headers["accept"] == "application/sdp"
    client.realtime.calls.create(sdp="v=0 offer", session={"type": "realtime"})
    assert recorder.last.headers["content-type"].startswith("multipart/form-data")


def test_embeddings_ask_for_base64_and_return_floats() -> None:
    body: dict[str, Any] = {
        "object": "list",
        "model": "text-embedding-3-small",
        "data": [{"object": "embedding", "index": 0, "embedding": "AACAPwAAAEA="}],  # float32 1.0, 2.0
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    }
    client, recorder = make_client(lambda request: json_response(body))
    result = client.embeddings.create(input="hi", model="text-embedding-3-small")
    assert recorder.json()["encoding_format"] == "base64"
    assert result.data[0].embedding == [1.0, 2.0]


def test_assistants_stream_helpers_return_managers_on_both_clients(async_client: AsyncOpenAI) -> None:
    # the official SDK's are plain methods returning a stream manager, in the async client too
    assert not inspect.iscoroutinefunction(async_client.beta.threads.runs.stream)
    assert not inspect.iscoroutinefunction(async_client.beta.threads.create_and_run_stream)
