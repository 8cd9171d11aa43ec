"""``/v1/models``: a fixed list of models."""

from __future__ import annotations

from typing import Any

from ._core import Core, ModelInfo, Router, json_response
from ._errors import APIFailure, model_not_found
from ._http import Request, Response


def model_object(info: ModelInfo) -> dict[str, Any]:
    return {"id": info.id, "object": "model", "created": info.created, "owned_by": info.owned_by}


def list_models(core: Core, req: Request, params: dict[str, str]) -> Response:
    return json_response({"object": "list", "data": [model_object(m) for m in core.models.values()]})


def retrieve_model(core: Core, req: Request, params: dict[str, str]) -> Response:
    info = core.models.get(params["model"])
    if info is None:
        raise model_not_found(params["model"])
    return json_response(model_object(info))


def delete_model(core: Core, req: Request, params: dict[str, str]) -> Response:
    info = core.models.get(params["model"])
    if info is None:
        raise model_not_found(params["model"])
    if info.owned_by != "user":
        raise APIFailure(403, f"You are not allowed to delete the model '{info.id}'.", code="model_not_deletable")
    del core.models[info.id]
    return json_response({"id": info.id, "object": "model", "deleted": True})


def register(router: Router) -> None:
    router.add("GET", "/models", list_models)
    router.add("GET", "/models/{model}", retrieve_model)
    router.add("DELETE", "/models/{model}", delete_model)
