"""``/v1/vector_stores``: stores, their files and file batches, and search over the uploaded files' text.

Files are indexed when added (status ``completed`` at once): their text is cut into chunks of a few
lines, and a search scores each chunk by the share of the query's words it contains. The Responses
API's ``file_search`` tool uses the same search (see ``_responses``).
"""

from __future__ import annotations

import re
from typing import Any

from ._core import Core, Router, json_response, page_response
from ._errors import bad_request, not_found
from ._http import Request, Response
from ._validate import (
    JSONObject,
    as_list,
    as_object,
    json_body,
    opt_int,
    opt_list,
    opt_object,
    opt_str,
)

__all__ = ["register", "search"]

_WORD = re.compile(r"\w+")
_CHUNK_CHARS = 400


def _counts(files: list[JSONObject]) -> JSONObject:
    counts = {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0}
    for f in files:
        counts[str(f["status"])] += 1
    return {**counts, "total": len(files)}


def _store(core: Core, store_id: str) -> JSONObject:
    found = core.store.vector_stores.get(store_id)
    if found is None:
        raise not_found("vector store", store_id, param="vector_store_id")
    files = list(core.store.vector_store_files.get(store_id, {}).values())
    found.update(file_counts=_counts(files), usage_bytes=sum(int(f["usage_bytes"]) for f in files))
    return found


def _add_file(core: Core, store_id: str, file_id: object, attributes: Any = None) -> JSONObject:
    if not isinstance(file_id, str) or file_id not in core.store.files:
        raise bad_request(f"No file found with id '{file_id}'.", param="file_id", code="invalid_value")
    entry: JSONObject = {
        "id": file_id,
        "object": "vector_store.file",
        "usage_bytes": len(core.store.file_data.get(file_id, b"")),
        "created_at": core.now(),
        "vector_store_id": store_id,
        "status": "completed",
        "last_error": None,
        "chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}},
        "attributes": attributes if isinstance(attributes, dict) else {},
    }
    core.store.vector_store_files.setdefault(store_id, {})[file_id] = entry
    return entry


def create_store(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    created = core.now()
    store_id = core.ids("vs_", 32)
    expires_after = opt_object(body, "expires_after")
    store: JSONObject = {
        "id": store_id,
        "object": "vector_store",
        "created_at": created,
        "name": opt_str(body, "name") or "",
        "usage_bytes": 0,
        "file_counts": _counts([]),
        "status": "completed",
        "expires_after": expires_after,
        "expires_at": created + 86400 * int(expires_after.get("days", 0)) if expires_after else None,
        "last_active_at": created,
        "metadata": opt_object(body, "metadata") or {},
    }
    core.store.vector_stores[store_id] = store
    core.store.vector_store_files[store_id] = {}
    for file_id in opt_list(body, "file_ids") or []:
        _add_file(core, store_id, file_id)
    return json_response(_store(core, store_id))


def list_stores(core: Core, req: Request, params: dict[str, str]) -> Response:
    items = [_store(core, store_id) for store_id in core.store.vector_stores]
    return page_response(req, items)


def retrieve_store(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_store(core, params["vector_store_id"]))


def update_store(core: Core, req: Request, params: dict[str, str]) -> Response:
    store = _store(core, params["vector_store_id"])
    body = json_body(req)
    if "name" in body:
        store["name"] = opt_str(body, "name") or ""
    if "metadata" in body:
        store["metadata"] = opt_object(body, "metadata") or {}
    return json_response(store)


def delete_store(core: Core, req: Request, params: dict[str, str]) -> Response:
    store = _store(core, params["vector_store_id"])
    del core.store.vector_stores[store["id"]]
    core.store.vector_store_files.pop(store["id"], None)
    return json_response({"id": store["id"], "object": "vector_store.deleted", "deleted": True})


# -- files ----------------------------------------------------------------------------------------


def add_file(core: Core, req: Request, params: dict[str, str]) -> Response:
    store = _store(core, params["vector_store_id"])
    body = json_body(req)
    return json_response(_add_file(core, store["id"], body.get("file_id"), body.get("attributes")))


def _store_file(core: Core, store_id: str, file_id: str) -> JSONObject:
    _store(core, store_id)
    found = core.store.vector_store_files[store_id].get(file_id)
    if found is None:
        raise not_found("file", file_id, param="file_id")
    return found


def list_files(core: Core, req: Request, params: dict[str, str]) -> Response:
    store = _store(core, params["vector_store_id"])
    items = list(core.store.vector_store_files[store["id"]].values())
    wanted = req.query_value("filter")
    if wanted:
        items = [f for f in items if f["status"] == wanted]
    return page_response(req, items)


def retrieve_file(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_store_file(core, params["vector_store_id"], params["file_id"]))


def update_file(core: Core, req: Request, params: dict[str, str]) -> Response:
    entry = _store_file(core, params["vector_store_id"], params["file_id"])
    attributes = json_body(req).get("attributes")
    entry["attributes"] = attributes if isinstance(attributes, dict) else {}
    return json_response(entry)


def delete_file(core: Core, req: Request, params: dict[str, str]) -> Response:
    entry = _store_file(core, params["vector_store_id"], params["file_id"])
    del core.store.vector_store_files[params["vector_store_id"]][entry["id"]]
    return json_response({"id": entry["id"], "object": "vector_store.file.deleted", "deleted": True})


def file_content(core: Core, req: Request, params: dict[str, str]) -> Response:
    entry = _store_file(core, params["vector_store_id"], params["file_id"])
    chunks = [{"type": "text", "text": chunk} for chunk in _chunks(_text(core, entry["id"]))]
    return json_response(
        {"object": "vector_store.file_content.page", "data": chunks, "has_more": False, "next_page": None}
    )


# -- file batches ---------------------------------------------------------------------------------


def create_batch(core: Core, req: Request, params: dict[str, str]) -> Response:
    store = _store(core, params["vector_store_id"])
    body = json_body(req)
    file_ids = list(opt_list(body, "file_ids") or [])
    for raw in opt_list(body, "files") or []:
        entry: JSONObject = as_object(raw) or {}
        file_ids.append(entry.get("file_id"))
    if not file_ids:
        raise bad_request(
            "Missing required parameter: 'file_ids'.", param="file_ids", code="missing_required_parameter"
        )
    added = [_add_file(core, store["id"], file_id, body.get("attributes")) for file_id in file_ids]
    batch: JSONObject = {
        "id": core.ids("vsfb_", 32),
        "object": "vector_store.files_batch",
        "created_at": core.now(),
        "vector_store_id": store["id"],
        "status": "completed",
        "file_counts": _counts(added),
        "file_ids": [f["id"] for f in added],
    }
    core.store.file_batches[batch["id"]] = batch
    return json_response(_public_batch(batch))


def _public_batch(batch: JSONObject) -> JSONObject:
    return {k: v for k, v in batch.items() if k != "file_ids"}


def _batch(core: Core, params: dict[str, str]) -> JSONObject:
    _store(core, params["vector_store_id"])
    found = core.store.file_batches.get(params["batch_id"])
    if found is None or found["vector_store_id"] != params["vector_store_id"]:
        raise not_found("file batch", params["batch_id"], param="batch_id")
    return found


def retrieve_batch(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_public_batch(_batch(core, params)))


def cancel_batch(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_public_batch(_batch(core, params)))  # already completed: nothing to cancel


def list_batch_files(core: Core, req: Request, params: dict[str, str]) -> Response:
    batch = _batch(core, params)
    files = core.store.vector_store_files[batch["vector_store_id"]]
    items = [files[file_id] for file_id in batch["file_ids"] if file_id in files]
    return page_response(req, items)


# -- search ---------------------------------------------------------------------------------------


def _text(core: Core, file_id: str) -> str:
    return core.store.file_data.get(file_id, b"").decode("utf-8", "replace")


def _chunks(text: str) -> list[str]:
    """Runs of whole lines up to ~400 characters (one long line is its own chunk)."""
    chunks: list[str] = []
    current = ""
    for line in text.splitlines():
        if current and len(current) + len(line) > _CHUNK_CHARS:
            chunks.append(current.strip())
            current = ""
        current += line + "\n"
    if current.strip():
        chunks.append(current.strip())
    return chunks


def search(core: Core, store_ids: list[str], query: str, limit: int) -> list[JSONObject]:
    """The best chunks of the stores' files for ``query``: score = share of the query's words present."""
    words = {w.lower() for w in _WORD.findall(query)}
    results: list[JSONObject] = []
    for store_id in store_ids:
        for entry in core.store.vector_store_files.get(store_id, {}).values():
            file = core.store.files.get(entry["id"])
            if file is None:
                continue
            for chunk in _chunks(_text(core, entry["id"])):
                present = words & {w.lower() for w in _WORD.findall(chunk)}
                if words and present:
                    results.append(
                        {
                            "file_id": entry["id"],
                            "filename": file["filename"],
                            "score": round(len(present) / len(words), 4),
                            "attributes": entry["attributes"],
                            "content": [{"type": "text", "text": chunk}],
                        }
                    )
    results.sort(key=lambda r: -float(r["score"]))
    return results[:limit]


def search_store(core: Core, req: Request, params: dict[str, str]) -> Response:
    store = _store(core, params["vector_store_id"])
    body = json_body(req)
    raw = body.get("query")
    queries = [raw] if isinstance(raw, str) else [q for q in as_list(raw) or [] if isinstance(q, str)]
    if not queries or not all(queries):
        raise bad_request("Missing required parameter: 'query'.", param="query", code="missing_required_parameter")
    limit = opt_int(body, "max_num_results", 10, minimum=1, maximum=50) or 10
    data = search(core, [store["id"]], " ".join(queries), limit)
    return json_response(
        {
            "object": "vector_store.search_results.page",
            "search_query": queries,
            "data": data,
            "has_more": False,
            "next_page": None,
        }
    )


def register(router: Router) -> None:
    base = "/vector_stores/{vector_store_id}"
    router.add("POST", "/vector_stores", create_store)
    router.add("GET", "/vector_stores", list_stores)
    router.add("GET", base, retrieve_store)
    router.add("POST", base, update_store)
    router.add("DELETE", base, delete_store)
    router.add("POST", base + "/search", search_store)
    router.add("POST", base + "/files", add_file)
    router.add("GET", base + "/files", list_files)
    router.add("GET", base + "/files/{file_id}", retrieve_file)
    router.add("POST", base + "/files/{file_id}", update_file)
    router.add("DELETE", base + "/files/{file_id}", delete_file)
    router.add("GET", base + "/files/{file_id}/content", file_content)
    router.add("POST", base + "/file_batches", create_batch)
    router.add("GET", base + "/file_batches/{batch_id}", retrieve_batch)
    router.add("POST", base + "/file_batches/{batch_id}/cancel", cancel_batch)
    router.add("GET", base + "/file_batches/{batch_id}/files", list_batch_files)
