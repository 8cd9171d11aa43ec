from typing_extensions import assert_type

from pyopenai.lib.browser import (
    AsyncBrowserToolset,
    BrowserConfirmContext,
    BrowserError,
    BrowserReadV1,
    BrowserState,
    BrowserToolset,
    ClickInput,
    NavigateInput,
    ReadPageInput,
    TabInput,
)
from pyopenai.types.responses import ResponseFunctionToolCall, ResponseInputImageContentParam
from pyopenai.types.responses.function_tool_param import FunctionToolParam
from pyopenai.types.responses.response_input_param import FunctionCallOutput


class Browser:
    def state(self) -> BrowserState:
        return {"tabs": [{"id": "t1", "title": "Home", "url": "https://example.com/", "active": True}]}

    def read_page(self, action: ReadPageInput) -> str | BrowserReadV1 | None:
        return {"version": 1, "text": "Hello", "elements": [], "omitted": []}

    def navigate(self, action: NavigateInput) -> None:
        print(action["url"], action["tab_id"])

    def click(self, action: ClickInput) -> None:
        raise BrowserError(f"no element {action['target']}")

    def screenshot(self, action: TabInput) -> ResponseInputImageContentParam:
        return {"type": "input_image", "image_url": "data:image/png;base64,AA==", "detail": "auto"}


class AsyncBrowser:
    async def state(self) -> BrowserState:
        return {"tabs": []}

    async def read_page(self, action: ReadPageInput) -> str | None:
        return "text"


def confirm(context: BrowserConfirmContext) -> bool:
    return context["member"] == "click" and context["state"]["tabs"] != []


def same_site(context: BrowserConfirmContext, url: str) -> bool:
    return url.startswith("https://example.com/")


toolset = BrowserToolset(
    Browser(), members=["read_page", "navigate", "click", "screenshot"], confirm=confirm, url_policy=same_site
)
assert_type(toolset.tools, list[FunctionToolParam])
call = ResponseFunctionToolCall(type="function_call", call_id="c1", name="browser_read_page", arguments="{}")
assert_type(toolset.execute(call, cancelled=lambda: False), FunctionCallOutput)
BrowserToolset(Browser(), url_policy=lambda context: True)  # expect-error
invalid_read: BrowserReadV1 = {"version": 2, "text": "", "elements": [], "omitted": []}  # expect-error


async def main() -> None:
    async def approve(context: BrowserConfirmContext) -> bool:
        return True

    async_toolset = AsyncBrowserToolset(AsyncBrowser(), members=["read_page"], confirm=approve)
    assert_type(await async_toolset.execute(call), FunctionCallOutput)
    AsyncBrowserToolset(AsyncBrowser(), confirm=confirm)  # expect-error
