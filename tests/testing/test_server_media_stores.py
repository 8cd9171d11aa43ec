"""Images, audio, videos, vector stores with file search, conversations: through pyopenai's clients."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

import httpx2
import pytest

import pyopenai
from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.testing import LocalServer


def png_size(data: bytes) -> tuple[int, int]:
    """Check the PNG signature and every chunk's CRC; return the IHDR size."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, size = 8, (0, 0)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, payload = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + payload) & 0xFFFFFFFF
        if kind == b"IHDR":
            size = struct.unpack(">II", payload[:8])
        pos += 12 + length
    return size


def test_images_generate_as_base64_and_url(openai_client: OpenAI) -> None:
    generated = openai_client.images.generate(model="gpt-image-1", prompt="a red fox", n=2)
    images = [base64.b64decode(item.b64_json or "") for item in generated.data or []]
    assert len(images) == 2 and all(png_size(image) == (32, 32) for image in images)
    assert generated.usage is not None and generated.usage.total_tokens > 0
    again = openai_client.images.generate(model="gpt-image-1", prompt="a red fox", n=1)
    assert base64.b64decode((again.data or [])[0].b64_json or "") == images[0]  # same prompt, same image
    by_url = openai_client.images.generate(model="dall-e-3", prompt="a red fox", response_format="url")
    url = (by_url.data or [])[0].url or ""
    fetched = httpx2.get(url, timeout=10)  # no API key needed, like the API's signed URLs
    assert fetched.headers["content-type"] == "image/png" and png_size(fetched.content) == (32, 32)


def test_image_edit_and_variation_take_uploads(openai_client: OpenAI) -> None:
    edited = openai_client.images.edit(image=("in.png", b"\x89PNG..."), prompt="add a hat", response_format="b64_json")
    assert png_size(base64.b64decode((edited.data or [])[0].b64_json or "")) == (32, 32)
    with pytest.warns(DeprecationWarning):  # the endpoint is deprecated; the server still serves it
        variation = openai_client.images.create_variation(image=("in.png", b"\x89PNG..."), n=3)
    assert len(variation.data or []) == 3
    with pytest.raises(pyopenai.BadRequestError) as info:
        openai_client.images.generate(prompt="x", response_format="gif")  # pyright: ignore[reportArgumentType]
    assert info.value.param == "response_format"


def test_speech_is_a_wav_that_transcribes_back(openai_client: OpenAI) -> None:
    text = "the quick brown fox jumped over the lazy dogs"
    with openai_client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input=text) as r:
        audio = r.read()
        assert r.headers["content-type"] == "audio/wav"
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    (rate,) = struct.unpack("<I", audio[24:28])
    assert rate == 24_000
    transcription = openai_client.audio.transcriptions.create(model="whisper-1", file=("speech.wav", audio))
    assert transcription.text == text
    with pytest.warns(DeprecationWarning):
        translation = openai_client.audio.translations.create(model="whisper-1", file=("speech.wav", audio))
    assert translation.text == text
    plain = openai_client.audio.transcriptions.with_raw_response.create(
        model="whisper-1", file=("a.mp3", b"xyz"), response_format="text"
    )
    assert plain.headers["content-type"].startswith("text/plain") and plain.text == "Audio from a.mp3 (3 bytes).\n"
    verbose = openai_client.audio.transcriptions.create(
        model="whisper-1", file=("speech.wav", audio), response_format="verbose_json"
    )
    assert verbose.duration > 2 and verbose.segments and verbose.segments[0].text == text  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType]
    with pytest.raises(pyopenai.BadRequestError) as info:
        openai_client.audio.speech.create(model="tts-1", voice="alloy", input="")
    assert info.value.param == "input"


async def test_videos_complete_when_polled_async(async_openai_client: AsyncOpenAI) -> None:
    video = await async_openai_client.videos.create(model="sora-2", prompt="sparkling letters")
    assert video.status == "queued"
    done = await async_openai_client.videos.retrieve(video.id)
    assert done.status == "completed" and done.progress == 100
    content = await async_openai_client.videos.download_content(video.id, variant="thumbnail")
    assert png_size(content.content) == (32, 32)


NOTES = b"Paris is the capital of France.\nThe Eiffel Tower is in Paris.\n" + b"filler line\n" * 60 + (
    b"Tokyo is the capital of Japan.\n"
)


def test_vector_store_search_and_file_search_tool(openai_client: OpenAI, openai_server: LocalServer) -> None:
    notes = openai_client.files.create(file=("notes.txt", NOTES), purpose="assistants")
    other = openai_client.files.create(file=("other.txt", b"Nothing relevant here."), purpose="assistants")
    store = openai_client.vector_stores.create(name="facts", file_ids=[notes.id])
    batch = openai_client.vector_stores.file_batches.create(store.id, file_ids=[other.id])
    assert batch.status == "completed" and batch.file_counts.total == 1
    store = openai_client.vector_stores.retrieve(store.id)
    assert store.file_counts.completed == 2 and store.usage_bytes == len(NOTES) + 22
    assert {f.id for f in openai_client.vector_stores.files.list(store.id)} == {notes.id, other.id}

    results = list(openai_client.vector_stores.search(store.id, query="capital of Japan"))
    assert results[0].filename == "notes.txt" and "Tokyo" in results[0].content[0].text
    assert results[0].score == 1.0 and all(r.score <= 1.0 for r in results)
    assert list(openai_client.vector_stores.search(store.id, query="zebra")) == []

    tools: Any = [{"type": "file_search", "vector_store_ids": [store.id]}]
    response = openai_client.responses.create(model="gpt-4o", input="What is the capital of Japan?", tools=tools)
    call, message = response.output
    assert call.type == "file_search_call" and call.queries == ["What is the capital of Japan?"]
    assert message.type == "message" and "Tokyo" in response.output_text
    citation = message.content[0].annotations[0]  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownVariableType]
    assert citation.type == "file_citation" and citation.filename == "notes.txt"

    assert openai_client.vector_stores.files.delete(other.id, vector_store_id=store.id).deleted
    assert openai_client.vector_stores.delete(store.id).deleted
    with pytest.raises(pyopenai.NotFoundError):
        openai_client.vector_stores.retrieve(store.id)
    with pytest.raises(pyopenai.BadRequestError):
        openai_client.vector_stores.create(file_ids=["file-missing"])


def test_conversations_keep_items_and_feed_responses(openai_client: OpenAI) -> None:
    conversation = openai_client.conversations.create(
        items=[{"type": "message", "role": "user", "content": "My name is Ada."}], metadata={"topic": "intro"}
    )
    assert conversation.id.startswith("conv_")
    response = openai_client.responses.create(model="gpt-4o", input="What is my name?", conversation=conversation.id)
    assert response.output_text == 'You said: "What is my name?". Earlier you said: "My name is Ada.".'
    items = list(openai_client.conversations.items.list(conversation.id, order="asc"))
    assert [getattr(i, "role", None) for i in items] == ["user", "user", "assistant"]
    first_id = str(items[0].id)
    first = openai_client.conversations.items.retrieve(first_id, conversation_id=conversation.id)
    assert first.id == first_id
    added = openai_client.conversations.items.create(
        conversation.id, items=[{"type": "message", "role": "user", "content": "Thanks"}]
    )
    assert len(added.data) == 1
    openai_client.conversations.items.delete(first_id, conversation_id=conversation.id)
    assert len(list(openai_client.conversations.items.list(conversation.id))) == 3
    updated = openai_client.conversations.update(conversation.id, metadata={"topic": "names"})
    assert updated.metadata == {"topic": "names"}
    assert openai_client.conversations.delete(conversation.id).deleted
    with pytest.raises(pyopenai.NotFoundError):
        openai_client.responses.create(model="gpt-4o", input="x", conversation=conversation.id)
