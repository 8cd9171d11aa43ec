"""``/v1/decisions``: deterministic answers to predicate, choice and score questions.

The answer is a pure function of the request, so a test can steer it from its input text:

- a ``choice`` question picks the first choice whose value (or description) the input mentions,
  else its first choice;
- a ``score`` question picks the first level whose label the input mentions, else the middle one;
- a ``predicate`` is likely true (0.9) when the input says "yes" or "true", else unlikely (0.1);
- any question is refused when the input says "refuse".

The chosen option gets probability 0.9 and the others share the rest; ``confidence`` is that 0.9.
"""

from __future__ import annotations

import re
from typing import Any

from ._core import Core, Router, json_response
from ._errors import bad_request
from ._http import Request, Response
from ._synth import count_tokens
from ._validate import as_list, as_object, json_body, req_list, req_str

_PICKED = 0.9


def _text(value: object) -> str:
    """Every string inside `value` (messages, parts, tool outputs), joined."""
    if isinstance(value, str):
        return value
    items = as_list(value)
    if items is not None:
        return " ".join(_text(item) for item in items)
    obj = as_object(value)
    return "" if obj is None else " ".join(_text(item) for item in obj.values())


def _mentions(text: str, word: object) -> bool:
    phrase = str(word).strip().lower()
    return bool(phrase) and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _spread(count: int, picked: int) -> list[float]:
    """Probabilities over `count` options with `picked` the likely one."""
    if count == 1:
        return [1.0]
    rest = round((1 - _PICKED) / (count - 1), 6)
    return [_PICKED if i == picked else rest for i in range(count)]


def _options(question: dict[str, Any], key: str, index: int) -> list[dict[str, Any]]:
    options = [as_object(item) for item in as_list(question.get(key)) or []]
    if not options or any(option is None for option in options):
        raise bad_request(f"Invalid 'questions[{index}].{key}': expected a non-empty array of objects.",
                          param=f"questions[{index}].{key}", code="invalid_value")
    return [option for option in options if option is not None]


def _answer(question: dict[str, Any], index: int, text: str) -> dict[str, Any]:
    kind = question.get("type")
    if "instructions" not in question:
        raise bad_request(f"Missing required parameter: 'questions[{index}].instructions'.",
                          param=f"questions[{index}].instructions", code="missing_required_parameter")
    named = {"name": question["name"]} if isinstance(question.get("name"), str) else {}
    if kind not in ("predicate", "choice", "score"):
        raise bad_request(f"Invalid 'questions[{index}].type': expected 'predicate', 'choice' or 'score'.",
                          param=f"questions[{index}].type", code="invalid_value")
    if _mentions(text, "refuse"):
        return {"type": "refusal", **named}
    if kind == "predicate":
        likely = _mentions(text, "yes") or _mentions(text, "true")
        return {"type": "predicate", "probability": _PICKED if likely else round(1 - _PICKED, 6), **named}
    if kind == "choice":
        choices = _options(question, "choices", index)
        picked = next((i for i, c in enumerate(choices)
                       if _mentions(text, c.get("value")) or _mentions(text, c.get("description", ""))), 0)
        spread = _spread(len(choices), picked)
        return {"type": "choice", "choice": choices[picked].get("value"), "confidence": spread[picked],
                "probabilities": [{"value": c.get("value"), "probability": p} for c, p in zip(choices, spread)],
                **named}
    levels = _options(question, "levels", index)
    picked = next((i for i, level in enumerate(levels) if _mentions(text, level.get("label"))), (len(levels) - 1) // 2)
    spread = _spread(len(levels), picked)
    return {"type": "score", "score": float(picked), "confidence": spread[picked],
            "probabilities": [{"label": level.get("label"), "value": i, "probability": p}
                              for i, (level, p) in enumerate(zip(levels, spread))],
            **named}


def create_decision(core: Core, req: Request, params: dict[str, str]) -> Response:
    body = json_body(req)
    model = req_str(body, "model")
    core.model(model, "chat")
    if "input" not in body:
        raise bad_request("Missing required parameter: 'input'.", param="input", code="missing_required_parameter")
    if not isinstance(body["input"], (str, list)):
        raise bad_request("Invalid 'input': expected a string or an array of input items.", param="input",
                          code="invalid_type")
    questions = req_list(body, "questions")
    text = _text(body.get("input")).lower()
    answers: list[dict[str, Any]] = []
    for index, raw in enumerate(questions):
        question = as_object(raw)
        if question is None:
            raise bad_request(f"Invalid 'questions[{index}]': expected an object.", param=f"questions[{index}]",
                              code="invalid_type")
        answers.append(_answer(question, index, text))
    input_tokens = count_tokens(text) + sum(count_tokens(_text(q)) for q in questions)
    output_tokens = 4 * len(answers)
    return json_response({
        "model": model,
        "answers": answers,
        "usage": {
            "input_tokens": input_tokens,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": input_tokens + output_tokens,
        },
    })


def register(router: Router) -> None:
    router.add("POST", "/decisions", create_decision)
