"""Browser tools for the Responses API, carried out by a browser you drive.

`BrowserToolset(driver, ...)` offers the model one strict function tool per enabled member
(`browser_navigate`, `browser_read_page`, `browser_click`, ...; `tools` lists them for
`responses.create`), and `execute(call)` carries out one `function_call` of theirs through your
driver, returning the `function_call_output` item to send back::

    toolset = BrowserToolset(driver, members=["read_page", "find", "screenshot"])
    response = client.responses.create(model="gpt-5.5", input="...", tools=toolset.tools)
    outputs = [toolset.execute(item) for item in response.output if item.type == "function_call"]

The driver owns the browser. Each member's driver method receives its arguments as the typed
dictionary named below (`ClickInput`, `NavigateInput`, ...), already checked against the tool's
schema; `state()` reports the tabs (their URLs reach the model as origins only). Members that
change anything need `confirm` (called with a `BrowserConfirmContext`, proceeds only on exactly
`True`); `navigate` and `new_tab` also need `url_policy`. A driver raises `BrowserError` for a
failure the model may read about; other exceptions reach the model as a bare failure.

Not built yet: the `read_diagnostics`, `upload_file` and `download_file` members
(enabling them raises `ValueError`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Union, cast

from typing_extensions import Literal, NotRequired, Protocol, TypeAlias, TypedDict

from ..types.responses.response_input_image_content_param import ResponseInputImageContentParam
from ._browser_members import (
    BROWSER_MEMBERS,
    DEFAULT_BROWSER_MEMBERS,
    NAVIGATION_MEMBERS,
    READ_ONLY_MEMBERS,
    UNSUPPORTED_MEMBERS,
    tool_definition,
)
from ._browser_plan import BrowserCancelledError, BrowserError, BrowserSetup, execute_plan
from ._tool_lifecycle import CloseStatus, ToolLifecycle
from ._toolset_support import drive_async, drive_sync
from .tool_diagnostics import ToolDiagnosticObserver

if TYPE_CHECKING:
    from ..types.responses.function_tool_param import FunctionToolParam
    from ..types.responses.response_function_tool_call import ResponseFunctionToolCall
    from ..types.responses.response_input_item_param import FunctionCallOutput

__all__ = [
    "BrowserToolset",
    "AsyncBrowserToolset",
    "BrowserDriver",
    "AsyncBrowserDriver",
    "BrowserReadDriver",
    "AsyncBrowserReadDriver",
    "BrowserNavigationDriver",
    "AsyncBrowserNavigationDriver",
    "BrowserClickDriver",
    "AsyncBrowserClickDriver",
    "BrowserScreenshotDriver",
    "AsyncBrowserScreenshotDriver",
    "BROWSER_MEMBERS",
    "DEFAULT_BROWSER_MEMBERS",
    "BrowserState",
    "BrowserTab",
    "BrowserObservationV1",
    "BrowserReadV1",
    "BrowserFileOutcome",
    "BrowserFileInput",
    "BrowserScopedReadV1",
    "BrowserReadScope",
    "BrowserReadElement",
    "BrowserReadOption",
    "BrowserStateChange",
    "BrowserTabChange",
    "BrowserNavigationRefused",
    "BrowserDialogDismissed",
    "BrowserDownload",
    "BrowserConfirmContext",
    "BrowserError",
    "BrowserCancelledError",
    "NavigateInput",
    "ReadPageInput",
    "TabInput",
    "ZoomInput",
    "FindInput",
    "ClickInput",
    "ClickAtInput",
    "HoverAtInput",
    "SetCheckedInput",
    "BrowserReadConfirmContext",
    "DragPathInput",
    "HoldKeysInput",
    "ReadPageScopedInput",
    "ReadDiagnosticsInput",
    "RunScriptInput",
    "BrowserPoint",
    "TypeInput",
    "KeyInput",
    "ScrollInput",
    "WaitForInput",
    "SelectOptionInput",
    "NewTabInput",
]

# --- what the driver reports ------------------------------------------------------------------------

_ReadRole: TypeAlias = Literal["button", "textbox", "combobox", "checkbox", "radio", "slider", "listbox"]
_ReadOmission: TypeAlias = Literal[
    "report_limit", "text_limit", "target_limit", "work_limit", "frame_limit", "unsupported_root",
    "unsupported_control", "remote_action", "private", "value", "name_limit",
]  # fmt: skip
_Modifier: TypeAlias = Literal["Control", "Alt", "Meta", "Shift"]


class BrowserTab(TypedDict):
    id: str
    title: str
    url: str
    active: bool


class BrowserTabChange(TypedDict):
    type: Literal["tab_opened", "tab_closed", "tab_switched", "navigation"]
    sequence: int
    tab_id: str


class BrowserNavigationRefused(TypedDict):
    type: Literal["navigation_refused"]
    sequence: int
    tab_id: str | None
    reason: Literal["policy", "unsupported"]


class BrowserDialogDismissed(TypedDict):
    type: Literal["dialog_dismissed"]
    sequence: int
    tab_id: str
    kind: Literal["alert", "confirm", "prompt", "beforeunload", "other"]


class BrowserDownload(TypedDict):
    type: Literal["download"]
    sequence: int
    tab_id: str | None
    status: Literal["blocked", "started", "completed", "failed"]


BrowserStateChange: TypeAlias = Union[BrowserTabChange, BrowserNavigationRefused, BrowserDialogDismissed, BrowserDownload]


class BrowserObservationV1(TypedDict):
    """Changes the driver saw since it started (bounded; `dropped_changes` counts what it let go)."""

    version: Literal[1]
    sequence: int
    dropped_changes: int
    title_truncated: bool
    changes: list[BrowserStateChange]


class BrowserState(TypedDict):
    tabs: list[BrowserTab]
    observation: NotRequired[BrowserObservationV1]


class BrowserReadOption(TypedDict):
    label: str
    value: str
    selected: NotRequired[bool]


class BrowserReadElement(TypedDict):
    ref: str
    role: _ReadRole
    label: str
    value: NotRequired[str]
    options: NotRequired[list[BrowserReadOption]]
    checked: NotRequired[bool]


class BrowserReadV1(TypedDict):
    """A structured page read: text plus the actionable elements, with what was left out and why."""

    version: Literal[1]
    text: str
    elements: list[BrowserReadElement]
    omitted: list[_ReadOmission]


class BrowserReadScope(TypedDict):
    ref: str
    label: str


class BrowserScopedReadV1(TypedDict):
    """A read of one page region; `scopes` are regions to read next, not elements to act on."""

    version: Literal[1]
    text: str
    elements: list[BrowserReadElement]
    omitted: list[_ReadOmission]
    scopes: list[BrowserReadScope]


class _FileOutcomeBase(TypedDict):
    version: Literal[1]
    cleanup: Literal["not_started", "pending", "completed"]


class _FileCompleted(_FileOutcomeBase):
    status: Literal["completed"]
    effect: Literal["completed"]


class _FileRefused(_FileOutcomeBase):
    status: Literal["refused"]
    effect: Literal["none"]


class _FileUnknown(_FileOutcomeBase):
    status: Literal["unknown"]
    effect: Literal["unknown"]


class _FileInterrupted(_FileOutcomeBase):
    status: Literal["interrupted"]
    effect: Literal["none", "unknown"]


BrowserFileOutcome: TypeAlias = Union[_FileCompleted, _FileRefused, _FileUnknown, _FileInterrupted]


class BrowserConfirmContext(TypedDict):
    """What `confirm` decides on: the member, its exact arguments, the state seen before, the call."""

    member: str
    arguments: dict[str, object]
    state: BrowserState
    call_id: str


class BrowserReadConfirmContext(TypedDict):
    """Consent asked before a read listed in `confirm_reads` (no state is read first)."""

    member: str
    arguments: dict[str, object]
    state: None
    call_id: str
    phase: Literal["before_read"]


# --- what the driver receives ---------------------------------------------------------------------


class TabInput(TypedDict):
    tab_id: str | None


class NavigateInput(TypedDict):
    tab_id: str | None
    url: str


class ReadPageInput(TypedDict):
    tab_id: str | None
    filter: Literal["all", "interactive"]


class ZoomInput(TypedDict):
    """A region of the full viewport: left, top, right, bottom."""

    tab_id: str | None
    region: list[int]


class FindInput(TypedDict):
    tab_id: str | None
    query: str


class ClickInput(TypedDict):
    tab_id: str | None
    target: str


class ClickAtInput(TypedDict):
    tab_id: str | None
    x: int
    y: int
    button: Literal["left", "right", "middle"]
    click_count: Literal[1, 2, 3]
    keys: list[_Modifier]


class HoverAtInput(TypedDict):
    tab_id: str | None
    x: int
    y: int


class SetCheckedInput(TypedDict):
    tab_id: str | None
    target: str
    checked: bool


class BrowserPoint(TypedDict):
    x: int
    y: int


class DragPathInput(TypedDict):
    tab_id: str | None
    path: list[BrowserPoint]
    keys: list[_Modifier]


class HoldKeysInput(TypedDict):
    tab_id: str | None
    keys: list[str]
    duration_ms: int


class ReadPageScopedInput(TypedDict):
    tab_id: str | None
    filter: Literal["all", "interactive"]
    root: str | None
    depth: int


class ReadDiagnosticsInput(TypedDict):
    tab_id: str | None
    source: Literal["console", "network"]
    limit: int


class RunScriptInput(TypedDict):
    tab_id: str | None
    source: str
    timeout_ms: int


class BrowserFileInput(TypedDict):
    grant_id: str


class TypeInput(TypedDict):
    tab_id: str | None
    text: str
    target: str | None


class KeyInput(TypedDict):
    tab_id: str | None
    keys: list[str]


class ScrollInput(TypedDict):
    tab_id: str | None
    direction: Literal["up", "down", "left", "right"]
    amount: int


class WaitForInput(TypedDict):
    tab_id: str | None
    text: str
    timeout_ms: int


class SelectOptionInput(TypedDict):
    tab_id: str | None
    target: str
    values: list[str]


class NewTabInput(TypedDict):
    url: str | None


# --- drivers --------------------------------------------------------------------------------------


class BrowserDriver(Protocol):
    """A browser you own. Every enabled member needs a method of the same name taking its input."""

    def state(self) -> BrowserState: ...


class AsyncBrowserDriver(Protocol):
    """`BrowserDriver` with coroutine methods, for `AsyncBrowserToolset`."""

    async def state(self) -> BrowserState: ...


class BrowserReadDriver(BrowserDriver, Protocol):
    def read_page(self, action: ReadPageInput) -> str | BrowserReadV1 | None: ...


class AsyncBrowserReadDriver(AsyncBrowserDriver, Protocol):
    async def read_page(self, action: ReadPageInput) -> str | BrowserReadV1 | None: ...


class BrowserNavigationDriver(BrowserDriver, Protocol):
    def navigate(self, action: NavigateInput) -> None: ...


class AsyncBrowserNavigationDriver(AsyncBrowserDriver, Protocol):
    async def navigate(self, action: NavigateInput) -> None: ...


class BrowserClickDriver(BrowserDriver, Protocol):
    def click(self, action: ClickInput) -> None: ...


class AsyncBrowserClickDriver(AsyncBrowserDriver, Protocol):
    async def click(self, action: ClickInput) -> None: ...


class BrowserScreenshotDriver(BrowserDriver, Protocol):
    def screenshot(self, action: TabInput) -> ResponseInputImageContentParam: ...


class AsyncBrowserScreenshotDriver(AsyncBrowserDriver, Protocol):
    async def screenshot(self, action: TabInput) -> ResponseInputImageContentParam: ...


# --- the toolsets ---------------------------------------------------------------------------------


def _member_list(value: object, label: str) -> tuple[str, ...]:
    problem = ValueError("Browser members must be a sequence of unique fixed member names.")
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise problem
    names = tuple(cast("Sequence[object]", value))
    if len(set(names)) != len(names) or not all(isinstance(n, str) and n in BROWSER_MEMBERS for n in names):
        raise problem
    unsupported = sorted(str(n) for n in names if n in UNSUPPORTED_MEMBERS)
    if unsupported:
        raise ValueError(f"pyopenai does not support the browser members {', '.join(unsupported)} yet ({label}).")
    return cast("tuple[str, ...]", names)


def _setup(
    driver: object,
    members: Sequence[str] | None,
    additional_members: Sequence[str] | None,
    confirm_reads: Sequence[str] | None,
    confirm: Callable[..., object] | None,
    url_policy: Callable[..., object] | None,
) -> BrowserSetup:
    enabled = _member_list(DEFAULT_BROWSER_MEMBERS if members is None else members, "members")
    extra = _member_list(additional_members or (), "additional_members")
    enabled = enabled + tuple(name for name in extra if name not in enabled)
    reads = _member_list(confirm_reads or (), "confirm_reads")
    if any(name not in enabled or name not in READ_ONLY_MEMBERS for name in reads):
        raise ValueError("confirm_reads must contain unique selected read-only members.")
    if confirm is None and (reads or any(name not in READ_ONLY_MEMBERS for name in enabled)):
        raise ValueError("State-changing browser members require confirm.")
    if url_policy is None and any(name in NAVIGATION_MEMBERS for name in enabled):
        raise ValueError("Browser navigation members require url_policy.")
    needed = ("state", *(name for name in enabled if name != "list_tabs"))
    methods = {name: getattr(driver, name, None) for name in needed}
    missing = sorted(name for name, method in methods.items() if not callable(method))
    if missing:
        raise ValueError(f"Browser driver lacks methods for its members: {', '.join(missing)}")
    callables = {name: method for name, method in methods.items() if callable(method)}
    return BrowserSetup(enabled, callables, confirm, url_policy, frozenset(reads))


class _BrowserToolsetBase:
    def __init__(self, setup: BrowserSetup) -> None:
        self._setup = setup
        self._admission = ToolLifecycle("Browser toolset")

    @property
    def tools(self) -> list[FunctionToolParam]:
        """The function tools to pass to `responses.create(tools=...)`, one per enabled member."""
        return [cast("FunctionToolParam", tool_definition(name)) for name in self._setup.members]

    def close(self) -> CloseStatus:
        """Refuse new executions; "draining" while one is still going, else "closed"."""
        return self._admission.close()


class BrowserToolset(_BrowserToolsetBase):
    """Browser function tools carried out through a synchronous driver (see the module docstring)."""

    def __init__(
        self,
        driver: BrowserDriver,
        *,
        members: Sequence[str] | None = None,
        additional_members: Sequence[str] | None = None,
        confirm_reads: Sequence[str] | None = None,
        confirm: Callable[[BrowserConfirmContext], bool]
        | Callable[[BrowserConfirmContext | BrowserReadConfirmContext], bool]
        | None = None,
        url_policy: Callable[[BrowserConfirmContext, str], bool] | None = None,
    ) -> None:
        super().__init__(_setup(driver, members, additional_members, confirm_reads, confirm, url_policy))

    def execute(
        self,
        call: ResponseFunctionToolCall,
        *,
        cancelled: Callable[[], bool] | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
    ) -> FunctionCallOutput:
        """Carry out one `browser_*` function call and return its `function_call_output` item."""
        self._admission.enter()
        try:
            plan = execute_plan(self._setup, self._setup.methods["state"], call, cancelled, on_diagnostic)
            return drive_sync(plan)
        finally:
            self._admission.exit()


class AsyncBrowserToolset(_BrowserToolsetBase):
    """`BrowserToolset` for an async driver and async consent callbacks."""

    def __init__(
        self,
        driver: AsyncBrowserDriver,
        *,
        members: Sequence[str] | None = None,
        additional_members: Sequence[str] | None = None,
        confirm_reads: Sequence[str] | None = None,
        confirm: Callable[[BrowserConfirmContext], Awaitable[bool]]
        | Callable[[BrowserConfirmContext | BrowserReadConfirmContext], Awaitable[bool]]
        | None = None,
        url_policy: Callable[[BrowserConfirmContext, str], Awaitable[bool]] | None = None,
    ) -> None:
        super().__init__(_setup(driver, members, additional_members, confirm_reads, confirm, url_policy))

    async def execute(
        self,
        call: ResponseFunctionToolCall,
        *,
        cancelled: Callable[[], bool] | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
    ) -> FunctionCallOutput:
        """Carry out one `browser_*` function call and return its `function_call_output` item."""
        self._admission.enter()
        try:
            plan = execute_plan(self._setup, self._setup.methods["state"], call, cancelled, on_diagnostic)
            return await drive_async(plan)
        finally:
            self._admission.exit()
