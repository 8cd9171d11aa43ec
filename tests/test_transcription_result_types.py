"""`audio.transcriptions.create` returns the type its `response_format` names, as the official SDK does.

The JSON shapes overlap: a verbose answer with no segments also fits the diarized shape, so a choice
by shape alone gave a `TranscriptionDiarized` (without `.words`) to a caller who asked for verbose JSON.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client

from pyopenai.types.audio import (
    Transcription,
    TranscriptionDiarized,
    TranscriptionVerbose,
    Translation,
    TranslationVerbose,
)

VERBOSE_NO_SEGMENTS = {"task": "transcribe", "language": "english", "duration": 1.0, "text": "hi",
                       "segments": [], "words": [{"word": "hi", "start": 0.0, "end": 1.0}]}
DIARIZED = {"task": "transcribe", "duration": 1.0, "text": "hi",
            "segments": [{"type": "transcript.text.segment", "id": "s", "start": 0.0, "end": 1.0, "text": "hi",
                          "speaker": "A"}]}
CASES: list[tuple[dict[str, Any], object, type[Any]]] = [
    ({"response_format": "verbose_json"}, VERBOSE_NO_SEGMENTS, TranscriptionVerbose),
    ({"response_format": "diarized_json"}, DIARIZED, TranscriptionDiarized),
    ({"response_format": "json"}, {"text": "hi"}, Transcription),
    ({}, {"text": "hi"}, Transcription),
]


def text_response(text: str) -> httpx2.Response:
    return httpx2.Response(200, text=text, headers={"content-type": "text/plain"})


@pytest.mark.parametrize(("options", "body", "expected"), CASES)
def test_result_type_follows_response_format(options: dict[str, Any], body: object, expected: type[Any]) -> None:
    client, recorder = make_client(lambda r: json_response(body))
    result: Any = client.audio.transcriptions.create(file=("a.wav", b"RIFF"), model="whisper-1", **options)
    assert type(result) is expected
    assert result._request_id == "req_123"
    if expected is TranscriptionVerbose:
        assert result.words[0].word == "hi"
    assert (b'name="response_format"' in recorder.last.content) == bool(options)


@pytest.mark.parametrize(("options", "body", "expected"), CASES)
async def test_result_type_follows_response_format_async(
    options: dict[str, Any], body: object, expected: type[Any]
) -> None:
    client, _ = make_async_client(lambda r: json_response(body))
    result: Any = await client.audio.transcriptions.create(file=("a.wav", b"RIFF"), model="whisper-1", **options)
    assert type(result) is expected


@pytest.mark.parametrize("response_format", ["text", "srt", "vtt"])
def test_text_formats_return_the_text(response_format: Any) -> None:
    # JSON-looking text stays text: the caller asked for text
    client, _ = make_client(lambda r: text_response('{"text": "hi"}\n'))
    result = client.audio.transcriptions.create(file=("a.wav", b"RIFF"), model="whisper-1",
                                                response_format=response_format)
    assert result == '{"text": "hi"}\n'


def test_a_body_that_does_not_fit_the_asked_type_is_still_returned() -> None:
    # lenient as everywhere else: fields read, nothing lost
    client, _ = make_client(lambda r: json_response({"text": "hi", "extra": 1}))
    result: Any = client.audio.transcriptions.create(file=("a.wav", b"RIFF"), model="whisper-1",
                                                     response_format="verbose_json")
    assert type(result) is TranscriptionVerbose and result.text == "hi" and getattr(result, "extra") == 1  # noqa: B009


# `audio.translations.create` chooses the same way (its JSON formats: `json`, `verbose_json`)
VERBOSE_TRANSLATION = {"task": "translate", "language": "english", "duration": 1.0, "text": "hi", "segments": []}
TRANSLATION_CASES: list[tuple[dict[str, Any], type[Any]]] = [
    ({}, Translation),  # a verbose-looking answer to a plain request is still the plain type
    ({"response_format": "json"}, Translation),
    ({"response_format": "verbose_json"}, TranslationVerbose),
]


def translate(client: Any, options: dict[str, Any]) -> Any:
    with pytest.warns(DeprecationWarning):  # the endpoint is deprecated
        return client.audio.translations.create(file=("a.wav", b"RIFF"), model="whisper-1", **options)


@pytest.mark.parametrize(("options", "expected"), TRANSLATION_CASES)
def test_translation_type_follows_response_format(options: dict[str, Any], expected: type[Any]) -> None:
    client, _ = make_client(lambda r: json_response(VERBOSE_TRANSLATION))
    result = translate(client, options)
    assert type(result) is expected and result.text == "hi"
    with pytest.warns(DeprecationWarning):
        raw = client.audio.translations.with_raw_response.create(file=("a.wav", b"RIFF"), model="whisper-1",
                                                                 **options)
    assert type(raw.parse()) is expected


@pytest.mark.parametrize(("options", "expected"), TRANSLATION_CASES)
async def test_translation_type_follows_response_format_async(options: dict[str, Any], expected: type[Any]) -> None:
    client, _ = make_async_client(lambda r: json_response(VERBOSE_TRANSLATION))
    with pytest.warns(DeprecationWarning):
        result = await client.audio.translations.create(file=("a.wav", b"RIFF"), model="whisper-1", **options)
    assert type(result) is expected


def test_translation_text_formats_return_the_text() -> None:
    client, _ = make_client(lambda r: text_response('{"text": "hi"}\n'))
    assert translate(client, {"response_format": "srt"}) == '{"text": "hi"}\n'


@pytest.mark.parametrize("response_format", ["a-future-format", "diarized_json"])
def test_a_format_this_release_does_not_know_reads_as_the_plain_type(response_format: Any) -> None:
    # as the official SDK reads it: the plain JSON type, whose `text` any JSON answer carries
    client, _ = make_client(lambda r: json_response(VERBOSE_TRANSLATION))
    assert type(translate(client, {"response_format": response_format})) is Translation
    client, _ = make_client(lambda r: json_response(DIARIZED))
    result: Any = client.audio.transcriptions.create(file=("a.wav", b"RIFF"), model="whisper-1",
                                                     response_format=response_format)
    assert type(result) is (TranscriptionDiarized if response_format == "diarized_json" else Transcription)
