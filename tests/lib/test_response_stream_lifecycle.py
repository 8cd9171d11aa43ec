"""`responses.stream()` keeps the output items by output index and checks the events against each
other, as the official SDK 3.60 does: sparse indexes, item events without an item, lifecycle
snapshots that refresh or leave out items, a completed event without an `output`, identity checks.
Each case runs sync and async."""

from __future__ import annotations

from typing import Any

import pytest
from libsupport import aresponses, async_sse_client, responses, responses_sse, sse_client

from pyopenai.lib.streaming.responses import (
    ResponseFailedError,
    ResponseIncompleteError,
    ResponseStreamState,
    ResponseStreamStateError,
)

CALL = {"id": "fc_1", "type": "function_call", "call_id": "call_1", "name": "lookup", "arguments": "{}",
        "status": "completed"}
MESSAGE = {"id": "msg_1", "type": "message", "role": "assistant", "status": "completed",
           "content": [{"type": "output_text", "text": "done", "annotations": []}]}


def created(output: Any = None, id: str | None = "resp_1") -> dict[str, Any]:
    return {"type": "response.created", "response": {"id": id, "status": "in_progress", "output": output or []}}


def lifecycle(kind: str, output: Any = None, id: str | None = "resp_1", **fields: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"id": id, "status": kind.split(".")[-1], **fields}
    if output is not None:
        response["output"] = output
    return {"type": kind, "response": response}


def item(kind: str, index: int, value: Any) -> dict[str, Any]:
    return {"type": f"response.output_item.{kind}", "output_index": index, "item": value}


async def run(sync: bool, events: list[dict[str, Any]]) -> tuple[list[Any], Any]:
    """The events yielded, and the final response (or the error get_final_response raised)."""
    body = responses_sse(events)
    if sync:
        client, _ = sse_client(body)
        with responses(client).stream(model="m", input="x") as stream:
            emitted = list(stream)
            try:
                return emitted, stream.get_final_response()
            except RuntimeError as error:
                return emitted, error
    async_client, _ = async_sse_client(body)
    async with aresponses(async_client).stream(model="m", input="x") as async_stream:
        emitted = [event async for event in async_stream]
        try:
            return emitted, await async_stream.get_final_response()
        except RuntimeError as error:
            return emitted, error


sync_and_async = pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])


@sync_and_async
async def test_sparse_indexes_and_empty_item_events_make_a_dense_output_in_index_order(sync: bool) -> None:
    events = [
        created(),
        item("added", 0, None),  # no item: ignored, not yielded
        item("added", 7, {**MESSAGE, "status": "in_progress", "content": []}),
        item("added", 99, {**CALL, "arguments": "", "status": "in_progress"}),
        {"type": "response.content_part.added", "output_index": 7, "content_index": 0,
         "part": {"type": "output_text", "text": "", "annotations": []}},
        {"type": "response.output_text.delta", "output_index": 7, "content_index": 0, "item_id": "msg_1", "delta": "do"},
        {"type": "response.function_call_arguments.delta", "output_index": 99, "item_id": "fc_1", "delta": "{}"},
        {"type": "response.output_text.delta", "output_index": 7, "content_index": 0, "item_id": "msg_1", "delta": "ne"},
        item("done", 99, CALL),
        item("done", 7, MESSAGE),
        lifecycle("response.completed"),  # no output: the tracked items are the output
    ]
    emitted, final = await run(sync, events)
    assert len(emitted) == len(events) - 1
    assert [e.snapshot for e in emitted if e.type == "response.output_text.delta"] == ["do", "done"]
    assert [e.snapshot for e in emitted if e.type == "response.function_call_arguments.delta"] == ["{}"]
    assert [(i.type, i.id) for i in final.output] == [("message", "msg_1"), ("function_call", "fc_1")]
    assert final.output_text == "done" and emitted[-1].response == final


@sync_and_async
async def test_a_completed_output_list_is_the_answer_and_an_empty_stream_completes_empty(sync: bool) -> None:
    _, final = await run(sync, [created(), item("added", 0, MESSAGE), item("done", 0, MESSAGE),
                                lifecycle("response.completed", output=[])])
    assert final.output == []
    _, final = await run(sync, [lifecycle("response.created"), lifecycle("response.completed")])
    assert final.output == [] and final.output_text == ""


@sync_and_async
async def test_lifecycle_snapshots_refresh_named_items_and_keep_omitted_ones(sync: bool) -> None:
    updated = {**MESSAGE, "content": [{"type": "output_text", "text": "updated", "annotations": []}]}
    no_id_call = {k: v for k, v in CALL.items() if k != "id"}
    emitted, final = await run(sync, [
        created(),
        item("added", 3, MESSAGE), item("done", 3, MESSAGE),
        item("added", 8, no_id_call), item("done", 8, no_id_call),
        lifecycle("response.in_progress", output=[{**CALL, "arguments": '{"a":1}'}, updated]),  # the call gains its id
        lifecycle("response.in_progress", output=[]),  # leaves both out: both kept
        lifecycle("response.completed"),
    ])
    assert [e.response.output for e in emitted if e.type == "response.in_progress"][1] == []
    assert [(i.type, i.id) for i in final.output] == [("message", "msg_1"), ("function_call", "fc_1")]
    assert final.output_text == "updated" and final.output[1].arguments == '{"a":1}'


@sync_and_async
async def test_failed_and_incomplete_carry_the_partial_items_and_final_response_raises(sync: bool) -> None:
    for kind, error in (("response.failed", ResponseFailedError), ("response.incomplete", ResponseIncompleteError)):
        emitted, final = await run(sync, [
            created(),
            item("added", 5, {**CALL, "arguments": "", "status": "in_progress"}),
            {"type": "response.function_call_arguments.delta", "output_index": 5, "item_id": "fc_1", "delta": "{"},
            lifecycle(kind, incomplete_details={"reason": "max_output_tokens"}),
        ])
        assert isinstance(final, error) and isinstance(final, RuntimeError)
        assert [(i.id, i.status, i.arguments) for i in emitted[-1].response.output] == [("fc_1", "in_progress", "{")]
        partial: Any = final.response  # the items' types vary: read them untyped
        assert partial.output[0].arguments == "{"


@sync_and_async
async def test_contradicting_events_raise_before_the_event_is_yielded(sync: bool) -> None:
    other_call = {**CALL, "id": "fc_other"}
    cases: list[tuple[list[dict[str, Any]], str]] = [
        ([created(), lifecycle("response.in_progress", id="resp_other")], "'resp_other'"),
        ([created(), {"type": "response.output_text.delta", "output_index": 0, "content_index": 0, "delta": "x"}],
         "output index 0"),
        ([created(), item("added", 1, {**CALL, "status": "in_progress"}), item("added", 1, other_call)],
         "output index 1"),
        ([created(), item("added", 1, {**CALL, "status": "in_progress"}), item("done", 1, other_call)], "fc_other"),
        ([created(), item("done", 1, CALL), item("done", 2, CALL)], "indexes 1 and 2"),
        ([created(), item("done", 1, CALL), lifecycle("response.in_progress", output=[other_call])], "fc_other"),
        ([created(), item("added", 4, {**CALL, "status": "in_progress"}), lifecycle("response.completed")],
         "unfinished output items"),
        ([created(), item("added", 4, {**CALL, "status": "in_progress"}), lifecycle("response.completed", output=[])],
         "unfinished output items"),
    ]
    for events, fact in cases:
        with pytest.raises(ResponseStreamStateError, match=fact) as info:
            await run(sync, events)
        assert isinstance(info.value, RuntimeError)


@sync_and_async
async def test_an_item_that_was_done_may_be_done_again_at_its_index(sync: bool) -> None:
    other = {**CALL, "id": "fc_2", "call_id": "call_2"}
    _, final = await run(sync, [created(), item("done", 1, CALL), item("done", 1, other), item("done", 2, CALL),
                                lifecycle("response.completed")])
    assert [i.call_id for i in final.output] == ["call_2", "call_1"]


def test_accumulate_event_returns_one_snapshot_until_something_changes() -> None:
    state: ResponseStreamState[Any] = ResponseStreamState()
    snapshot = state.accumulate_event({**created([MESSAGE]), "sequence_number": 0})
    progress = {"type": "response.compaction.compacting", "item_id": "msg_1", "output_index": 0, "sequence_number": 1}
    assert [e.type for e in state.handle_event(progress)] == ["response.compaction.compacting"]
    assert state.accumulate_event(progress) is snapshot and snapshot.output_text == "done"
    assert state.handle_event({**item("added", 1, None), "sequence_number": 2}) == []
    changed = state.accumulate_event({**item("added", 1, CALL), "sequence_number": 3})
    assert changed is not snapshot and [i.type for i in changed.output] == ["message", "function_call"]


def test_the_official_module_path_is_the_same_state() -> None:
    from pyopenai.lib.streaming.responses import _responses

    assert _responses.ResponseStreamState is ResponseStreamState
