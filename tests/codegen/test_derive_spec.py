"""The committed spec copy: prose out, facts in, the same bytes for the same input, clear errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

CODEGEN = Path(__file__).resolve().parents[2] / "codegen"
sys.path.insert(0, str(CODEGEN))

import derive_spec  # noqa: E402
import spec as spec_module  # noqa: E402

SOURCE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "OpenAI API", "version": "2.3.0", "description": "Prose about the API."},
    "tags": [{"name": "Chat", "description": "Prose about chat."}],
    "x-oaiMeta": {"groups": []},
    "paths": {
        "/widgets/{widget_id}": {
            "get": {
                "operationId": "getWidget",
                "summary": "Get a widget",
                "description": "Long prose.",
                "x-oaiMeta": {"examples": {"request": {"curl": "curl ..."}}},
                "parameters": [
                    {
                        "name": "widget_id",
                        "in": "path",
                        "required": True,
                        "description": "The widget.",
                        "schema": {"type": "string", "example": "wdg_123"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "OK, with prose.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Widget": {
                "type": "object",
                "title": "Widget",
                "description": "A widget, described.",
                "required": ["description", "summary"],
                "properties": {
                    # property names that are also OpenAPI keywords stay: they are fields of the API
                    "description": {"type": "string", "description": "The widget's description."},
                    "summary": {"type": "string", "x-oaiTypeLabel": "string"},
                    "size": {"type": "integer", "default": 3, "example": 3},
                    "shape": {"type": "string", "enum": ["round", "square"], "example": "x" * 80},
                    "settings": {"type": "object", "default": {"description": "kept: a default is data"}},
                    "kind": {"type": "string", "x-stainless-const": True, "example": "line one\nline two"},
                },
            }
        }
    },
}


def derived() -> dict[str, Any]:
    return derive_spec.derive(json.loads(json.dumps(SOURCE)), "openapi.sdk.yml", "0" * 64)


def test_prose_is_dropped_everywhere() -> None:
    out = derived()
    text = derive_spec.render(out)
    for sentence in ("Prose", "prose", "Get a widget", "The widget", "described", "curl"):
        assert sentence not in text
    assert "tags" not in out and "x-oaiMeta" not in out
    assert "x-oaiTypeLabel" not in text


def test_facts_and_keyword_named_properties_are_kept() -> None:
    widget = derived()["components"]["schemas"]["Widget"]
    assert list(widget["properties"]) == ["description", "summary", "size", "shape", "settings", "kind"]
    assert widget["properties"]["description"] == {"type": "string"}
    assert widget["required"] == ["description", "summary"]
    assert widget["title"] == "Widget"
    assert widget["properties"]["shape"] == {"type": "string", "enum": ["round", "square"]}  # long example dropped
    assert widget["properties"]["size"] == {"type": "integer", "default": 3, "example": 3}
    assert widget["properties"]["settings"]["default"] == {"description": "kept: a default is data"}
    assert widget["properties"]["kind"] == {"type": "string", "x-stainless-const": True}  # multi-line example dropped


def test_operations_keep_what_the_generator_and_mock_server_read() -> None:
    op = derived()["paths"]["/widgets/{widget_id}"]["get"]
    assert op["operationId"] == "getWidget"
    assert op["parameters"] == [
        {"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string", "example": "wdg_123"}}
    ]
    # OpenAPI requires a description on a response: an empty one keeps the document valid
    assert op["responses"]["200"]["description"] == ""
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Widget"}


def test_the_copy_names_its_source() -> None:
    info = derived()["info"]
    assert info == {
        "title": "OpenAI API",
        "version": "2.3.0",
        "x-pyopenai-derived-from": {"file": "openapi.sdk.yml", "sha256": "0" * 64},
    }


def test_update_spec_writes_the_same_bytes_for_the_same_input(tmp_path: Path) -> None:
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(SOURCE), encoding="utf-8")
    assert derive_spec.main([str(source), str(tmp_path / "a")]) == 0
    assert derive_spec.main([str(source), str(tmp_path / "b")]) == 0
    first = (tmp_path / "a" / "openapi.json").read_bytes()
    assert first == (tmp_path / "b" / "openapi.json").read_bytes()
    assert json.loads(first)["components"]["schemas"]["Widget"]["properties"]["size"]["default"] == 3


def test_update_spec_refuses_bad_input_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "out"
    assert derive_spec.main([str(tmp_path / "missing.yml"), str(out_dir)]) == 2
    assert "is not a file" in capsys.readouterr().err
    not_openapi = tmp_path / "config.json"
    not_openapi.write_text('{"hello": "world"}', encoding="utf-8")
    assert derive_spec.main([str(not_openapi), str(out_dir)]) == 1
    assert "does not look like an OpenAPI document" in capsys.readouterr().err
    assert not out_dir.exists()


def test_a_missing_generator_input_is_an_error_not_a_skip(tmp_path: Path) -> None:
    with pytest.raises(spec_module.SpecMissingError, match="missing"):
        spec_module.load_spec(tmp_path / "openapi.json")


def test_the_committed_copy_is_what_the_loader_reads() -> None:
    loaded = spec_module.load_spec()
    assert loaded.source == spec_module.SPEC_FILE
    assert loaded.schemas and "/chat/completions" in loaded.doc["paths"]
