from typing_extensions import Literal, assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.computer import (
    AsyncComputerToolset,
    ComputerActionInput,
    ComputerToolset,
    ComputerUseError,
    Screenshot,
)
from pyopenai.types.responses import Response, ResponseComputerToolCall
from pyopenai.types.responses import computer_action as modern
from pyopenai.types.responses import response_computer_tool_call as legacy
from pyopenai.types.responses.response_input_param import ComputerCallOutput


class Desktop:
    def click(self, action: modern.Click | legacy.ActionClick) -> None:
        print(action.x, action.y, action.button)

    def double_click(self, action: modern.DoubleClick | legacy.ActionDoubleClick) -> None: ...
    def drag(self, action: modern.Drag | legacy.ActionDrag) -> None: ...
    def keypress(self, action: modern.Keypress | legacy.ActionKeypress) -> None: ...
    def move(self, action: modern.Move | legacy.ActionMove) -> None: ...
    def scroll(self, action: modern.Scroll | legacy.ActionScroll) -> None: ...
    def type(self, action: modern.Type | legacy.ActionType) -> None: ...
    def wait(self, action: modern.Wait | legacy.ActionWait) -> None: ...

    def screenshot(self) -> Screenshot:
        return {"type": "computer_screenshot", "image_url": "data:image/png;base64,AA=="}


class AsyncDesktop:
    async def click(self, action: ComputerActionInput) -> None: ...
    async def double_click(self, action: ComputerActionInput) -> None: ...
    async def drag(self, action: ComputerActionInput) -> None: ...
    async def keypress(self, action: ComputerActionInput) -> None: ...
    async def move(self, action: ComputerActionInput) -> None: ...
    async def scroll(self, action: ComputerActionInput) -> None: ...
    async def type(self, action: ComputerActionInput) -> None: ...
    async def wait(self, action: ComputerActionInput) -> None: ...

    async def screenshot(self) -> Screenshot:
        return {"type": "computer_screenshot", "file_id": "file_1"}


def confirm(action: ComputerActionInput) -> bool:
    return action.type != "type"


client = OpenAI(api_key="sk-test")
toolset = ComputerToolset(Desktop())
try:
    result = toolset.run(
        client,
        {"model": "computer-use-preview", "input": "Open the report", "tools": [{"type": "computer"}]},
        max_steps=10,
        approve_safety_checks=lambda call: call.pending_safety_checks == [],
        before_action=confirm,
        cancelled=lambda: False,
    )
    assert_type(result, Response)
except ComputerUseError as error:
    assert_type(error.response, Response | None)

call = ResponseComputerToolCall.model_validate({})
assert_type(toolset.execute(call), ComputerCallOutput)
assert_type(toolset.close()["status"], Literal["closed", "draining"])
toolset.run(client, {"model": "m", "input": "x"}, max_steps="ten")  # expect-error
ComputerToolset(AsyncDesktop())  # expect-error


async def main() -> None:
    async_client = AsyncOpenAI(api_key="sk-test")

    async def allow(action: ComputerActionInput) -> bool:
        return True

    async_toolset = AsyncComputerToolset(AsyncDesktop())
    assert_type(await async_toolset.run(async_client, {"model": "m", "input": "x"}, before_action=allow), Response)
    assert_type(await async_toolset.execute(call), ComputerCallOutput)
    await async_toolset.run(async_client, {"model": "m", "input": "x"}, before_action=confirm)  # expect-error
