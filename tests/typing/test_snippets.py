"""User-style snippets type-check with pyright and mypy as a user of pyopenai would see them.

Each checker runs once over the whole `snippets/` folder (in a subprocess, with the folder's own
configuration, against the installed package); each snippet is then one test per checker: the lines
the checker reports must be exactly the lines marked `# expect-error`. A snippet that fails today
because of a known gap is marked xfail(strict=True) in KNOWN_GAPS, so the mark must go when the
gap closes.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SNIPPETS = Path(__file__).parent / "snippets"
EXPECT_ERROR = "# expect-error"
CHECKERS = ("pyright", "mypy")
MYPY_ERROR_LINE = re.compile(r"^(?P<path>[^:]+\.py):(?P<line>\d+): error: (?P<message>.*)$")

# (snippet, checker) -> why it fails today; `None` as the checker means both.
KNOWN_GAPS: dict[tuple[str, str | None], str] = {
}


def _snippet_files() -> list[str]:
    return sorted(p.name for p in SNIPPETS.glob("*.py"))


def _expected_lines(name: str) -> set[int]:
    lines = (SNIPPETS / name).read_text().splitlines()
    return {number for number, text in enumerate(lines, start=1) if text.rstrip().endswith(EXPECT_ERROR)}


Reported = dict[str, dict[int, list[str]]]  # snippet -> line -> messages


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed next to {sys.executable} (it is in the dev extra: pip install -e '.[dev]')")
    return found


@functools.cache
def _run_pyright() -> Reported:
    result = subprocess.run(
        [_tool("pyright"), "--outputjson", "-p", str(SNIPPETS / "pyrightconfig.json"),
         "--pythonpath", sys.executable, str(SNIPPETS)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"pyright did not report (exit {result.returncode}): {result.stdout}{result.stderr}") from None
    reported: Reported = {}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] != "error":
            continue
        line = diagnostic["range"]["start"]["line"] + 1
        reported.setdefault(Path(diagnostic["file"]).name, {}).setdefault(line, []).append(diagnostic["message"])
    return reported


@functools.cache
def _run_mypy() -> Reported:
    result = subprocess.run(
        [_tool("mypy"), "--config-file", str(SNIPPETS / "mypy.ini"), "--no-error-summary",
         "--cache-dir", "/dev/null", str(SNIPPETS)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    if result.returncode not in (0, 1):  # 2: mypy itself failed (bad configuration, crash)
        raise AssertionError(f"mypy failed (exit {result.returncode}): {result.stdout}{result.stderr}")
    reported: Reported = {}
    for text in result.stdout.splitlines():
        match = MYPY_ERROR_LINE.match(text)
        if match:
            name = Path(match["path"]).name
            reported.setdefault(name, {}).setdefault(int(match["line"]), []).append(match["message"])
    return reported


def _cases() -> list[object]:
    cases: list[object] = []
    for name in _snippet_files():
        for checker in CHECKERS:
            reason = KNOWN_GAPS.get((name, checker)) or KNOWN_GAPS.get((name, None))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(checker, name, marks=marks, id=f"{checker}-{name}"))
    return cases


@pytest.mark.parametrize(("checker", "name"), _cases())
def test_snippet_checks_as_marked(checker: str, name: str) -> None:
    reported = (_run_pyright if checker == "pyright" else _run_mypy)().get(name, {})
    expected = _expected_lines(name)
    unexpected = {line: messages for line, messages in reported.items() if line not in expected}
    missed = sorted(expected - set(reported))
    assert not unexpected and not missed, (
        f"{checker} on {name}: errors on unmarked lines {unexpected}; no error on marked lines {missed}"
    )


def test_known_gaps_name_existing_snippets() -> None:
    files = set(_snippet_files())
    assert {name for name, _ in KNOWN_GAPS} <= files
    assert all(checker in (None, *CHECKERS) for _, checker in KNOWN_GAPS)


def test_every_mistake_snippet_marks_its_mistakes() -> None:
    # a `mistakes_` snippet without marks would pass by reporting nothing, proving nothing
    for name in _snippet_files():
        if name.startswith("mistakes_"):
            assert _expected_lines(name), f"{name} marks no line with {EXPECT_ERROR!r}"
