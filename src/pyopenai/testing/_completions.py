"""``/v1/completions`` (legacy text completions): an echo of the prompt, plain or streamed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._core import Core, Router, json_response, sse_event, sse_response
from ._errors import bad_request
from ._http import Request, Response
from ._synth import compose_reply, count_tokens, split_tokens, truncate_tokens
from ._validate import JSONObject, json_body, opt_bool, opt_int, req_str

__all__ = ["register"]


def _prompts(raw: object) -> list[str]:
    if raw is None:
        raise bad_request("Missing required parameter: 'prompt'.", param="prompt", code="missing_required_parameter")
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and raw:
        items: list[Any] = raw  # pyright: ignore[reportUnknownVariableType]
        if all(isinstance(x, str) for x in items):
            return [str(x) for x in items]
        if all(isinstance(x, int) and not isinstance(x, bool) for x in items):
            return [" ".join(map(str, items))]
        if all(isinstance(x, list) for x in items):
            return [" ".join(map(str, x)) for x in items]  # pyright: ignore[reportUnknownArgumentType]
    raise bad_request(
        "Invalid 'prompt': expected a string, strings or token arrays.", param="prompt", code="invalid_value"
    )


def create_completion(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    model = req_str(body, "model")
    core.model(model, "completion")
    prompts = _prompts(body.get("prompt"))
    n = opt_int(body, "n", 1, minimum=1, maximum=128) or 1
    max_tokens = opt_int(body, "max_tokens", 16, minimum=0)
    echo = opt_bool(body, "echo")
    stream = opt_bool(body, "stream")
    choices: list[JSONObject] = []
    completion_tokens = 0
    for p_index, prompt in enumerate(prompts):
        for i in range(n):
            text = " " + compose_reply([("user", prompt)], choice=i)
            finish = "stop"
            if max_tokens is not None:
                text, cut = truncate_tokens(text, max_tokens)
                finish = "length" if cut else "stop"
            completion_tokens += count_tokens(text)
            full = prompt + text if echo else text
            choices.append({"text": full, "index": p_index * n + i, "logprobs": None, "finish_reason": finish})
    prompt_tokens = sum(count_tokens(p) for p in prompts)
    completion: JSONObject = {
        "id": core.ids("cmpl-", 29),
        "object": "text_completion",
        "created": core.now(),
        "model": model,
        "system_fingerprint": "fp_pyopenai_local",
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }
    if not stream:
        return json_response(completion)
    return sse_response(_chunks(completion))


def _chunks(completion: JSONObject) -> Iterator[bytes]:
    base = {k: completion[k] for k in ("id", "object", "created", "model", "system_fingerprint")}
    for choice in completion["choices"]:
        for piece in split_tokens(choice["text"]):
            yield sse_event({**base, "choices": [{**choice, "text": piece, "finish_reason": None}]})
        yield sse_event({**base, "choices": [{**choice, "text": ""}]})
    yield b"data: [DONE]\n\n"


def register(router: Router) -> None:
    router.add("POST", "/completions", create_completion)
