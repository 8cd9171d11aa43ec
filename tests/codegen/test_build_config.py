"""build_config.py: its tables come from committed facts only (a rerun gives no diff whatever
`openai` is installed), and its reading of a release's definitions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import build_config
import pytest

REPO = Path(__file__).resolve().parents[2]


def test_a_rerun_from_the_committed_facts_rewrites_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "config.yaml"
    committed = (REPO / "codegen" / "config.yaml").read_text(encoding="utf-8")
    copy.write_text(committed, encoding="utf-8")
    monkeypatch.setattr(build_config, "CONFIG", copy)
    build_config.main()
    assert copy.read_text(encoding="utf-8") == committed


def test_definitions_round_trip_and_a_typeddict_subclass_is_a_param(tmp_path: Path) -> None:
    types = tmp_path / "openai" / "types"
    types.mkdir(parents=True)
    (types / "tool_param.py").write_text(textwrap.dedent("""
        _Keywords = TypedDict("_Keywords", {"async": bool}, total=False)

        class ToolParam(_Keywords, total=False):
            name: str

        class Tool(BaseModel):
            name: str

        ToolCall = _compat_ToolCall
    """), encoding="utf-8")
    defs = build_config.read_release_defs(tmp_path)
    table = tmp_path / "definitions.tsv"
    build_config.write_defs(defs, table)
    assert table.read_text(encoding="utf-8").splitlines()[0] == build_config.DEFS_HEAD
    found = defs["tool_param"]
    assert build_config.is_typeddict(defs, "tool_param", found["ToolParam"])  # through the functional TypedDict
    assert not build_config.is_typeddict(defs, "tool_param", found["Tool"])
    assert found["Tool"] == ("class", ["BaseModel"], ["name"])
    assert found["ToolCall"] == ("alias", "_compat_ToolCall", [])
