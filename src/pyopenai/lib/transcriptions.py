"""`audio.transcriptions.create` returns the type its `response_format` asks for.

The API's JSON answers for `json`, `verbose_json` and `diarized_json` overlap (a verbose answer with
no segments also fits the diarized shape), so choosing a member of the response union by shape can
pick the wrong one. The caller already said which shape they want; this hook parses the answer as
that type, and the text formats (`text`, `srt`, `vtt`) as the text itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["prepare_create"]

_MODEL_FOR_FORMAT = {
    "json": "Transcription",
    "verbose_json": "TranscriptionVerbose",
    "diarized_json": "TranscriptionDiarized",
}
_TEXT_FORMATS = frozenset({"text", "srt", "vtt"})


def prepare_create(body: Mapping[str, object]) -> tuple[dict[str, object], Callable[[Any], Any] | None]:
    """The request-preparation hook of `transcriptions.create`: (body to send, post-parse step)."""
    prepared = dict(body)
    if prepared.get("stream") is True:
        return prepared, None  # events, not one answer
    response_format = prepared.get("response_format")
    if not isinstance(response_format, str):  # omitted: the API answers `json`
        return prepared, _ParseAs("json")
    if response_format in _MODEL_FOR_FORMAT or response_format in _TEXT_FORMATS:
        return prepared, _ParseAs(response_format)
    return prepared, None  # a format this release does not know: the union decides


class _ParseAs:
    """A post-parse step that reads the body itself, as the type the response format names."""

    def __init__(self, response_format: str) -> None:
        self._response_format = response_format

    def parse_content(self, cast_to: Any, content: bytes) -> Any:
        if self._response_format in _TEXT_FORMATS:
            return content.decode("utf-8", errors="replace")
        from .. import types
        from .._models import parse_json

        model: Any = getattr(types.audio, _MODEL_FOR_FORMAT[self._response_format])
        return parse_json(model, content)

    def __call__(self, result: Any) -> Any:
        return result
