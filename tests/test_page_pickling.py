"""Pages from list calls pickle (items, fields and request id; not the client), keep their class
identity, and say clearly that a page without its client cannot fetch the next one."""

from __future__ import annotations

import pickle
from typing import Any

import httpx2
import pytest
from helpers import json_response, make_async_client, make_client
from widgets import Widget

from pyopenai.pagination import AsyncCursorPage, AsyncPage, SyncCursorPage, SyncPage, page_class
from pyopenai.types.file_object import FileObject
from pyopenai.types.model import Model

FILES = [
    {"id": f"file-{i}", "object": "file", "bytes": i, "created_at": 1700000000 + i, "filename": f"f{i}.jsonl",
     "purpose": "batch", "status": "processed"}
    for i in range(5)
]
MODELS = {"object": "list", "data": [{"id": "m1", "object": "model", "created": 1, "owned_by": "openai"}]}


def file_pages(request: httpx2.Request) -> httpx2.Response:
    if request.url.path.endswith("/models"):
        return json_response(MODELS, headers={"x-request-id": "req_models"})
    after = request.url.params.get("after")
    start = 0 if after is None else next(i for i, f in enumerate(FILES) if f["id"] == after) + 1
    page = FILES[start : start + 2]
    return json_response({"object": "list", "data": page, "has_more": start + 2 < len(FILES)}, headers={"x-request-id": "req_files"})


def round_trip(page: Any) -> Any:
    return pickle.loads(pickle.dumps(page))


def test_a_listed_page_pickles_with_its_items_and_request_id() -> None:
    client, _ = make_client(file_pages)
    page = client.files.list(limit=2)
    loaded = round_trip(page)
    assert type(loaded) is type(page) is SyncCursorPage[FileObject]
    assert loaded == page and repr(loaded) == repr(page)
    assert loaded.data == page.data and all(isinstance(f, FileObject) for f in loaded.data)
    assert loaded.has_more is True and loaded.has_next_page()
    assert loaded._request_id == "req_files"
    models = round_trip(client.models.list())
    assert type(models) is SyncPage[Model] and [m.id for m in models.data] == ["m1"]
    assert models._request_id == "req_models"


def test_a_pickled_page_leaves_its_client_behind() -> None:
    client, _ = make_client(file_pages)
    data = pickle.dumps(client.files.list(limit=2))
    assert b"sk-test-key" not in data and b"OpenAI" not in data


def test_an_unpickled_page_says_it_cannot_fetch_the_next_page() -> None:
    client, rec = make_client(file_pages)
    loaded = round_trip(client.files.list(limit=2))
    assert loaded.next_page_info() is not None  # what the next request would be is still known
    with pytest.raises(RuntimeError, match="unpickled"):
        loaded.get_next_page()
    with pytest.raises(RuntimeError, match="unpickled"):
        list(loaded)  # auto-pagination reaches the second page
    assert len(rec.requests) == 1


def test_the_original_page_still_paginates_after_being_pickled() -> None:
    client, _ = make_client(file_pages)
    page = client.files.list(limit=2)
    pickle.dumps(page)
    assert [f.id for f in page] == [f["id"] for f in FILES]


async def test_an_async_listed_page_pickles() -> None:
    client, _ = make_async_client(file_pages)
    page = await client.files.list(limit=2)
    loaded = round_trip(page)
    assert type(loaded) is AsyncCursorPage[FileObject] and loaded == page
    assert [f.id for f in loaded.data] == ["file-0", "file-1"]
    with pytest.raises(RuntimeError, match="unpickled"):
        await loaded.get_next_page()
    assert [f.id async for f in client.files.list(limit=2)] == [f["id"] for f in FILES]
    models = await client.models.list()
    assert type(models) is AsyncPage[Model] and round_trip(models) == models


def test_a_page_made_by_hand_in_a_function_pickles() -> None:
    page = SyncCursorPage[Widget](data=[Widget(id="w", object="widget", size=1)], has_more=False)
    assert round_trip(page) == page and round_trip(page).data[0].size == 1


class WidgetPage(SyncCursorPage[Widget]):
    """A page class of the user's own: pickled by its name, as any class."""


def test_a_page_subclass_of_ones_own_pickles() -> None:
    page = WidgetPage(data=[Widget(id="w", object="widget", size=2)], has_more=True)
    loaded = round_trip(page)
    assert type(loaded) is WidgetPage and loaded == page
    with pytest.raises(RuntimeError, match="built by hand"):
        loaded.get_next_page()


def test_page_class_is_the_parametrized_class_and_is_made_once() -> None:
    made = page_class(SyncCursorPage, FileObject)
    assert made is SyncCursorPage[FileObject] and made is page_class(SyncCursorPage, FileObject)
    assert page_class(AsyncCursorPage, FileObject) is AsyncCursorPage[FileObject] is not made
