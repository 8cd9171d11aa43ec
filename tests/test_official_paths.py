"""Results are instances of the classes at the official SDK's module paths, and the few private paths
libraries import from the official SDK exist (found by running the official SDK's own test suite)."""

from __future__ import annotations

from typing import Any

import httpx2
from helpers import json_response, make_async_client, make_client

import pyopenai
from pyopenai.types.beta.chatkit import chatkit_thread_item_list

TASK_ITEM = {"id": "cti_1", "object": "chatkit.thread_item", "created_at": 1, "thread_id": "cthr_1",
             "type": "chatkit.task", "task_type": "custom", "heading": "plan"}


def items_page(request: httpx2.Request) -> httpx2.Response:
    assert request.url.path == "/v1/chatkit/threads/cthr_1/items"
    return json_response({"object": "list", "data": [TASK_ITEM], "first_id": "cti_1", "last_id": "cti_1",
                          "has_more": False})


def check_task(item: Any) -> None:
    # the class `chatkit_thread_item_list` defines, as for `ChatKitThreadItemList.data`: one class per type
    assert isinstance(item, chatkit_thread_item_list.DataChatKitTask)
    assert item.heading == "plan"
    whole = chatkit_thread_item_list.ChatKitThreadItemList.model_validate(
        {"object": "list", "data": [TASK_ITEM], "has_more": False})
    assert type(whole.data[0]) is type(item)


def test_chatkit_thread_items_are_the_item_list_module_classes() -> None:
    client, _ = make_client(items_page)
    [item] = list(client.beta.chatkit.threads.list_items("cthr_1"))
    check_task(item)


async def test_async_chatkit_thread_items_are_the_item_list_module_classes() -> None:
    client, _ = make_async_client(items_page)
    items = [item async for item in client.beta.chatkit.threads.list_items("cthr_1")]
    check_task(items[0])


def test_private_paths_libraries_import() -> None:
    from pyopenai._legacy_response import HttpxBinaryResponseContent, LegacyAPIResponse
    from pyopenai._response import HttpxBinaryResponseContent as Binary
    from pyopenai._response import LegacyAPIResponse as RawResponse
    from pyopenai._types import NotGiven, not_given

    assert HttpxBinaryResponseContent is Binary and LegacyAPIResponse is RawResponse
    assert not_given is pyopenai.NOT_GIVEN and isinstance(not_given, NotGiven)


def test_bedrock_clients_import_from_the_official_module_path() -> None:
    from pyopenai.lib.bedrock import AsyncBedrockOpenAI, BedrockOpenAI

    assert BedrockOpenAI is pyopenai.BedrockOpenAI and AsyncBedrockOpenAI is pyopenai.AsyncBedrockOpenAI
    assert issubclass(BedrockOpenAI, pyopenai.OpenAI) and issubclass(AsyncBedrockOpenAI, pyopenai.AsyncOpenAI)
