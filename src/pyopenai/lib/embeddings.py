"""Embeddings travel as base64 unless the caller chose a format, and are decoded to floats here.

A base64 float32 vector is about a quarter of the JSON float text and decodes in C; the caller
still gets `list[float]`, as when asking for `"float"`. Passing `encoding_format` explicitly keeps
the API's answer untouched (`"base64"` then returns the strings).
"""

from __future__ import annotations

import base64
import json
import sys
from array import array
from collections.abc import Callable, Mapping
from typing import Any, cast

from .._types import NOT_GIVEN, omit

__all__ = ["decode_base64_embeddings", "prepare_create"]


def prepare_create(body: Mapping[str, object]) -> tuple[dict[str, object], Callable[[Any], Any] | None]:
    """The request-preparation hook of `embeddings.create`: (body to send, post-parse step)."""
    prepared = dict(body)
    if prepared.get("encoding_format", omit) in (omit, NOT_GIVEN):
        prepared["encoding_format"] = "base64"
        return prepared, _BASE64_EMBEDDINGS
    return prepared, None


class _Base64Embeddings:
    """The post-parse step of a call that asked for base64, which also reads the body itself: the
    vectors are decoded straight from the JSON and never validated as text (a base64 string where the
    model declares a list of floats would send the whole response down the lenient path)."""

    def parse_content(self, cast_to: Any, content: bytes) -> Any:
        from .._models import parse_obj

        data: Any = json.loads(content)
        items: object = cast("dict[str, Any]", data).get("data") if isinstance(data, dict) else None
        decoded: list[tuple[int, list[float]]] = []
        if isinstance(items, list):
            for index, item in enumerate(cast("list[object]", items)):
                if not isinstance(item, dict):
                    continue
                entry = cast("dict[str, object]", item)
                vector = entry.get("embedding")
                if isinstance(vector, str):
                    decoded.append((index, _floats(vector)))
                    entry["embedding"] = []  # validated empty; the floats go in below
        result: Any = parse_obj(cast_to, cast(object, data))
        built: object = getattr(result, "data", None)
        if isinstance(built, list):
            models = cast("list[object]", built)
            for index, floats in decoded:
                if index < len(models) and hasattr(models[index], "__dict__"):
                    vars(models[index])["embedding"] = floats
        return result

    def __call__(self, result: Any) -> Any:
        return decode_base64_embeddings(result)


_BASE64_EMBEDDINGS = _Base64Embeddings()


def decode_base64_embeddings(result: Any) -> Any:
    """Replace base64 vectors in a parsed embeddings response by lists of floats, in place."""
    items = getattr(result, "data", None)
    if not isinstance(items, list):
        return result
    for item in cast("list[Any]", items):
        vector = getattr(item, "embedding", None)
        if isinstance(vector, str):
            # the lenient parse kept the base64 text; the field's declared type is a list of floats
            item.__dict__["embedding"] = _floats(vector)
    return result


def _floats(encoded: str) -> list[float]:
    values = array("f", base64.b64decode(encoded))
    if sys.byteorder == "big":  # the API sends little-endian float32
        values.byteswap()
    return values.tolist()
