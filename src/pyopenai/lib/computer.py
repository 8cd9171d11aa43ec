"""Run the Responses computer-use tool against a computer you drive.

You supply a driver (an object with one method per action: `click`, `double_click`, `drag`,
`keypress`, `move`, `scroll`, `type`, `wait`, and `screenshot`); the toolset asks the model,
performs the actions it requests through your driver, sends back a screenshot after each call, and
stops at the model's final message::

    toolset = ComputerToolset(driver)
    response = toolset.run(client, {"model": "gpt-5.5", "input": "Open the settings page"})
    print(response.output_text)

Nothing is performed without your say: pending safety checks stop the run unless
`approve_safety_checks` returns exactly `True`, `before_action` sees every action (and the
screenshot) before the driver does, `cancelled` is probed between requests and driver calls, and
`max_steps` bounds the number of `responses.create` calls. A refusal raises `ComputerUseError`
carrying the last response. The driver owns the screen: bounds checks, waits and cleanup are its
job, and it must raise when it cannot perform an action rather than ignore it.

`execute(call)` performs one `ResponseComputerToolCall` for applications running their own loop
and returns its `computer_call_output` input item.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Union

from typing_extensions import Protocol, TypeAlias

from ..types.responses import computer_action as modern
from ..types.responses import response_computer_tool_call as legacy
from ..types.responses.response_computer_tool_call import ResponseComputerToolCall
from ..types.responses.response_computer_tool_call_output_screenshot_param import (
    ResponseComputerToolCallOutputScreenshotParam,
)
from ._computer_plan import DRIVER_MEMBERS, ComputerUseError, Policies, execute_plan, prepare_request, run_plan
from ._tool_lifecycle import CloseStatus, ToolLifecycle
from ._toolset_support import drive_async, drive_sync
from .tool_diagnostics import ToolDiagnosticObserver

if TYPE_CHECKING:
    from .._client import AsyncOpenAI, OpenAI
    from ..types.responses.response import Response
    from ..types.responses.response_create_params import ResponseCreateParamsNonStreaming
    from ..types.responses.response_input_item_param import ComputerCallOutput

__all__ = [
    "ComputerActionInput",
    "Screenshot",
    "ComputerDriver",
    "AsyncComputerDriver",
    "ComputerToolset",
    "AsyncComputerToolset",
    "ComputerUseError",
]

ComputerActionInput: TypeAlias = Union[legacy.Action, modern.ComputerAction]
"""An action as a driver receives it: the `actions` list's models, or the single legacy `action`."""

Screenshot: TypeAlias = ResponseComputerToolCallOutputScreenshotParam
"""What `screenshot()` returns: `{"type": "computer_screenshot", "image_url": ...}` or with `file_id`."""


class ComputerDriver(Protocol):
    """The computer the model operates: one method per action, screenshots in native pixels.

    Each action method receives its own copy of the action and must raise if it cannot carry it out.
    """

    def click(self, action: Union[modern.Click, legacy.ActionClick]) -> None: ...

    def double_click(self, action: Union[modern.DoubleClick, legacy.ActionDoubleClick]) -> None: ...

    def drag(self, action: Union[modern.Drag, legacy.ActionDrag]) -> None: ...

    def keypress(self, action: Union[modern.Keypress, legacy.ActionKeypress]) -> None: ...

    def move(self, action: Union[modern.Move, legacy.ActionMove]) -> None: ...

    def scroll(self, action: Union[modern.Scroll, legacy.ActionScroll]) -> None: ...

    def type(self, action: Union[modern.Type, legacy.ActionType]) -> None: ...

    def wait(self, action: Union[modern.Wait, legacy.ActionWait]) -> None: ...

    def screenshot(self) -> Screenshot: ...


class AsyncComputerDriver(Protocol):
    """`ComputerDriver` with coroutine methods, for `AsyncComputerToolset`."""

    async def click(self, action: Union[modern.Click, legacy.ActionClick]) -> None: ...

    async def double_click(self, action: Union[modern.DoubleClick, legacy.ActionDoubleClick]) -> None: ...

    async def drag(self, action: Union[modern.Drag, legacy.ActionDrag]) -> None: ...

    async def keypress(self, action: Union[modern.Keypress, legacy.ActionKeypress]) -> None: ...

    async def move(self, action: Union[modern.Move, legacy.ActionMove]) -> None: ...

    async def scroll(self, action: Union[modern.Scroll, legacy.ActionScroll]) -> None: ...

    async def type(self, action: Union[modern.Type, legacy.ActionType]) -> None: ...

    async def wait(self, action: Union[modern.Wait, legacy.ActionWait]) -> None: ...

    async def screenshot(self) -> Screenshot: ...


def _driver_members(driver: object) -> dict[str, Callable[..., object]]:
    members = {name: getattr(driver, name, None) for name in DRIVER_MEMBERS}
    missing = sorted(name for name, member in members.items() if not callable(member))
    if missing:
        raise ValueError(f"Computer toolset requires callable computer driver methods; missing: {', '.join(missing)}")
    return {name: member for name, member in members.items() if callable(member)}


class ComputerToolset:
    """Performs computer calls through a synchronous driver and runs the non-streaming Responses loop.

    One run or execution at a time; `close()` stops new ones (the driver's cleanup stays yours).
    Request settings (retries, timeouts) come from the client: use `client.with_options(...)`.
    """

    def __init__(self, driver: ComputerDriver) -> None:
        self._members = _driver_members(driver)
        self._admission = ToolLifecycle("Computer toolset")

    def close(self) -> CloseStatus:
        """Refuse new runs; "draining" while one is still going, else "closed"."""
        return self._admission.close()

    def run(
        self,
        client: OpenAI,
        params: ResponseCreateParamsNonStreaming,
        *,
        max_steps: int = 20,
        approve_safety_checks: Callable[[ResponseComputerToolCall], bool] | None = None,
        before_action: Callable[[ComputerActionInput], bool] | None = None,
        cancelled: Callable[[], bool] | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
    ) -> Response:
        """Loop until the model answers with a final message and return that response.

        `max_steps` counts `responses.create` calls, the final one included. Raises `ValueError`
        before any request for parameters the loop cannot honour (streaming, background,
        `previous_response_id`/`conversation`, tools other than one computer tool).
        """
        request = prepare_request(params, max_steps)
        policies = Policies(approve_safety_checks, before_action, cancelled, on_diagnostic)
        self._admission.enter()
        try:
            return drive_sync(run_plan(self._members, client, request, max_steps, policies))
        finally:
            self._admission.exit()

    def execute(
        self,
        call: ResponseComputerToolCall,
        *,
        approve_safety_checks: Callable[[ResponseComputerToolCall], bool] | None = None,
        before_action: Callable[[ComputerActionInput], bool] | None = None,
        cancelled: Callable[[], bool] | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
    ) -> ComputerCallOutput:
        """Perform one complete computer call and return its `computer_call_output` item."""
        policies = Policies(approve_safety_checks, before_action, cancelled, on_diagnostic)
        self._admission.enter()
        try:
            return drive_sync(execute_plan(self._members, call, policies))
        finally:
            self._admission.exit()


class AsyncComputerToolset:
    """`ComputerToolset` for `AsyncOpenAI` and an async driver; the same checks in the same order."""

    def __init__(self, driver: AsyncComputerDriver) -> None:
        self._members = _driver_members(driver)
        self._admission = ToolLifecycle("Computer toolset")

    def close(self) -> CloseStatus:
        """Refuse new runs; "draining" while one is still going, else "closed"."""
        return self._admission.close()

    async def run(
        self,
        client: AsyncOpenAI,
        params: ResponseCreateParamsNonStreaming,
        *,
        max_steps: int = 20,
        approve_safety_checks: Callable[[ResponseComputerToolCall], Awaitable[bool]] | None = None,
        before_action: Callable[[ComputerActionInput], Awaitable[bool]] | None = None,
        cancelled: Callable[[], bool] | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
    ) -> Response:
        """Loop until the model answers with a final message and return that response."""
        request = prepare_request(params, max_steps)
        policies = Policies(approve_safety_checks, before_action, cancelled, on_diagnostic)
        self._admission.enter()
        try:
            return await drive_async(run_plan(self._members, client, request, max_steps, policies))
        finally:
            self._admission.exit()

    async def execute(
        self,
        call: ResponseComputerToolCall,
        *,
        approve_safety_checks: Callable[[ResponseComputerToolCall], Awaitable[bool]] | None = None,
        before_action: Callable[[ComputerActionInput], Awaitable[bool]] | None = None,
        cancelled: Callable[[], bool] | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
    ) -> ComputerCallOutput:
        """Perform one complete computer call and return its `computer_call_output` item."""
        policies = Policies(approve_safety_checks, before_action, cancelled, on_diagnostic)
        self._admission.enter()
        try:
            return await drive_async(execute_plan(self._members, call, policies))
        finally:
            self._admission.exit()
