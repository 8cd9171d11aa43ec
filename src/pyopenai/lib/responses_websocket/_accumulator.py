"""`ResponsesWebSocketAccumulator`: the progress of one response, from the events its caller feeds.

It owns no socket: feed it the events of one lane (from `lane.recv()`, or a connection without a
session) and read `snapshot()` (text and tool inputs per output item, immutable) or
`detailed_snapshot()` (every observed field, a mutable copy). `get_final_response()` is the terminal
event's response exactly as received. One response per accumulator: `reset()` before the next.

What is kept per output index: the item's fields, its content parts (by content index) and, as
lists of fragments joined only when a snapshot is taken, the text that deltas extend. A `done` event,
a full item or a full part replaces what deltas built; a response whose `output` is a list
replaces the whole projection (an omitted or null `output` leaves it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from ..._models import parse_obj
from ._limits import ResponsesWebSocketError
from ._router import plain

if TYPE_CHECKING:
    from ...types.responses.response import Response
    from ...types.responses.responses_server_event import ResponsesServerEvent

__all__ = ["ResponsesWebSocketAccumulator", "ResponsesWebSocketOutput", "ResponsesWebSocketSnapshot"]

_LIFECYCLE = frozenset({"response.created", "response.queued", "response.in_progress"})
_TERMINAL = frozenset({"response.completed", "response.failed", "response.incomplete"})

# event type -> (where the text goes, the field, the event's index field for a part or None for the item)
_DELTAS: dict[str, tuple[str, str | None]] = {
    "response.output_text.delta": ("text", "content_index"),
    "response.refusal.delta": ("refusal", "content_index"),
    "response.reasoning_text.delta": ("text", "content_index"),
    "response.function_call_arguments.delta": ("arguments", None),
    "response.mcp_call_arguments.delta": ("arguments", None),
    "response.custom_tool_call_input.delta": ("input", None),
    "response.code_interpreter_call_code.delta": ("code", None),
}
# event type -> (field, the event's field holding the final value, index field)
_DONES: dict[str, tuple[str, str, str | None]] = {
    "response.output_text.done": ("text", "text", "content_index"),
    "response.refusal.done": ("refusal", "refusal", "content_index"),
    "response.reasoning_text.done": ("text", "text", "content_index"),
    "response.function_call_arguments.done": ("arguments", "arguments", None),
    "response.mcp_call_arguments.done": ("arguments", "arguments", None),
    "response.custom_tool_call_input.done": ("input", "input", None),
    "response.code_interpreter_call_code.done": ("code", "code", None),
}
_REASONING_PARTS = frozenset({"response.reasoning_text.delta", "response.reasoning_text.done"})
# `response.<tool>.<status>` events: the item's status as the event names it
_STATUS_TOOLS = (
    "web_search_call",
    "file_search_call",
    "image_generation_call",
    "code_interpreter_call",
    "mcp_call",
    "mcp_list_tools",
)


@dataclass(frozen=True)
class ResponsesWebSocketOutput:
    """One output item as projected so far: its text parts are `(content_index, text)` pairs."""

    output_index: int
    item_id: str | None
    type: str | None
    name: str | None
    call_id: str | None
    arguments: str
    input: str
    text: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ResponsesWebSocketSnapshot:
    """The projection at one moment; `terminal_type` stays None until a terminal event arrived."""

    stream_id: str | None
    response_id: str | None
    terminal_type: str | None
    output: tuple[ResponsesWebSocketOutput, ...]

    @property
    def output_text(self) -> str:
        """The output text parts joined, in output then content order (refusals and reasoning left out)."""
        return "".join(text for item in self.output for _, text in item.text)


@dataclass
class _Part:
    fields: dict[str, Any] = field(default_factory=dict[str, Any])
    fragments: dict[str, list[str]] = field(default_factory=dict[str, list[str]])
    annotations: dict[int, Any] | None = None
    """By annotation index; None until a part or an annotation event gave some (even none)."""
    reasoning: bool = False

    def value(self) -> dict[str, Any]:
        data = copy.deepcopy(self.fields)
        for name, pieces in self.fragments.items():
            data[name] = "".join(pieces)
        if self.annotations is not None:
            data["annotations"] = [
                {"annotation_index": i, "annotation": copy.deepcopy(a)} for i, a in sorted(self.annotations.items())
            ]
        return data


@dataclass
class _Item:
    fields: dict[str, Any] = field(default_factory=dict[str, Any])
    fragments: dict[str, list[str]] = field(default_factory=dict[str, list[str]])
    parts: dict[int, _Part] = field(default_factory=dict[int, _Part])

    @property
    def item_id(self) -> str | None:
        value = self.fields.get("id")
        return value if isinstance(value, str) else None

    def text(self, name: str) -> str:
        pieces = self.fragments.get(name)
        if pieces is not None:
            return "".join(pieces)
        value = self.fields.get(name)
        return value if isinstance(value, str) else ""

    def string(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value if isinstance(value, str) else None


def _item_from(data: object) -> _Item:
    """A full item as received: its content list becomes parts, the rest stays as fields."""
    fields = dict(cast("dict[str, Any]", data)) if isinstance(data, dict) else {}
    item = _Item(fields)
    content = fields.get("content")
    if isinstance(content, list):
        del fields["content"]
        for index, part in enumerate(cast("list[object]", content)):
            item.parts[index] = _part_from(part, reasoning=fields.get("type") == "reasoning")
    return item


def _part_from(data: object, *, reasoning: bool = False) -> _Part:
    fields = dict(cast("dict[str, Any]", data)) if isinstance(data, dict) else {}
    part = _Part(fields, reasoning=reasoning or fields.get("type") == "reasoning_text")
    annotations = fields.get("annotations")
    if isinstance(annotations, list):
        del fields["annotations"]
        part.annotations = dict(enumerate(cast("list[Any]", annotations)))
    return part


def _index(event: object, name: str) -> int:
    value = getattr(event, name, None)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"WebSocket {name} must be a non-negative integer, got {value!r}"[:120])
    return value


def _given(event: object, name: str) -> bool:
    """Whether the event carried `name` at all (None sent as null counts; a missing field does not)."""
    fields_set: object = getattr(event, "model_fields_set", None)
    if isinstance(fields_set, (set, frozenset)):
        return name in cast("set[str]", fields_set) or name in (getattr(event, "model_extra", None) or {})
    return hasattr(event, name)


class ResponsesWebSocketAccumulator:
    """Text, refusals and tool inputs of one response, projected from the events fed to it.

    Not thread-safe; it never reads, sends, closes or runs tools. Unknown events are ignored.
    """

    def __init__(self) -> None:
        self._stream_id: str | None = None
        self._bound = False
        self._response_id: str | None = None
        self._terminal_type: str | None = None
        self._response: dict[str, Any] | None = None
        self._output: dict[int, _Item] = {}
        self._final: Response | None = None
        self._error: ResponsesWebSocketError | None = None

    def reset(self) -> None:
        """Forget this response (earlier snapshots stay as they are)."""
        self.__init__()

    # -- reading

    def snapshot(self) -> ResponsesWebSocketSnapshot:
        """The current projection, immutable (joins every fragment: read it when needed, not per delta)."""
        output: list[ResponsesWebSocketOutput] = []
        for index in sorted(self._output):
            item = self._output[index]
            texts = tuple(
                (ci, "".join(p.fragments["text"]) if "text" in p.fragments else cast(str, p.fields["text"]))
                for ci, p in sorted(item.parts.items())
                if not p.reasoning
                and p.fields.get("type") in (None, "output_text")
                and ("text" in p.fragments or isinstance(p.fields.get("text"), str))
            )
            output.append(
                ResponsesWebSocketOutput(
                    output_index=index,
                    item_id=item.item_id,
                    type=item.string("type"),
                    name=item.string("name"),
                    call_id=item.string("call_id"),
                    arguments=item.text("arguments"),
                    input=item.text("input"),
                    text=texts,
                )
            )
        return ResponsesWebSocketSnapshot(self._stream_id, self._response_id, self._terminal_type, tuple(output))

    def detailed_snapshot(self) -> dict[str, Any]:
        """Every observed field, as a new mutable dict: `stream_id`, `response_id`, `terminal_type`,
        `response` (the last lifecycle response without its output, or None) and `output`, a list of
        `{"output_index", "item", "content": [{"content_index", "part"}]}` rows (indices as received)."""
        rows: list[dict[str, Any]] = []
        for index in sorted(self._output):
            item = self._output[index]
            fields = copy.deepcopy(item.fields)
            for name, pieces in item.fragments.items():
                fields[name] = "".join(pieces)
            content = [{"content_index": ci, "part": part.value()} for ci, part in sorted(item.parts.items())]
            rows.append({"output_index": index, "item": fields, "content": content})
        return {
            "stream_id": self._stream_id,
            "response_id": self._response_id,
            "terminal_type": self._terminal_type,
            "response": copy.deepcopy(self._response),
            "output": rows,
        }

    def get_final_response(self) -> Response:
        """A copy of the terminal event's response exactly as received (completed, failed or
        incomplete). Raises the `ResponsesWebSocketError` of an `error` event, or `RuntimeError`
        before a terminal event."""
        if self._error is not None:
            raise self._error
        if self._final is None:
            raise RuntimeError("No terminal response has been received")
        return self._final.model_copy(deep=True)

    # -- feeding

    def add_event(self, event: ResponsesServerEvent) -> None:
        """Observe one event (it is not changed). Raises `ValueError` for an event of another lane
        or with invalid indices, `RuntimeError` once this response has ended (call `reset()`)."""
        kind = getattr(event, "type", None)
        if not isinstance(kind, str) or not self._handles(kind):
            return
        stream_id = getattr(event, "stream_id", None)
        if self._bound and stream_id != self._stream_id:
            raise ValueError("Event belongs to another WebSocket lane")
        if self._terminal_type is not None or self._error is not None:
            raise RuntimeError("Reset the accumulator before adding another turn")
        self._stream_id, self._bound = cast("str | None", stream_id), True
        if kind == "error":
            self._error = ResponsesWebSocketError(event)
            raise self._error
        if kind in _LIFECYCLE or kind in _TERMINAL:
            self._add_response(kind, event)
        elif kind in ("response.output_item.added", "response.output_item.done"):
            self._output[_index(event, "output_index")] = _item_from(plain(getattr(event, "item", None)))
        elif kind in ("response.content_part.added", "response.content_part.done"):
            item = self._item(event)
            part = _part_from(plain(getattr(event, "part", None)), reasoning=item.fields.get("type") == "reasoning")
            item.parts[_index(event, "content_index")] = part
        elif kind in _DELTAS:
            name, part_index = _DELTAS[kind]
            target = self._target(event, part_index, reasoning=kind in _REASONING_PARTS)
            pieces = target.fragments.get(name)
            if pieces is None:
                start = target.fields.pop(name, None)
                pieces = target.fragments[name] = [start] if isinstance(start, str) else []
            delta = getattr(event, "delta", None)
            pieces.append(delta if isinstance(delta, str) else "")
            logprobs = plain(getattr(event, "logprobs", None))
            if isinstance(target, _Part) and isinstance(logprobs, list):
                known = target.fields.get("logprobs")
                target.fields["logprobs"] = [*(known if isinstance(known, list) else []), *cast("list[Any]", logprobs)]
        elif kind in _DONES:
            name, source, part_index = _DONES[kind]
            target = self._target(event, part_index, reasoning=kind in _REASONING_PARTS)
            target.fragments.pop(name, None)
            target.fields[name] = plain(getattr(event, source, None))
            if isinstance(target, _Part) and _given(event, "logprobs"):
                target.fields["logprobs"] = plain(getattr(event, "logprobs", None))
            if kind == "response.function_call_arguments.done" and isinstance(getattr(event, "name", None), str):
                cast(_Item, target).fields["name"] = getattr(event, "name", None)
        elif kind == "response.output_text.annotation.added":
            self._add_annotation(event)
        elif kind.startswith(("response.reasoning_summary_part.", "response.reasoning_summary_text.")):
            self._add_summary(kind, event)
        else:  # response.<tool>.<status>
            self._item(event).fields["status"] = kind.rsplit(".", 1)[1]

    @staticmethod
    def _handles(kind: str) -> bool:
        if kind == "error" or kind in _LIFECYCLE or kind in _TERMINAL or kind in _DELTAS or kind in _DONES:
            return True
        if kind.startswith(("response.output_item.", "response.content_part.", "response.reasoning_summary_")):
            return kind.endswith((".added", ".done", ".delta"))
        if kind == "response.output_text.annotation.added":
            return True
        tool, _, status = kind.removeprefix("response.").rpartition(".")
        return tool in _STATUS_TOOLS and status in (
            "in_progress", "searching", "generating", "interpreting", "completed", "failed"
        )

    def _add_response(self, kind: str, event: ResponsesServerEvent) -> None:
        response = plain(getattr(event, "response", None))
        if not isinstance(response, dict):
            raise ValueError(f"WebSocket event is missing a valid response ({kind})")
        data = cast("dict[str, Any]", response)
        response_id = data.get("id")
        if isinstance(response_id, str):
            if self._response_id is not None and response_id != self._response_id:
                raise RuntimeError("Reset the accumulator before adding another turn")
            self._response_id = response_id
        output = data.get("output")
        if isinstance(output, list):  # a given list, even empty, is the whole output
            self._output = {i: _item_from(item) for i, item in enumerate(cast("list[object]", output))}
        self._response = {k: copy.deepcopy(v) for k, v in data.items() if k != "output"}
        if kind in _TERMINAL:
            from ...types.responses.response import Response

            self._terminal_type = kind
            self._final = parse_obj(Response, data)

    def _item(self, event: ResponsesServerEvent) -> _Item:
        index = _index(event, "output_index")
        item = self._output.get(index)
        item_id = getattr(event, "item_id", None)
        if item is None or (isinstance(item_id, str) and item.item_id not in (None, item_id)):
            # a changed item id at this index starts a new item
            item = self._output[index] = _Item({"id": item_id} if isinstance(item_id, str) else {})
        elif isinstance(item_id, str) and item.item_id is None:
            item.fields["id"] = item_id
        return item

    def _target(self, event: ResponsesServerEvent, part_index: str | None, *, reasoning: bool) -> _Item | _Part:
        item = self._item(event)
        if part_index is None:
            return item
        index = _index(event, part_index)
        part = item.parts.get(index)
        if part is None:
            part = item.parts[index] = _Part(reasoning=reasoning)
        return part

    def _add_annotation(self, event: ResponsesServerEvent) -> None:
        index = _index(event, "output_index")
        content_index = _index(event, "content_index")
        annotation_index = _index(event, "annotation_index")
        item = self._output.get(index)
        part = item.parts.get(content_index) if item is not None else None
        if part is None:
            return  # no item or text to attach it to yet: the event itself still carries it
        if part.annotations is None:
            part.annotations = {}
        part.annotations[annotation_index] = plain(getattr(event, "annotation", None))

    def _add_summary(self, kind: str, event: ResponsesServerEvent) -> None:
        item = self._item(event)
        index = _index(event, "summary_index")
        known = item.fields.get("summary")
        summary: list[Any] = list(cast("list[Any]", known)) if isinstance(known, list) else []
        while len(summary) <= index:
            summary.append({"type": "summary_text", "text": ""})
        entry = dict(cast("dict[str, Any]", summary[index])) if isinstance(summary[index], dict) else {}
        if kind.startswith("response.reasoning_summary_part."):
            part = plain(getattr(event, "part", None))
            entry = dict(cast("dict[str, Any]", part)) if isinstance(part, dict) else entry
        elif kind.endswith(".delta"):
            delta = getattr(event, "delta", None)
            entry["text"] = str(entry.get("text") or "") + (delta if isinstance(delta, str) else "")
        else:
            entry["text"] = plain(getattr(event, "text", None))
        summary[index] = entry
        item.fields["summary"] = summary
