"""The official SDK's parsing modules (`openai.lib._parsing._completions` / `._responses`) exist
under pyopenai with the official keyword calls: langchain-openai's tests build parsed results
through them."""

from __future__ import annotations

import pydantic

from pyopenai import omit
from pyopenai.lib._parsing._completions import parse_chat_completion
from pyopenai.lib._parsing._responses import parse_response
from pyopenai.types.chat import ChatCompletion, ParsedChatCompletion
from pyopenai.types.responses import ParsedResponse, Response


class Answer(pydantic.BaseModel):
    city: str


def test_parse_chat_completion_with_the_official_keywords() -> None:
    raw = ChatCompletion.model_validate({
        "id": "c", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": '{"city": "Paris"}', "refusal": None}}],
    })
    parsed = parse_chat_completion(response_format=Answer, input_tools=omit, chat_completion=raw)
    assert isinstance(parsed, ParsedChatCompletion)
    assert parsed.choices[0].message.parsed == Answer(city="Paris")


def test_parse_response_with_the_official_keywords() -> None:
    raw = Response.model_validate({
        "id": "r", "object": "response", "created_at": 0, "model": "m", "parallel_tool_calls": True,
        "tool_choice": "auto", "tools": [], "output": [{
            "type": "message", "id": "msg", "status": "completed", "role": "assistant",
            "content": [{"type": "output_text", "text": '{"city": "Rome"}', "annotations": []}],
        }],
    })
    parsed = parse_response(text_format=Answer, input_tools=omit, response=raw)
    assert isinstance(parsed, ParsedResponse)
    assert parsed.output_parsed == Answer(city="Rome")
