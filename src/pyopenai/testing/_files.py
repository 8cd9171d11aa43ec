"""``/v1/files`` and ``/v1/uploads``: multipart upload, cursor listing, content, chunked uploads."""

from __future__ import annotations

import hashlib
from typing import Any

from ._core import Core, Router, json_response, paginate
from ._errors import bad_request, not_found
from ._http import Request, Response
from ._multipart import Part, parse_multipart
from ._validate import JSONObject, json_body, opt_object, query_int, query_order, req_list, req_str

__all__ = ["create_file_object", "register"]

FILE_PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
UPLOAD_PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
UPLOAD_MAX_BYTES = 8 * 1024**3


def create_file_object(
    core: Core, data: bytes, filename: str, purpose: str, expires_after: JSONObject | None = None
) -> JSONObject:
    """Store ``data`` as a file and return its ``file`` object."""
    created = core.now()
    expires_at = None
    if expires_after is not None:
        expires_at = created + int(expires_after.get("seconds", 0))
    obj: JSONObject = {
        "id": core.ids("file-", 24),
        "object": "file",
        "bytes": len(data),
        "created_at": created,
        "expires_at": expires_at,
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
        "status_details": None,
    }
    core.store.files[obj["id"]] = obj
    core.store.file_data[obj["id"]] = data
    return obj


def _one(fields: dict[str, list[Part]], name: str) -> Part:
    parts = fields.get(name)
    if not parts:
        raise bad_request(f"Missing required parameter: '{name}'.", param=name, code="missing_required_parameter")
    return parts[-1]


def _purpose(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise bad_request(
            f"Invalid value for 'purpose': '{value}'. Supported values are: {', '.join(allowed)}.",
            param="purpose",
            code="invalid_value",
        )
    return value


def _expires_after(anchor: str | None, seconds: str | int | None) -> JSONObject | None:
    if anchor is None and seconds is None:
        return None
    if anchor != "created_at":
        raise bad_request("Invalid 'expires_after.anchor': expected 'created_at'.", param="expires_after.anchor")
    try:
        value = int(seconds) if seconds is not None else -1
    except ValueError:
        value = -1
    if not 3600 <= value <= 2_592_000:
        raise bad_request(
            "Invalid 'expires_after.seconds': expected an integer between 3600 and 2592000.",
            param="expires_after.seconds",
        )
    return {"anchor": anchor, "seconds": value}


def upload_file(core: Core, req: Request, params: dict[str, str]) -> Response:
    fields = parse_multipart(req)
    file = _one(fields, "file")
    purpose = _purpose(_one(fields, "purpose").text, FILE_PURPOSES)
    if file.filename is None:
        raise bad_request("The 'file' field must be a file (with a filename).", param="file", code="invalid_value")

    def text(name: str) -> str | None:
        parts = fields.get(name)
        return parts[-1].text if parts else None

    expires = _expires_after(text("expires_after[anchor]"), text("expires_after[seconds]"))
    return json_response(create_file_object(core, file.data, file.filename, purpose, expires))


def _file(core: Core, file_id: str) -> JSONObject:
    found = core.store.files.get(file_id)
    if found is None:
        raise not_found("file", file_id, param="file_id")
    return found


def list_files(core: Core, req: Request, params: dict[str, str]) -> Response:
    items = list(core.store.files.values())
    purpose = req.query_value("purpose")
    if purpose:
        items = [f for f in items if f["purpose"] == purpose]
    page = paginate(
        items,
        after=req.query_value("after"),
        limit=query_int(req, "limit", 10_000, maximum=10_000),
        order=query_order(req, "desc"),
    )
    return json_response(page)


def retrieve_file(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_file(core, params["file_id"]))


def delete_file(core: Core, req: Request, params: dict[str, str]) -> Response:
    file_id = params["file_id"]
    _file(core, file_id)
    del core.store.files[file_id]
    core.store.file_data.pop(file_id, None)
    return json_response({"id": file_id, "object": "file", "deleted": True})


def file_content(core: Core, req: Request, params: dict[str, str]) -> Response:
    file = _file(core, params["file_id"])
    data = core.store.file_data.get(file["id"], b"")
    return Response(
        200,
        data,
        content_type="application/octet-stream",
        headers=[("content-disposition", f'attachment; filename="{file["filename"]}"')],
    )


# -- uploads --------------------------------------------------------------------------------------


def _upload(core: Core, upload_id: str) -> JSONObject:
    found = core.store.uploads.get(upload_id)
    if found is None:
        raise not_found("upload", upload_id, param="upload_id")
    return found


def _require_pending(upload: JSONObject) -> None:
    if upload["status"] != "pending":
        raise bad_request(f"The upload '{upload['id']}' is {upload['status']}; it no longer accepts changes.")


def create_upload(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    filename = req_str(body, "filename")
    purpose = _purpose(req_str(body, "purpose"), UPLOAD_PURPOSES)
    req_str(body, "mime_type")
    size = body.get("bytes")
    if size is None:
        raise bad_request("Missing required parameter: 'bytes'.", param="bytes", code="missing_required_parameter")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= UPLOAD_MAX_BYTES:
        raise bad_request(
            "Invalid 'bytes': expected an integer between 0 and 8 GB.", param="bytes", code="invalid_value"
        )
    expires_after = opt_object(body, "expires_after")
    if expires_after is not None:
        _expires_after(expires_after.get("anchor"), expires_after.get("seconds"))
    created = core.now()
    upload: JSONObject = {
        "id": core.ids("upload_", 24),
        "object": "upload",
        "bytes": size,
        "created_at": created,
        "expires_at": created + 3600,
        "filename": filename,
        "purpose": purpose,
        "status": "pending",
        "file": None,
    }
    core.store.uploads[upload["id"]] = upload
    core.store.upload_parts[upload["id"]] = {}
    core.store.upload_expiry[upload["id"]] = expires_after
    return json_response(upload)


def add_upload_part(core: Core, req: Request, params: dict[str, str]) -> Response:
    upload = _upload(core, params["upload_id"])
    _require_pending(upload)
    data = _one(parse_multipart(req), "data").data
    if len(data) > 64 * 1024 * 1024:
        raise bad_request("Invalid 'data': a part can be at most 64 MB.", param="data")
    part_id = core.ids("part_", 24)
    part = {"id": part_id, "object": "upload.part", "created_at": core.now(), "upload_id": upload["id"]}
    core.store.upload_parts[upload["id"]][part_id] = data
    return json_response(part)


def complete_upload(core: Core, req: Request, params: dict[str, str]) -> Response:
    upload = _upload(core, params["upload_id"])
    _require_pending(upload)
    body = json_body(req)
    part_ids = req_list(body, "part_ids", min_items=0)
    parts = core.store.upload_parts[upload["id"]]
    chunks: list[bytes] = []
    for i, part_id in enumerate(part_ids):
        if part_id not in parts:
            raise bad_request(f"Invalid 'part_ids[{i}]': no part '{part_id}' in this upload.", param=f"part_ids[{i}]")
        chunks.append(parts[part_id])
    data = b"".join(chunks)
    if len(data) != upload["bytes"]:
        raise bad_request(
            f"The parts add up to {len(data)} bytes, but the upload was created with bytes={upload['bytes']}.",
            param="part_ids",
        )
    md5 = body.get("md5")
    if isinstance(md5, str) and md5 and md5 != hashlib.md5(data).hexdigest():
        raise bad_request("The md5 checksum does not match the uploaded data.", param="md5")
    expires: Any = core.store.upload_expiry.get(upload["id"])
    upload["file"] = create_file_object(core, data, upload["filename"], upload["purpose"], expires)
    upload["status"] = "completed"
    return json_response(upload)


def cancel_upload(core: Core, req: Request, params: dict[str, str]) -> Response:
    upload = _upload(core, params["upload_id"])
    _require_pending(upload)
    upload["status"] = "cancelled"
    core.store.upload_parts[upload["id"]].clear()
    return json_response(upload)


def register(router: Router) -> None:
    router.add("POST", "/files", upload_file)
    router.add("GET", "/files", list_files)
    router.add("GET", "/files/{file_id}", retrieve_file)
    router.add("DELETE", "/files/{file_id}", delete_file)
    router.add("GET", "/files/{file_id}/content", file_content)
    router.add("POST", "/uploads", create_upload)
    router.add("POST", "/uploads/{upload_id}/parts", add_upload_part)
    router.add("POST", "/uploads/{upload_id}/complete", complete_upload)
    router.add("POST", "/uploads/{upload_id}/cancel", cancel_upload)
