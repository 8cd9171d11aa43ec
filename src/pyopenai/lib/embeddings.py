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

__all__ = [
    "EmbeddingRequest",
    "decode_base64_embeddings",
    "has_numpy",
    "parse_embedding_response",
    "prepare_create",
    "prepare_embedding_request",
]

_NO_DATA = "No embedding data received"


def _defaulted(encoding_format: object) -> bool:
    return encoding_format is omit or encoding_format is NOT_GIVEN


def prepare_create(body: Mapping[str, object]) -> tuple[dict[str, object], Callable[[Any], Any] | None]:
    """The request-preparation hook of `embeddings.create`: (body to send, post-parse step)."""
    prepared = dict(body)
    if _defaulted(prepared.get("encoding_format", omit)):
        prepared["encoding_format"] = "base64"
        return prepared, _BASE64_EMBEDDINGS
    return prepared, None


class EmbeddingRequest:
    """A prepared embeddings request: the body to send and the step applied to the parsed result."""

    __slots__ = ("body", "post_parser")

    def __init__(self, body: dict[str, object], post_parser: Callable[[Any], Any]) -> None:
        self.body = body
        self.post_parser = post_parser


def prepare_embedding_request(
    client: object, body: Mapping[str, object], *, encoding_format: object
) -> EmbeddingRequest:
    """`body` to send (a copy; base64 asked for when the caller chose no format) and the post-parse
    step that turns the answer back into floats. The format is the one the caller passed, so a result
    parsed later still knows whether to decode. `client` is accepted for the official signature."""
    prepared = dict(body)
    if _defaulted(encoding_format):
        prepared["encoding_format"] = "base64"
    return EmbeddingRequest(prepared, lambda result: parse_embedding_response(result, encoding_format=encoding_format))


def parse_embedding_response(response: Any, *, encoding_format: object) -> Any:
    """`response` with its base64 vectors decoded to floats in place, when the caller chose no
    format (base64 was asked for on their behalf). An explicit format leaves it as it came; a
    defaulted one with no data at all raises `ValueError`."""
    if not _defaulted(encoding_format):
        return response
    items: object = getattr(response, "data", None)
    if not items:
        raise ValueError(_NO_DATA)
    decode_base64_embeddings(response)
    return response


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
            decode: Callable[[str], list[float]] | None = None
            for index, item in enumerate(cast("list[object]", items)):
                if not isinstance(item, dict):
                    continue
                entry = cast("dict[str, object]", item)
                vector = entry.get("embedding")
                if isinstance(vector, str):
                    decode = decode or _decoder()
                    decoded.append((index, decode(vector)))
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
        # lenient, unlike `parse_embedding_response`: an answer without vectors is returned as it came
        return decode_base64_embeddings(result)


_BASE64_EMBEDDINGS = _Base64Embeddings()


def decode_base64_embeddings(result: Any) -> Any:
    """Replace base64 vectors in a parsed embeddings response by lists of floats, in place."""
    items = getattr(result, "data", None)
    if not isinstance(items, list):
        return result
    decode: Callable[[str], list[float]] | None = None
    for item in cast("list[Any]", items):
        vector = getattr(item, "embedding", None)
        if isinstance(vector, str):
            # the lenient parse kept the base64 text; the field's declared type is a list of floats
            decode = decode or _decoder()
            item.__dict__["embedding"] = decode(vector)
    return result


def has_numpy() -> bool:
    """Whether numpy can be imported (it then decodes the vectors). Asked once per response that
    holds base64 vectors, never for one without."""
    global _numpy_found
    if _numpy_found is None:
        import importlib.util

        _numpy_found = importlib.util.find_spec("numpy") is not None
    return _numpy_found


_numpy_found: bool | None = None


def _decoder() -> Callable[[str], list[float]]:
    return _numpy_floats if has_numpy() else _floats


def _floats(encoded: str) -> list[float]:
    values = array("f", base64.b64decode(encoded))
    if sys.byteorder == "big":  # the API sends little-endian float32
        values.byteswap()
    return values.tolist()


def _numpy_floats(encoded: str) -> list[float]:
    import numpy

    # "<f4": little-endian float32 whatever the machine's byte order; a length that is not a
    # multiple of 4 raises ValueError, as the array path does
    return cast("list[float]", numpy.frombuffer(base64.b64decode(encoded), dtype="<f4").tolist())
