"""``/v1/responses``: create (plain, streamed, background), retrieve (also as a replayed stream),
delete, cancel, ``input_items``, ``input_tokens``; ``previous_response_id`` continues a conversation."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from ._chat import ToolPlan, content_text, plan_tool_call, scripted_tool_calls, validate_tools
from ._conversations import append_items, conversation_id, items_of
from ._core import Core, Router, json_response, page_response, sse_event, sse_response
from ._errors import bad_request, not_found
from ._http import Request, Response
from ._script import Reply
from ._synth import Turn, compose_reply, count_tokens, instance_for_schema, split_tokens, truncate_tokens
from ._validate import (
    JSONObject,
    as_list,
    as_object,
    json_body,
    opt_bool,
    opt_int,
    opt_list,
    opt_number,
    opt_object,
    opt_str,
    req_str,
)
from ._vector_stores import search as vector_search

__all__ = ["register"]

_ROLES = ("user", "assistant", "system", "developer")


# -- input ----------------------------------------------------------------------------------------


def _input_items(core: Core, raw: object) -> tuple[list[JSONObject], list[Turn]]:
    """The request ``input`` as stored input items (with ids) and as conversation turns."""
    if raw is None:
        return [], []
    if isinstance(raw, str):
        item = {
            "id": core.ids("msg_", 48),
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": raw}],
            "status": "completed",
        }
        return [item], [("user", raw)]
    entries = as_list(raw)
    if entries is None:
        raise bad_request(
            "Invalid type for 'input': expected a string or an array of input items.",
            param="input",
            code="invalid_type",
        )
    items: list[JSONObject] = []
    turns: list[Turn] = []
    for i, entry in enumerate(entries):
        param = f"input[{i}]"
        obj = as_object(entry)
        if obj is None:
            raise bad_request(f"Invalid type for '{param}': expected an object.", param=param, code="invalid_type")
        kind = obj.get("type", "message" if "role" in obj else None)
        if kind == "message":
            role = obj.get("role")
            if role not in _ROLES:
                raise bad_request(
                    f"Invalid value for '{param}.role': '{role}'. Supported values are: {', '.join(_ROLES)}.",
                    param=f"{param}.role",
                    code="invalid_value",
                )
            if "content" not in obj:
                raise bad_request(
                    f"Missing required parameter: '{param}.content'.",
                    param=f"{param}.content",
                    code="missing_required_parameter",
                )
            content = obj["content"]
            text = content_text(content, f"{param}.content")
            part_type = "output_text" if role == "assistant" else "input_text"
            parts: list[JSONObject] = (
                [{"type": part_type, "text": content}] if isinstance(content, str) else copy.deepcopy(content)
            )
            if role == "assistant":
                for part in parts:
                    part.setdefault("annotations", [])
            items.append(
                {
                    "id": obj.get("id") or core.ids("msg_", 48),
                    "type": "message",
                    "role": role,
                    "content": parts,
                    "status": "completed",
                }
            )
            turns.append((str(role), text))
        elif kind == "function_call_output":
            call_id = obj.get("call_id")
            if not isinstance(call_id, str):
                raise bad_request(
                    f"Missing required parameter: '{param}.call_id'.",
                    param=f"{param}.call_id",
                    code="missing_required_parameter",
                )
            output = obj.get("output")
            text = output if isinstance(output, str) else content_text(output, f"{param}.output")
            items.append(
                {
                    "id": obj.get("id") or core.ids("fco_", 48),
                    "type": "function_call_output",
                    "call_id": call_id,
                    "output": output,
                    "status": "completed",
                }
            )
            turns.append(("tool", text))
        elif kind == "function_call":
            items.append({"id": obj.get("id") or core.ids("fc_", 48), "status": "completed", **obj})
            turns.append(("assistant", ""))
        elif kind == "item_reference":
            ref = str(obj.get("id"))
            items.append({"id": ref, "type": "item_reference"})
        elif isinstance(kind, str):
            items.append({"id": obj.get("id") or core.ids("item_", 48), **obj})
        else:
            raise bad_request(
                f"Missing required parameter: '{param}.type'.", param=f"{param}.type", code="missing_required_parameter"
            )
    return items, turns


def _text_format(text: JSONObject | None) -> tuple[str, object] | None:
    fmt = as_object(text.get("format")) if text else None
    if fmt is None or fmt.get("type") in ("text", None):
        return None
    if fmt.get("type") == "json_object":
        return ("json_object", None)
    if fmt.get("type") == "json_schema":
        if not isinstance(fmt.get("name"), str):
            raise bad_request(
                "Missing required parameter: 'text.format.name'.",
                param="text.format.name",
                code="missing_required_parameter",
            )
        return ("json_schema", fmt.get("schema") or {})
    raise bad_request(
        f"Invalid value for 'text.format.type': '{fmt.get('type')}'.", param="text.format.type", code="invalid_value"
    )


# -- create ---------------------------------------------------------------------------------------


def create_response(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    model = req_str(body, "model")
    core.model(model, "chat")
    stream = opt_bool(body, "stream")
    background = opt_bool(body, "background")
    store = opt_bool(body, "store", default=True)
    if background and not store:
        raise bad_request("Background responses require 'store' to be true.", param="background", code="invalid_value")
    instructions = opt_str(body, "instructions")
    max_output = opt_int(body, "max_output_tokens", minimum=1)
    temperature = opt_number(body, "temperature", minimum=0, maximum=2)
    top_p = opt_number(body, "top_p", minimum=0, maximum=1)
    tools = opt_list(body, "tools")
    validate_tools(tools, flat=True)
    text_cfg = opt_object(body, "text")
    fmt = _text_format(text_cfg)
    metadata = opt_object(body, "metadata")
    previous_id = opt_str(body, "previous_response_id")
    if "input" not in body and previous_id is None and not instructions:
        raise bad_request("Missing required parameter: 'input'.", param="input", code="missing_required_parameter")

    history: list[Turn] = []
    if previous_id is not None:
        if previous_id not in core.store.responses:
            raise bad_request(
                f"Previous response with id '{previous_id}' not found.",
                param="previous_response_id",
                code="previous_response_not_found",
            )
        history = list(core.store.response_history.get(previous_id, []))
    thread = conversation_id(body.get("conversation"))
    if thread is not None:
        if previous_id is not None:
            raise bad_request(
                "'previous_response_id' and 'conversation' cannot be used together.", param="conversation"
            )
        history = _input_items(core, items_of(core, thread))[1]
    items, turns = _input_items(core, body.get("input"))
    conversation = history + turns

    scripted = core.scripted("responses", req)
    response_id = core.ids("resp_", 48)
    if scripted is not None:
        output, output_turns, incomplete = _scripted_output(core, scripted, conversation, tools), [], False
    else:
        output, output_turns, incomplete = _generate(core, conversation, instructions, tools, body, fmt, max_output)
    input_tokens = sum(count_tokens(t) + 4 for _, t in conversation) + count_tokens(instructions or "")
    output_tokens = sum(_item_tokens(item) for item in output)
    usage = scripted.usage if scripted is not None else None
    if usage is not None:
        input_tokens = input_tokens if usage.input_tokens is None else usage.input_tokens
        output_tokens = output_tokens if usage.output_tokens is None else usage.output_tokens
    response: JSONObject = {
        "id": response_id,
        "object": "response",
        "created_at": core.now(),
        "status": "incomplete" if incomplete else "completed",
        "background": background,
        "completed_at": None,
        "error": None,
        "incomplete_details": {"reason": "max_output_tokens"} if incomplete else None,
        "instructions": instructions,
        "max_output_tokens": max_output,
        "max_tool_calls": body.get("max_tool_calls"),
        "model": model,
        "output": output,
        "parallel_tool_calls": opt_bool(body, "parallel_tool_calls", default=True),
        "previous_response_id": previous_id,
        "prompt_cache_key": body.get("prompt_cache_key"),
        "reasoning": body.get("reasoning") or {"effort": None, "summary": None},
        "safety_identifier": body.get("safety_identifier"),
        "service_tier": body.get("service_tier") if body.get("service_tier") in ("flex", "priority") else "default",
        "store": store,
        "temperature": 1.0 if temperature is None else temperature,
        "text": {"format": {"type": "text"}, "verbosity": "medium", **(text_cfg or {})},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": tools or [],
        "top_logprobs": body.get("top_logprobs", 0),
        "top_p": 1.0 if top_p is None else top_p,
        "truncation": body.get("truncation") or "disabled",
        "usage": {
            "input_tokens": input_tokens,
            "input_tokens_details": {"cached_tokens": usage.cached_tokens if usage else 0, "cache_write_tokens": 0},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": usage.reasoning_tokens if usage else 0},
            "total_tokens": input_tokens + output_tokens,
        },
        "user": body.get("user"),
        "metadata": metadata or {},
    }
    if not incomplete:
        response["completed_at"] = response["created_at"]
    if thread is not None:
        response["conversation"] = {"id": thread}
        append_items(core, thread, [*items, *output])
    if store:
        core.store.response_inputs[response_id] = items
        core.store.response_history[response_id] = conversation + output_turns
        if background:
            # generated already; it is revealed (and the webhook sent) when first retrieved
            queued = _snapshot(response, "queued")
            core.store.responses[response_id] = queued
            core.store.pending_responses[response_id] = response
        else:
            core.store.responses[response_id] = response
    if background and not stream:
        return json_response(core.store.responses[response_id])
    if stream:
        if background:
            _finish_background(core, response_id)
        deltas = list(scripted.deltas) if scripted is not None and scripted.deltas is not None else None
        return sse_response(_events(response, starting_after=None, deltas=deltas))
    return json_response(response)


def _scripted_output(core: Core, reply: Reply, conversation: list[Turn], tools: list[Any] | None) -> list[JSONObject]:
    """Output items for a scripted reply: a message (text or refusal), then any function calls."""
    output: list[JSONObject] = []
    part: JSONObject | None = None
    if reply.refusal is not None:
        part = {"type": "refusal", "refusal": reply.refusal}
    elif reply.text is not None:
        part = {"type": "output_text", "text": reply.text, "annotations": [], "logprobs": []}
    if part is not None:
        output.append(
            {
                "id": core.ids("msg_", 48),
                "type": "message",
                "status": "completed",
                "role": "assistant",
                "content": [part],
            }
        )
    for plan in scripted_tool_calls(reply, tools, conversation, flat=True, seed=core.config.seed):
        output.append(_call_item(core, plan))
    return output


def _generate(
    core: Core,
    conversation: list[Turn],
    instructions: str | None,
    tools: list[Any] | None,
    body: JSONObject,
    fmt: tuple[str, object] | None,
    max_output: int | None,
) -> tuple[list[JSONObject], list[Turn], bool]:
    plan = plan_tool_call(tools, body.get("tool_choice"), conversation, flat=True, seed=core.config.seed)
    if plan is not None:
        return [_call_item(core, plan)], [("assistant", "")], False
    searched = _file_search(core, tools, conversation)
    if searched is not None:
        return searched
    reply = compose_reply(conversation, instructions=instructions)
    if fmt is not None:
        seed = next((text for role, text in reversed(conversation) if role == "user"), "")
        reply = (
            json.dumps({"reply": reply}) if fmt[0] == "json_object" else json.dumps(instance_for_schema(fmt[1], seed))
        )
    incomplete = False
    if max_output is not None:
        reply, incomplete = truncate_tokens(reply, max_output)
    message: JSONObject = {
        "id": core.ids("msg_", 48),
        "type": "message",
        "status": "incomplete" if incomplete else "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "text": reply, "annotations": [], "logprobs": []}],
    }
    return [message], [("assistant", reply)], incomplete


def _file_search(
    core: Core, tools: list[Any] | None, conversation: list[Turn]
) -> tuple[list[JSONObject], list[Turn], bool] | None:
    """With a ``file_search`` tool: a ``file_search_call`` item, then an answer quoting the best chunk of
    the stores' files with a ``file_citation``; ``None`` without the tool."""
    store_ids: list[str] = []
    for raw in tools or []:
        tool = as_object(raw)
        if tool is not None and tool.get("type") == "file_search":
            store_ids += [str(v) for v in as_list(tool.get("vector_store_ids")) or []]
    if not store_ids:
        return None
    query = next((text for role, text in reversed(conversation) if role == "user"), "")
    results = vector_search(core, store_ids, query, limit=5)
    call: JSONObject = {
        "id": core.ids("fs_", 48),
        "type": "file_search_call",
        "status": "completed",
        "queries": [query],
        "results": None,
    }
    if results:
        best = results[0]
        text = f'From {best["filename"]}: "{" ".join(best["content"][0]["text"].split())[:300]}"'
        annotations = [
            {"type": "file_citation", "file_id": best["file_id"], "filename": best["filename"], "index": len(text)}
        ]
    else:
        text, annotations = f'No uploaded file mentions "{query}".', []
    message: JSONObject = {
        "id": core.ids("msg_", 48),
        "type": "message",
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": annotations, "logprobs": []}],
    }
    return [call, message], [("assistant", text)], False


def _call_item(core: Core, plan: ToolPlan) -> JSONObject:
    item: JSONObject = {
        "id": core.ids("fc_", 48),
        "type": "custom_tool_call" if plan.custom else "function_call",
        "status": "completed",
        "call_id": plan.call_id or core.ids("call_", 24),
        "name": plan.name,
    }
    item["input" if plan.custom else "arguments"] = plan.arguments
    return item


def _item_tokens(item: JSONObject) -> int:
    if item["type"] == "message":
        return sum(count_tokens(part.get("text") or part.get("refusal") or "") for part in item["content"])
    if item["type"] == "file_search_call":
        return 0
    return count_tokens(item.get("arguments") or item.get("input") or "") + count_tokens(item.get("name", ""))


def _snapshot(response: JSONObject, status: str) -> JSONObject:
    snap = copy.deepcopy(response)
    snap.update(status=status, output=[], usage=None, completed_at=None, incomplete_details=None)
    return snap


# -- streaming ------------------------------------------------------------------------------------


def _events(response: JSONObject, starting_after: int | None, deltas: list[str] | None = None) -> Iterator[bytes]:
    """The event sequence of a finished ``response``, as the API streams it (``deltas``: the pieces
    of the first text part, when a scripted reply gave them)."""
    seq = 0

    def event(kind: str, **fields: Any) -> bytes | None:
        nonlocal seq
        current = seq
        seq += 1
        if starting_after is not None and current <= starting_after:
            return None
        return sse_event({"type": kind, "sequence_number": current, **fields}, kind)

    def emit(kind: str, **fields: Any) -> Iterator[bytes]:
        data = event(kind, **fields)
        if data is not None:
            yield data

    yield from emit("response.created", response=_snapshot(response, "in_progress"))
    yield from emit("response.in_progress", response=_snapshot(response, "in_progress"))
    for index, item in enumerate(response["output"]):
        if item["type"] == "message":
            yield from _message_events(emit, index, item, deltas if index == 0 else None)
        elif item["type"] == "file_search_call":
            yield from _search_events(emit, index, item)
        else:
            yield from _call_events(emit, index, item)
    final = "response.incomplete" if response["status"] == "incomplete" else "response.completed"
    yield from emit(final, response=response)


def _message_events(emit: Any, index: int, item: JSONObject, deltas: list[str] | None) -> Iterator[bytes]:
    item_id = item["id"]
    yield from emit(
        "response.output_item.added", output_index=index, item={**item, "status": "in_progress", "content": []}
    )
    for c_index, part in enumerate(item["content"]):
        where = {"item_id": item_id, "output_index": index, "content_index": c_index}
        if part["type"] == "refusal":
            yield from emit("response.content_part.added", **where, part={**part, "refusal": ""})
            for piece in split_tokens(part["refusal"]):
                yield from emit("response.refusal.delta", **where, delta=piece)
            yield from emit("response.refusal.done", **where, refusal=part["refusal"])
            yield from emit("response.content_part.done", **where, part=part)
            continue
        yield from emit("response.content_part.added", **where, part={**part, "text": ""})
        pieces = deltas if deltas is not None and c_index == 0 else split_tokens(part["text"])
        for piece in pieces:
            yield from emit("response.output_text.delta", **where, delta=piece, logprobs=[])
        yield from emit("response.output_text.done", **where, text=part["text"], logprobs=[])
        yield from emit("response.content_part.done", **where, part=part)
    yield from emit("response.output_item.done", output_index=index, item=item)


def _search_events(emit: Any, index: int, item: JSONObject) -> Iterator[bytes]:
    where = {"output_index": index, "item_id": item["id"]}
    yield from emit("response.output_item.added", output_index=index, item={**item, "status": "in_progress"})
    yield from emit("response.file_search_call.in_progress", **where)
    yield from emit("response.file_search_call.searching", **where)
    yield from emit("response.file_search_call.completed", **where)
    yield from emit("response.output_item.done", output_index=index, item=item)


def _call_events(emit: Any, index: int, item: JSONObject) -> Iterator[bytes]:
    item_id = item["id"]
    custom = item["type"] == "custom_tool_call"
    field = "input" if custom else "arguments"
    prefix = "response.custom_tool_call_input" if custom else "response.function_call_arguments"
    yield from emit("response.output_item.added", output_index=index, item={**item, "status": "in_progress", field: ""})
    value: str = item[field]
    for start in range(0, len(value), 16):
        yield from emit(f"{prefix}.delta", item_id=item_id, output_index=index, delta=value[start : start + 16])
    done: JSONObject = {"item_id": item_id, "output_index": index, field: value}
    if not custom:
        done["name"] = item["name"]
    yield from emit(f"{prefix}.done", **done)
    yield from emit("response.output_item.done", output_index=index, item=item)


# -- retrieve / delete / cancel / input items -----------------------------------------------------


def _stored(core: Core, response_id: str) -> JSONObject:
    found = core.store.responses.get(response_id)
    if found is None:
        raise not_found("response", response_id, param="response_id")
    return found


def _finish_background(core: Core, response_id: str) -> None:
    done = core.store.pending_responses.pop(response_id, None)
    if done is None:
        return
    core.store.responses[response_id] = done
    kind = "response.incomplete" if done["status"] == "incomplete" else "response.completed"
    core.emit_webhook(kind, {"id": response_id})


def retrieve_response(core: Core, req: Request, params: dict[str, str]) -> Response:
    response_id = params["response_id"]
    _stored(core, response_id)
    _finish_background(core, response_id)
    response = core.store.responses[response_id]
    if req.query_value("stream") in ("true", "1"):
        raw = req.query_value("starting_after")
        try:
            starting_after = int(raw) if raw else None
        except ValueError:
            raise bad_request("Invalid 'starting_after': expected an integer.", param="starting_after") from None
        return sse_response(_events(response, starting_after))
    return json_response(response)


def delete_response(core: Core, req: Request, params: dict[str, str]) -> Response:
    response_id = params["response_id"]
    _stored(core, response_id)
    for table in (
        core.store.responses,
        core.store.response_inputs,
        core.store.response_history,
        core.store.pending_responses,
    ):
        table.pop(response_id, None)
    return json_response({"id": response_id, "object": "response", "deleted": True})


def cancel_response(core: Core, req: Request, params: dict[str, str]) -> Response:
    response_id = params["response_id"]
    response = _stored(core, response_id)
    if not response.get("background"):
        raise bad_request("Only responses created with background=true can be cancelled.", code="invalid_value")
    if core.store.pending_responses.pop(response_id, None) is not None:
        response["status"] = "cancelled"
        core.emit_webhook("response.cancelled", {"id": response_id})
    return json_response(response)


def list_input_items(core: Core, req: Request, params: dict[str, str]) -> Response:
    response_id = params["response_id"]
    _stored(core, response_id)
    return page_response(req, core.store.response_inputs.get(response_id, []))


def count_input_tokens(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    model = opt_str(body, "model")
    if model is not None:
        core.model(model, "chat")
    history: list[Turn] = []
    previous_id = opt_str(body, "previous_response_id")
    if previous_id is not None:
        history = core.store.response_history.get(previous_id, [])
    _, turns = _input_items(core, body.get("input"))
    total = sum(count_tokens(t) + 4 for _, t in history + turns) + count_tokens(opt_str(body, "instructions") or "")
    return json_response({"object": "response.input_tokens", "input_tokens": total})


def register(router: Router) -> None:
    router.add("POST", "/responses", create_response)
    router.add("POST", "/responses/input_tokens", count_input_tokens)
    router.add("GET", "/responses/{response_id}", retrieve_response)
    router.add("DELETE", "/responses/{response_id}", delete_response)
    router.add("POST", "/responses/{response_id}/cancel", cancel_response)
    router.add("GET", "/responses/{response_id}/input_items", list_input_items)
