"""`embeddings.create` without a format asks for base64 and hands back floats, read straight from the
body: the result is a validated model like any other, whatever the server chose to answer."""

from __future__ import annotations

import base64
import json
import warnings
from array import array
from typing import Any

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client

from pyopenai import omit

VECTORS = [[0.5, -1.25, 3.0], [0.0, 2.5, -0.75]]


def _b64(vector: list[float]) -> str:
    return base64.b64encode(array("f", vector).tobytes()).decode()


def _answer(request: httpx2.Request) -> httpx2.Response:
    asked = json.loads(request.content).get("encoding_format")
    data: list[dict[str, Any]] = [
        {"object": "embedding", "index": i, "embedding": _b64(v) if asked == "base64" else v} for i, v in enumerate(VECTORS)
    ]
    return json_response({"object": "list", "data": data, "model": "m", "usage": {"prompt_tokens": 2, "total_tokens": 2}})


def test_the_default_call_asks_for_base64_and_returns_a_validated_result_of_floats() -> None:
    client, recorder = make_client(_answer)
    result = client.embeddings.create(model="m", input=["a", "b"])
    assert recorder.json()["encoding_format"] == "base64"
    assert [e.embedding for e in result.data] == VECTORS
    assert not result._lenient and result.usage.total_tokens == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dumped: Any = result.to_dict()
        assert dumped["data"][1]["embedding"] == VECTORS[1]


def test_an_explicit_format_is_left_as_the_api_answers_it() -> None:
    client, _ = make_client(_answer)
    assert client.embeddings.create(model="m", input="a", encoding_format="float").data[0].embedding == VECTORS[0]
    assert client.embeddings.create(model="m", input="a", encoding_format="base64").data[0].embedding == _b64(VECTORS[0])


def test_a_server_that_answers_floats_or_odd_items_to_a_base64_request_is_read_as_it_came() -> None:
    body = {"object": "list", "model": "m", "usage": {"prompt_tokens": 1, "total_tokens": 1},
            "data": [{"object": "embedding", "index": 0, "embedding": [1.0, 2.0]},
                     {"object": "embedding", "index": 1, "embedding": None}, "junk"]}
    client, _ = make_client(lambda request: json_response(body))
    result = client.embeddings.create(model="m", input="a")
    assert result.data[0].embedding == [1.0, 2.0] and result.data[1].embedding is None and result.data[2] == "junk"


def test_the_raw_response_parses_to_the_same_floats() -> None:
    client, _ = make_client(_answer)
    raw = client.embeddings.with_raw_response.create(model="m", input=["a", "b"])
    assert [e.embedding for e in raw.parse().data] == VECTORS


async def test_async_default_call_returns_floats() -> None:
    client, recorder = make_async_client(_answer)
    result = await client.embeddings.create(model="m", input=["a", "b"])
    assert recorder.json()["encoding_format"] == "base64" and [e.embedding for e in result.data] == VECTORS


_EMPTY = {"object": "list", "data": [], "model": "m", "usage": {"prompt_tokens": 1, "total_tokens": 1}}


def test_an_answer_without_vectors_is_returned_as_it_came() -> None:
    client, _ = make_client(lambda request: json_response(_EMPTY))
    assert client.embeddings.create(model="m", input="a").data == []
    assert client.embeddings.create(model="m", input="a", encoding_format="float").data == []


async def test_async_answer_without_vectors_is_returned_as_it_came() -> None:
    client, _ = make_async_client(lambda request: json_response(_EMPTY))
    assert (await client.embeddings.create(model="m", input="a")).data == []


def test_the_official_parsing_module_decodes_in_place_and_asks_for_numpy_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyopenai.lib._parsing import _embeddings
    from pyopenai.types import CreateEmbeddingResponse, Embedding

    body: dict[str, Any] = {"object": "list", "model": "m", "usage": {"prompt_tokens": 1, "total_tokens": 1},
                            "data": [{"object": "embedding", "index": i, "embedding": v}
                                     for i, v in enumerate([_b64(VECTORS[0]), [9.0], _b64(VECTORS[1])])]}
    asked: list[bool] = []
    for numpy in (False, True):
        monkeypatch.setattr(_embeddings, "has_numpy", lambda numpy=numpy: asked.append(numpy) or numpy)
        response = CreateEmbeddingResponse.model_construct(**body)
        response.data = [Embedding.model_construct(**d) for d in body["data"]]
        assert _embeddings.parse_embedding_response(response, encoding_format=omit) is response
        assert [d.embedding for d in response.data] == [VECTORS[0], [9.0], VECTORS[1]]
    assert asked == [False, True]  # once per response, not per vector
    explicit = CreateEmbeddingResponse.model_construct(**{**body, "data": []})
    assert _embeddings.parse_embedding_response(explicit, encoding_format="base64") is explicit

    request = _embeddings.prepare_embedding_request(None, {"input": "a", "model": "m"}, encoding_format=omit)
    assert request.body == {"input": "a", "model": "m", "encoding_format": "base64"}
    with pytest.raises(ValueError, match="No embedding data"):
        request.post_parser(explicit)
    kept = _embeddings.prepare_embedding_request(None, {"encoding_format": "float"}, encoding_format="float")
    assert kept.body == {"encoding_format": "float"} and kept.post_parser(explicit) is explicit
