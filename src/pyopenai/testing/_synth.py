"""Deterministic content: reply text, token counts, JSON documents for a schema, embedding vectors.

Everything here is a pure function of its input, so the same request always gets the same answer.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
from typing import Any, cast

__all__ = [
    "Turn",
    "compose_reply",
    "count_tokens",
    "embedding_vector",
    "instance_for_schema",
    "split_tokens",
    "truncate_tokens",
]

_TOKEN_RE = re.compile(r"\s*\w+|\s*[^\w\s]|\s+")

Turn = tuple[str, str]  # (role, text)


def split_tokens(text: str) -> list[str]:
    """Split text into word-ish pieces that join back to the text (each piece keeps its leading space)."""
    return _TOKEN_RE.findall(text)


def count_tokens(text: str) -> int:
    return len(_TOKEN_RE.findall(text))


def truncate_tokens(text: str, limit: int) -> tuple[str, bool]:
    pieces = split_tokens(text)
    if len(pieces) <= limit:
        return text, False
    return "".join(pieces[:limit]), True


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def compose_reply(turns: list[Turn], *, instructions: str | None = None, choice: int = 0) -> str:
    """An echo-ish answer to the last user turn that mentions the conversation around it.

    - the last user turn is echoed: ``You said: "..."``;
    - an earlier user turn, if any, is mentioned (so a continued conversation is visible);
    - a tool result, when it is the last turn, is reported instead of an echo;
    - ``choice`` > 0 (``n`` > 1) gets a distinct but stable variant.
    """
    last_role, last_text = turns[-1] if turns else ("user", "")
    if last_role == "tool":
        reply = f'The tool returned: "{_short(last_text)}".'
    else:
        users = [text for role, text in turns if role == "user"]
        current = users[-1] if users else ""
        reply = f'You said: "{_short(current)}".' if current.strip() else "Hello! How can I help you today?"
        if len(users) > 1:
            reply += f' Earlier you said: "{_short(users[-2], 80)}".'
    if instructions:
        reply += f' (Following instructions: "{_short(instructions, 80)}".)'
    if choice:
        reply += f" [alternative {choice + 1}]"
    return reply


def _digest(*parts: str) -> bytes:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).digest()


def _seed_int(*parts: str) -> int:
    return int.from_bytes(_digest(*parts)[:8], "little")


# ---------------------------------------------------------------------------------------------
# JSON documents valid for a JSON schema (the subset structured outputs and function tools use)


def instance_for_schema(schema: object, seed: str = "") -> Any:
    """A JSON value that validates against ``schema``; ``$ref`` into ``$defs``/``definitions`` is followed."""
    root = cast(dict[str, Any], schema) if isinstance(schema, dict) else {}
    return _instance(root, root, seed, "value", 0)


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if ref == "#":
        return root
    if not ref.startswith("#/"):
        return {}
    node: Any = root
    for raw in ref[2:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return {}
        node = cast(dict[str, Any], node)[key]
    return cast(dict[str, Any], node) if isinstance(node, dict) else {}


def _instance(root: dict[str, Any], schema: dict[str, Any], seed: str, name: str, depth: int) -> Any:
    if depth > 12:
        return None
    if "$ref" in schema:
        merged = {**_resolve(root, str(schema["$ref"])), **{k: v for k, v in schema.items() if k != "$ref"}}
        return _instance(root, merged, seed, name, depth + 1)
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        values = cast(list[Any], enum)
        non_null = [v for v in values if v is not None]
        return (non_null or values)[_seed_int(seed, name) % len(non_null or values)]
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            options = [cast(dict[str, Any], b) for b in cast(list[Any], branches) if isinstance(b, dict)]
            chosen = next((b for b in options if b.get("type") != "null"), options[0] if options else {})
            return _instance(root, chosen, seed, name, depth + 1)
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and all_of:
        merged: dict[str, Any] = {}
        for part in cast(list[Any], all_of):
            if isinstance(part, dict):
                part_d = cast(dict[str, Any], part)
                if "$ref" in part_d:
                    part_d = _resolve(root, str(part_d["$ref"]))
                _merge(merged, part_d)
        _merge(merged, {k: v for k, v in schema.items() if k != "allOf"})
        return _instance(root, merged, seed, name, depth + 1)

    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in cast(list[Any], kind) if k != "null"]
        kind = kinds[0] if kinds else "null"
    if kind is None:
        if "properties" in schema:
            kind = "object"
        elif "items" in schema or "prefixItems" in schema:
            kind = "array"
        else:
            kind = "string"

    if kind == "object":
        return _object_instance(root, schema, seed, name, depth)
    if kind == "array":
        return _array_instance(root, schema, seed, name, depth)
    if kind == "string":
        return _string_instance(schema, seed, name)
    if kind == "integer":
        return int(_number_instance(schema, seed, name, integer=True))
    if kind == "number":
        return _number_instance(schema, seed, name, integer=False)
    if kind == "boolean":
        return _seed_int(seed, name) % 2 == 0
    return None


def _merge(into: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if key == "properties" and isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = {**cast(dict[str, Any], into[key]), **cast(dict[str, Any], value)}
        elif key == "required" and isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = [*cast(list[Any], into[key]), *cast(list[Any], value)]
        else:
            into[key] = value


def _object_instance(root: dict[str, Any], schema: dict[str, Any], seed: str, name: str, depth: int) -> Any:
    props = schema.get("properties")
    props_d = cast(dict[str, Any], props) if isinstance(props, dict) else {}
    out: dict[str, Any] = {}
    # every declared property (strict schemas require all of them; extra optional ones are harmless)
    for key, sub in props_d.items():
        out[key] = _instance(root, cast(dict[str, Any], sub) if isinstance(sub, dict) else {}, seed, key, depth + 1)
    required = schema.get("required")
    for key in cast(list[Any], required) if isinstance(required, list) else []:
        if isinstance(key, str) and key not in out:
            out[key] = f"{key} value"
    min_props = schema.get("minProperties")
    extra = schema.get("additionalProperties")
    if isinstance(min_props, int) and len(out) < min_props and extra is not False:
        extra_schema = cast(dict[str, Any], extra) if isinstance(extra, dict) else {"type": "string"}
        for i in range(len(out), min_props):
            out[f"key_{i + 1}"] = _instance(root, extra_schema, seed, f"key_{i + 1}", depth + 1)
    return out


def _array_instance(root: dict[str, Any], schema: dict[str, Any], seed: str, name: str, depth: int) -> Any:
    prefix = schema.get("prefixItems")
    out: list[Any] = []
    if isinstance(prefix, list):
        for i, sub in enumerate(cast(list[Any], prefix)):
            sub_d = cast(dict[str, Any], sub) if isinstance(sub, dict) else {}
            out.append(_instance(root, sub_d, seed, f"{name}[{i}]", depth + 1))
    items = schema.get("items")
    items_d = cast(dict[str, Any], items) if isinstance(items, dict) else None
    min_items = schema.get("minItems")
    max_items = schema.get("maxItems")
    count = max(int(min_items) if isinstance(min_items, int) else 0, 2 if items_d is not None and not prefix else 0)
    if isinstance(max_items, int):
        count = min(count, max_items)
    if items_d is not None:
        for i in range(len(out), max(count, len(out))):
            value = _instance(root, items_d, seed, f"{name}[{i}]", depth + 1)
            if schema.get("uniqueItems") and value in out:
                break
            out.append(value)
    return out


# ---------------------------------------------------------------------------------------------
# plausible values for common property names (a `city` gets a city name), picked by a seeded hash

_PLAUSIBLE: dict[str, tuple[str, ...]] = {
    "city": ("Paris", "Tokyo", "New York", "London", "Berlin", "San Francisco", "Madrid", "Toronto", "Sydney", "Rome"),
    "country": ("France", "Japan", "United States", "United Kingdom", "Germany", "Spain", "Canada", "Australia"),
    "country_code": ("FR", "JP", "US", "GB", "DE", "ES", "CA", "AU"),
    "location": ("Paris, France", "Tokyo, Japan", "New York, NY", "London, UK", "Berlin, Germany"),
    "address": ("10 Downing Street, London", "1600 Amphitheatre Parkway, Mountain View", "5 Avenue Anatole France, Paris"),
    "street": ("Main Street", "Baker Street", "Rue de Rivoli", "Market Street"),
    "state": ("California", "New York", "Texas", "Washington"),
    "region": ("Europe", "North America", "Asia", "Oceania"),
    "zip": ("94103", "10001", "75001", "SW1A 2AA"),
    "name": ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Katherine Johnson", "Linus Torvalds"),
    "first_name": ("Ada", "Alan", "Grace", "Katherine", "Linus", "Margaret"),
    "last_name": ("Lovelace", "Turing", "Hopper", "Johnson", "Torvalds", "Hamilton"),
    "company": ("Acme Corp", "Globex", "Initech", "Umbrella Ltd", "Hooli"),
    "product": ("wireless headphones", "standing desk", "espresso machine", "running shoes"),
    "language": ("English", "French", "Japanese", "Spanish", "German"),
    "currency": ("USD", "EUR", "JPY", "GBP"),
    "unit": ("celsius", "fahrenheit"),
    "timezone": ("Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC"),
    "color": ("red", "blue", "green", "black", "white"),
    "phone": ("+1 415 555 0123", "+33 1 23 45 67 89", "+44 20 7946 0958"),
    "email": ("ada@example.com", "alan@example.org", "grace@example.net"),
    "url": ("https://example.com", "https://www.openai.com", "https://docs.python.org"),
    "query": ("best pizza near me", "weather tomorrow", "python asyncio tutorial", "cheap flights to Rome"),
    "title": ("Quarterly report", "Meeting notes", "Project kickoff", "Release plan"),
    "description": ("A short summary of the request.", "Details to follow.", "Created from the chat."),
    "message": ("Hello!", "See you tomorrow.", "Thanks for your help."),
    "topic": ("climate", "space exploration", "machine learning", "cooking"),
    "category": ("electronics", "books", "clothing", "groceries"),
    "status": ("open", "pending", "closed"),
    "symbol": ("AAPL", "MSFT", "GOOG", "NVDA"),
    "airport": ("CDG", "JFK", "HND", "LHR"),
    "id": ("12345", "A-1001", "order_789", "user_42"),
}
_ALIASES: dict[str, str] = {
    "town": "city", "city_name": "city", "destination": "city", "origin": "city",
    "nation": "country", "place": "location", "where": "location",
    "postal_code": "zip", "zip_code": "zip", "postcode": "zip", "zipcode": "zip",
    "full_name": "name", "username": "name", "user_name": "name", "person": "name", "author": "name",
    "firstname": "first_name", "given_name": "first_name", "lastname": "last_name", "surname": "last_name",
    "family_name": "last_name", "organization": "company", "organisation": "company", "brand": "company",
    "lang": "language", "locale": "language", "tz": "timezone", "colour": "color",
    "phone_number": "phone", "telephone": "phone", "email_address": "email", "link": "url", "website": "url",
    "search": "query", "search_query": "query", "q": "query", "keywords": "query", "subject": "title",
    "summary": "description", "details": "description", "text": "message", "content": "message", "body": "message",
    "ticker": "symbol", "stock": "symbol", "item": "product", "product_name": "product",
    "temperature_unit": "unit", "units": "unit", "format": "unit",
}
_NUMBERS: dict[str, tuple[float, float]] = {
    "latitude": (-60, 70), "lat": (-60, 70), "longitude": (-170, 170), "lon": (-170, 170), "lng": (-170, 170),
    "age": (18, 90), "year": (1990, 2025), "month": (1, 12), "day": (1, 28), "hour": (0, 23),
    "quantity": (1, 10), "count": (1, 10), "limit": (5, 50), "n": (1, 5), "page": (1, 5),
    "price": (5, 500), "amount": (10, 1000), "temperature": (-5, 35), "rating": (1, 5), "days": (1, 14),
    "guests": (1, 6), "people": (1, 6), "radius": (1, 50), "duration": (15, 120),
}


def _plausible_key(name: str) -> str | None:
    """The _PLAUSIBLE entry for a property name: exact, alias, or by its last word (``departure_city``)."""
    key = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower().strip("_ ")
    key = re.sub(r"\[\d+\]$", "", key)
    for candidate in (key, key.rsplit("_", 1)[-1]):
        candidate = _ALIASES.get(candidate, candidate)
        if candidate in _PLAUSIBLE:
            return candidate
    singular = key[:-3] + "y" if key.endswith("ies") else key[:-1] if key.endswith("s") else key
    singular = _ALIASES.get(singular, singular)
    return singular if singular in _PLAUSIBLE else None  # "cities", "names": lists of plausible values


_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"]


def _string_instance(schema: dict[str, Any], seed: str, name: str) -> str:
    fmt = schema.get("format")
    h = _seed_int(seed, name)
    if fmt == "date-time":
        return f"2024-01-{h % 28 + 1:02d}T12:00:00Z"
    if fmt == "date":
        return f"2024-01-{h % 28 + 1:02d}"
    if fmt == "time":
        return f"12:{h % 60:02d}:00"
    if fmt == "email":
        return f"user{h % 1000}@example.com"
    if fmt in ("uri", "url"):
        return f"https://example.com/{name}"
    if fmt == "uuid":
        d = _digest(seed, name).hex()
        return f"{d[:8]}-{d[8:12]}-4{d[13:16]}-a{d[17:20]}-{d[20:32]}"
    if fmt == "ipv4":
        return f"192.0.2.{h % 250 + 1}"
    plausible = _plausible_key(name)
    if plausible is not None:
        choices = _PLAUSIBLE[plausible]
        text = choices[h % len(choices)]
    else:
        label = re.sub(r"\W+", " ", name).strip() or "value"
        text = f"{label} {_WORDS[h % len(_WORDS)]}"
    min_len = schema.get("minLength")
    max_len = schema.get("maxLength")
    if isinstance(min_len, int) and len(text) < min_len:
        text = (text + " ") * (min_len // (len(text) + 1) + 1)
        text = text[:min_len]
    if isinstance(max_len, int) and len(text) > max_len:
        text = text[:max_len]
    return text


def _number_instance(schema: dict[str, Any], seed: str, name: str, *, integer: bool) -> float:
    lo = schema.get("minimum")
    hi = schema.get("maximum")
    ex_lo = schema.get("exclusiveMinimum")
    ex_hi = schema.get("exclusiveMaximum")
    low = float(lo) if isinstance(lo, (int, float)) else None
    high = float(hi) if isinstance(hi, (int, float)) else None
    if isinstance(ex_lo, (int, float)) and not isinstance(ex_lo, bool):
        low = float(ex_lo) + (1 if integer else 0.5)
    if isinstance(ex_hi, (int, float)) and not isinstance(ex_hi, bool):
        high = float(ex_hi) - (1 if integer else 0.5)
    h = _seed_int(seed, name) % 100
    typical = _NUMBERS.get(re.sub(r"\[\d+\]$", "", name).lower())
    if low is None and high is None and typical is not None:
        low, high = typical
    if low is None and high is None:
        value = float(h + 1)
    elif low is None:
        assert high is not None
        value = high - h % 10
    elif high is None:
        value = low + h % 10
    else:
        value = low + (high - low) * (h / 100)
    multiple = schema.get("multipleOf")
    if isinstance(multiple, (int, float)) and multiple > 0:
        value = math.ceil(value / multiple) * multiple
    if integer:
        value = math.ceil(value) if low is not None else math.floor(value)
    elif not isinstance(multiple, (int, float)):
        value = round(value, 2)
    return value


def json_text_for_schema(schema: object, seed: str) -> str:
    return json.dumps(instance_for_schema(schema, seed))


# ---------------------------------------------------------------------------------------------
# embeddings


def embedding_vector(model: str, text: str, dimensions: int) -> list[float]:
    """A unit-length vector seeded by ``(model, text)``; identical inputs give identical vectors."""
    raw = hashlib.shake_256(f"{model}\x1f{text}".encode()).digest(dimensions * 2)
    ints = struct.unpack(f"<{dimensions}H", raw)
    vec = [(i - 32767.5) / 32767.5 for i in ints]
    norm = math.sqrt(math.fsum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]
