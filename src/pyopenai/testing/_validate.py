"""Request validation the way the API reports it: 400 ``invalid_request_error`` naming the ``param``."""

from __future__ import annotations

import json
from typing import Any, cast

from ._errors import APIFailure, bad_request
from ._http import Request

__all__ = [
    "JSONObject",
    "as_list",
    "as_object",
    "json_body",
    "opt_bool",
    "opt_int",
    "opt_list",
    "opt_number",
    "opt_object",
    "opt_str",
    "query_int",
    "query_order",
    "req_list",
    "req_str",
    "required_metadata",
]

JSONObject = dict[str, Any]

_TYPE_NAMES = {str: "a string", int: "an integer", bool: "a boolean", list: "an array", dict: "an object"}


def json_body(req: Request) -> JSONObject:
    """The request body as a JSON object, or the API's 400 for a missing/invalid/non-object body."""
    if not req.body:
        raise bad_request("The request body is empty; a JSON object was expected.")
    ctype = req.headers.get("content-type", "application/json").split(";", 1)[0].strip().lower()
    if ctype not in ("application/json", "", "text/json") and not ctype.endswith("+json"):
        raise APIFailure(
            415 if ctype.startswith("multipart/") else 400,
            f"Unsupported content type '{ctype}'; send 'application/json'.",
        )
    try:
        data = json.loads(req.body)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    return cast(JSONObject, data)


def as_object(value: object) -> JSONObject | None:
    return cast(JSONObject, value) if isinstance(value, dict) else None


def as_list(value: object) -> list[Any] | None:
    return cast(list[Any], value) if isinstance(value, list) else None


def _missing(param: str) -> APIFailure:
    return bad_request(f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter")


def _wrong_type(param: str, expected: type, value: object) -> APIFailure:
    return bad_request(
        f"Invalid type for '{param}': expected {_TYPE_NAMES.get(expected, expected.__name__)}, "
        f"but got {_json_type(value)}.",
        param=param,
        code="invalid_type",
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def req_str(body: JSONObject, key: str, param: str | None = None) -> str:
    param = param or key
    if key not in body or body[key] is None:
        raise _missing(param)
    value = body[key]
    if not isinstance(value, str):
        raise _wrong_type(param, str, value)
    if not value:
        raise bad_request(f"Invalid '{param}': empty string.", param=param, code="empty_string")
    return value


def opt_str(body: JSONObject, key: str, param: str | None = None) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _wrong_type(param or key, str, value)
    return value


def req_list(body: JSONObject, key: str, *, min_items: int = 1, param: str | None = None) -> list[Any]:
    param = param or key
    if key not in body or body[key] is None:
        raise _missing(param)
    value = body[key]
    if not isinstance(value, list):
        raise _wrong_type(param, list, value)
    items = cast(list[Any], value)
    if len(items) < min_items:
        raise bad_request(
            f"Invalid '{param}': empty array. Expected an array with minimum length {min_items}, "
            "but got an empty array instead.",
            param=param,
            code="empty_array",
        )
    return items


def opt_list(body: JSONObject, key: str, param: str | None = None) -> list[Any] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise _wrong_type(param or key, list, value)
    return cast(list[Any], value)


def opt_object(body: JSONObject, key: str, param: str | None = None) -> JSONObject | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _wrong_type(param or key, dict, value)
    return cast(JSONObject, value)


def opt_bool(body: JSONObject, key: str, default: bool = False) -> bool:
    value = body.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _wrong_type(key, bool, value)
    return value


def opt_int(
    body: JSONObject, key: str, default: int | None = None, *, minimum: int | None = None, maximum: int | None = None
) -> int | None:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(key, int, value)
    _check_range(key, value, minimum, maximum)
    return value


def opt_number(
    body: JSONObject, key: str, *, minimum: float | None = None, maximum: float | None = None
) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise bad_request(
            f"Invalid type for '{key}': expected a number, but got {_json_type(value)}.", param=key, code="invalid_type"
        )
    _check_range(key, float(value), minimum, maximum)
    return float(value)


def _check_range(key: str, value: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and value < minimum:
        raise bad_request(
            f"Invalid '{key}': {value} is below the minimum of {minimum}.", param=key, code="integer_below_min_value"
        )
    if maximum is not None and value > maximum:
        raise bad_request(
            f"Invalid '{key}': {value} is above the maximum of {maximum}.", param=key, code="integer_above_max_value"
        )


def required_metadata(body: JSONObject) -> JSONObject:
    """The ``metadata`` an update call must send (``null`` clears it)."""
    if "metadata" not in body:
        raise _missing("metadata")
    return opt_object(body, "metadata") or {}


def query_int(req: Request, name: str, default: int, *, minimum: int = 1, maximum: int = 100) -> int:
    raw = req.query_value(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"Invalid '{name}': expected an integer, got '{raw}'.", param=name) from None
    if value < minimum or value > maximum:
        raise bad_request(f"Invalid '{name}': must be between {minimum} and {maximum}.", param=name)
    return value


def query_order(req: Request, default: str) -> str:
    raw = req.query_value("order") or default
    if raw not in ("asc", "desc"):
        raise bad_request(f"Invalid 'order': expected 'asc' or 'desc', got '{raw}'.", param="order")
    return raw
