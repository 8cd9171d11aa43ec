"""scripts/typecheck-parity: the corpus it builds, the porting rewrite, and the comparison it reports."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "typecheck-parity"


def _load() -> ModuleType:
    loader = SourceFileLoader("typecheck_parity", str(SCRIPT))
    spec = importlib.util.spec_from_loader("typecheck_parity", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["typecheck_parity"] = module  # dataclasses look their module up while the class is built
    loader.exec_module(module)
    return module


tp = _load()


def test_port_renames_the_package_in_code_only() -> None:
    source = (
        "import openai\n"
        "from openai.types.chat import ChatCompletion\n"
        "client = openai.OpenAI(base_url='https://api.openai.com/v1')  # openai client\n"
        "openai_key = 'x'\n"
    )
    assert tp.port(source) == (
        "import pyopenai\n"
        "from pyopenai.types.chat import ChatCompletion\n"
        "client = pyopenai.OpenAI(base_url='https://api.openai.com/v1')  # openai client\n"
        "openai_key = 'x'\n"
    )


def test_instrument_reveals_each_bound_name_where_it_is_bound() -> None:
    source = (
        "a, (b, c) = f()\n"
        "def g() -> None:\n"
        "    for event in stream:\n"
        "        print(event)\n"
        "    with h() as (x, y), k() as z:\n"
        "        pass\n"
        "if cond: skipped = 1\n"
        "one = 1; two = 2\n"
        "total: int = (\n"
        "    3)\n"
        "declared: int\n"
    )
    instrumented = tp.instrument(source)
    ast.parse(instrumented)  # still valid Python
    assert instrumented.splitlines() == [
        "a, (b, c) = f()",
        "reveal_type(a)",
        "reveal_type(b)",
        "reveal_type(c)",
        "def g() -> None:",
        "    for event in stream:",
        "        reveal_type(event)",
        "        print(event)",
        "    with h() as (x, y), k() as z:",
        "        reveal_type(x)",
        "        reveal_type(y)",
        "        reveal_type(z)",
        "        pass",
        "if cond: skipped = 1",
        "one = 1; two = 2",
        "total: int = (",
        "    3)",
        "reveal_type(total)",
        "declared: int",
    ]


def test_instrument_leaves_code_that_does_not_parse_alone() -> None:
    assert tp.instrument("client.chat(\n") == "client.chat(\n"


def test_a_fragment_using_client_gets_one_and_top_level_awaits_run_in_a_coroutine() -> None:
    sync_block = tp.prepare_block("completion = client.chat.completions.create(model='m', messages=[])\n")
    assert sync_block.startswith("from openai import OpenAI\nclient = OpenAI()\n")

    async_block = tp.prepare_block("import asyncio\nresult = await client.files.list()\nprint(result)\n")
    tree = ast.parse(async_block)
    assert [type(node).__name__ for node in tree.body] == ["ImportFrom", "Assign", "Import", "AsyncFunctionDef"]
    assert "client = AsyncOpenAI()" in async_block
    assert "    result = await client.files.list()" in async_block

    own_client = "from openai import OpenAI\nclient = OpenAI(api_key='k')\nclient.models.list()\n"
    assert tp.prepare_block(own_client) == own_client


def test_collect_reads_examples_and_the_python_blocks_of_the_documents(tmp_path: Path) -> None:
    (tmp_path / "examples" / "sub").mkdir(parents=True)
    (tmp_path / "examples" / "sub" / "demo.py").write_text("print('demo')\n")
    (tmp_path / "README.md").write_text("```python\nx = 1\n```\n\n```sh\npip install openai\n```\n\n```py\ny = 2\n```\n")
    (tmp_path / "notes.md").write_text("```python\nnot_read = 1\n```\n")
    assert tp.collect(tmp_path) == {
        "examples/sub/demo.py": "print('demo')\n",
        "docs/readme_001.py": "x = 1\n",
        "docs/readme_002.py": "y = 2\n",
    }


def test_types_compare_without_module_paths() -> None:
    assert tp.normalize_type("pyopenai.types.chat.chat_completion.ChatCompletion") == "ChatCompletion"
    assert tp.normalize_type("openai._streaming.Stream[openai.types.chat.ChatCompletionChunk]") == \
        "Stream[ChatCompletionChunk]"
    assert tp.normalize_type("builtins.list[builtins.str]") == "list[str]"
    assert tp.normalize_type("Tuple[str | None, List[int]]") == tp.normalize_type("tuple[str | None, list[int]]")


def test_compare_flags_more_errors_and_other_types_but_not_fewer_errors() -> None:
    official = {"pyright": {
        "a.py": tp.FileResult(errors=[(3, 'Cannot access attribute "mesage"')], reveals={2: "openai.X"}),
        "b.py": tp.FileResult(errors=[(1, "e1"), (2, "e2")], reveals={5: "str"}),
    }}
    ported = {"pyright": {
        "a.py": tp.FileResult(errors=[(3, 'Cannot access attribute "mesage"'), (4, "new")], reveals={2: "pyopenai.X"}),
        "b.py": tp.FileResult(errors=[(1, "e1")], reveals={5: "Any"}),
    }}
    a, b, c = tp.compare(["a.py", "b.py", "c.py"], official, ported)
    assert (a.official, a.ported, a.extra_errors, a.type_diffs) == (
        {"pyright": 1}, {"pyright": 2}, {"pyright": ["new"]}, {"pyright": []})
    assert a.worse
    assert b.type_diffs == {"pyright": [(5, "str", "Any")]} and b.worse
    assert not c.worse and c.official == c.ported == {"pyright": 0}
    table = tp.render([a, b, c], ["pyright"], details=True)
    assert "| a.py | 1 | 2 | 0 |" in table
    assert "pyright: 3 files; at parity 1; clean with both 1; pyopenai reports more errors on 1; types differ on 1" in table
    assert "b.py:5 [pyright] type: official 'str', pyopenai 'Any'" in table


def test_without_an_sdist_it_says_why_it_skips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert tp.main([str(tmp_path / "missing.tar.gz")]) == 0
    assert "skipped: no official sdist" in capsys.readouterr().out


def test_a_ported_example_checks_as_it_does_with_the_official_sdk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("pyright", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("pyright is not installed next to this interpreter (scripts/bootstrap installs it)")
    pytest.importorskip("openai", reason="the official SDK is a dev dependency (scripts/bootstrap installs it)")
    sdist = tmp_path / "openai-0.0.0"
    (sdist / "examples").mkdir(parents=True)
    (sdist / "examples" / "chat.py").write_text(
        "import openai\n"
        "client = openai.OpenAI()\n"
        "completion = client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': 'hi'}])\n"
        "print(completion.choices[0].mesage)\n"  # a typo both packages' types catch
    )
    code = tp.main([str(sdist), "--work", str(tmp_path / "work"), "--checker", "pyright", "--details"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "| examples/chat.py | 1 | 1 | 0 |" in out
    assert "pyright: 1 files; at parity 1" in out
    ported = (tmp_path / "work" / "pyopenai" / "examples" / "chat.py").read_text()
    assert ported.startswith("import pyopenai\nclient = pyopenai.OpenAI()\nreveal_type(client)\n")
