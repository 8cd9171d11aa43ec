"""The helpers without pydantic installed (it is an optional extra): dict formats, TypedDicts, plain tools."""

from __future__ import annotations

import subprocess
import sys
from typing import Literal

import pytest
from helpers import json_response, make_client
from libsupport import chat, chat_sse, chunk, completion, sse_client
from typing_extensions import TypedDict

from pyopenai import OpenAI


@pytest.fixture(autouse=True)
def _no_pydantic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pydantic", None)  # `import pydantic` now raises ImportError
    monkeypatch.setitem(sys.modules, "pydantic_core", None)


class City(TypedDict):
    name: str
    population: int


def test_modules_import_without_pydantic() -> None:
    code = (
        "import sys; sys.modules['pydantic'] = None; sys.modules['pydantic_core'] = None\n"
        "import pyopenai.lib.resource_mixins, pyopenai.lib._parsing, pyopenai.lib.tool_runner\n"
        "import pyopenai.lib.streaming, pyopenai.lib.polling, pyopenai.lib.uploads, pyopenai.lib.assistants\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_typeddict_format_and_dict_format(client: OpenAI) -> None:
    result = chat(client).parse(model="gpt-4o", messages=[{"role": "user", "content": "a city"}], response_format=City)
    parsed = result.choices[0].message.parsed
    assert isinstance(parsed, dict) and set(parsed) == {"name", "population"}


def test_stream_with_a_dict_format() -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "c", "schema": {"type": "object"}}}
    client, _ = sse_client(chat_sse([chunk({"content": '{"name": "Os'}), chunk({"content": 'lo"}'}),
                                     chunk(finish="stop")]))
    with chat(client).stream(model="m", messages=[], response_format=fmt) as stream:
        partial = [e.parsed for e in stream if e.type == "content.delta"]
    assert partial == [{"name": "Os"}, {"name": "Oslo"}]
    assert stream.get_final_completion().choices[0].message.parsed == {"name": "Oslo"}


def test_tool_runner_with_plain_functions() -> None:
    def population(city: str, unit: Literal["people", "thousands"] = "people") -> int:
        """How many people live in a city."""
        return 700_000 if unit == "people" else 700

    replies = [completion({"tool_calls": [{"id": "c", "type": "function", "function": {
        "name": "population", "arguments": '{"city": "Oslo", "unit": null}'}}]}, finish="tool_calls"),
               completion({"content": "About 700 000."})]
    client, rec = make_client(lambda _r: json_response(replies.pop(0)))
    runner = chat(client).run_tools(model="m", messages=[], tools=[population])
    assert runner.final_content() == "About 700 000."
    assert rec.json(1)["messages"][-1]["content"] == "700000"
