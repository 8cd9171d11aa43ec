"""Hand-written additions to generated models.

The generator gives `pyopenai.types.responses.Response` this mixin as its first base
(`class Response(ResponseOutputTextMixin, BaseModel)`) and leaves out the spec's `output_text`
field, so every response, plain or parsed, has the `output_text` convenience the official SDK's
users read. An Agents session message (`AgentSessionMessage`) has the same property for its parts.
"""

from __future__ import annotations

from typing import Any, cast

__all__ = ["AgentSessionMessageOutputTextMixin", "ResponseOutputTextMixin", "response_output_text"]


def _get(obj: Any, name: str) -> Any:
    """A field of a model, or a key of a dict (a part the lenient parser kept as it came)."""
    if isinstance(obj, dict):
        return cast("dict[str, Any]", obj).get(name)
    return getattr(obj, name, None)


def response_output_text(output: object) -> str:
    """The text of every `output_text` part of the `message` items of a response's output, in order."""
    if not isinstance(output, list):
        return ""
    return "".join(
        parts_output_text(_get(item, "content"))
        for item in cast("list[Any]", output)
        if _get(item, "type") == "message"
    )


def parts_output_text(content: object) -> str:
    """The text of every `output_text` part of a message's content, joined in order."""
    if not isinstance(content, list):
        return ""
    texts: list[str] = []
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


class AgentSessionMessageOutputTextMixin:
    """Adds `output_text` to an Agents session message: its `output_text` parts joined ("" if none).
    Read from the content each time, so it follows changes to the message and is never serialized."""

    __slots__ = ()

    @property
    def output_text(self) -> str:
        return parts_output_text(getattr(self, "content", None))
