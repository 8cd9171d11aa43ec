"""The official SDK's module path for parsing a response (`openai.lib._parsing._responses`): code
written for it (langchain-openai's tests) builds a `ParsedResponse` through it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..._types import NotGiven, Omit
from ..parsed_types import ParsedResponse
from . import parse_response as _parse_response
from . import type_to_text_format_param as type_to_text_format_param

__all__ = ["parse_response", "type_to_text_format_param"]


def parse_response(
    *, text_format: Any, input_tools: Iterable[Any] | Omit | NotGiven | None, response: Any
) -> ParsedResponse[Any]:
    """`response` as a `ParsedResponse`, its final answer parsed into `text_format`."""
    return _parse_response(response, text_format=text_format, input_tools=input_tools)
