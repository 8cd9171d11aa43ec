from typing import Union

from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai._types import FileTypes
from pyopenai.helpers import Microphone
from pyopenai.types import AudioResponseFormat
from pyopenai.types.audio import (
    Transcription,
    TranscriptionDiarized,
    TranscriptionVerbose,
    Translation,
    TranslationVerbose,
)

client = OpenAI(api_key="sk-test")
audio = open("speech.mp3", "rb")

# the answer's type follows the literal response_format, as the API answers
assert_type(client.audio.transcriptions.create(file=audio, model="whisper-1"), Transcription)
assert_type(client.audio.transcriptions.create(file=audio, model="whisper-1", response_format="json"), Transcription)
verbose = client.audio.transcriptions.create(file=audio, model="whisper-1", response_format="verbose_json")
assert_type(verbose, TranscriptionVerbose)
print(verbose.duration, verbose.language)
diarized = client.audio.transcriptions.create(file=audio, model="gpt-4o-transcribe-diarize", response_format="diarized_json")
assert_type(diarized, TranscriptionDiarized)
subtitles = client.audio.transcriptions.create(file=audio, model="whisper-1", response_format="srt")
assert_type(subtitles, str)
subtitles.text  # expect-error

# a format only known at run time: any of them
def transcribe_as(fmt: AudioResponseFormat) -> None:
    either = client.audio.transcriptions.create(file=audio, model="whisper-1", response_format=fmt)
    assert_type(either, Union[Transcription, TranscriptionVerbose, TranscriptionDiarized, str])

assert_type(client.audio.translations.create(file=audio, model="whisper-1"), Translation)
assert_type(client.audio.translations.create(file=audio, model="whisper-1", response_format="verbose_json"),
            TranslationVerbose)
assert_type(client.audio.translations.create(file=audio, model="whisper-1", response_format="vtt"), str)


async def transcribe() -> None:
    aclient = AsyncOpenAI(api_key="sk-test")
    result = await aclient.audio.transcriptions.create(file=audio, model="whisper-1", response_format="verbose_json")
    assert_type(result, TranscriptionVerbose)
    text = await aclient.audio.transcriptions.create(file=audio, model="whisper-1", response_format="text")
    assert_type(text, str)
    translated = await aclient.audio.translations.create(file=audio, model="whisper-1")
    assert_type(translated, Translation)


async def dictate() -> None:
    # the microphone's recording is what `file=` takes
    recording = await Microphone(timeout=5).record()
    assert_type(recording, FileTypes)
    said = await AsyncOpenAI(api_key="sk-test").audio.transcriptions.create(file=recording, model="whisper-1")
    assert_type(said, Transcription)
