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


def test_params_name_their_keyword_path_parameters_and_headers_as_the_arguments() -> None:
    # `messages.update(message_id, *, thread_id, ...)`: the official params declare `thread_id`
    from typing_extensions import Required, get_type_hints

    from pyopenai.types.beta.agents import EnvironmentCreateParams
    from pyopenai.types.beta.threads import MessageUpdateParams

    hints = get_type_hints(MessageUpdateParams, include_extras=True)
    assert get_origin(hints["thread_id"]) is Required
    # a header argument is a key under its Python name, not the wire header's
    assert "idempotency_key" in get_type_hints(EnvironmentCreateParams)
    assert "Idempotency-Key" not in EnvironmentCreateParams.__annotations__


@pytest.mark.parametrize("is_async", [False, True])
def test_body_parameters_the_release_added_reach_the_wire(is_async: bool) -> None:
    # `background_options=` is a 3.60 parameter of `responses.create` the August spec lacks
    import asyncio
    import json

    import httpx2

    from pyopenai import AsyncOpenAI, OpenAI

    bodies: list[dict[str, object]] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        bodies.append(json.loads(request.content))
        return httpx2.Response(200, json={"id": "resp_1", "object": "response", "output": []})

    options: dict[str, object] = {"completion_window": "2h"}
    if is_async:
        aclient = AsyncOpenAI(api_key="sk-test", base_url="http://api.test/v1",
                              http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)))
        asyncio.run(aclient.responses.create(model="gpt-5", input="hi", background_options={"completion_window": "2h"}))
    else:
        client = OpenAI(api_key="sk-test", base_url="http://api.test/v1",
                        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
        client.responses.create(model="gpt-5", input="hi", background_options={"completion_window": "2h"})
    assert bodies == [{"model": "gpt-5", "input": "hi", "background_options": options}]
