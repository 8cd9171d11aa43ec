"""Every Python example in README.md runs, against the embedded local server.

A block preceded by `<!-- readme-test: skip <reason> -->` is skipped with that reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyopenai.testing import LocalServer

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(?:<!-- readme-test: skip (?P<skip>[^>]*?) -->\s*)?```python\n(?P<code>.*?)```", re.S)


def blocks() -> list[tuple[str, str, str | None]]:
    text = README.read_text()
    found: list[tuple[str, str, str | None]] = []
    for match in BLOCK.finditer(text):
        line = text[: match.start("code")].count("\n") + 1
        found.append((f"README.md:{line}", match.group("code"), match.group("skip")))
    return found


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.mark.parametrize(("where", "code", "skip"), blocks(), ids=[b[0] for b in blocks()])
def test_readme_example_runs(where: str, code: str, skip: str | None, server: LocalServer, tmp_path: Path) -> None:
    if skip:
        pytest.skip(f"{where}: {skip}")
    env = {**os.environ, "OPENAI_API_KEY": "sk-readme-test", "OPENAI_BASE_URL": server.url}
    env.pop("OPENAI_LOG", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{where} failed:\n{result.stderr[-3000:]}"
