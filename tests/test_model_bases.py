"""Models the official SDK derives from another model derive from it here too.

Code builds a stored item (`ResponseFunctionToolCallItem`, with its `id`) where a pydantic field is
typed as the call (`ResponseOutputItemAddedEvent.item` holds a `ResponseFunctionToolCall`):
langchain-openai's stream tests do exactly this. Pydantic accepts a subclass instance there and
nothing else.
"""

from __future__ import annotations

import pytest

from pyopenai.types.beta.beta_response_custom_tool_call import BetaResponseCustomToolCall
from pyopenai.types.beta.beta_response_custom_tool_call_item import BetaResponseCustomToolCallItem
from pyopenai.types.beta.beta_response_custom_tool_call_output import BetaResponseCustomToolCallOutput
from pyopenai.types.beta.beta_response_custom_tool_call_output_item import BetaResponseCustomToolCallOutputItem
from pyopenai.types.beta.beta_response_function_tool_call import BetaResponseFunctionToolCall
from pyopenai.types.beta.beta_response_function_tool_call_item import BetaResponseFunctionToolCallItem
from pyopenai.types.chat import ChatCompletionMessage, ChatCompletionStoreMessage
from pyopenai.types.responses import (
    ResponseCustomToolCall,
    ResponseCustomToolCallItem,
    ResponseCustomToolCallOutput,
    ResponseCustomToolCallOutputItem,
    ResponseFunctionToolCall,
    ResponseFunctionToolCallItem,
    ResponseOutputItemAddedEvent,
)


@pytest.mark.parametrize(
    ("sub", "base"),
    [
        (ResponseFunctionToolCallItem, ResponseFunctionToolCall),
        (ResponseCustomToolCallItem, ResponseCustomToolCall),
        (ResponseCustomToolCallOutputItem, ResponseCustomToolCallOutput),
        (BetaResponseFunctionToolCallItem, BetaResponseFunctionToolCall),
        (BetaResponseCustomToolCallItem, BetaResponseCustomToolCall),
        (BetaResponseCustomToolCallOutputItem, BetaResponseCustomToolCallOutput),
        (ChatCompletionStoreMessage, ChatCompletionMessage),
    ],
)
def test_derived_models_keep_every_field_of_their_base(sub: type, base: type) -> None:
    assert issubclass(sub, base)
    assert set(base.model_fields) <= set(sub.model_fields)  # pyright: ignore[reportAttributeAccessIssue]


def test_a_stored_item_fits_where_the_call_is_expected() -> None:
    item = ResponseFunctionToolCallItem(
        id="fc_1", type="function_call", call_id="call_1", name="search", arguments="", status="in_progress",
        namespace="tools",
    )
    event = ResponseOutputItemAddedEvent(item=item, output_index=0, sequence_number=2, type="response.output_item.added")
    assert event.item is item  # kept as given, not rebuilt or rejected
    assert event.model_dump(exclude_none=True)["item"] == {
        "id": "fc_1", "type": "function_call", "call_id": "call_1", "name": "search", "arguments": "",
        "status": "in_progress", "namespace": "tools",
    }


def test_the_item_still_requires_its_id_and_status() -> None:
    # narrower than the call: a stored item always has them (the lenient build keeps a reply readable)
    required = {name for name, field in ResponseFunctionToolCallItem.model_fields.items() if field.is_required()}
    assert {"id", "status", "call_id", "name", "arguments", "type"} <= required
    assert not ResponseFunctionToolCall.model_fields["id"].is_required()
    parsed = ResponseFunctionToolCallItem.model_validate_json(
        b'{"id":"fc_2","type":"function_call","call_id":"c","name":"n","arguments":"{}","status":"completed",'
        b'"created_by":"user_1"}'
    )
    assert (parsed.id, parsed.status, parsed.created_by, parsed.arguments) == ("fc_2", "completed", "user_1", "{}")
