"""A small hand-written resource in the shape the generator emits, to exercise the runtime alone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, List, Literal

import httpx2

from pyopenai._models import BaseModel
from pyopenai._resource import AsyncAPIResource, SyncAPIResource, cached_property, path_param
from pyopenai._response import (
    HttpxBinaryResponseContent,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from pyopenai._streaming import AsyncStream, Stream
from pyopenai._types import NOT_GIVEN, Body, FileTypes, Headers, NotGiven, Omit, Query, omit
from pyopenai.pagination import AsyncCursorPage, SyncCursorPage, page_class


class Widget(BaseModel):
    id: str
    object: Literal["widget"]
    size: int | None


class WidgetChunk(BaseModel):
    id: str
    delta: str


class WidgetList(BaseModel):
    data: List[Widget]


Timeout = float | httpx2.Timeout | None | NotGiven


class Widgets(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> WidgetsWithRawResponse:
        return WidgetsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> WidgetsWithStreamingResponse:
        return WidgetsWithStreamingResponse(self)

    def create(
        self, *, name: str, size: int | Omit | None = omit, tags: Iterable[str] | Omit = omit,
        stream: bool | Omit = omit, extra_headers: Headers | None = None, extra_query: Query | None = None,
        extra_body: Body | None = None, timeout: Timeout = NOT_GIVEN,
    ) -> Any:
        return self._request(
            "post", "/widgets", body={"name": name, "size": size, "tags": tags, "stream": stream}, cast_to=Widget,
            stream=stream, stream_cls=Stream[WidgetChunk], extra_headers=extra_headers, extra_query=extra_query,
            extra_body=extra_body, timeout=timeout,
        )

    def retrieve(
        self, widget_id: str, *, include: List[str] | Omit = omit, extra_headers: Headers | None = None,
        extra_query: Query | None = None, extra_body: Body | None = None, timeout: Timeout = NOT_GIVEN,
    ) -> Widget:
        return self._request(
            "get", f"/widgets/{path_param('widget_id', widget_id)}", query={"include": include}, cast_to=Widget,
            headers={"OpenAI-Beta": "widgets=v1"}, extra_headers=extra_headers, extra_query=extra_query,
            extra_body=extra_body, timeout=timeout,
        )

    def list(
        self, *, after: str | Omit = omit, limit: int | Omit = omit, extra_headers: Headers | None = None,
        extra_query: Query | None = None, extra_body: Body | None = None, timeout: Timeout = NOT_GIVEN,
    ) -> SyncCursorPage[Widget]:
        return self._get_api_list(
            "/widgets", page=page_class(SyncCursorPage, Widget), query={"after": after, "limit": limit},
            extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout,
        )

    def upload(
        self, *, file: FileTypes, purpose: str, extra_headers: Headers | None = None, timeout: Timeout = NOT_GIVEN
    ) -> Widget:
        return self._request(
            "post", "/widgets/upload", body={"file": file, "purpose": purpose}, multipart=True, file_fields=("file",),
            cast_to=Widget, extra_headers=extra_headers, timeout=timeout,
        )

    def content(self, widget_id: str) -> HttpxBinaryResponseContent:
        return self._request(
            "get", f"/widgets/{path_param('widget_id', widget_id)}/content", binary=True,
            cast_to=HttpxBinaryResponseContent,
        )

    def delete(self, widget_id: str) -> None:
        return self._request("delete", f"/widgets/{path_param('widget_id', widget_id)}", cast_to=type(None))

    def admin_stats(self) -> Widget:
        return self._request("get", "/organization/widgets", cast_to=Widget, security="admin")


class AsyncWidgets(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AsyncWidgetsWithRawResponse:
        return AsyncWidgetsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncWidgetsWithStreamingResponse:
        return AsyncWidgetsWithStreamingResponse(self)

    async def create(
        self, *, name: str, size: int | Omit | None = omit, tags: Iterable[str] | Omit = omit,
        stream: bool | Omit = omit, extra_headers: Headers | None = None, extra_query: Query | None = None,
        extra_body: Body | None = None, timeout: Timeout = NOT_GIVEN,
    ) -> Any:
        return await self._request(
            "post", "/widgets", body={"name": name, "size": size, "tags": tags, "stream": stream}, cast_to=Widget,
            stream=stream, stream_cls=AsyncStream[WidgetChunk], extra_headers=extra_headers, extra_query=extra_query,
            extra_body=extra_body, timeout=timeout,
        )

    async def retrieve(self, widget_id: str, *, include: List[str] | Omit = omit) -> Widget:
        return await self._request(
            "get", f"/widgets/{path_param('widget_id', widget_id)}", query={"include": include}, cast_to=Widget,
            headers={"OpenAI-Beta": "widgets=v1"},
        )

    def list(self, *, after: str | Omit = omit, limit: int | Omit = omit) -> Any:
        return self._get_api_list("/widgets", page=page_class(AsyncCursorPage, Widget), query={"after": after, "limit": limit})

    async def upload(self, *, file: FileTypes, purpose: str) -> Widget:
        return await self._request(
            "post", "/widgets/upload", body={"file": file, "purpose": purpose}, multipart=True, file_fields=("file",),
            cast_to=Widget,
        )


class WidgetsWithRawResponse:
    def __init__(self, widgets: Widgets) -> None:
        self._widgets = widgets._with_mode("raw")
        self.create = to_raw_response_wrapper(self._widgets.create)
        self.retrieve = to_raw_response_wrapper(self._widgets.retrieve)
        self.list = to_raw_response_wrapper(self._widgets.list)
        self.content = to_raw_response_wrapper(self._widgets.content)


class WidgetsWithStreamingResponse:
    def __init__(self, widgets: Widgets) -> None:
        self._widgets = widgets._with_mode("stream")
        self.create = to_streamed_response_wrapper(self._widgets.create)
        self.retrieve = to_streamed_response_wrapper(self._widgets.retrieve)
        self.content = to_streamed_response_wrapper(self._widgets.content)


class AsyncWidgetsWithRawResponse:
    def __init__(self, widgets: AsyncWidgets) -> None:
        self._widgets = widgets._with_mode("raw")
        self.create = async_to_raw_response_wrapper(self._widgets.create)
        self.retrieve = async_to_raw_response_wrapper(self._widgets.retrieve)
        self.list = async_to_raw_response_wrapper(self._widgets.list)


class AsyncWidgetsWithStreamingResponse:
    def __init__(self, widgets: AsyncWidgets) -> None:
        self._widgets = widgets._with_mode("stream")
        self.create = async_to_streamed_response_wrapper(self._widgets.create)
        self.retrieve = async_to_streamed_response_wrapper(self._widgets.retrieve)
