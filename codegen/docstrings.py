"""A generated method's docstring, written from the spec's facts only (issue 12 item 6).

    POST /audio/speech

    API reference: https://platform.openai.com/docs/api-reference/audio

    Args:
      input: string; required
      response_format: "mp3" | "opus" | "aac" | "flac" | "wav" | "pcm"; default "mp3"
      speed: number; default 1; minimum 0.25; maximum 4

The reference link is the section of the operation's first spec tag (`Vector stores` ->
`vector-stores`), else of the method's first resource segment (`containers`); each argument shows
its type as the spec states it (scalar, array of, object, a named schema), its enum values, whether
it is required, and its default and bounds. No description, summary or title is ever copied.
"""

from __future__ import annotations

import json
import re
import textwrap

from methods import Arg, Method
from spec import Schema, Spec
from types_gen import OFFICIAL_NAME

REFERENCE = "https://platform.openai.com/docs/api-reference/"
WIDTH = 112  # the text's width inside the method's indentation
MAX_MEMBERS = 12  # a union's alternatives listed before "..."
BOUNDS = {"minimum": "minimum", "maximum": "maximum", "minLength": "min length", "maxLength": "max length",
          "minItems": "min items", "maxItems": "max items"}
ROOT_PREFIXES = ("beta", "admin", "organization")  # resource segments that are no reference section


def reference_url(m: Method) -> str:
    tags = m.op.op.get("tags") or []
    if tags and isinstance(tags[0], str):
        section = tags[0]
    else:
        parts = [p for p in m.resource.split(".") if p not in ROOT_PREFIXES] or [m.resource]
        section = parts[0]
    return REFERENCE + re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-")


def describe(spec: Spec, schema: Schema, depth: int = 0) -> str:
    """The schema's type as the spec states it, on one line."""
    if not isinstance(schema, dict) or depth > 3:
        return "any"
    ref = spec.ref_name(schema)
    inner, nullable = spec.split_null(spec.deref(schema) if ref else schema)
    if ref and not _is_enum(inner):
        text = _schema_name(spec, ref)
    elif spec.ref_name(inner):  # `anyOf: [{$ref}, {type: null}]`
        text = describe(spec, inner, depth + 1)
    else:
        text = _describe_plain(spec, inner, depth)
    return f"{text} | null" if nullable and not text.endswith("| null") else text


def _schema_name(spec: Spec, ref: str) -> str:
    """A component's name; for one the overlay added, the release's name of the type (`AccessPrograms`)."""
    official = str(spec.schemas.get(ref, {}).get(OFFICIAL_NAME) or "")
    return official.rpartition(":")[2] or ref


def _is_enum(schema: Schema) -> bool:
    return "enum" in schema or "const" in schema


def _describe_plain(spec: Spec, schema: Schema, depth: int) -> str:
    if "const" in schema:
        return json.dumps(schema["const"])
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"] if v is not None) or "null"
    members = schema.get("oneOf") or schema.get("anyOf")
    if members and not schema.get("properties"):
        texts: list[str] = []
        for member in members:
            for text in describe(spec, member, depth + 1).split(" | "):
                if text not in texts:
                    texts.append(text)
        if len(texts) > MAX_MEMBERS:
            texts = [*texts[:MAX_MEMBERS], "..."]
        return " | ".join(texts)
    if len(schema.get("allOf") or []) == 1 and not schema.get("properties"):
        return describe(spec, schema["allOf"][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(str(k) for k in kind)
    if kind == "array":
        return f"array of {describe(spec, schema.get('items') or {}, depth + 1)}"
    if kind == "string" and schema.get("format") == "binary":
        return "file"
    if kind in ("string", "integer", "number", "boolean", "null"):
        return str(kind)
    if kind == "object" or "properties" in schema or "allOf" in schema:
        return "object"
    return "any"


def _facts(spec: Spec, arg: Arg) -> list[str]:
    """required, default and bounds of an argument."""
    out = ["required"] if arg.required else []
    node = spec.split_null(spec.deref(arg.schema))[0] if isinstance(arg.schema, dict) else {}
    for source in (arg.schema, node):
        if isinstance(source, dict) and "default" in source and source["default"] is not None:
            out.append(f"default {json.dumps(source['default'])}")
            break
    for key, label in BOUNDS.items():
        if isinstance(node, dict) and isinstance(node.get(key), (int, float)):
            out.append(f"{label} {node[key]}")
    return out


def argument_lines(spec: Spec, arg: Arg, location: str) -> list[str]:
    text = "; ".join([describe(spec, arg.schema), *_facts(spec, arg)])
    if location == "header":
        text += f"; sent as the `{arg.key}` header"
    return textwrap.wrap(f"{arg.name}: {text}", WIDTH, initial_indent="  ", subsequent_indent="    ",
                         break_long_words=False, break_on_hyphens=False)


def method_docstring(spec: Spec, m: Method, args: list[Arg]) -> list[str]:
    """The docstring's lines (unindented, no quotes)."""
    lines = [f"{m.op.verb.upper()} {m.op.path}", "", f"API reference: {reference_url(m)}"]
    documented = [*m.path_args, *args]
    if documented:
        lines += ["", "Args:"]
        for arg in documented:
            lines += argument_lines(spec, arg, arg.location)
    return [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]


def render(lines: list[str], indent: str) -> list[str]:
    """`lines` as a docstring block at `indent`."""
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return [f'{indent}"""{lines[0]}', *body, f'{indent}"""']


__all__ = ["method_docstring", "reference_url", "render", "describe"]
