"""``/v1/moderations``: deterministic flags from a small word list (the scores follow the flags)."""

from __future__ import annotations

import re
from typing import Any

from ._core import Core, Router, json_response
from ._errors import bad_request
from ._http import Request, Response
from ._validate import as_object, json_body, opt_str

CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/instructions",
    "self-harm/intent",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)

# A word (case-insensitive, whole word or prefix) flags these categories.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "kill": ("violence",),
    "murder": ("violence", "violence/graphic"),
    "gore": ("violence/graphic",),
    "attack": ("violence",),
    "threaten": ("harassment", "harassment/threatening"),
    "idiot": ("harassment",),
    "hate": ("hate",),
    "suicide": ("self-harm", "self-harm/intent"),
    "selfharm": ("self-harm",),
    "nsfw": ("sexual",),
    "explicit": ("sexual",),
    "shoplift": ("illicit",),
    "bomb": ("illicit", "illicit/violent", "violence"),
}
_WORD = re.compile(r"[a-z]+")
_IMAGE_CATEGORIES = {
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "violence",
    "violence/graphic",
}


def flagged_categories(text: str) -> set[str]:
    found: set[str] = set()
    for word in _WORD.findall(text.lower().replace("self-harm", "selfharm")):
        for trigger, cats in TRIGGERS.items():
            if word.startswith(trigger):
                found.update(cats)
    return found


def _parts(raw: object) -> list[list[tuple[str, str]]]:
    """Per result: ``[(input type, text)]``; strings/string arrays give one result each,
    an array of multimodal parts gives one result for all of them."""
    if isinstance(raw, str):
        return [[("text", raw)]]
    if not isinstance(raw, list) or not raw:
        raise bad_request(
            "Invalid 'input': expected a string, an array of strings or of input parts.",
            param="input",
            code="invalid_value",
        )
    items: list[Any] = raw  # pyright: ignore[reportUnknownVariableType]
    if all(isinstance(x, str) for x in items):
        return [[("text", str(x))] for x in items]
    parts: list[tuple[str, str]] = []
    for i, item in enumerate(items):
        obj = as_object(item)
        kind = obj.get("type") if obj else None
        if obj is not None and kind == "text" and isinstance(obj.get("text"), str):
            parts.append(("text", str(obj["text"])))
        elif obj is not None and kind == "image_url":
            url = as_object(obj.get("image_url")) or {}
            parts.append(("image", str(url.get("url", ""))))
        else:
            raise bad_request(f"Invalid 'input[{i}]'.", param=f"input[{i}]", code="invalid_value")
    return [parts]


def create_moderation(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    model = opt_str(body, "model") or "omni-moderation-latest"
    core.model(model, "moderation")
    if "input" not in body:
        raise bad_request("Missing required parameter: 'input'.", param="input", code="missing_required_parameter")
    results: list[dict[str, Any]] = []
    for parts in _parts(body["input"]):
        hits: dict[str, set[str]] = {}
        for kind, text in parts:
            for cat in flagged_categories(text):
                if kind == "text" or cat in _IMAGE_CATEGORIES:
                    hits.setdefault(cat, set()).add(kind)
        kinds = sorted({kind for kind, _ in parts})
        results.append(
            {
                "flagged": bool(hits),
                "categories": {c: c in hits for c in CATEGORIES},
                "category_scores": {c: 0.97 if c in hits else 1e-5 for c in CATEGORIES},
                "category_applied_input_types": {
                    c: sorted(hits.get(c, ())) or [k for k in kinds if k == "text" or c in _IMAGE_CATEGORIES]
                    for c in CATEGORIES
                },
            }
        )
    return json_response({"id": core.ids("modr-", 24), "model": model, "results": results})


def register(router: Router) -> None:
    router.add("POST", "/moderations", create_moderation)
