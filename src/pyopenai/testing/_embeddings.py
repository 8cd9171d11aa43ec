"""``/v1/embeddings``: deterministic unit vectors seeded by a hash of (model, input)."""

from __future__ import annotations

import base64
import struct
from typing import Any

from ._core import Core, Router, json_response
from ._errors import APIFailure, bad_request
from ._http import Request, Response
from ._synth import count_tokens, embedding_vector
from ._validate import json_body, opt_int, opt_str, req_str

MAX_INPUTS = 2048


def _inputs(raw: object) -> list[tuple[str, int]]:
    """``(text to seed from, token count)`` per input: string, strings, token array, token arrays."""

    def bad(message: str) -> Exception:
        return bad_request(message, param="input", code="invalid_value")

    if raw is None:
        raise bad_request("Missing required parameter: 'input'.", param="input", code="missing_required_parameter")
    if isinstance(raw, str):
        if not raw:
            raise bad("Invalid 'input': empty string.")
        return [(raw, count_tokens(raw))]
    if not isinstance(raw, list) or not raw:
        raise bad("Invalid 'input': expected a string, an array of strings, or token arrays.")
    items: list[Any] = raw  # pyright: ignore[reportUnknownVariableType]
    if len(items) > MAX_INPUTS:
        raise bad(f"Invalid 'input': at most {MAX_INPUTS} inputs per request.")
    if all(isinstance(x, int) and not isinstance(x, bool) for x in items):
        return [("tokens:" + ",".join(map(str, items)), len(items))]
    out: list[tuple[str, int]] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            if not item:
                raise bad(f"Invalid 'input[{i}]': empty string.")
            out.append((item, count_tokens(item)))
        elif isinstance(item, list) and item and all(isinstance(x, int) and not isinstance(x, bool) for x in item):  # pyright: ignore[reportUnknownVariableType]
            tokens: list[int] = item  # pyright: ignore[reportUnknownVariableType]
            out.append(("tokens:" + ",".join(map(str, tokens)), len(tokens)))
        else:
            raise bad(f"Invalid 'input[{i}]': expected a string or an array of token ids.")
    return out


def create_embedding(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    model = req_str(body, "model")
    inputs = _inputs(body.get("input"))
    info = core.model(model, "embedding")
    encoding = opt_str(body, "encoding_format") or "float"
    if encoding not in ("float", "base64"):
        raise bad_request(
            f"Invalid value for 'encoding_format': '{encoding}'. Supported values are: 'float' and 'base64'.",
            param="encoding_format",
            code="invalid_value",
        )
    dims = opt_int(body, "dimensions", minimum=1, maximum=info.dimensions)
    if dims is not None and model == "text-embedding-ada-002":
        raise bad_request(
            "This model does not support specifying dimensions.", param="dimensions", code="invalid_value"
        )
    size = dims or info.dimensions
    scripted = core.scripted("embeddings", req)
    vectors = [embedding_vector(model, text, size) for text, _ in inputs]
    if scripted is not None:
        if scripted.embeddings is None or len(scripted.embeddings) != len(inputs):
            given = "no vectors" if scripted.embeddings is None else f"{len(scripted.embeddings)} vector(s)"
            raise APIFailure(
                500,
                f"The scripted embeddings reply has {given} for {len(inputs)} input(s); "
                "script it with server.script.embeddings.vectors([...]), one vector per input.",
                code="bad_scripted_reply",
                headers=[("x-should-retry", "false")],
            )
        vectors = [[float(x) for x in vec] for vec in scripted.embeddings]
    data: list[dict[str, Any]] = []
    for index, vec in enumerate(vectors):
        size = len(vec)
        value: Any = base64.b64encode(struct.pack(f"<{size}f", *vec)).decode() if encoding == "base64" else vec
        data.append({"object": "embedding", "index": index, "embedding": value})
    tokens = sum(n for _, n in inputs)
    if scripted is not None and scripted.usage is not None and scripted.usage.input_tokens is not None:
        tokens = scripted.usage.input_tokens
    return json_response(
        {"object": "list", "data": data, "model": model, "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}
    )


def register(router: Router) -> None:
    router.add("POST", "/embeddings", create_embedding)
