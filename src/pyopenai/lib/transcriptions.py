"""`audio.transcriptions.create` and `audio.translations.create` return the type their
`response_format` asks for.

The API's JSON answers for `json`, `verbose_json` and `diarized_json` overlap (a verbose answer with
no segments also fits the diarized shape, any of them fits the plain one), so choosing a member of
the response union by shape can pick the wrong one. The caller already said which shape they want;
these hooks parse the answer as that type, and the text formats (`text`, `srt`, `vtt`) as the text
itself. A format this release does not know is read as the plain `json` type, as the official SDK
reads it: its `text` is there whatever else the answer holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["prepare_create", "prepare_translation"]

_TRANSCRIPTION_MODELS = {
    "json": "Transcription",
    "verbose_json": "TranscriptionVerbose",
    "diarized_json": "TranscriptionDiarized",
}
_TRANSLATION_MODELS = {"json": "Translation", "verbose_json": "TranslationVerbose"}
_TEXT_FORMATS = frozenset({"text", "srt", "vtt"})


def prepare_create(body: Mapping[str, object]) -> tuple[dict[str, object], Callable[[Any], Any] | None]:
    """The request-preparation hook of `transcriptions.create`: (body to send, post-parse step)."""
    return _prepare(body, _TRANSCRIPTION_MODELS)


def prepare_translation(body: Mapping[str, object]) -> tuple[dict[str, object], Callable[[Any], Any] | None]:
    """The request-preparation hook of `translations.create`: (body to send, post-parse step)."""
    return _prepare(body, _TRANSLATION_MODELS)


def _prepare(
    body: Mapping[str, object], models: Mapping[str, str]
) -> tuple[dict[str, object], Callable[[Any], Any] | None]:
    prepared = dict(body)
    if prepared.get("stream") is True:
        return prepared, None  # events, not one answer
    response_format = prepared.get("response_format")
    if isinstance(response_format, str) and response_format in _TEXT_FORMATS:
        return prepared, _ParseAs(None)
    # omitted (the API answers `json`), a JSON format, or one this release does not know
    model_name = models.get(response_format, models["json"]) if isinstance(response_format, str) else models["json"]
    return prepared, _ParseAs(model_name)


class _ParseAs:
    """A post-parse step that reads the body itself: as the named `types.audio` model, or as text."""

    def __init__(self, model_name: str | None) -> None:
        self._model_name = model_name

    def parse_content(self, cast_to: Any, content: bytes) -> Any:
        if self._model_name is None:
            return content.decode("utf-8", errors="replace")
        from .. import types
        from .._models import parse_json

        model: Any = getattr(types.audio, self._model_name)
        return parse_json(model, content)

    def __call__(self, result: Any) -> Any:
        return result
