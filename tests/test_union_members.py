"""Unions the spec states carry the members the official 3.60 release added (codegen/build_overlay.py
`add_union_members`): a newer event parses as its own class, not as a lenient fallback."""

from __future__ import annotations

import typing

from pydantic import TypeAdapter

from pyopenai.types.beta.beta_responses_client_event import BetaResponsesClientEvent
from pyopenai.types.realtime.realtime_client_event import RealtimeClientEvent
from pyopenai.types.responses.response_compaction_compacting_event import ResponseCompactionCompactingEvent
from pyopenai.types.responses.response_input_item_param import ResponseInputItemParam
from pyopenai.types.responses.response_steer_accepted_event import ResponseSteerAcceptedEvent
from pyopenai.types.responses.response_steer_event import ResponseSteerEvent
from pyopenai.types.responses.response_stream_event import ResponseStreamEvent
from pyopenai.types.responses.responses_client_event import ResponsesClientEvent
from pyopenai.types.responses.responses_server_event import ResponsesServerEvent


def member_names(union: object) -> set[str]:
    args = typing.get_args(union)
    if args and typing.get_origin(union) is typing.Annotated:
        args = typing.get_args(args[0])
    return {getattr(arg, "__name__", "") for arg in args}


def test_a_compaction_event_in_an_http_stream_parses_as_its_class() -> None:
    event = TypeAdapter(ResponseStreamEvent).validate_python(
        {"type": "response.compaction.compacting", "item_id": "cmp_1", "output_index": 0, "sequence_number": 7}
    )
    assert isinstance(event, ResponseCompactionCompactingEvent) and event.item_id == "cmp_1"


def test_websocket_unions_know_the_steer_events() -> None:
    event = TypeAdapter(ResponsesServerEvent).validate_python(
        {"type": "response.steer.accepted", "sequence_number": 3, "steer": {"id": "st_1", "previous_response_id": "resp_1"}}
    )
    assert isinstance(event, ResponseSteerAcceptedEvent) and event.steer.id == "st_1"
    assert {"ResponseSteerAcceptedEvent", "ResponseSteerPendingEvent", "ResponseSteerFailedEvent",
            "ResponseCompactionWsCompacting"} <= member_names(ResponsesServerEvent)
    assert "BetaResponseSteerEvent" in member_names(BetaResponsesClientEvent)
    # the GA client events are a union too (3.3.1 had only `response.create`), as in the release
    assert member_names(ResponsesClientEvent) == {"ResponseCreate", "ResponseSteerEvent"}
    steer = TypeAdapter(ResponsesClientEvent).validate_python(
        {"type": "response.steer", "previous_response_id": "resp_1", "input": "faster"})
    assert isinstance(steer, ResponseSteerEvent)


def test_the_websocket_compacting_event_is_the_compacting_event_with_its_lane() -> None:
    event = TypeAdapter(ResponsesServerEvent).validate_python(
        {"type": "response.compaction.compacting", "item_id": "cmp_1", "output_index": 0, "sequence_number": 2,
         "stream_id": "a"})
    assert isinstance(event, ResponseCompactionCompactingEvent) and type(event).__name__ == "ResponseCompactionWsCompacting"
    assert event.stream_id == "a"  # type: ignore[attr-defined]  # (the subclass's own field)


def test_a_configuration_update_is_a_response_input_item_where_the_release_lists_it() -> None:
    names = [getattr(m, "__name__", "") for m in typing.get_args(ResponseInputItemParam)]
    assert names[names.index("AdditionalTools") + 1] == "ResponseConfigurationUpdateItemParamParam"


def test_a_union_the_ga_and_beta_releases_share_takes_only_common_members() -> None:
    # the beta RealtimeClientEvent has `transcription_session.update`; the GA one, on the same spec
    # schema, must not gain it
    assert "TranscriptionSessionUpdate" not in member_names(RealtimeClientEvent)
