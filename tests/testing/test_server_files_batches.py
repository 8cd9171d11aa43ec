"""Files (multipart upload, pagination, content), uploads, and batches run by the server itself."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest


def upload(http: httpx2.Client, name: str, data: bytes, purpose: str = "user_data") -> dict[str, Any]:
    r = http.post("/files", files={"file": (name, data, "application/octet-stream")}, data={"purpose": purpose})
    assert r.status_code == 200, r.text
    return r.json()


def test_file_lifecycle(http: httpx2.Client) -> None:
    payload = bytes(range(256)) * 3
    f = upload(http, "blob.bin", payload, "assistants")
    assert f["id"].startswith("file-") and f["object"] == "file" and f["bytes"] == len(payload)
    assert (f["filename"], f["purpose"], f["status"]) == ("blob.bin", "assistants", "processed")
    assert http.get(f"/files/{f['id']}").json() == f
    content = http.get(f"/files/{f['id']}/content")
    assert content.content == payload and content.headers["content-type"] == "application/octet-stream"
    assert http.delete(f"/files/{f['id']}").json() == {"id": f["id"], "object": "file", "deleted": True}
    assert http.get(f"/files/{f['id']}").status_code == 404
    assert http.get(f"/files/{f['id']}/content").status_code == 404


def test_file_pagination(http: httpx2.Client) -> None:
    ids = [upload(http, f"f{i}.txt", b"x")["id"] for i in range(5)]
    upload(http, "other.jsonl", b"{}", "batch")
    seen: list[str] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, "purpose": "user_data", **({"after": after} if after else {})}
        page = http.get("/files", params=params).json()
        assert page["object"] == "list"
        seen += [f["id"] for f in page["data"]]
        assert page["first_id"] == page["data"][0]["id"] and page["last_id"] == page["data"][-1]["id"]
        if not page["has_more"]:
            break
        after = page["last_id"]
    assert seen == ids[::-1]  # newest first by default
    asc = http.get("/files", params={"order": "asc", "purpose": "user_data"}).json()
    assert [f["id"] for f in asc["data"]] == ids
    assert len(http.get("/files").json()["data"]) == 6
    assert http.get("/files", params={"after": "file-missing"}).status_code == 400


def test_file_upload_validation(http: httpx2.Client) -> None:
    no_purpose = http.post("/files", files={"file": ("a.txt", b"x")})
    assert no_purpose.status_code == 400 and no_purpose.json()["error"]["param"] == "purpose"
    bad_purpose = http.post("/files", files={"file": ("a.txt", b"x")}, data={"purpose": "nope"})
    assert bad_purpose.json()["error"]["param"] == "purpose"
    no_file = http.post("/files", files={"purpose": (None, b"batch")})
    assert no_file.json()["error"]["param"] == "file"
    not_multipart = http.post("/files", json={"purpose": "batch"})
    assert not_multipart.status_code == 400
    expiring = http.post(
        "/files",
        files={"file": ("a.txt", b"x")},
        data={"purpose": "batch", "expires_after[anchor]": "created_at", "expires_after[seconds]": "3600"},
    ).json()
    assert expiring["expires_at"] == expiring["created_at"] + 3600


def test_uploads(http: httpx2.Client) -> None:
    created = http.post(
        "/uploads", json={"filename": "big.jsonl", "purpose": "batch", "bytes": 9, "mime_type": "text/jsonl"}
    ).json()
    assert created["id"].startswith("upload_") and created["status"] == "pending" and created["file"] is None
    parts = [
        http.post(f"/uploads/{created['id']}/parts", files={"data": ("blob", chunk)}).json()
        for chunk in (b"abc", b"def", b"ghi")
    ]
    assert all(p["object"] == "upload.part" and p["upload_id"] == created["id"] for p in parts)
    wrong_size = http.post(f"/uploads/{created['id']}/complete", json={"part_ids": [parts[0]["id"]]})
    assert wrong_size.status_code == 400
    order = [parts[2]["id"], parts[0]["id"], parts[1]["id"]]
    done = http.post(f"/uploads/{created['id']}/complete", json={"part_ids": order}).json()
    assert done["status"] == "completed" and done["file"]["filename"] == "big.jsonl" and done["file"]["bytes"] == 9
    assert http.get(f"/files/{done['file']['id']}/content").content == b"ghiabcdef"
    assert http.post(f"/uploads/{created['id']}/parts", files={"data": ("blob", b"x")}).status_code == 400
    other = http.post(
        "/uploads", json={"filename": "x", "purpose": "batch", "bytes": 1, "mime_type": "text/plain"}
    ).json()
    assert http.post(f"/uploads/{other['id']}/cancel").json()["status"] == "cancelled"
    assert (
        http.post("/uploads", json={"filename": "x", "purpose": "batch", "mime_type": "t"}).json()["error"]["param"]
        == "bytes"
    )


def batch_line(custom_id: str, content: str | None, model: str = "gpt-4o") -> str:
    body: dict[str, Any] = {"model": model}
    if content is not None:  # no messages: the request fails with a 400
        body["messages"] = [{"role": "user", "content": content}]
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body})


def create_batch(http: httpx2.Client, lines: list[str], **extra: Any) -> dict[str, Any]:
    input_file = upload(http, "in.jsonl", ("\n".join(lines) + "\n").encode(), "batch")
    body = {"input_file_id": input_file["id"], "endpoint": "/v1/chat/completions", "completion_window": "24h", **extra}
    return http.post("/batches", json=body).json()


def test_batch_runs_against_own_handlers_one_step_per_retrieve(http: httpx2.Client) -> None:
    batch = create_batch(http, [batch_line("a", "first"), batch_line("b", "second"), batch_line("c", None)],
                         metadata={"k": "v"})
    assert batch["id"].startswith("batch_") and batch["object"] == "batch" and batch["status"] == "validating"
    assert batch["metadata"] == {"k": "v"} and batch["expires_at"] > batch["created_at"]
    steps = [http.get(f"/batches/{batch['id']}").json() for _ in range(3)]
    assert [s["status"] for s in steps] == ["in_progress", "finalizing", "completed"]
    assert steps[0]["request_counts"] == {"total": 3, "completed": 0, "failed": 0}
    assert steps[1]["output_file_id"] is None  # the files are written when it completes
    done = steps[2]
    assert done["request_counts"] == {"total": 3, "completed": 2, "failed": 1}
    assert done["in_progress_at"] and done["finalizing_at"] and done["completed_at"]
    assert done["usage"]["total_tokens"] > 0 and done["model"] == "gpt-4o"
    output = [json.loads(x) for x in http.get(f"/files/{done['output_file_id']}/content").text.splitlines()]
    assert [o["custom_id"] for o in output] == ["a", "b"]
    assert output[0]["response"]["status_code"] == 200 and output[0]["error"] is None
    assert output[0]["response"]["body"]["choices"][0]["message"]["content"] == 'You said: "first".'
    (error,) = [json.loads(x) for x in http.get(f"/files/{done['error_file_id']}/content").text.splitlines()]
    assert error["custom_id"] == "c" and error["response"]["status_code"] == 400
    assert http.get(f"/files/{done['output_file_id']}").json()["purpose"] == "batch_output"
    assert http.get(f"/batches/{batch['id']}").json()["status"] == "completed"  # it stays there
    listed = http.get("/batches").json()
    assert [b["id"] for b in listed["data"]] == [batch["id"]] and listed["has_more"] is False


@pytest.mark.openai_server(batch_requests_per_step=2)
def test_batch_runs_a_few_requests_per_retrieve(http: httpx2.Client) -> None:
    batch = create_batch(http, [batch_line(str(n), f"line {n}") for n in range(5)])
    counts = [http.get(f"/batches/{batch['id']}").json()["request_counts"]["completed"] for _ in range(5)]
    assert counts == [0, 2, 4, 5, 5]
    assert http.get(f"/batches/{batch['id']}").json()["status"] == "completed"


def test_batch_invalid_file_fails(http: httpx2.Client) -> None:
    input_file = upload(
        http,
        "in.jsonl",
        b'not json\n{"custom_id": "x", "method": "GET", "url": "/v1/chat/completions", "body": {}}\n',
        "batch",
    )
    batch = http.post(
        "/batches",
        json={"input_file_id": input_file["id"], "endpoint": "/v1/chat/completions", "completion_window": "24h"},
    ).json()
    failed = http.get(f"/batches/{batch['id']}").json()
    assert failed["status"] == "failed" and failed["failed_at"]
    assert [e["line"] for e in failed["errors"]["data"]] == [1, 2]


def test_batch_with_two_models_fails(http: httpx2.Client) -> None:
    batch = create_batch(http, [batch_line("a", "x"), batch_line("b", "y", model="gpt-4o-mini")])
    failed = http.get(f"/batches/{batch['id']}").json()
    assert failed["status"] == "failed"
    assert [(e["code"], e["line"]) for e in failed["errors"]["data"]] == [("mismatched_model", 2)]


def test_batch_cancel_before_it_runs(http: httpx2.Client) -> None:
    batch = create_batch(http, [batch_line("a", "x")])
    assert http.post(f"/batches/{batch['id']}/cancel").json()["status"] == "cancelling"
    cancelled = http.get(f"/batches/{batch['id']}").json()
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"]
    assert cancelled["output_file_id"] is None and cancelled["request_counts"]["completed"] == 0


@pytest.mark.openai_server(batch_requests_per_step=1)
def test_batch_cancel_keeps_what_ran(http: httpx2.Client) -> None:
    batch = create_batch(http, [batch_line("a", "x"), batch_line("b", "y"), batch_line("c", "z")])
    http.get(f"/batches/{batch['id']}")  # in_progress
    http.get(f"/batches/{batch['id']}")  # ran "a"
    assert http.post(f"/batches/{batch['id']}/cancel").json()["status"] == "cancelling"
    cancelled = http.get(f"/batches/{batch['id']}").json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["request_counts"] == {"total": 3, "completed": 1, "failed": 0}
    output = http.get(f"/files/{cancelled['output_file_id']}/content").text.splitlines()
    assert [json.loads(line)["custom_id"] for line in output] == ["a"]
    again = http.post(f"/batches/{batch['id']}/cancel")
    assert again.status_code == 200 and again.json()["status"] == "cancelled"


def test_batch_cannot_cancel_an_ended_batch(http: httpx2.Client) -> None:
    batch = create_batch(http, [batch_line("a", "x")])
    for _ in range(3):
        http.get(f"/batches/{batch['id']}")
    r = http.post(f"/batches/{batch['id']}/cancel")
    assert r.status_code == 400 and "completed" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"endpoint": "/v1/nope"}, "endpoint"),
        ({"completion_window": "1h"}, "completion_window"),
        ({"input_file_id": "file-missing"}, "input_file_id"),
        ({"input_file_id": None}, "input_file_id"),
    ],
)
def test_batch_validation(http: httpx2.Client, change: dict[str, Any], param: str) -> None:
    input_file = upload(http, "in.jsonl", batch_line("a", "x").encode(), "batch")
    body = {"input_file_id": input_file["id"], "endpoint": "/v1/chat/completions", "completion_window": "24h", **change}
    r = http.post("/batches", json=body)
    assert r.status_code == 400 and r.json()["error"]["param"] == param


def test_batch_needs_batch_purpose(http: httpx2.Client) -> None:
    f = upload(http, "in.jsonl", batch_line("a", "x").encode(), "user_data")
    r = http.post(
        "/batches", json={"input_file_id": f["id"], "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    )
    assert r.status_code == 400
