"""The overlay: additive merging that never overrides the spec, decided removals, clear errors,
and the committed overlay's facts reaching the generated surface."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "codegen"))

import overlay  # noqa: E402

SPEC: dict[str, Any] = {
    "paths": {"/widgets/{widget_id}": {"post": {"operationId": "cancelWidget", "responses": {"200": {}}}}},
    "components": {"schemas": {"Model": {"type": "string", "enum": ["a", "b"]},
                               "Widget": {"type": "object", "properties": {"id": {"type": "string"}}}}},
}


def doc() -> dict[str, Any]:
    return copy.deepcopy(SPEC)


def test_adds_operations_fields_and_enum_values_the_spec_lacks() -> None:
    layer = {"actions": [
        {"target": "$.paths", "update": {"/gadgets": {"get": {"x-pyopenai": {"resource": "gadgets", "method": "list"}}}}},
        {"target": '$.components.schemas["Widget"].properties', "update": {"name": {"type": "string"}}},
        {"target": '$.components.schemas["Model"].enum', "update": ["b", "c"]},
    ]}
    merged = overlay.apply_overlay(doc(), layer)
    assert "/gadgets" in merged["paths"]
    assert merged["components"]["schemas"]["Widget"]["properties"] == {"id": {"type": "string"}, "name": {"type": "string"}}
    assert merged["components"]["schemas"]["Model"]["enum"] == ["a", "b", "c"]
    assert overlay.overlay_config(layer)["methods"] == {"GET /gadgets": {"resource": "gadgets", "method": "list"}}


def test_never_replaces_what_the_spec_states() -> None:
    layer = {"actions": [{"target": '$.components.schemas["Widget"].properties', "update": {"id": {"type": "integer"}}}]}
    spec = doc()
    with pytest.raises(overlay.OverlayError, match="the spec wins"):
        overlay.apply_overlay(spec, layer)


def test_removal_needs_a_recorded_decision_and_tolerates_a_spec_that_already_agrees() -> None:
    undecided = {"actions": [{"target": '$.paths["/widgets/{widget_id}"].post', "remove": True}]}
    with pytest.raises(overlay.OverlayError, match="without a recorded decision"):
        overlay.apply_overlay(doc(), undecided)
    decided = {"actions": [{"target": '$.paths["/widgets/{widget_id}"].post', "remove": True, "x-decision": "release wins"}]}
    merged = overlay.apply_overlay(doc(), decided)
    assert merged["paths"]["/widgets/{widget_id}"] == {}
    overlay.apply_overlay(merged, decided)  # a newer spec without the operation: nothing to remove


def test_a_target_missing_from_the_spec_or_unreadable_is_an_error() -> None:
    with pytest.raises(overlay.OverlayError, match="not in the spec"):
        overlay.apply_overlay(doc(), {"actions": [{"target": '$.components.schemas["Nope"].properties', "update": {}}]})
    with pytest.raises(overlay.OverlayError, match="cannot read"):
        overlay.parse_target("$.paths[/x]")


def test_config_always_wins_over_the_overlay_facts() -> None:
    config = {"methods": {"GET /gadgets": {"method": "all"}}, "types": {"types": {"Gadget": {"schema": "G"}}}}
    extra = {"methods": {"GET /gadgets": {"method": "list"}, "GET /other": {"method": "x"}},
             "types": {"types": {"Gadget": {"schema": "Other"}, "Thing": {"schema": "T"}}}}
    merged = overlay.merge_config(config, extra)
    assert merged["methods"]["GET /gadgets"] == {"method": "all"}
    assert merged["methods"]["GET /other"] == {"method": "x"}
    assert merged["types"]["types"] == {"Gadget": {"schema": "G"}, "Thing": {"schema": "T"}}


def prose(node: Any) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary", "title") and isinstance(value, str):
                yield value
            yield from prose(value)
    elif isinstance(node, list):
        for value in node:
            yield from prose(value)


def test_committed_overlay_is_derived_facts_and_applies_to_the_committed_spec() -> None:
    layer = json.loads((REPO / "openapi" / "overlay.json").read_text(encoding="utf-8"))
    assert layer["x-derived-from"]["package"] == "openai"
    assert not list(prose(layer["actions"]))  # `description` may name a field; never a sentence
    spec = json.loads((REPO / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    merged = overlay.apply_overlay(spec, layer)
    assert "post" in merged["paths"]["/evals/{eval_id}/runs/{run_id}/cancel"]
    assert "post" not in merged["paths"]["/evals/{eval_id}/runs/{run_id}"]


def test_the_new_surface_sends_what_the_release_sends() -> None:
    import httpx2

    from pyopenai import OpenAI

    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"id": "run_1", "object": "eval.run"})

    client = OpenAI(api_key="sk-test", base_url="http://api.test/v1", http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    client.evals.runs.cancel("run_1", eval_id="eval_1")
    client.beta.agents.vaults.retrieve("vault_1")
    assert [(r.method, r.url.path) for r in seen] == [("POST", "/v1/evals/eval_1/runs/run_1/cancel"), ("GET", "/v1/vaults/vault_1")]
    assert seen[1].headers["OpenAI-Beta"] == "agents=v1"
