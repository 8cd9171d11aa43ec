"""The browser toolsets (sync and async): tools offered, calls carried out, consent, refusals."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, cast

import pytest

from pyopenai.lib.browser import (
    BROWSER_MEMBERS,
    DEFAULT_BROWSER_MEMBERS,
    AsyncBrowserToolset,
    BrowserCancelledError,
    BrowserConfirmContext,
    BrowserError,
    BrowserState,
    BrowserToolset,
)
from pyopenai.types.responses import ResponseFunctionToolCall

MODES = pytest.mark.parametrize("mode", ["sync", "async"])
IMAGE = {"type": "input_image", "image_url": "data:image/png;base64,c2hvdA==", "detail": "auto"}


class Browser:
    """A scripted browser: records calls; `state()` reports one tab with a private path and query."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.url = "https://shop.example:8443/orders/17?token=secret"

    def state(self) -> BrowserState:
        return {"tabs": [{"id": "tab_1", "title": "Orders", "url": self.url, "active": True}]}

    def _record(self, name: str, action: dict[str, Any], result: object = None) -> Any:
        self.calls.append((name, action))
        return result

    def read_page(self, action: Any) -> Any:
        return self._record("read_page", action, "Order 17: shipped")

    def find(self, action: Any) -> Any:
        return self._record("find", action, {"version": 1, "text": "", "elements": [], "omitted": []})

    def screenshot(self, action: Any) -> Any:
        return self._record("screenshot", action, dict(IMAGE))

    def navigate(self, action: Any) -> None:
        self._record("navigate", action)
        self.url = action["url"]

    def click(self, action: Any) -> None:
        self._record("click", action)
        if action["target"] == "gone":
            raise BrowserError("That element is no longer on the page.")
        if action["target"] == "crash":
            raise OSError("/home/me/profile is locked")


class AsyncBrowser:
    def __init__(self, inner: Browser) -> None:
        self.inner = inner

    async def state(self) -> BrowserState:
        return self.inner.state()

    def __getattr__(self, name: str) -> Callable[[Any], Any]:
        method = getattr(self.inner, name)

        async def call(action: Any) -> Any:
            return method(action)

        return call


def function_call(member: str, arguments: Any, call_id: str = "call_1") -> ResponseFunctionToolCall:
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return ResponseFunctionToolCall(type="function_call", call_id=call_id, name=f"browser_{member}", arguments=text)


def make(mode: str, browser: Browser, **options: Any) -> Callable[..., Any]:
    """A toolset of the mode; returns an `execute` that always answers synchronously to the test."""
    if mode == "sync":
        toolset = BrowserToolset(browser, **options)
        return toolset.execute
    for name in ("confirm", "url_policy"):
        if name in options:
            options[name] = _as_async(options[name])
    async_toolset = AsyncBrowserToolset(cast(Any, AsyncBrowser(browser)), **options)

    def execute(call: ResponseFunctionToolCall, **kwargs: Any) -> Any:
        return asyncio.run(async_toolset.execute(call, **kwargs))

    return execute


def _as_async(callback: Callable[..., Any]) -> Callable[..., Any]:
    async def wrapped(*args: Any) -> Any:
        return callback(*args)

    return wrapped


def report(output: Any) -> dict[str, Any]:
    assert output["type"] == "function_call_output" and output["call_id"] == "call_1"
    return json.loads(output["output"][0]["text"])


def allow(_context: Any, *_url: Any) -> bool:
    return True


READERS = ["read_page", "find", "screenshot"]


def test_tools_are_strict_function_tools_for_the_enabled_members() -> None:
    toolset = BrowserToolset(Browser(), members=["read_page", "navigate"], confirm=allow, url_policy=allow)
    navigate = toolset.tools[1]
    assert [t["name"] for t in toolset.tools] == ["browser_read_page", "browser_navigate"]
    assert navigate["type"] == "function" and navigate.get("strict") is True
    assert navigate.get("parameters") == {
        "type": "object",
        "properties": {"url": {"type": "string"}, "tab_id": {"type": ["string", "null"]}},
        "required": ["url", "tab_id"],
        "additionalProperties": False,
    }
    assert len(BROWSER_MEMBERS) == 28 and DEFAULT_BROWSER_MEMBERS == BROWSER_MEMBERS[:18]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "State-changing browser members require confirm"),
        ({"members": ["navigate"], "confirm": allow}, "require url_policy"),
        ({"members": ["teleport"]}, "unique fixed member names"),
        ({"members": "read_page"}, "unique fixed member names"),
        ({"members": ["find", "find"]}, "unique fixed member names"),
        ({"members": ["read_page"], "confirm_reads": ["click"], "confirm": allow}, "confirm_reads"),
        ({"members": ["upload_file"], "confirm": allow}, "does not support the browser members upload_file"),
        ({"members": ["read_page", "zoom"]}, "lacks methods for its members: zoom"),
    ],
)
def test_construction_refuses_unsafe_or_impossible_setups(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BrowserToolset(Browser(), **options)


@MODES
def test_reads_reach_the_driver_and_the_state_shows_origins_only(mode: str) -> None:
    browser = Browser()
    execute = make(mode, browser, members=READERS)
    answer = report(execute(function_call("read_page", {"tab_id": None, "filter": "interactive"})))
    assert browser.calls == [("read_page", {"tab_id": None, "filter": "interactive"})]
    assert answer == {
        "ok": True,
        "state": {"tabs": [{"id": "tab_1", "title": "Orders", "url": "https://shop.example:8443", "active": True}]},
        "result": "Order 17: shipped",
    }
    assert report(execute(function_call("find", {"query": "total", "tab_id": "tab_1"})))["result"]["version"] == 1


@MODES
def test_a_screenshot_comes_back_as_an_image(mode: str) -> None:
    output = make(mode, Browser(), members=READERS)(function_call("screenshot", {"tab_id": None}))
    assert output["output"][1] == IMAGE
    assert "result" not in json.loads(output["output"][0]["text"])


@MODES
def test_state_changes_need_confirm_with_the_exact_arguments(mode: str) -> None:
    contexts: list[BrowserConfirmContext] = []

    def confirm(context: BrowserConfirmContext) -> bool:
        contexts.append(context)
        return context["arguments"]["target"] != "buy-now"

    browser = Browser()
    execute = make(mode, browser, members=["click"], confirm=confirm)
    assert report(execute(function_call("click", {"target": "details", "tab_id": None})))["ok"] is True
    refused = report(execute(function_call("click", {"target": "buy-now", "tab_id": None})))
    assert refused["ok"] is False and "not approved" in refused["error"]
    assert [name for name, _ in browser.calls] == ["click"]
    assert contexts[0]["member"] == "click" and contexts[0]["call_id"] == "call_1"
    assert contexts[0]["state"]["tabs"][0]["url"] == "https://shop.example:8443"


@MODES
def test_navigation_asks_url_policy_before_confirm(mode: str) -> None:
    asked: list[str] = []

    def url_policy(_context: BrowserConfirmContext, url: str) -> bool:
        asked.append(f"policy {url}")
        return url.startswith("https://shop.example/")

    def confirm(context: BrowserConfirmContext) -> bool:
        asked.append(f"confirm {context['member']}")
        return True

    browser = Browser()
    execute = make(mode, browser, members=["navigate"], confirm=confirm, url_policy=url_policy)
    blocked = report(execute(function_call("navigate", {"url": "https://evil.example/", "tab_id": None})))
    assert blocked == {"ok": False, "state": blocked["state"], "error": "Browser navigation was not approved."}
    after = report(execute(function_call("navigate", {"url": "https://shop.example/cart", "tab_id": None})))
    assert asked == ["policy https://evil.example/", "policy https://shop.example/cart", "confirm navigate"]
    assert browser.calls == [("navigate", {"url": "https://shop.example/cart", "tab_id": None})]
    assert after["state"]["tabs"][0]["url"] == "https://shop.example"  # the state after the navigation


@MODES
@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ("{not json", "Browser arguments must be valid JSON."),
        ({"target": "x"}, "Browser arguments do not match the requested tool."),
        ({"target": "x", "tab_id": None, "force": True}, "Browser arguments do not match the requested tool."),
        ({"target": 7, "tab_id": None}, "Browser argument has an invalid value."),
    ],
)
def test_bad_arguments_are_answered_without_acting(mode: str, arguments: Any, error: str) -> None:
    browser = Browser()
    answer = report(make(mode, browser, members=["click"], confirm=allow)(function_call("click", arguments)))
    assert answer["ok"] is False and answer["error"] == error and browser.calls == []


@MODES
def test_driver_failures_reach_the_model_without_private_detail(mode: str) -> None:
    execute = make(mode, Browser(), members=["click"], confirm=allow)
    gone = report(execute(function_call("click", {"target": "gone", "tab_id": None})))
    assert gone["error"] == "That element is no longer on the page."
    crash = report(execute(function_call("click", {"target": "crash", "tab_id": None})))
    assert crash["error"] == "Browser action failed."  # the OSError's path stays local


@MODES
def test_unknown_and_disabled_tools(mode: str) -> None:
    execute = make(mode, Browser(), members=READERS)
    unknown = execute(ResponseFunctionToolCall(type="function_call", call_id="call_1", name="lookup", arguments="{}"))
    assert report(unknown) == {"ok": False, "error": "Browser tool is unavailable or incomplete."}
    with pytest.raises(BrowserError, match="disabled"):
        execute(function_call("click", {"target": "x", "tab_id": None}))


@MODES
def test_guarded_reads_ask_first_and_reveal_nothing_when_refused(mode: str) -> None:
    browser = Browser()
    seen: list[Any] = []

    def confirm(context: Any) -> bool:
        seen.append(context)
        return False

    answer = report(make(mode, browser, members=READERS, confirm_reads=["read_page"], confirm=confirm)(
        function_call("read_page", {"tab_id": None, "filter": "all"})))
    assert answer == {"ok": False, "error": "Browser read was not approved."}
    assert seen[0]["phase"] == "before_read" and seen[0]["state"] is None and browser.calls == []


@MODES
def test_cancellation_raises_before_acting(mode: str) -> None:
    browser = Browser()
    execute = make(mode, browser, members=READERS)
    with pytest.raises(BrowserCancelledError):
        execute(function_call("read_page", {"tab_id": None, "filter": "all"}), cancelled=lambda: True)
    assert browser.calls == []


def test_a_broken_state_report_raises() -> None:
    class Broken(Browser):
        def state(self) -> BrowserState:
            return cast(BrowserState, {"tabs": [{"id": "tab_1"}]})

    with pytest.raises(RuntimeError, match="Browser state report failed"):
        BrowserToolset(Broken(), members=READERS).execute(function_call("read_page", {"tab_id": None, "filter": "all"}))


def test_close_refuses_new_calls() -> None:
    toolset = BrowserToolset(Browser(), members=READERS)
    assert toolset.close() == {"status": "closed"}
    with pytest.raises(RuntimeError, match="closed"):
        toolset.execute(function_call("read_page", {"tab_id": None, "filter": "all"}))


@MODES
def test_run_script_returns_text_and_refuses_empty_scripts(mode: str) -> None:
    class Scripting(Browser):
        def run_script(self, action: Any) -> Any:
            self.calls.append(("run_script", action))
            return "2" if action["source"] == "1 + 1" else 2

    browser = Scripting()
    execute = make(mode, browser, members=["run_script"], confirm=allow)
    script = {"tab_id": None, "source": "1 + 1", "timeout_ms": 1000}
    assert report(execute(function_call("run_script", script)))["result"] == "2"
    empty = report(execute(function_call("run_script", {**script, "source": ""})))
    assert empty["error"] == "Browser argument has an invalid value." and len(browser.calls) == 1
    with pytest.raises(RuntimeError, match="Browser script result failed"):
        execute(function_call("run_script", {**script, "source": "document.title"}))
