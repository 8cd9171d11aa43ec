"""uploads.upload_file_chunked: parts in parallel, bounded memory, progress, cancel on failure."""

from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path
from typing import Any

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client

from pyopenai import APIStatusError, AsyncOpenAI, OpenAI
from pyopenai.lib.uploads import async_upload_file_chunked, upload_file_chunked

DATA = bytes(range(256)) * 40  # 10 240 bytes


def test_bytes_in_parts_against_the_server(client: OpenAI) -> None:
    progress: list[tuple[int, int]] = []
    upload = upload_file_chunked(client.uploads, file=DATA, filename="data.bin", mime_type="application/octet-stream",
                                 purpose="assistants", part_size=1000, max_concurrency=3, md5=True,
                                 on_progress=lambda done, total: progress.append((done, total)))
    assert upload.status == "completed" and upload.bytes == len(DATA)
    assert len(progress) == 11 and progress[-1] == (len(DATA), len(DATA))
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)
    assert client.files.content(upload.file.id).content == DATA


def test_a_path_and_a_file_object(client: OpenAI, tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(DATA)
    upload = upload_file_chunked(client.uploads, file=path, mime_type="application/jsonl", purpose="fine-tune",
                                 part_size=4096, md5=hashlib.md5(DATA).hexdigest())
    assert upload.filename == "train.jsonl" and client.files.content(upload.file.id).content == DATA
    with path.open("rb") as f:
        upload = upload_file_chunked(client.uploads, file=f, mime_type="application/jsonl", purpose="fine-tune",
                                     part_size=3000)
    assert client.files.content(upload.file.id).content == DATA


def test_unknown_size_and_bad_part_size(client: OpenAI) -> None:
    with pytest.raises(ValueError, match="bytes="):
        upload_file_chunked(client.uploads, file=io.BytesIO(DATA), mime_type="x", purpose="assistants")
    with pytest.raises(ValueError, match="part_size"):
        upload_file_chunked(client.uploads, file=DATA, mime_type="x", purpose="assistants", part_size=65 * 2**20)
    upload = upload_file_chunked(client.uploads, file=io.BytesIO(DATA), bytes=len(DATA), mime_type="text/plain",
                                 purpose="assistants", part_size=5000)
    assert upload.status == "completed"


class Reader(io.RawIOBase):
    """A file whose reads are counted, to check how far reading runs ahead of sending."""

    def __init__(self, data: bytes, sent: list[int]) -> None:
        self.buf = io.BytesIO(data)
        self.sent = sent
        self.reads = 0
        self.ahead: list[int] = []

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        self.reads += 1
        self.ahead.append(self.reads - self.sent[0])
        return self.buf.read(n)


def parts_server(concurrency: int, sent: list[int], *, fail_at: int | None = None) -> Any:
    barrier = threading.Barrier(concurrency, timeout=10)
    lock = threading.Lock()
    seen = {"parts": 0, "cancelled": False}

    def handler(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        if path.endswith("/uploads"):
            return json_response({"id": "upload_1", "object": "upload", "status": "pending", "bytes": len(DATA)})
        if path.endswith("/parts"):
            with lock:
                seen["parts"] += 1
                number = seen["parts"]
            if fail_at is None:
                barrier.wait()  # every part of a round is in flight at once, or this times out
            if number == fail_at:
                return json_response({"error": {"message": "part rejected", "type": "invalid_request_error"}}, 400)
            with lock:
                sent[0] += 1
            return json_response({"id": f"part_{number}", "object": "upload.part"})
        if path.endswith("/cancel"):
            seen["cancelled"] = True
            return json_response({"id": "upload_1", "object": "upload", "status": "cancelled"})
        return json_response({"id": "upload_1", "object": "upload", "status": "completed"})

    return handler, seen


def test_parts_go_in_parallel_and_reading_stays_bounded() -> None:
    sent = [0]
    handler, seen = parts_server(3, sent)
    client, rec = make_client(handler)
    reader = Reader(DATA, sent)
    upload_file_chunked(client.uploads, file=reader, bytes=len(DATA), mime_type="x", purpose="assistants",
                        part_size=len(DATA) // 6 + 1, max_concurrency=3)
    assert seen["parts"] == 6
    assert max(reader.ahead) <= 3  # never more than max_concurrency parts read and not yet sent
    complete = rec.json(-1)
    assert complete["part_ids"] == [f"part_{i}" for i in range(1, 7)] or sorted(complete["part_ids"]) == sorted(
        f"part_{i}" for i in range(1, 7))


def test_a_failed_part_cancels_the_upload() -> None:
    handler, seen = parts_server(2, [0], fail_at=1)
    client, rec = make_client(handler)
    with pytest.raises(APIStatusError, match="part rejected"):
        upload_file_chunked(client.uploads, file=DATA, mime_type="x", purpose="assistants", part_size=2600,
                            max_concurrency=2)
    assert seen["cancelled"]
    assert not any(r.url.path.endswith("/complete") for r in rec.requests)


async def test_async_upload(async_client: AsyncOpenAI, tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(DATA)
    progress: list[int] = []
    upload = await async_upload_file_chunked(async_client.uploads, file=path, mime_type="application/octet-stream",
                                             purpose="assistants", part_size=999, max_concurrency=4, md5=True,
                                             on_progress=lambda done, _total: progress.append(done))
    assert upload.status == "completed" and progress[-1] == len(DATA)
    assert (await async_client.files.content(upload.file.id)).content == DATA


async def test_async_failed_part_cancels() -> None:
    cancelled: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        if path.endswith("/uploads"):
            return json_response({"id": "upload_1", "object": "upload", "status": "pending"})
        if path.endswith("/parts"):
            return json_response({"error": {"message": "nope", "type": "server_error"}}, 400)
        cancelled.append(path)
        return json_response({"id": "upload_1", "status": "cancelled"})

    client, _ = make_async_client(handler)
    with pytest.raises(APIStatusError, match="nope"):
        await async_upload_file_chunked(client.uploads, file=DATA, mime_type="x", purpose="assistants",
                                        part_size=4000)
    assert cancelled == ["/v1/uploads/upload_1/cancel"]
