"""Request param aliases are typed as the official SDK types them (issue 12 item 3).

`ChatCompletionMessageParam` is the union of the role messages, and public list aliases are
`List[...]`, so the annotations users write (`messages: list[ChatCompletionMessageParam] = [...]`,
`conversation.append(...)`) check and run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Union, get_args, get_origin

import pytest

from pyopenai.types.chat import (
    ChatCompletionAssistantMessageParam,
    ChatCompletionDeveloperMessageParam,
    ChatCompletionFunctionMessageParam,
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionToolMessageParam,
    ChatCompletionUserMessageParam,
)
from pyopenai.types.responses import ResponseInputItemParam, ResponseInputParam
from pyopenai.types.responses.response_input_message_content_list_param import ResponseInputMessageContentListParam

REPO = Path(__file__).resolve().parent.parent


def test_chat_message_param_is_the_union_of_the_role_messages() -> None:
    assert get_origin(ChatCompletionMessageParam) is Union
    assert set(get_args(ChatCompletionMessageParam)) == {
        ChatCompletionDeveloperMessageParam,
        ChatCompletionSystemMessageParam,
        ChatCompletionUserMessageParam,
        ChatCompletionAssistantMessageParam,
        ChatCompletionToolMessageParam,
        ChatCompletionFunctionMessageParam,
    }


def test_public_list_aliases_are_lists() -> None:
    assert get_origin(ResponseInputParam) is list
    assert get_args(ResponseInputParam) == (ResponseInputItemParam,)
    assert get_origin(ResponseInputMessageContentListParam) is list


def _pyright() -> str | None:
    local = REPO / ".venv" / "bin" / "pyright"
    return str(local) if local.exists() else shutil.which("pyright")


@pytest.mark.skipif(_pyright() is None, reason="pyright is not installed (./scripts/bootstrap installs it)")
def test_user_annotations_type_check_and_mistakes_are_caught(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        textwrap.dedent(
            """
            from pyopenai.types.chat import ChatCompletionMessageParam
            from pyopenai.types.responses import ResponseInputParam

            messages: list[ChatCompletionMessageParam] = [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": [{"type": "text", "text": "Hello"}]},
            ]
            messages.append({"role": "assistant", "content": "Hi"})
            messages.append({"role": "tool", "tool_call_id": "call_1", "content": "42"})
            conversation: ResponseInputParam = [{"role": "user", "content": "Hello"}]
            conversation.append({"type": "function_call_output", "call_id": "call_1", "output": "42"})
            wrong_role: ChatCompletionMessageParam = {"role": "robot", "content": "x"}
            """
        )
    )
    pyright = _pyright()
    assert pyright is not None
    result = subprocess.run(
        [pyright, "--pythonpath", sys.executable, str(snippet)], capture_output=True, text=True, timeout=300, cwd=REPO
    )
    errors = [line for line in result.stdout.splitlines() if " - error:" in line]
    # exactly one: the made-up role; everything users write for the official SDK is accepted
    assert len(errors) == 1, result.stdout
    assert ":13:" in errors[0], result.stdout
