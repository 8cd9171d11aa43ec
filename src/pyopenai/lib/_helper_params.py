"""The keyword arguments the parse/stream/tool-runner helpers pass on to `create`, as TypedDicts.

`chat.completions.parse(...)` takes every argument `chat.completions.create(...)` takes (but
`stream`), and so do `.stream()` and `.run_tools()`; the Responses helpers likewise. Rather than
repeat the same forty typed parameters in every sync and async helper, the helpers declare the ones
they treat themselves and take the rest as `**options: Unpack[...]` of these TypedDicts, which type
checkers read as keyword parameters: names are checked, values typed, `omit` accepted.
`tests/lib/test_lib_helper_params.py` keeps them in step with the generated `create` methods.

Only type checkers import this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Dict, Literal

import httpx2
from typing_extensions import TypedDict

from .._types import Body, Headers, NotGiven, Omit, Query
from ..types.chat import completion_create_params
from ..types.chat.chat_completion_audio_param import ChatCompletionAudioParam
from ..types.chat.chat_completion_prediction_content_param import ChatCompletionPredictionContentParam
from ..types.chat.chat_completion_stream_options_param import ChatCompletionStreamOptionsParam
from ..types.chat.chat_completion_tool_choice_option_param import ChatCompletionToolChoiceOptionParam
from ..types.responses import response_create_params
from ..types.responses.response_includable import ResponseIncludable
from ..types.responses.response_prompt_param import ResponsePromptParam
from ..types.responses.service_tier import ServiceTier
from ..types.shared_params.metadata import Metadata
from ..types.shared_params.reasoning import Reasoning
from ..types.shared_params.reasoning_effort import ReasoningEffort

__all__ = ["ChatCreateOptions", "RequestOptions", "ResponsesCreateOptions"]


class RequestOptions(TypedDict, total=False):
    """What every method takes besides the API's own parameters."""

    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: float | httpx2.Timeout | NotGiven | None


class ChatCreateOptions(RequestOptions, total=False):
    """`chat.completions.create` parameters but `messages`, `model`, `response_format`, `tools` and
    `stream`, which the helpers name themselves."""

    audio: ChatCompletionAudioParam | Omit | None
    frequency_penalty: float | Omit | None
    function_call: completion_create_params.FunctionCall | Omit
    functions: Iterable[completion_create_params.Function] | Omit
    logit_bias: Dict[str, int] | Omit | None
    logprobs: bool | Omit | None
    max_completion_tokens: int | Omit | None
    max_tokens: int | Omit | None
    metadata: Metadata | Omit | None
    modalities: Iterable[Literal["text", "audio"]] | Omit | None
    moderation: completion_create_params.Moderation | Omit | None
    n: int | Omit | None
    parallel_tool_calls: bool | Omit
    prediction: ChatCompletionPredictionContentParam | Omit | None
    presence_penalty: float | Omit | None
    prompt_cache_key: str | Omit | None
    prompt_cache_options: completion_create_params.PromptCacheOptions | Omit
    prompt_cache_retention: Literal["in_memory", "24h"] | Omit | None
    reasoning_effort: ReasoningEffort | Omit | None
    safety_identifier: str | Omit | None
    seed: int | Omit | None
    service_tier: ServiceTier | Omit | None
    stop: str | None | Sequence[str] | Omit | None
    store: bool | Omit | None
    stream_options: ChatCompletionStreamOptionsParam | Omit | None
    temperature: float | Omit | None
    tool_choice: ChatCompletionToolChoiceOptionParam | Omit
    top_logprobs: int | Omit | None
    top_p: float | Omit | None
    user: str | Omit
    verbosity: Literal["low", "medium", "high"] | Omit | None
    web_search_options: completion_create_params.WebSearchOptions | Omit


class ResponsesCreateOptions(RequestOptions, total=False):
    """`responses.create` parameters but `input`, `model`, `text`, `tools` and `stream`, which the
    helpers name themselves."""

    access_programs: response_create_params.AccessPrograms | Omit
    background: bool | Omit | None
    background_options: response_create_params.BackgroundOptions | Omit
    context_management: Iterable[response_create_params.ContextManagement] | Omit | None
    conversation: response_create_params.Conversation | Omit | None
    image: response_create_params.Image | Omit
    include: Iterable[ResponseIncludable] | Omit | None
    instructions: str | Omit | None
    max_output_tokens: int | Omit | None
    max_tool_calls: int | Omit | None
    metadata: Metadata | Omit | None
    moderation: response_create_params.Moderation | Omit | None
    parallel_tool_calls: bool | Omit | None
    previous_response_id: str | Omit | None
    prompt: ResponsePromptParam | Omit | None
    prompt_cache_key: str | Omit | None
    prompt_cache_options: response_create_params.PromptCacheOptions | Omit
    prompt_cache_retention: Literal["in_memory", "24h"] | Omit | None
    reasoning: Reasoning | Omit | None
    safety_identifier: str | Omit | None
    service_tier: Literal["auto", "default", "flex", "scale", "priority", "fast", "ultrafast"] | Omit | None
    store: bool | Omit | None
    stream_options: response_create_params.StreamOptions | Omit | None
    temperature: float | Omit | None
    tool_choice: response_create_params.ToolChoice | Omit
    top_logprobs: int | Omit | None
    top_p: float | Omit | None
    truncation: Literal["auto", "disabled"] | Omit | None
    user: str | Omit
