"""Page types of list endpoints. Iterating a page walks every item across all pages.

The API pages five ways (how the next page is asked for):
* `SyncPage`: a single page (`models.list()`), no next page;
* `SyncCursorPage`: `after=<id of the last item>` while `has_more`;
* `SyncConversationCursorPage`: `after=<last_id>` while `has_more`;
* `SyncNextCursorPage`: `after=<next>` while `has_more`;
* `SyncTokenPage`: `page=<next>` while `has_more` (the Agents API).
Each has an `Async...` twin whose iteration is `async for`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any, ClassVar, Generic, List, Optional, Protocol, SupportsIndex, TypeVar, cast

from pydantic import ConfigDict
from typing_extensions import Self, override

from ._models import BaseModel
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from ._request_plan import RequestPlan

__all__ = [
    "AsyncConversationCursorPage",
    "AsyncCursorPage",
    "AsyncNextCursorPage",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncTokenPage",
    "PageInfo",
    "SyncConversationCursorPage",
    "SyncCursorPage",
    "SyncNextCursorPage",
    "SyncPage",
    "SyncTokenPage",
    "page_class",
]

_T = TypeVar("_T")
_PageT = TypeVar("_PageT", bound="AsyncBasePage[Any]")
_PageClassT = TypeVar("_PageClassT", bound="type[_PageBase[Any]]")

# What a page keeps beside its fields to ask for the next page: dropped when it is pickled.
_REQUEST_NOTES = ("_client", "_plan", "_page_type")

_page_classes: dict[tuple[type, Any], Any] = {}


def page_class(page: _PageClassT, item: Any) -> _PageClassT:
    """`page[item]`, parametrized on first use and kept: the generated list methods call this, so a
    list call costs a dict lookup instead of pydantic's parametrization lookup (about 1 us)."""
    key = (page, item)
    try:
        return cast(_PageClassT, _page_classes[key])
    except KeyError:
        made = _page_classes[key] = cast(Any, page)[item]
        return cast(_PageClassT, made)


def _unpickle_page(page: type[_PageBase[Any]], item: Any, state: dict[str, Any]) -> _PageBase[Any]:
    cls = cast(Any, page)[item]
    made = cls.__new__(cls)
    made.__setstate__(state)
    return cast("_PageBase[Any]", made)


class SyncPageRequester(Protocol):
    """What a page needs of its client to ask for the next page."""

    def request_page(self, plan: RequestPlan, page_type: type[Any]) -> Any: ...


class AsyncPageRequester(Protocol):
    async def request_page(self, plan: RequestPlan, page_type: type[Any]) -> Any: ...


class PageInfo:
    """How to ask for the next page, as `next_page_info()` gives it (the official SDK's shape): the query
    to send (`params`); `url` and `json` are the other ways a page could point onward, unused by the API's
    list endpoints."""

    __slots__ = ("json", "params", "url")

    def __init__(
        self,
        *,
        url: str | NotGiven = NOT_GIVEN,
        json: dict[str, object] | NotGiven = NOT_GIVEN,
        params: dict[str, object] | NotGiven = NOT_GIVEN,
    ) -> None:
        self.url = url
        self.json = json
        self.params = params

    @override
    def __repr__(self) -> str:
        if self.url:
            return f"PageInfo(url={self.url})"
        if self.json:
            return f"PageInfo(json={self.json})"
        return f"PageInfo(params={self.params})"

    @override
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PageInfo):
            return NotImplemented
        return (self.url, self.json, self.params) == (other.url, other.json, other.params)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dicts it holds


class _PageBase(BaseModel, Generic[_T]):
    """What every page shares: its items, and the request that produced it (to ask for the next)."""

    data: List[_T] = []  # pydantic copies the default per instance
    has_more: Optional[bool] = None  # noqa: UP045

    # Not pydantic private attributes, which make pydantic call back into Python for every page it
    # validates: the instance values sit beside the fields, as `_request_id` does.
    _client: ClassVar[Any] = None
    _plan: ClassVar[Any] = None
    _page_type: ClassVar[Any] = None

    @staticmethod
    def _setup_page(page: _PageBase[Any], *, client: Any, plan: RequestPlan | None, item_type: Any, page_type: Any) -> None:
        object.__setattr__(page, "_client", client)
        object.__setattr__(page, "_plan", plan)
        object.__setattr__(page, "_page_type", page_type)

    def next_page_params(self) -> dict[str, object] | None:
        """The query that asks for the next page, or None when this is the last one."""
        return None

    @override
    def __getstate__(self) -> dict[Any, Any]:
        # A pickled page keeps its items, not the client that fetched it (sockets, locks, credentials).
        state = super().__getstate__()
        notes = state["__dict__"]
        if any(name in notes for name in _REQUEST_NOTES):
            state["__dict__"] = {k: v for k, v in notes.items() if k not in _REQUEST_NOTES}
        return state

    @override
    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        # A parametrized page class (`SyncCursorPage[FileObject]`) is made at run time and cannot be
        # found by its name: the page is rebuilt from its generic class and item type instead.
        meta = type(self).__pydantic_generic_metadata__
        origin, args = meta["origin"], meta["args"]
        if origin is None or len(args) != 1:  # a class of its own (`class MyPage(SyncPage[X])`)
            return super().__reduce_ex__(protocol)
        return (_unpickle_page, (origin, args[0], self.__getstate__()))

    @override
    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data!r}, has_more={self.has_more!r})"

    def has_next_page(self) -> bool:
        return bool(self.data) and self.next_page_params() is not None

    def next_page_info(self) -> PageInfo | None:
        """What the next page's request adds (`PageInfo(params={"after": ...})`), or None on the last page."""
        params = self.next_page_params()
        return None if params is None else PageInfo(params=params)

    def _next_plan(self) -> RequestPlan:
        params = self.next_page_params()
        plan = cast("RequestPlan | None", self._plan)
        if params is None:
            raise RuntimeError("No next page: check has_next_page() before get_next_page()")
        if plan is None or self._client is None:
            raise RuntimeError(
                f"This {type(self).__name__} was not fetched by a client (it was built by hand or unpickled): "
                "it cannot ask for the next page"
            )
        return plan.with_params(params)


class _SinglePage(_PageBase[_T]):
    object: Optional[str] = None  # noqa: UP045


# Pages that walk a listing carry strings (ids, names) seen once: pydantic-core's string cache would
# only churn (measured: a page of 100 files 137 -> 115 us, `json.loads` 104) and keep the last
# 16,384 of them alive (about 1 MB after 10,000 files). Single pages (`models.list()`) come back
# the same and keep the cache.
_WALKING_PAGE_CONFIG = ConfigDict(cache_strings="keys")


class _CursorPage(_PageBase[_T]):
    model_config = _WALKING_PAGE_CONFIG

    @override
    def next_page_params(self) -> dict[str, object] | None:
        if self.has_more is False or not self.data:
            return None
        last: Any = self.data[-1]
        item_id = cast("dict[str, Any]", last).get("id") if isinstance(last, dict) else getattr(last, "id", None)
        return None if item_id is None else {"after": item_id}


class _ConversationCursorPage(_PageBase[_T]):
    model_config = _WALKING_PAGE_CONFIG

    first_id: Optional[str] = None  # noqa: UP045
    last_id: Optional[str] = None  # noqa: UP045

    @override
    def next_page_params(self) -> dict[str, object] | None:
        if not self.has_more or not self.last_id:
            return None
        return {"after": self.last_id}


class _NextCursorPage(_PageBase[_T]):
    model_config = _WALKING_PAGE_CONFIG

    next: Optional[str] = None  # noqa: UP045
    # the query parameter that carries the `next` token (a class constant, not a pydantic field)
    _next_query_param: ClassVar[str] = "after"

    @override
    def next_page_params(self) -> dict[str, object] | None:
        if not self.has_more or not self.next:
            return None
        return {self._next_query_param: self.next}


class _TokenPage(_NextCursorPage[_T]):
    _next_query_param: ClassVar[str] = "page"


class SyncBasePage(_PageBase[_T]):
    def get_next_page(self) -> Self:
        plan = self._next_plan()
        return cast(Self, cast(SyncPageRequester, self._client).request_page(plan, self._page_type))

    def iter_pages(self) -> Iterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    @override
    def __iter__(self) -> Iterator[_T]:  # type: ignore[override]  # items, not (name, value) pairs
        # chained in C: no Python frame resumed per item
        return chain.from_iterable(page.data for page in self.iter_pages())

    def __len__(self) -> int:
        return len(self.data)


class AsyncBasePage(_PageBase[_T]):
    async def get_next_page(self) -> Self:
        plan = self._next_plan()
        return cast(Self, await cast(AsyncPageRequester, self._client).request_page(plan, self._page_type))

    async def iter_pages(self) -> AsyncIterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class SyncPage(_SinglePage[_T], SyncBasePage[_T]):
    pass


class AsyncPage(_SinglePage[_T], AsyncBasePage[_T]):
    pass


class SyncCursorPage(_CursorPage[_T], SyncBasePage[_T]):
    pass


class AsyncCursorPage(_CursorPage[_T], AsyncBasePage[_T]):
    pass


class SyncConversationCursorPage(_ConversationCursorPage[_T], SyncBasePage[_T]):
    pass


class AsyncConversationCursorPage(_ConversationCursorPage[_T], AsyncBasePage[_T]):
    pass


class SyncNextCursorPage(_NextCursorPage[_T], SyncBasePage[_T]):
    pass


class AsyncNextCursorPage(_NextCursorPage[_T], AsyncBasePage[_T]):
    pass


class AsyncPaginator(Generic[_T, _PageT]):
    """What an async `list()` returns: `await` it for the first page, `async for` it for every item."""

    def __init__(self, client: AsyncPageRequester, plan: RequestPlan, page_type: Any) -> None:
        self._client = client
        self._plan = plan
        self._page_type = page_type

    async def _first_page(self) -> _PageT:
        return cast(_PageT, await self._client.request_page(self._plan, self._page_type))

    def __await__(self) -> Generator[Any, None, _PageT]:
        return self._first_page().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self._first_page()
        async for item in page:
            yield item


class SyncTokenPage(_TokenPage[_T], SyncBasePage[_T]):
    pass


class AsyncTokenPage(_TokenPage[_T], AsyncBasePage[_T]):
    pass
