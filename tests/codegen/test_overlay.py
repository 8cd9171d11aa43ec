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
    # what the overlay adds is marked, so a schema it shares keeps the config's name for its `$ref`s
    assert merged["types"]["types"] == {"Gadget": {"schema": "G"}, "Thing": {"schema": "T", overlay.DERIVED: True}}
    aliases = overlay.merge_config({"module_aliases": {"types.g": {"A": "B"}}},
                                   {"module_aliases": {"types.g": {"A": "C", "D": "E"}}})["module_aliases"]
    assert aliases == {"types.g": {"A": "B", "D": "E"}}
    # the release's `types.shared_params` names join the config's list (its order first)
    shared = overlay.merge_config({"shared_params": {"package": "types.shared_params", "names": ["Reasoning"]}},
                                  {"shared_params": ["DecisionInputJSON", "Reasoning"]})["shared_params"]
    assert shared == {"package": "types.shared_params", "names": ["Reasoning", "DecisionInputJSON"]}


def test_the_release_the_overlay_was_read_from_is_the_surface_version() -> None:
    facts = overlay.overlay_config({"x-derived-from": {"package": "openai", "version": "9.1.0"}})
    assert overlay.merge_config({"surface_version": "3.3.1"}, facts)["surface_version"] == "9.1.0"
    # without a recorded release the config's own stays
    assert overlay.merge_config({"surface_version": "3.3.1"}, overlay.overlay_config({}))["surface_version"] == "3.3.1"
    committed = json.loads((REPO / "openapi" / "overlay.json").read_text())
    surface = (REPO / "src" / "pyopenai" / "types" / "_surface.py").read_text()
    assert f'OFFICIAL_SDK_VERSION = "{committed["x-derived-from"]["version"]}"' in surface


def test_naming_facts_on_an_operation_the_spec_has_reach_the_config() -> None:
    layer = {"actions": [{"target": '$.paths["/widgets/{widget_id}"].post',
                          "update": {"x-pyopenai": {"resource": "widgets", "method": "cancel", "returns": "Widget"}}}]}
    merged = overlay.apply_overlay(doc(), layer)
    assert merged["paths"]["/widgets/{widget_id}"]["post"]["operationId"] == "cancelWidget"  # the spec's stay
    assert overlay.overlay_config(layer)["methods"] == {
        "POST /widgets/{widget_id}": {"resource": "widgets", "method": "cancel", "returns": "Widget"}
    }


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


def test_the_releases_names_reach_the_generated_modules() -> None:
    # nested types the overlay adds keep the release's names (`Tool...LiveMCPToolFilterParam`, not
    # one built from the schema's path); a spec schema the release names gets that public name; an
    # endpoint's params live in the release's module
    from pyopenai.types.audio import Voice
    from pyopenai.types.live import Error, FunctionTool
    from pyopenai.types.live.responses_delegation_config import (
        ToolChoiceLiveAllowedToolsChoiceParamToolLiveMCPToolChoiceParam,
        ToolMcpAllowedToolsLiveMCPToolFilterParam,
    )
    from pyopenai.types.responses import FunctionTool as ResponsesFunctionTool
    from pyopenai.types.responses.response import PromptCacheDiagnostics, Response
    from pyopenai.types.webhooks import WebhookCreateParams

    assert ToolMcpAllowedToolsLiveMCPToolFilterParam.model_validate({"tool_names": ["a"]}).tool_names == ["a"]
    assert ToolChoiceLiveAllowedToolsChoiceParamToolLiveMCPToolChoiceParam.model_validate(
        {"type": "mcp", "name": "n", "server_label": "s"}).server_label == "s"
    assert Voice.model_validate({"id": "voice_1", "object": "audio.voice", "name": "v", "created_at": 1}).id == "voice_1"
    assert Error.model_validate({"message": "m", "type": "t"}).message == "m"
    assert FunctionTool is not ResponsesFunctionTool  # its own name; `$ref`s elsewhere keep the config's
    assert ResponsesFunctionTool.__module__ == "pyopenai.types.responses.function_tool"
    assert "prompt_cache_diagnostics" in Response.model_fields  # a field the release added to a spec schema
    assert "PromptCacheDiagnostics" in sys.modules[Response.__module__].__all__
    assert sys.modules[Response.__module__].PromptCacheDiagnostics is PromptCacheDiagnostics
    assert WebhookCreateParams.__module__ == "pyopenai.types.webhooks.webhook_create_params"
    # the kind the release gives: a model named like a param stays a model, a TypedDict's subclass a TypedDict
    from typing_extensions import is_typeddict

    from pyopenai._models import BaseModel
    from pyopenai.types import DecisionInputMessageParam
    from pyopenai.types.responses import ResponseConfigurationUpdateItemParam

    assert issubclass(ResponseConfigurationUpdateItemParam, BaseModel)
    assert is_typeddict(DecisionInputMessageParam)


def test_a_method_whose_body_the_release_builds_at_run_time_takes_its_real_parameters() -> None:
    # the release hands the body to a hook first (`prepare_session_create(self, {...})`); its keys
    # and the params module's nested types still reach both clients
    import inspect

    import httpx2

    from pyopenai import OpenAI
    from pyopenai.resources.beta.agents.sessions.sessions import AsyncSessions, Sessions
    from pyopenai.types.beta.agents.session_create_params import Agent, SpendControl

    for cls in (Sessions, AsyncSessions):
        params = inspect.signature(cls.create).parameters
        assert {"environment", "agent", "agent_id", "input", "spend_control", "stream_options", "vault_ids"} <= set(params)
        assert params["environment"].default is inspect.Parameter.empty  # required, as in the release
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"id": "sess_1", "object": "agent.session"})

    client = OpenAI(api_key="sk-test", base_url="http://api.test/v1", http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    agent: Agent = {"model": "gpt-5"}
    limit: SpendControl = {"limit": 100}
    client.beta.agents.sessions.create(environment={"type": "none"}, agent=agent, spend_control=limit)
    assert (seen[0].method, seen[0].url.path) == ("POST", "/v1/agents/sessions")
    assert json.loads(seen[0].content) == {"environment": {"type": "none"}, "agent": {"model": "gpt-5"},
                                           "spend_control": {"limit": 100}}


def test_the_live_client_events_import_from_the_releases_paths() -> None:
    # (tell `live`: these are generated now, with the release's names and members)
    from typing import get_args, get_type_hints

    from pyopenai.types.live import (
        ClientEventParam,
        ConnectClientEventParam,
        ForkClientEventParam,
        ResponseItemCreateEventParam,
        SidebandConnectParams,
    )
    from pyopenai.types.live.connect_client_event_param import TransportDtmfSend
    from pyopenai.types.responses import ResponseInputItemParam

    assert get_type_hints(ResponseItemCreateEventParam)["item"] == ResponseInputItemParam  # the public union, not a copy
    assert get_type_hints(SidebandConnectParams) == {"graceful_close": bool}
    for union in (ClientEventParam, ConnectClientEventParam, ForkClientEventParam):
        assert ResponseItemCreateEventParam in get_args(union)
    assert TransportDtmfSend in get_args(ConnectClientEventParam)


def test_the_releases_shared_params_get_their_request_side_copies() -> None:
    from typing_extensions import is_typeddict

    from pyopenai.types.shared_params import DecisionInputJSON, DecisionQuestionInputPart
    from pyopenai.types.shared_params.decision_question_input_text import DecisionQuestionInputText

    assert is_typeddict(DecisionInputJSON) and is_typeddict(DecisionQuestionInputText)
    assert DecisionQuestionInputText.__module__ == "pyopenai.types.shared_params.decision_question_input_text"
    assert DecisionQuestionInputPart is not None


def test_new_union_members_go_where_the_release_lists_them() -> None:
    spec: dict[str, Any] = {"components": {"schemas": {"Event": {"anyOf": [{"$ref": "#/a"}, {"$ref": "#/c"}]}}}}
    action = {
        "target": '$.components.schemas["Event"].anyOf',
        "update": [{"$ref": "#/first"}, {"$ref": "#/b"}, {"$ref": "#/b2"}, {"$ref": "#/a"}],
        "x-after": [-1, 0, 0, 0],  # after nothing, after a (twice, in order), and one already there
    }
    overlay.apply_overlay(spec, {"actions": [action]})
    refs = [v["$ref"] for v in spec["components"]["schemas"]["Event"]["anyOf"]]
    assert refs == ["#/first", "#/a", "#/b", "#/b2", "#/c"]
