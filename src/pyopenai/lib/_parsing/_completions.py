"""The official SDK's module path for parsing a chat completion (`openai.lib._parsing._completions`):
code written for it (langchain-openai's tests) builds a `ParsedChatCompletion` through it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..._types import NotGiven, Omit
from ..parsed_types import ParsedChatCompletion
from . import parse_chat_completion as _parse_chat_completion
from . import type_to_response_format_param as type_to_response_format_param
from . import validate_input_tools as validate_input_tools

__all__ = ["parse_chat_completion", "type_to_response_format_param", "validate_input_tools"]


def parse_chat_completion(
    *, response_format: Any, input_tools: Iterable[Any] | Omit | NotGiven | None, chat_completion: Any
) -> ParsedChatCompletion[Any]:
    """`chat_completion` as a `ParsedChatCompletion`, its content parsed into `response_format`."""
    return _parse_chat_completion(chat_completion, response_format=response_format, input_tools=input_tools)
