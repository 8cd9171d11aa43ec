"""Hand-written additions to generated models.

The generator gives `pyopenai.types.responses.Response` this mixin as its first base
(`class Response(ResponseOutputTextMixin, BaseModel)`) and leaves out the spec's `output_text`
field, so every response, plain or parsed, has the `output_text` convenience the official SDK's
users read.
"""

from __future__ import annotations

from typing import Any, cast

__all__ = ["ResponseOutputTextMixin", "response_output_text"]


def _get(obj: Any, name: str) -> Any:
    """A field of a model, or a key of a dict (a part the lenient parser kept as it came)."""
    if isinstance(obj, dict):
        return cast("dict[str, Any]", obj).get(name)
    return getattr(obj, name, None)


def response_output_text(output: object) -> str:
    """The text of every `output_text` part of the `message` items of a response's output, in order."""
    if not isinstance(output, list):
        return ""
    texts: list[str] = []
    for item in cast("list[Any]", output):
        if _get(item, "type") != "message":
            continue
        content = _get(item, "content")
        if not isinstance(content, list):
            continue
        for part in cast("list[Any]", content):
            if _get(part, "type") == "output_text":
                text = _get(part, "text")
                if isinstance(text, str):
                    texts.append(text)
    return "".join(texts)


class ResponseOutputTextMixin:
    """Adds `output_text`: the concatenated `output_text` parts of the message outputs ("" if none)."""

    __slots__ = ()

    @property
    def output_text(self) -> str:
        return response_output_text(getattr(self, "output", None))
