"""``/v1/conversations``: conversations and their items; ``POST /responses`` with ``conversation``
reads its items as history and appends the new input and output (see ``_responses``)."""

from __future__ import annotations

import copy
from typing import Any

from ._core import Core, Router, json_response, page_response
from ._errors import bad_request, not_found
from ._http import Request, Response
from ._validate import JSONObject, as_object, json_body, opt_list, opt_object, req_list, required_metadata

__all__ = ["append_items", "conversation_id", "register"]


def conversation_id(raw: object) -> str | None:
    """The id in a ``conversation`` request field: a string or ``{"id": ...}``."""
    if isinstance(raw, str):
        return raw
    obj = as_object(raw)
    ident = obj.get("id") if obj is not None else None
    return ident if isinstance(ident, str) else None


def _conversation(core: Core, ident: str) -> JSONObject:
    found = core.store.conversations.get(ident)
    if found is None:
        raise not_found("conversation", ident, param="conversation_id")
    return found


def items_of(core: Core, ident: str) -> list[JSONObject]:
    _conversation(core, ident)
    return core.store.conversation_items[ident]


def _stored_item(core: Core, raw: Any, index: int) -> JSONObject:
    item = as_object(raw)
    if item is None:
        raise bad_request(f"Invalid type for 'items[{index}]': expected an object.", param=f"items[{index}]")
    stored = copy.deepcopy(item)
    stored.setdefault("type", "message")
    if stored["type"] == "message":
        content = stored.get("content")
        role = stored.get("role", "user")
        kind = "output_text" if role == "assistant" else "input_text"
        if isinstance(content, str):
            stored["content"] = [{"type": kind, "text": content}]
        stored.setdefault("role", role)
    stored.setdefault("id", core.ids("msg_" if stored["type"] == "message" else "item_", 48))
    stored.setdefault("status", "completed")
    return stored


def append_items(core: Core, ident: str, items: list[Any]) -> list[JSONObject]:
    stored = [_stored_item(core, raw, i) for i, raw in enumerate(items)]
    items_of(core, ident).extend(stored)
    return stored


def create_conversation(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req) if req.body else {}
    ident = core.ids("conv_", 48)
    conversation: JSONObject = {
        "id": ident,
        "object": "conversation",
        "created_at": core.now(),
        "metadata": opt_object(body, "metadata") or {},
    }
    core.store.conversations[ident] = conversation
    core.store.conversation_items[ident] = []
    append_items(core, ident, opt_list(body, "items") or [])
    return json_response(conversation)


def retrieve_conversation(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_conversation(core, params["conversation_id"]))


def update_conversation(core: Core, req: Request, params: dict[str, str]) -> Response:
    conversation = _conversation(core, params["conversation_id"])
    body = json_body(req)
    conversation["metadata"] = required_metadata(body)
    return json_response(conversation)


def delete_conversation(core: Core, req: Request, params: dict[str, str]) -> Response:
    conversation = _conversation(core, params["conversation_id"])
    del core.store.conversations[conversation["id"]]
    core.store.conversation_items.pop(conversation["id"], None)
    return json_response({"id": conversation["id"], "object": "conversation.deleted", "deleted": True})


def create_items(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    added = append_items(core, params["conversation_id"], req_list(body, "items"))
    return json_response(
        {
            "object": "list",
            "data": added,
            "first_id": added[0]["id"] if added else None,
            "last_id": added[-1]["id"] if added else None,
            "has_more": False,
        }
    )


def list_items(core: Core, req: Request, params: dict[str, str]) -> Response:
    return page_response(req, items_of(core, params["conversation_id"]))


def _item(core: Core, params: dict[str, str]) -> JSONObject:
    for item in items_of(core, params["conversation_id"]):
        if item["id"] == params["item_id"]:
            return item
    raise not_found("item", params["item_id"], param="item_id")


def retrieve_item(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response(_item(core, params))


def delete_item(core: Core, req: Request, params: dict[str, str]) -> Response:
    item = _item(core, params)
    items_of(core, params["conversation_id"]).remove(item)
    return json_response(_conversation(core, params["conversation_id"]))


def register(router: Router) -> None:
    base = "/conversations/{conversation_id}"
    router.add("POST", "/conversations", create_conversation)
    router.add("GET", base, retrieve_conversation)
    router.add("POST", base, update_conversation)
    router.add("DELETE", base, delete_conversation)
    router.add("POST", base + "/items", create_items)
    router.add("GET", base + "/items", list_items)
    router.add("GET", base + "/items/{item_id}", retrieve_item)
    router.add("DELETE", base + "/items/{item_id}", delete_item)
