"""Types sit where the official SDK has them, with its class names, so results parse into them.

Issue 13 section 1: the module table test checks that the names import; these check that results
actually come back as those classes (a nested model, not a dict or a differently named twin).
"""

from __future__ import annotations

import json
from typing import Any

import httpx2

import pyopenai
from pyopenai.types import Moderation
from pyopenai.types.chat.chat_completion_chunk import ChoiceDeltaToolCall, ChoiceDeltaToolCallFunction
from pyopenai.types.moderation import Categories, CategoryScores


def client_answering(body: dict[str, Any], *, stream: bool = False) -> pyopenai.OpenAI:
    def answer(request: httpx2.Request) -> httpx2.Response:
        if stream:
            text = f"data: {json.dumps(body)}\n\ndata: [DONE]\n\n"
            return httpx2.Response(200, text=text, headers={"content-type": "text/event-stream"})
        return httpx2.Response(200, json=body)

    return pyopenai.OpenAI(
        api_key="sk-test", base_url="http://127.0.0.1:9/v1", http_client=httpx2.Client(transport=httpx2.MockTransport(answer))
    )


def test_moderation_categories_are_a_model_with_python_names() -> None:
    flags = {"hate": False, "hate/threatening": True, "self-harm": False, "violence": True}
    body = {
        "id": "modr-1",
        "model": "omni-moderation-latest",
        "results": [
            {
                "flagged": True,
                "categories": flags,
                "category_scores": {"hate": 0.1, "hate/threatening": 0.9, "self-harm": 0.0, "violence": 0.8},
                "category_applied_input_types": {"hate": ["text"], "violence": ["text", "image"]},
            }
        ],
    }
    result = client_answering(body).moderations.create(input="text").results[0]
    assert isinstance(result, Moderation)
    assert isinstance(result.categories, Categories)
    assert isinstance(result.category_scores, CategoryScores)
    assert result.categories.hate_threatening is True
    assert result.categories.self_harm is False
    assert result.category_scores.hate_threatening == 0.9


def test_a_streamed_tool_call_delta_is_the_chunk_modules_classes() -> None:
    chunk = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "finish_reason": None,
                "delta": {
                    "tool_calls": [
                        {"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
                    ]
                },
            }
        ],
    }
    client = client_answering(chunk, stream=True)
    events = list(client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}], stream=True))
    tool_call = events[0].choices[0].delta.tool_calls[0]  # type: ignore[index]
    assert isinstance(tool_call, ChoiceDeltaToolCall)
    assert isinstance(tool_call.function, ChoiceDeltaToolCallFunction)
    assert tool_call.function.name == "f"


def test_shared_types_and_their_request_side_copies() -> None:
    from pyopenai.types import Reasoning as root_reasoning
    from pyopenai.types.chat_model import ChatModel
    from pyopenai.types.shared import Reasoning as shared_reasoning
    from pyopenai.types.shared.chat_model import ChatModel as shared_chat_model
    from pyopenai.types.shared_params import Metadata, Reasoning

    assert root_reasoning is shared_reasoning
    assert issubclass(shared_reasoning, pyopenai.BaseModel)
    request_reasoning: Reasoning = {"effort": "low"}  # a TypedDict: a plain dict at run time
    metadata: Metadata = {"k": "v"}
    assert request_reasoning == {"effort": "low"} and metadata == {"k": "v"}
    assert shared_chat_model is ChatModel


def test_a_list_alias_module_offers_the_item_types_as_the_same_objects() -> None:
    from pyopenai.types.responses import response_input_item_param, response_input_param

    assert response_input_param.Message is response_input_item_param.Message
    assert response_input_param.FunctionCallOutput is response_input_item_param.FunctionCallOutput
    conversation: response_input_param.ResponseInputParam = []
    conversation.append({"type": "function_call_output", "call_id": "call_1", "output": "42"})
    assert conversation == [{"type": "function_call_output", "call_id": "call_1", "output": "42"}]
