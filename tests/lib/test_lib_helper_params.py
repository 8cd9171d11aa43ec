"""The helpers take every argument the generated `create` takes, under the same names.

The parse/stream/run_tools helpers type the arguments they pass on to `create` with the TypedDicts
of `pyopenai.lib._helper_params`, which the generator writes beside `create` (config `options`);
this test checks that they hold exactly `create`'s arguments but the helpers' own.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from pyopenai.lib._helper_params import ChatCreateOptions, ResponsesCreateOptions
from pyopenai.resources.chat.completions.completions import AsyncCompletions, Completions
from pyopenai.resources.responses.responses import AsyncResponses, Responses


def _create_parameters(resource: type[Any]) -> set[str]:
    return {name for name, p in inspect.signature(resource.create).parameters.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY} - {"stream"}


def _keys(options: Any) -> set[str]:
    return set(options.__required_keys__ | options.__optional_keys__)


@pytest.mark.parametrize("resource", [Completions, AsyncCompletions])
def test_chat_helpers_take_every_create_argument(resource: type[Any]) -> None:
    named = {"messages", "model", "response_format", "tools"}  # the helpers' own parameters
    assert _keys(ChatCreateOptions) | named == _create_parameters(resource)
    for method in ("parse", "stream"):
        assert named <= set(inspect.signature(getattr(resource, method)).parameters)


@pytest.mark.parametrize("resource", [Responses, AsyncResponses])
def test_responses_helpers_take_every_create_argument(resource: type[Any]) -> None:
    named = {"input", "model", "text", "tools"}
    assert _keys(ResponsesCreateOptions) | named == _create_parameters(resource)
    for method in ("parse", "stream"):
        assert named <= set(inspect.signature(getattr(resource, method)).parameters)
