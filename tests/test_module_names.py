"""Every public name of the official SDK's `types` modules imports from the same module path here.

`fixtures/module_names.tsv` lists, for the official release pyopenai's surface matches, each
(module, name) that code built on the official SDK can import, with its kind: `model` (a pydantic
model there, pyopenai's `BaseModel` here), `typeddict`, `alias` (a union, list, literal... alias)
or `class` (a hand-written helper class). `fixtures/module_names_gaps.tsv` lists the names still
missing or of another kind, one per line: the test fails when one of them starts to work too, so
the list only shrinks (`.venv/bin/python tests/test_module_names.py` rewrites it).
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from typing_extensions import is_typeddict

from pyopenai._models import BaseModel

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_tsv(name: str) -> list[list[str]]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:] if line.strip()]


def kind_of(value: object) -> str:
    if inspect.ismodule(value):
        return "module"
    if inspect.isclass(value):
        if issubclass(value, BaseModel):
            return "model"
        return "typeddict" if is_typeddict(value) else "class"
    return "alias"


def problem(module: str, name: str, kind: str) -> str | None:
    """Why `from pyopenai.<module> import <name>` does not give a `kind` (None when it does)."""
    try:
        loaded = importlib.import_module(f"pyopenai.{module}")
    except ImportError as exc:
        return f"module does not import ({exc})"
    try:
        value = getattr(loaded, name)
    except AttributeError:
        return "name missing"
    found = kind_of(value)
    return None if found == kind else f"a {found}, not a {kind}"


def test_every_official_name_imports_with_its_kind() -> None:
    gaps = {(row[0], row[1]) for row in read_tsv("module_names_gaps.tsv")}
    rows = read_tsv("module_names.tsv")
    assert len(rows) > 4000  # the whole table, not a truncated copy
    broken: list[str] = []
    now_working: list[str] = []
    for module, name, kind in rows:
        why = problem(module, name, kind)
        if why is not None and (module, name) not in gaps:
            broken.append(f"{module}.{name}: {why}")
        elif why is None and (module, name) in gaps:
            now_working.append(f"{module}\t{name}")
    assert not broken, f"{len(broken)} official names fail:\n" + "\n".join(broken[:100])
    assert not now_working, "these work now; remove them from fixtures/module_names_gaps.tsv:\n" + "\n".join(
        now_working
    )


def test_the_gap_list_names_only_rows_of_the_table() -> None:
    table = {(row[0], row[1]) for row in read_tsv("module_names.tsv")}
    unknown = [row for row in read_tsv("module_names_gaps.tsv") if (row[0], row[1]) not in table]
    assert not unknown


def test_a_missing_name_and_a_wrong_kind_are_reported() -> None:
    # the checker itself can fail: a name that does not exist, a model checked as a TypedDict
    assert problem("types.chat", "NoSuchType", "model") == "name missing"
    assert problem("types.no_such_module", "X", "model") is not None
    assert problem("types.chat", "ChatCompletion", "typeddict") == "a model, not a typeddict"
    assert problem("types.chat", "ChatCompletion", "model") is None


def write_gaps() -> int:
    """Rewrite `fixtures/module_names_gaps.tsv` from the package as it is (after a generator change)."""
    lines = ["module\tname\tproblem"]
    for module, name, kind in read_tsv("module_names.tsv"):
        why = problem(module, name, kind)
        if why is not None:
            lines.append(f"{module}\t{name}\t{why}")
    (FIXTURES / "module_names_gaps.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


if __name__ == "__main__":  # .venv/bin/python tests/test_module_names.py
    print(f"{write_gaps()} gaps written to tests/fixtures/module_names_gaps.tsv")
