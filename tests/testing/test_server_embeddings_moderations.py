"""Embeddings (deterministic unit vectors, float/base64, dimensions) and moderations."""

from __future__ import annotations

import base64
import math
import struct

import httpx2
import pytest


def embed(http: httpx2.Client, **body: object) -> dict[str, object]:
    r = http.post("/embeddings", json={"model": "text-embedding-3-small", **body})
    assert r.status_code == 200, r.text
    return r.json()


def test_float_vectors_are_unit_and_deterministic(http: httpx2.Client) -> None:
    data = http.post(
        "/embeddings",
        json={"model": "text-embedding-3-small", "input": ["cat", "dog", "cat"], "encoding_format": "float"},
    ).json()
    assert data["object"] == "list" and data["model"] == "text-embedding-3-small"
    vectors = [d["embedding"] for d in data["data"]]
    assert [d["index"] for d in data["data"]] == [0, 1, 2] and all(d["object"] == "embedding" for d in data["data"])
    assert all(len(v) == 1536 for v in vectors)
    assert all(abs(math.fsum(x * x for x in v) - 1) < 1e-9 for v in vectors)
    assert vectors[0] == vectors[2] != vectors[1]
    assert data["usage"]["prompt_tokens"] == data["usage"]["total_tokens"] == 3


def test_base64_matches_float(http: httpx2.Client) -> None:
    as_float = http.post(
        "/embeddings", json={"model": "text-embedding-3-large", "input": "x", "encoding_format": "float"}
    ).json()
    as_b64 = http.post(
        "/embeddings", json={"model": "text-embedding-3-large", "input": "x", "encoding_format": "base64"}
    ).json()
    raw = base64.b64decode(as_b64["data"][0]["embedding"])
    decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
    assert len(decoded) == 3072
    assert all(abs(a - b) < 1e-6 for a, b in zip(decoded, as_float["data"][0]["embedding"]))


def test_dimensions_and_token_inputs(http: httpx2.Client) -> None:
    small = http.post(
        "/embeddings",
        json={
            "model": "text-embedding-3-small",
            "input": [[1, 2, 3], [4, 5]],
            "dimensions": 8,
            "encoding_format": "float",
        },
    ).json()
    assert [len(d["embedding"]) for d in small["data"]] == [8, 8]
    assert small["usage"]["prompt_tokens"] == 5
    single = http.post(
        "/embeddings", json={"model": "text-embedding-3-small", "input": [1, 2, 3], "encoding_format": "float"}
    ).json()
    assert len(single["data"]) == 1


@pytest.mark.parametrize(
    ("body", "param", "status"),
    [
        ({"input": "x"}, "model", 400),
        ({"model": "text-embedding-3-small"}, "input", 400),
        ({"model": "text-embedding-3-small", "input": ""}, "input", 400),
        ({"model": "text-embedding-3-small", "input": []}, "input", 400),
        ({"model": "text-embedding-3-small", "input": "x", "encoding_format": "hex"}, "encoding_format", 400),
        ({"model": "text-embedding-3-small", "input": "x", "dimensions": 0}, "dimensions", 400),
        ({"model": "text-embedding-3-small", "input": "x", "dimensions": 5000}, "dimensions", 400),
        ({"model": "gpt-4o", "input": "x"}, "model", 400),
    ],
)
def test_embedding_validation(http: httpx2.Client, body: dict[str, object], param: str, status: int) -> None:
    r = http.post("/embeddings", json=body)
    assert r.status_code == status and r.json()["error"]["param"] == param


def test_moderation(http: httpx2.Client) -> None:
    data = http.post("/moderations", json={"input": ["have a nice day", "I will kill them"]}).json()
    assert data["id"].startswith("modr-") and data["model"] == "omni-moderation-latest"
    calm, violent = data["results"]
    assert calm["flagged"] is False and not any(calm["categories"].values())
    assert violent["flagged"] is True and violent["categories"]["violence"] is True
    assert violent["category_scores"]["violence"] > 0.5 > calm["category_scores"]["violence"]
    assert set(violent["categories"]) == set(violent["category_scores"]) == set(violent["category_applied_input_types"])
    assert "hate/threatening" in violent["categories"]


def test_moderation_multimodal_and_validation(http: httpx2.Client) -> None:
    parts = [
        {"type": "text", "text": "a bomb"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
    ]
    (result,) = http.post("/moderations", json={"model": "omni-moderation-latest", "input": parts}).json()["results"]
    assert result["flagged"] and result["category_applied_input_types"]["illicit"] == ["text"]
    assert http.post("/moderations", json={}).json()["error"]["param"] == "input"
    assert http.post("/moderations", json={"input": "x", "model": "gpt-4o"}).status_code == 400
