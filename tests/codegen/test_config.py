"""config.yaml is checked against typed dataclasses: each bad or unknown key is reported with its path."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "codegen"))

from config import SAME_NAME, ConfigError, ModelMixin, parse_config, read_raw  # noqa: E402


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config({"surface_version": "1.0", **raw})
    return info.value.problems


def test_the_committed_config_is_valid() -> None:
    config = parse_config(read_raw())
    assert config.surface_version
    assert config.facts("POST /realtime/calls").raw_body == "sdp"


def test_an_unknown_key_is_named_with_its_path() -> None:
    found = problems({"methods": {"GET /widgets": {"retruns": "Widget"}}})
    assert len(found) == 1
    assert found[0].startswith("methods['GET /widgets'].retruns: unknown key")
    assert "returns" in found[0]  # the known keys are listed


def test_every_problem_is_reported_not_only_the_first() -> None:
    found = problems({
        "naming": {"acronym": {}},
        "helpers": [{"resource": "files", "method": "wait"}],
        "headers_by_resource": {"files": {"OpenAI-Beta": 2}},
        "nonsense": 1,
    })
    assert {p.split(":")[0] for p in found} == {"naming.acronym", "helpers[0].impl",
                                                 "headers_by_resource.files['OpenAI-Beta']", "nonsense"}
    assert "naming.acronym: unknown key (known: acronyms, singular)" in found
    assert "headers_by_resource.files['OpenAI-Beta']: expected a string, got 2" in found


def test_a_missing_required_key_is_reported() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({})
    assert info.value.problems == ["surface_version: required"]
    assert "surface_version: required" in str(info.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"methods": {"POST /x": {"body": "xml"}}}, "methods['POST /x'].body: expected one of 'json', 'multipart' or null, got 'xml'"),
        ({"methods": {"POST /x": {"binary": "yes"}}}, "methods['POST /x'].binary: expected true/false, got 'yes'"),
        ({"helpers": {"resource": "files"}}, "helpers: expected a list, got {'resource': 'files'}"),
        ({"types": {"types": {"Widget": "Thing"}}}, "types.types.Widget: expected a mapping, got 'Thing'"),
        ({"resource_mixins": {"chat": {"sync": "m:A"}}}, "resource_mixins.chat.async: required"),
    ],
)
def test_a_value_of_the_wrong_shape_is_reported(raw: dict[str, Any], expected: str) -> None:
    assert problems(raw) == [expected]


def test_a_type_entry_is_made_from_one_source_only() -> None:
    found = problems({"types": {"types": {"Widget": {"alias": "Gadget", "pointer": "Widget/properties/x"}}}})
    assert found == ["types.types.Widget.pointer: only one of alias, pointer may be given"]
    assert problems({"types": {"types": {"Widget": {"here_only": True}}}}) == [
        "types.types.Widget.here_only: only with pointer"
    ]


def test_a_null_type_entry_means_the_schema_of_the_same_name() -> None:
    config = parse_config({"surface_version": "1", "types": {"types": {"Widget": None, "Gadget": {"schema": None}}}})
    assert config.types["types"]["Widget"].schema is SAME_NAME
    assert config.types["types"]["Gadget"].schema is None  # no schema: a loose placeholder


def test_method_overrides_are_merged_over_the_table_key_by_key() -> None:
    config = parse_config({
        "surface_version": "1",
        "methods": {"POST /x": {"returns": "X", "page": "CursorPage"}},
        "method_overrides": {"POST /x": {"accept": "text/plain"}, "POST /y": {"deprecated": True}},
    })
    x = config.facts("POST /x")
    assert (x.returns, x.page, x.accept) == ("X", "CursorPage", "text/plain")
    assert config.facts("POST /y").deprecated is True
    assert config.facts("POST /z").returns is None  # no entry: nothing overridden


def test_keys_that_are_python_keywords_and_short_forms() -> None:
    config = parse_config({
        "surface_version": "1",
        "resource_mixins": {"chat": {"sync": "m:A", "async": "m:AsyncA"}},
        "model_mixins": {"Response": "m:Mixin", "Other": {"mixin": "m:M2", "replaces": ["x"]}},
    })
    assert config.resource_mixins["chat"].async_ == "m:AsyncA"
    assert config.model_mixin("Response") == ModelMixin("m:Mixin", [])
    assert config.model_mixin("Other").replaces == ["x"]


def test_the_generator_stops_with_the_problems_and_writes_nothing(monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import generate

    written: list[object] = []
    monkeypatch.setattr(generate, "read_raw", lambda: {"surface_version": "1", "helpers": [{"resource": "files"}]})
    monkeypatch.setattr(generate, "format_sources", lambda *args: written.append(args) or {})
    monkeypatch.setattr(sys, "argv", ["generate.py"])
    assert generate.main() == 2
    err = capsys.readouterr().err
    assert "helpers[0].method: required" in err and "helpers[0].impl: required" in err
    assert written == []
