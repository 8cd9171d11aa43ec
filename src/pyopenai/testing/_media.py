"""Images, audio and videos: small but valid media, deterministic for the request.

- ``/images/generations``, ``/images/edits``, ``/images/variations``: a 32x32 PNG in a colour seeded
  by the prompt, as ``b64_json`` or as a ``url`` served (without auth) under ``/_pyopenai/media/``;
- ``/audio/speech``: a short WAV (24 kHz, 16-bit mono; ``pcm``: the raw samples) whose length follows
  the input; it carries the input text in a ``LIST/INFO`` chunk, so transcribing it gives the text back;
- ``/audio/transcriptions`` and ``/audio/translations``: that text (or a description of the upload) as
  ``json``, ``text``, ``srt``, ``vtt`` or ``verbose_json``;
- ``/videos``: ``queued`` until first retrieved, then ``completed``; ``/content`` answers a few bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import struct
import zlib

from ._core import Core, Router, json_response, page_response
from ._errors import bad_request, not_found
from ._http import Request, Response
from ._multipart import Part, parse_multipart
from ._synth import count_tokens
from ._validate import JSONObject, json_body, opt_int, opt_str, req_str

__all__ = ["png_bytes", "register", "wav_bytes", "wav_text"]

SAMPLE_RATE = 24_000
MEDIA_PREFIX = "/_pyopenai/media/"


# -- encoders -------------------------------------------------------------------------------------


def png_bytes(seed: str, size: int = 32) -> bytes:
    """A valid ``size``x``size`` RGB PNG: a diagonal gradient in a colour derived from ``seed``."""
    r, g, b = hashlib.blake2b(seed.encode(), digest_size=3).digest()
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter: none
        for x in range(size):
            shade = (x + y) * 128 // (2 * size)
            rows += bytes(((r + shade) % 256, (g + shade) % 256, (b + shade) % 256))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b"")
    )


def _samples(text: str) -> bytes:
    """A soft tone, 60 ms per character (0.3 to 5 s), fading in and out."""
    seconds = min(5.0, max(0.3, 0.06 * len(text)))
    count = int(SAMPLE_RATE * seconds)
    pitch = 220 + (sum(text.encode()) % 220)
    out = bytearray()
    for i in range(count):
        envelope = min(1.0, i / 2400, (count - i) / 2400)
        out += struct.pack("<h", int(3000 * envelope * math.sin(2 * math.pi * pitch * i / SAMPLE_RATE)))
    return bytes(out)


def wav_bytes(text: str) -> bytes:
    """A valid RIFF/WAVE file of :func:`_samples`, with ``text`` in a ``LIST/INFO/ICMT`` chunk."""
    samples = _samples(text)
    comment = text.encode() + b"\0"
    if len(comment) % 2:
        comment += b"\0"
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(comment)) + comment
    fmt = struct.pack("<HHIIHH", 1, 1, SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16)
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"LIST"
        + struct.pack("<I", len(info))
        + info
        + b"data"
        + struct.pack("<I", len(samples))
        + samples
    )
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wav_text(data: bytes) -> tuple[str | None, float]:
    """``(text from the ICMT chunk or None, duration in seconds)`` of a WAV file; ``(None, 0)`` otherwise."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None, 0.0
    text: str | None = None
    rate, width, duration = SAMPLE_RATE, 2, 0.0
    pos = 12
    while pos + 8 <= len(data):
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        payload = data[pos + 8 : pos + 8 + size]
        if kind == b"fmt " and len(payload) >= 16:
            channels, rate = struct.unpack("<HI", payload[2:8])
            width = max(1, channels * struct.unpack("<H", payload[14:16])[0] // 8)
        elif kind == b"LIST" and payload[:4] == b"INFO" and payload[4:8] == b"ICMT":
            text = payload[12:].split(b"\0", 1)[0].decode("utf-8", "replace")
        elif kind == b"data":
            duration = len(payload) / (rate * width)
        pos += 8 + size + (size % 2)
    return text, duration


# -- images ---------------------------------------------------------------------------------------


def _image_response(core: Core, req: Request, prompt: str, body: JSONObject, model: str) -> Response:
    n = opt_int(body, "n", 1, minimum=1, maximum=10) or 1
    response_format = opt_str(body, "response_format") or ("b64_json" if model.startswith("gpt-image") else "url")
    if response_format not in ("url", "b64_json"):
        raise bad_request(
            f"Invalid value for 'response_format': '{response_format}'. Supported values are: 'url' and 'b64_json'.",
            param="response_format",
            code="invalid_value",
        )
    host = req.headers.get("host", "127.0.0.1")
    data: list[JSONObject] = []
    for i in range(n):
        image = png_bytes(f"{model}\x1f{prompt}\x1f{i}")
        item: JSONObject = {"revised_prompt": prompt if model == "dall-e-3" else None}
        if response_format == "b64_json":
            item["b64_json"] = base64.b64encode(image).decode()
        else:
            name = core.ids("img_", 24) + ".png"
            core.store.media[name] = (image, "image/png")
            item["url"] = f"http://{host}{MEDIA_PREFIX}{name}"
        data.append(item)
    answer: JSONObject = {"created": core.now(), "data": data}
    if model.startswith("gpt-image"):
        tokens = count_tokens(prompt)
        answer.update(
            size=opt_str(body, "size") or "1024x1024",
            quality=opt_str(body, "quality") or "medium",
            output_format=opt_str(body, "output_format") or "png",
            background=opt_str(body, "background") or "opaque",
            usage={
                "input_tokens": tokens,
                "output_tokens": 272 * n,
                "total_tokens": tokens + 272 * n,
                "input_tokens_details": {"text_tokens": tokens, "image_tokens": 0},
            },
        )
    return json_response(answer)


def generate_image(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    prompt = req_str(body, "prompt")
    return _image_response(core, req, prompt, body, opt_str(body, "model") or "dall-e-2")


def _form(fields: dict[str, list[Part]]) -> JSONObject:
    """Multipart text fields as a JSON-like object (numbers where the API expects them)."""
    out: JSONObject = {}
    for name, parts in fields.items():
        if parts[-1].filename is None:
            value = parts[-1].text
            out[name] = int(value) if name == "n" and value.isdigit() else value
    return out


def _need_file(fields: dict[str, list[Part]], *names: str) -> Part:
    for name in names:
        if fields.get(name):
            return fields[name][-1]
    raise bad_request(f"Missing required parameter: '{names[0]}'.", param=names[0], code="missing_required_parameter")


def edit_image(core: Core, req: Request, params: dict[str, str]) -> Response:
    fields = parse_multipart(req)
    image = _need_file(fields, "image", "image[]")
    form = _form(fields)
    prompt = form.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        raise bad_request("Missing required parameter: 'prompt'.", param="prompt", code="missing_required_parameter")
    return _image_response(core, req, f"{prompt} ({image.filename})", form, str(form.get("model") or "dall-e-2"))


def image_variation(core: Core, req: Request, params: dict[str, str]) -> Response:
    fields = parse_multipart(req)
    image = _need_file(fields, "image")
    form = _form(fields)
    return _image_response(core, req, f"variation of {image.filename}", form, str(form.get("model") or "dall-e-2"))


def media_file(core: Core, name: str) -> Response | None:
    """A generated image by name (for ``/_pyopenai/media/``); ``None`` if unknown."""
    found = core.store.media.get(name)
    if found is None:
        return None
    return Response(200, found[0], content_type=found[1])


# -- audio ----------------------------------------------------------------------------------------


def speech(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    req_str(body, "model")
    text = req_str(body, "input")
    if not isinstance(body.get("voice"), dict):  # a voice name, or a custom voice object
        req_str(body, "voice")
    if len(text) > 4096:
        raise bad_request("Invalid 'input': at most 4096 characters.", param="input", code="string_above_max_length")
    fmt = opt_str(body, "response_format") or "mp3"
    if fmt not in ("mp3", "opus", "aac", "flac", "wav", "pcm"):
        raise bad_request(
            f"Invalid value for 'response_format': '{fmt}'.", param="response_format", code="invalid_value"
        )
    if fmt == "pcm":
        return Response(200, _samples(text), content_type="audio/pcm")
    # every format is answered as WAV: a valid file any player opens (encoding mp3/opus needs codecs)
    return Response(200, wav_bytes(text), content_type="audio/wav")


def _transcribe(core: Core, req: Request, task: str) -> Response:
    fields = parse_multipart(req)
    upload = _need_file(fields, "file")
    form = _form(fields)
    model = form.get("model")
    if not isinstance(model, str) or not model:
        raise bad_request("Missing required parameter: 'model'.", param="model", code="missing_required_parameter")
    spoken, duration = wav_text(upload.data)
    text = spoken if spoken is not None else f"Audio from {upload.filename or 'the upload'} ({len(upload.data)} bytes)."
    fmt = str(form.get("response_format") or "json")
    if fmt == "text":
        return Response(200, (text + "\n").encode(), content_type="text/plain; charset=utf-8")
    end = _timestamp(duration or 1.0)
    if fmt == "srt":
        return Response(
            200, f"1\n00:00:00,000 --> {end.replace('.', ',')}\n{text}\n\n".encode(), content_type="text/plain"
        )
    if fmt == "vtt":
        return Response(200, f"WEBVTT\n\n00:00:00.000 --> {end}\n{text}\n\n".encode(), content_type="text/plain")
    if fmt == "verbose_json":
        language = "english" if task == "translate" else str(form.get("language") or "english")
        segment: JSONObject = {
            "id": 0,
            "seek": 0,
            "start": 0.0,
            "end": duration,
            "text": text,
            "tokens": [],
            "temperature": 0.0,
            "avg_logprob": -0.1,
            "compression_ratio": 1.0,
            "no_speech_prob": 0.0,
        }
        answer: JSONObject = {
            "task": task,
            "language": language,
            "duration": duration,
            "text": text,
            "segments": [segment],
        }
        return json_response(answer)
    if fmt != "json":
        raise bad_request(
            f"Invalid value for 'response_format': '{fmt}'.", param="response_format", code="invalid_value"
        )
    usage = {"type": "duration", "seconds": max(1, math.ceil(duration))}
    return json_response({"text": text, "usage": usage} if task == "transcribe" else {"text": text})


def _timestamp(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{int((seconds - whole) * 1000):03d}"


def transcription(core: Core, req: Request, params: dict[str, str]) -> Response:
    return _transcribe(core, req, "transcribe")


def translation(core: Core, req: Request, params: dict[str, str]) -> Response:
    return _transcribe(core, req, "translate")


# -- videos ---------------------------------------------------------------------------------------


def create_video(core: Core, req: Request, params: dict[str, str]) -> Response:
    if req.headers.get("content-type", "").startswith("multipart/"):
        body: JSONObject = _form(parse_multipart(req))
    else:
        body = json_body(req)
    prompt = req_str(body, "prompt")
    video: JSONObject = {
        "id": core.ids("video_", 32),
        "object": "video",
        "model": str(body.get("model") or "sora-2"),
        "status": "queued",
        "progress": 0,
        "created_at": core.now(),
        "completed_at": None,
        "expires_at": None,
        "prompt": prompt,
        "size": str(body.get("size") or "720x1280"),
        "seconds": str(body.get("seconds") or "4"),
        "remixed_from_video_id": None,
        "error": None,
    }
    core.store.videos[video["id"]] = video
    return json_response(video)


def _video(core: Core, video_id: str) -> JSONObject:
    found = core.store.videos.get(video_id)
    if found is None:
        raise not_found("video", video_id, param="video_id")
    if found["status"] != "completed":  # rendered by the time anyone asks
        now = core.now()
        found.update(status="completed", progress=100, completed_at=now, expires_at=now + 3600)
        core.emit_webhook("video.completed", {"id": video_id})
    return found


def retrieve_video(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_video(core, params["video_id"]))


def list_videos(core: Core, req: Request, params: dict[str, str]) -> Response:
    return page_response(req, list(core.store.videos.values()))


def delete_video(core: Core, req: Request, params: dict[str, str]) -> Response:
    video = _video(core, params["video_id"])
    del core.store.videos[video["id"]]
    return json_response({"id": video["id"], "object": "video.deleted", "deleted": True})


def video_content(core: Core, req: Request, params: dict[str, str]) -> Response:
    video = _video(core, params["video_id"])
    variant = req.query_value("variant") or "video"
    if variant == "thumbnail":
        return Response(200, png_bytes(video["prompt"] or ""), content_type="image/png")
    payload = json.dumps({"video": video["id"], "prompt": video["prompt"]}).encode()
    return Response(200, payload, content_type="application/octet-stream")


def register(router: Router) -> None:
    router.add("POST", "/images/generations", generate_image)
    router.add("POST", "/images/edits", edit_image)
    router.add("POST", "/images/variations", image_variation)
    router.add("POST", "/audio/speech", speech)
    router.add("POST", "/audio/transcriptions", transcription)
    router.add("POST", "/audio/translations", translation)
    router.add("POST", "/videos", create_video)
    router.add("GET", "/videos", list_videos)
    router.add("GET", "/videos/{video_id}", retrieve_video)
    router.add("DELETE", "/videos/{video_id}", delete_video)
    router.add("GET", "/videos/{video_id}/content", video_content)
