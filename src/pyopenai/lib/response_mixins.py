"""Hand-written additions to generated models.

The generator gives `pyopenai.types.responses.Response` this mixin as its first base
(`class Response(ResponseOutputTextMixin, BaseModel)`), so every response, plain or parsed, has
the `output_text` convenience the official SDK's users read.
"""

from __future__ import annotations

from typing import Any, cast

__all__ = ["ResponseOutputTextMixin", "response_output_text"]


def response_output_text(data: dict[str, Any]) -> str:
    """The text of every `output_text` part of the `message` items of a response's JSON, in order."""
    output = data.get("output")
    if not isinstance(output, list):
        text = data.get("output_text")
        return text if isinstance(text, str) else ""
    texts: list[str] = []
    for item in cast("list[Any]", output):
        if not isinstance(item, dict) or cast("dict[str, Any]", item).get("type") != "message":
            continue
        content = cast("dict[str, Any]", item).get("content")
        if not isinstance(content, list):
            continue
        for part in cast("list[Any]", content):
            if isinstance(part, dict) and cast("dict[str, Any]", part).get("type") == "output_text":
                text = cast("dict[str, Any]", part).get("text")
                if isinstance(text, str):
                    texts.append(text)
    return "".join(texts)


class ResponseOutputTextMixin:
    """Adds `output_text`: the concatenated `output_text` parts of the message outputs ("" if none).

    A generated `output_text` field (the spec lists one) would shadow this property; the mixin
    removes it from the subclass so the computed value wins either way.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "output_text" in cls.__dict__ and not isinstance(cls.__dict__["output_text"], property):
            delattr(cls, "output_text")
            fields: dict[str, Any] | None = getattr(cls, "__model_fields__", None)
            if fields is not None and "output_text" in fields:
                type.__setattr__(cls, "__model_fields__", {k: v for k, v in fields.items() if k != "output_text"})
                keys: dict[str, str] = getattr(cls, "__keys__", {})
                type.__setattr__(cls, "__keys__", {k: v for k, v in keys.items() if v != "output_text"})

    @property
    def output_text(self) -> str:
        data: Any = getattr(self, "_data", None)
        return response_output_text(cast("dict[str, Any]", data)) if isinstance(data, dict) else ""
