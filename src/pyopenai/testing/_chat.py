"""``/v1/chat/completions``: create (plain and streamed), tool calls, structured output, stored completions."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ._core import Core, Router, json_response, page_response, sse_event, sse_response
from ._errors import APIFailure, bad_request, not_found
from ._http import Request, Response
from ._script import Reply, Usage
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
    req_list,
    req_str,
    required_metadata,
)

SYSTEM_FINGERPRINT = "fp_pyopenai_local"
_ROLES = ("system", "developer", "user", "assistant", "tool", "function")


def content_text(content: object, param: str) -> str:
    """Plain text of a message ``content`` (a string, or an array of parts)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = as_list(content)
    if parts is None:
        raise bad_request(
            f"Invalid type for '{param}': expected a string or an array of content parts.",
            param=param,
            code="invalid_type",
        )
    texts: list[str] = []
    for i, raw in enumerate(parts):
        part = as_object(raw)
        if part is None:
            raise bad_request(
                f"Invalid type for '{param}[{i}]': expected an object.", param=f"{param}[{i}]", code="invalid_type"
            )
        kind = part.get("type")
        if kind in ("text", "input_text", "output_text", "refusal"):
            text = part.get("text", part.get("refusal"))
            if not isinstance(text, str):
                raise bad_request(
                    f"Missing required parameter: '{param}[{i}].text'.",
                    param=f"{param}[{i}].text",
                    code="missing_required_parameter",
                )
            texts.append(text)
        elif kind in ("image_url", "input_image"):
            texts.append("[image]")
        elif kind in ("input_audio", "audio"):
            texts.append("[audio]")
        elif kind in ("file", "input_file"):
            texts.append("[file]")
        else:
            raise bad_request(
                f"Invalid value for '{param}[{i}].type': '{kind}'.", param=f"{param}[{i}].type", code="invalid_value"
            )
    return " ".join(texts)


def parse_messages(messages: list[Any]) -> list[Turn]:
    turns: list[Turn] = []
    for i, raw in enumerate(messages):
        param = f"messages[{i}]"
        msg = as_object(raw)
        if msg is None:
            raise bad_request(f"Invalid type for '{param}': expected an object.", param=param, code="invalid_type")
        role = msg.get("role")
        if role is None:
            raise bad_request(
                f"Missing required parameter: '{param}.role'.", param=f"{param}.role", code="missing_required_parameter"
            )
        if role not in _ROLES:
            raise bad_request(
                f"Invalid value for '{param}.role': '{role}'. Supported values are: {', '.join(_ROLES)}.",
                param=f"{param}.role",
                code="invalid_value",
            )
        if role in ("system", "developer", "user", "tool") and "content" not in msg:
            raise bad_request(
                f"Missing required parameter: '{param}.content'.",
                param=f"{param}.content",
                code="missing_required_parameter",
            )
        if role == "tool" and not isinstance(msg.get("tool_call_id"), str):
            raise bad_request(
                f"Missing required parameter: '{param}.tool_call_id'.",
                param=f"{param}.tool_call_id",
                code="missing_required_parameter",
            )
        turns.append((str(role), content_text(msg.get("content"), f"{param}.content")))
    return turns


@dataclass
class ToolPlan:
    """The function the model 'decides' to call, and with which arguments."""

    name: str
    arguments: str
    custom: bool = False
    call_id: str | None = None  # given by a scripted reply; otherwise made up


def _tool_specs(tools: list[Any] | None, *, flat: bool) -> Iterator[tuple[str, str, JSONObject]]:
    """``(kind, name, spec)`` of each function/custom tool in a request's ``tools``."""
    for raw in tools or []:
        tool = as_object(raw)
        if tool is None:
            continue
        kind = tool.get("type")
        if kind not in ("function", "custom"):
            continue
        spec = tool if flat else as_object(tool.get(kind)) or {}
        name = spec.get("name")
        if isinstance(name, str):
            yield str(kind), name, spec


def last_user_text(turns: list[Turn]) -> str:
    return next((text for role, text in reversed(turns) if role == "user"), "")


def _seed_text(turns: list[Turn], seed: int) -> str:
    """What generated arguments are a function of: the last user message, and the server's seed."""
    text = last_user_text(turns)
    return f"{seed}\x1f{text}" if seed else text


def _plan_for(kind: str, name: str, spec: JSONObject, seed: str) -> ToolPlan:
    if kind == "custom":
        return ToolPlan(name, seed or "input", custom=True)
    arguments = instance_for_schema(spec.get("parameters") or {"type": "object", "properties": {}}, seed)
    return ToolPlan(name, json.dumps(arguments))


def plan_tool_call(
    tools: list[Any] | None, tool_choice: object, turns: list[Turn], *, flat: bool, seed: int = 0
) -> ToolPlan | None:
    """Pick the function to call (the one ``tool_choice`` names, else the first) unless the last turn
    is a tool result or ``tool_choice`` is ``"none"``. ``flat``: Responses-style tool definitions."""
    if not tools or tool_choice == "none" or (turns and turns[-1][0] == "tool"):
        return None
    wanted: str | None = None
    choice = as_object(tool_choice)
    if choice is not None:
        fn = as_object(choice.get("function"))
        name = choice.get("name") if flat or fn is None else fn.get("name")
        wanted = name if isinstance(name, str) else None
    for kind, name, spec in _tool_specs(tools, flat=flat):
        if wanted is None or name == wanted:
            return _plan_for(kind, name, spec, _seed_text(turns, seed))
    return None


def scripted_tool_calls(
    reply: Reply, tools: list[Any] | None, turns: list[Turn], *, flat: bool, seed: int = 0
) -> list[ToolPlan]:
    """The scripted calls as plans; ``arguments=None`` is filled from the named tool's schema."""
    specs = {name: (kind, spec) for kind, name, spec in _tool_specs(tools, flat=flat)}
    plans: list[ToolPlan] = []
    for call in reply.tool_calls:
        kind, spec = specs.get(call.name, ("function", {}))
        if call.arguments is None:
            plan = _plan_for(kind, call.name, spec, _seed_text(turns, seed))
        elif isinstance(call.arguments, str):
            plan = ToolPlan(call.name, call.arguments, custom=kind == "custom")
        else:
            plan = ToolPlan(call.name, json.dumps(dict(call.arguments)), custom=kind == "custom")
        plan.call_id = call.call_id
        plans.append(plan)
    return plans


def validate_tools(tools: list[Any] | None, *, flat: bool) -> None:
    for i, raw in enumerate(tools or []):
        tool = as_object(raw)
        param = f"tools[{i}]"
        if tool is None:
            raise bad_request(f"Invalid type for '{param}': expected an object.", param=param, code="invalid_type")
        kind = tool.get("type")
        if not isinstance(kind, str):
            raise bad_request(
                f"Missing required parameter: '{param}.type'.", param=f"{param}.type", code="missing_required_parameter"
            )
        if kind not in ("function", "custom"):
            if flat:
                continue  # hosted tools (web_search, file_search, ...) are accepted and never called
            raise bad_request(
                f"Invalid value for '{param}.type': '{kind}'.", param=f"{param}.type", code="invalid_value"
            )
        spec = tool if flat else as_object(tool.get(kind))
        where = param if flat else f"{param}.{kind}"
        if spec is None:
            raise bad_request(f"Missing required parameter: '{where}'.", param=where, code="missing_required_parameter")
        if not isinstance(spec.get("name"), str):
            raise bad_request(
                f"Missing required parameter: '{where}.name'.", param=f"{where}.name", code="missing_required_parameter"
            )


def structured_schema(response_format: JSONObject | None, param: str) -> tuple[str, object] | None:
    """``("json_schema", schema)`` / ``("json_object", None)`` / ``None`` for plain text."""
    if response_format is None:
        return None
    kind = response_format.get("type")
    if kind in ("text", None):
        return None
    if kind == "json_object":
        return ("json_object", None)
    if kind == "json_schema":
        spec = as_object(response_format.get("json_schema"))
        if spec is None:
            raise bad_request(
                f"Missing required parameter: '{param}.json_schema'.",
                param=f"{param}.json_schema",
                code="missing_required_parameter",
            )
        if not isinstance(spec.get("name"), str):
            raise bad_request(
                f"Missing required parameter: '{param}.json_schema.name'.",
                param=f"{param}.json_schema.name",
                code="missing_required_parameter",
            )
        return ("json_schema", spec.get("schema") or {})
    raise bad_request(f"Invalid value for '{param}.type': '{kind}'.", param=f"{param}.type", code="invalid_value")


def structured_text(kind: str, schema: object, turns: list[Turn], reply: str) -> str:
    seed = last_user_text(turns)
    if kind == "json_object":
        return json.dumps({"reply": reply})
    return json.dumps(instance_for_schema(schema, seed))


def _usage(prompt: int, completion: int, override: Usage | None = None) -> JSONObject:
    if override is not None:
        prompt = prompt if override.input_tokens is None else override.input_tokens
        completion = completion if override.output_tokens is None else override.output_tokens
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": override.cached_tokens if override else 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": override.reasoning_tokens if override else 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _logprobs(text: str, top: int) -> JSONObject:
    content: list[JSONObject] = []
    for i, token in enumerate(split_tokens(text)):
        lp = -0.01 * (i % 7 + 1)
        alts = [{"token": token, "logprob": lp, "bytes": list(token.encode())}]
        alts += [
            {"token": f" alt{j}", "logprob": lp - j - 1, "bytes": list(f" alt{j}".encode())}
            for j in range(max(top - 1, 0))
        ]
        content.append({"token": token, "logprob": lp, "bytes": list(token.encode()), "top_logprobs": alts[:top]})
    return {"content": content, "refusal": None}


@dataclass
class _Choice:
    text: str | None
    finish_reason: str
    tools: list[ToolPlan]
    tokens: int
    refusal: str | None = None
    deltas: list[str] | None = None  # scripted stream pieces (else the text is split into tokens)


def _scripted_choice(reply: Reply, tools: list[Any] | None, turns: list[Turn], core: Core) -> _Choice:
    plans = scripted_tool_calls(reply, tools, turns, flat=False, seed=core.config.seed)
    for plan in plans:
        plan.call_id = plan.call_id or core.ids("call_", 24)
    if reply.refusal is not None:
        return _Choice(None, reply.finish_reason or "stop", [], count_tokens(reply.refusal), refusal=reply.refusal)
    tokens = count_tokens(reply.text or "") + sum(count_tokens(p.name) + count_tokens(p.arguments) for p in plans)
    finish = reply.finish_reason or ("tool_calls" if plans else "stop")
    deltas = list(reply.deltas) if reply.deltas is not None else None
    return _Choice(reply.text, finish, plans, tokens, deltas=deltas)


def create_completion(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    model = req_str(body, "model")
    messages = req_list(body, "messages")
    core.model(model, "chat")
    turns = parse_messages(messages)
    stream = opt_bool(body, "stream")
    stream_options = opt_object(body, "stream_options")
    if stream_options is not None and not stream:
        raise bad_request(
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            param="stream_options",
            code="invalid_value",
        )
    n = opt_int(body, "n", 1, minimum=1, maximum=128) or 1
    max_tokens = opt_int(body, "max_completion_tokens", minimum=1)
    if max_tokens is None:
        max_tokens = opt_int(body, "max_tokens", minimum=1)
    opt_number(body, "temperature", minimum=0, maximum=2)
    opt_number(body, "top_p", minimum=0, maximum=1)
    logprobs = opt_bool(body, "logprobs")
    top_logprobs = opt_int(body, "top_logprobs", minimum=0, maximum=20)
    if top_logprobs is not None and not logprobs:
        raise bad_request("'top_logprobs' requires 'logprobs' to be true.", param="top_logprobs", code="invalid_value")
    tools = opt_list(body, "tools")
    validate_tools(tools, flat=False)
    fmt = structured_schema(opt_object(body, "response_format"), "response_format")
    store = opt_bool(body, "store")
    metadata = opt_object(body, "metadata")

    scripted = core.scripted("chat", req)
    usage_override = scripted.usage if scripted is not None else None
    system = next((text for role, text in turns if role in ("system", "developer")), None)
    seed = core.config.seed
    plan = plan_tool_call(tools, body.get("tool_choice"), turns, flat=False, seed=seed) if scripted is None else None
    choices: list[_Choice] = []
    for i in range(n):
        if scripted is not None:
            choices.append(_scripted_choice(scripted, tools, turns, core))
            continue
        if plan is not None:
            call = ToolPlan(plan.name, plan.arguments, plan.custom, core.ids("call_", 24))
            tokens = count_tokens(plan.name) + count_tokens(plan.arguments)
            choices.append(_Choice(None, "tool_calls", [call], tokens))
            continue
        reply = compose_reply(turns, instructions=system, choice=i)
        text = structured_text(fmt[0], fmt[1], turns, reply) if fmt is not None else reply
        finish = "stop"
        if max_tokens is not None:
            text, cut = truncate_tokens(text, max_tokens)
            finish = "length" if cut else "stop"
        choices.append(_Choice(text, finish, [], count_tokens(text)))

    prompt_tokens = sum(count_tokens(text) + 4 for _, text in turns) + 3
    completion_tokens = sum(c.tokens for c in choices)
    completion_id = core.ids("chatcmpl-", 29)
    created = core.now()
    completion: JSONObject = {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": i,
                "message": _message(c),
                "logprobs": _logprobs(c.text or "", top_logprobs or 0) if logprobs and c.deltas is None else None,
                "finish_reason": c.finish_reason,
            }
            for i, c in enumerate(choices)
        ],
        "usage": _usage(prompt_tokens, completion_tokens, usage_override),
        "service_tier": body.get("service_tier") if body.get("service_tier") in ("flex", "priority") else "default",
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }
    if store:
        stored = copy.deepcopy(completion)
        stored["metadata"] = metadata or {}
        stored["request_id"] = None
        core.store.chat_completions[completion_id] = stored
        core.store.chat_messages[completion_id] = [
            {"id": f"{completion_id}-{i}", **_stored_message(m)} for i, m in enumerate(messages)
        ]
    if not stream:
        return json_response(completion)
    include_usage = bool(stream_options and stream_options.get("include_usage"))
    return sse_response(_stream_chunks(completion, choices, include_usage))


def _tool_call_json(plan: ToolPlan, *, streamed_head: bool = False) -> JSONObject:
    if plan.custom:
        return {
            "id": plan.call_id,
            "type": "custom",
            "custom": {"name": plan.name, "input": "" if streamed_head else plan.arguments},
        }
    arguments = "" if streamed_head else plan.arguments
    return {"id": plan.call_id, "type": "function", "function": {"name": plan.name, "arguments": arguments}}


def _message(c: _Choice) -> JSONObject:
    msg: JSONObject = {"role": "assistant", "content": c.text, "refusal": c.refusal, "annotations": []}
    if c.tools:
        msg["tool_calls"] = [_tool_call_json(plan) for plan in c.tools]
    return msg


def _stored_message(raw: object) -> JSONObject:
    msg = as_object(raw) or {}
    content = msg.get("content")
    text = content if isinstance(content, str) or content is None else content_text(content, "content")
    out: JSONObject = {"role": msg.get("role"), "content": text, "name": msg.get("name"), "content_parts": None}
    if isinstance(content, list):
        out["content_parts"] = content
    return out


def _stream_chunks(completion: JSONObject, choices: list[_Choice], include_usage: bool) -> Iterator[bytes]:
    base: JSONObject = {
        "id": completion["id"],
        "object": "chat.completion.chunk",
        "created": completion["created"],
        "model": completion["model"],
        "service_tier": completion["service_tier"],
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }
    extra: JSONObject = {"usage": None} if include_usage else {}

    def chunk(index: int, delta: JSONObject, finish: str | None = None, logprobs: Any = None) -> bytes:
        return sse_event(
            {
                **base,
                "choices": [{"index": index, "delta": delta, "logprobs": logprobs, "finish_reason": finish}],
                **extra,
            }
        )

    for index, c in enumerate(choices):
        head: JSONObject = {"role": "assistant", "content": "", "refusal": None}
        calls_only = bool(c.tools) and not c.text
        if calls_only:  # as the API does: the role arrives with the first call's id and name
            head["content"] = None
            head["tool_calls"] = [{"index": 0, **_tool_call_json(c.tools[0], streamed_head=True)}]
        yield chunk(index, head)
        if c.refusal is not None:
            for piece in split_tokens(c.refusal):
                yield chunk(index, {"refusal": piece})
        choice_logprobs = completion["choices"][index]["logprobs"]
        for t, piece in enumerate(c.deltas if c.deltas is not None else split_tokens(c.text or "")):
            lp = None
            if choice_logprobs is not None:
                lp = {"content": [choice_logprobs["content"][t]], "refusal": None}
            yield chunk(index, {"content": piece}, None, lp)
        for t_index, plan in enumerate(c.tools):
            if t_index or not calls_only:
                yield chunk(index, {"tool_calls": [{"index": t_index, **_tool_call_json(plan, streamed_head=True)}]})
            field = "custom" if plan.custom else "function"
            key = "input" if plan.custom else "arguments"
            for start in range(0, len(plan.arguments), 16):
                piece = plan.arguments[start : start + 16]
                yield chunk(index, {"tool_calls": [{"index": t_index, field: {key: piece}}]})
        yield chunk(index, {}, c.finish_reason)
    if include_usage:
        yield sse_event({**base, "choices": [], "usage": completion["usage"]})
    yield b"data: [DONE]\n\n"


# -- stored completions ----------------------------------------------------------------------------


def _stored(core: Core, completion_id: str) -> JSONObject:
    found = core.store.chat_completions.get(completion_id)
    if found is None:
        raise not_found("chat completion", completion_id, param="completion_id")
    return found


def retrieve_completion(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_stored(core, params["completion_id"]))


def update_completion(core: Core, req: Request, params: dict[str, str]) -> Response:
    completion = _stored(core, params["completion_id"])
    body = json_body(req)
    completion["metadata"] = required_metadata(body)
    return json_response(completion)


def delete_completion(core: Core, req: Request, params: dict[str, str]) -> Response:
    completion_id = params["completion_id"]
    _stored(core, completion_id)
    del core.store.chat_completions[completion_id]
    core.store.chat_messages.pop(completion_id, None)
    return json_response({"object": "chat.completion.deleted", "id": completion_id, "deleted": True})


def list_completions(core: Core, req: Request, params: dict[str, str]) -> Response:
    items = list(core.store.chat_completions.values())
    model = req.query_value("model")
    if model:
        items = [c for c in items if c["model"] == model]
    for key, values in req.query.items():
        if key.startswith("metadata[") and key.endswith("]"):
            name = key[len("metadata[") : -1]
            items = [c for c in items if (as_object(c.get("metadata")) or {}).get(name) == values[-1]]
    return page_response(req, items, order="asc")


def list_messages(core: Core, req: Request, params: dict[str, str]) -> Response:
    completion_id = params["completion_id"]
    _stored(core, completion_id)
    return page_response(req, core.store.chat_messages.get(completion_id, []), order="asc")


def register(router: Router) -> None:
    router.add("POST", "/chat/completions", create_completion)
    router.add("GET", "/chat/completions", list_completions)
    router.add("GET", "/chat/completions/{completion_id}", retrieve_completion)
    router.add("POST", "/chat/completions/{completion_id}", update_completion)
    router.add("DELETE", "/chat/completions/{completion_id}", delete_completion)
    router.add("GET", "/chat/completions/{completion_id}/messages", list_messages)


__all__ = ["APIFailure", "register"]
