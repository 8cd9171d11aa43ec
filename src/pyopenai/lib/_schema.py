"""Python types -> JSON Schema, and JSON Schema -> the strict subset Structured Outputs accepts.

Two producers feed one post-processor:

* `type_schema(tp)` is our own conversion of annotations (str, int, float, bool, None, list, tuple,
  set, dict, Literal, Optional/Union, Enum, TypedDict, dataclasses, Annotated descriptions, date and
  time types). It needs no pydantic; a pydantic model met on the way is delegated to pydantic.
* pydantic models, pydantic dataclasses and `pydantic.TypeAdapter`s use pydantic's own schema.

`make_strict(schema)` then rewrites a schema the way strict mode wants it: every object closed
(`additionalProperties: false`) with every property required, optional values as
`anyOf [T, null]`, defaults dropped (strict mode has no notion of a default: the model always sends
a value, `null` for optional ones), `oneOf` as `anyOf`, single-member `allOf` and `$ref`s with
sibling keys inlined, recursion through `$defs`. What strict mode cannot express raises
`StrictSchemaError` with the path and the reason (open maps such as `dict[str, X]`, `Any`, tuples).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import inspect
import json
import re
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, Union, cast, get_args, get_origin

import typing_extensions
from typing_extensions import NotRequired, Required, is_typeddict

__all__ = [
    "StrictSchemaError",
    "function_parameters_schema",
    "is_pydantic_model",
    "make_strict",
    "to_strict_json_schema",
    "type_schema",
]

JSON = dict[str, Any]

_UNION_TYPES: tuple[Any, ...] = (Union, types.UnionType)
_NoneType = type(None)
# TypedDict key qualifiers: the schema is the wrapped type's
_QUALIFIERS: tuple[Any, ...] = tuple(
    q for q in (Required, NotRequired, getattr(typing, "ReadOnly", None), getattr(typing_extensions, "ReadOnly", None))
    if q is not None
)


class StrictSchemaError(TypeError):
    """A type or schema that Structured Outputs' strict mode cannot express."""


# -- pydantic detection (pydantic stays an optional dependency: never imported here eagerly) --------


def is_pydantic_model(tp: object) -> bool:
    """A pydantic v2 model class, recognised without importing pydantic."""
    return isinstance(tp, type) and callable(getattr(tp, "model_json_schema", None)) and hasattr(tp, "model_fields")


def is_pydantic_dataclass(tp: object) -> bool:
    """A `@pydantic.dataclasses.dataclass` class: pydantic knows its fields better than `dataclasses`
    does (`Field(description=...)`, aliases, constraints), so its schema comes from pydantic."""
    return isinstance(tp, type) and dataclasses.is_dataclass(tp) and hasattr(tp, "__pydantic_fields__")


def _is_type_adapter(tp: object) -> bool:
    return type(tp).__name__ == "TypeAdapter" and callable(getattr(tp, "json_schema", None))


# -- our own conversion -----------------------------------------------------------------------------


class _Builder:
    """Collects named sub-schemas in `$defs` so recursive and repeated types stay finite."""

    def __init__(self) -> None:
        self.defs: dict[str, JSON] = {}
        self.names: dict[Any, str] = {}
        self.open_maps = False

    def ref(self, tp: Any, build: Callable[[], JSON]) -> JSON:
        name = self.names.get(tp)
        if name is None:
            base = getattr(tp, "__name__", "Model")
            name = base
            n = 2
            while name in self.defs:
                name = f"{base}{n}"
                n += 1
            self.names[tp] = name
            self.defs[name] = {}  # placeholder: a recursive reference finds the name already taken
            self.defs[name] = build()
        return {"$ref": f"#/$defs/{name}"}

    def schema(self, tp: Any, path: str) -> JSON:
        if tp is Any or tp is object:
            return {}
        if tp is None or tp is _NoneType:
            return {"type": "null"}
        if isinstance(tp, str):
            raise StrictSchemaError(f"{path}: unresolved forward reference {tp!r}")
        if isinstance(tp, typing.TypeVar):
            return {}
        origin = get_origin(tp)
        args = get_args(tp)
        if origin is typing.Annotated:
            inner = self.schema(args[0], path)
            for meta in args[1:]:
                description = meta if isinstance(meta, str) else getattr(meta, "description", None)
                if isinstance(description, str):
                    inner = {**inner, "description": description}
            return inner
        if origin is not None and origin in _QUALIFIERS:
            return self.schema(args[0], path)
        if origin in _UNION_TYPES:
            members = [self.schema(a, path) for a in args]
            return members[0] if len(members) == 1 else {"anyOf": members}
        if origin is Literal:
            return _literal_schema(args)
        if isinstance(tp, type):
            cls: type[Any] = tp
            simple = _simple_schema(cls)
            if simple is not None:
                return simple
            if issubclass(cls, enum.Enum):
                return _literal_schema(tuple(m.value for m in cls))
            if is_pydantic_model(cls) or is_pydantic_dataclass(cls):
                return self.ref(cls, lambda: self._pydantic(cls))
            if is_typeddict(cls):
                return self.ref(cls, lambda: self._typeddict(cls, path))
            if dataclasses.is_dataclass(cls):
                return self.ref(cls, lambda: self._dataclass(cls, path))
        if origin in (list, set, frozenset) or origin in (Sequence, typing.Sequence, typing.List, typing.Set):
            item = self.schema(args[0], f"{path}[]") if args else {}
            return {"type": "array", "items": item}
        if origin is Iterable:
            return {"type": "array", "items": self.schema(args[0], f"{path}[]") if args else {}}
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.schema(args[0], f"{path}[]")}
            return {"type": "array", "prefixItems": [self.schema(a, f"{path}[{i}]") for i, a in enumerate(args)]}
        if origin in (dict, Mapping, typing.Dict, typing.Mapping):
            self.open_maps = True
            value = self.schema(args[1], f"{path}{{}}") if len(args) == 2 else {}
            return {"type": "object", "additionalProperties": value or True}
        if tp in (list, set, frozenset, tuple):
            return {"type": "array", "items": {}}
        if tp is dict:
            self.open_maps = True
            return {"type": "object", "additionalProperties": True}
        raise StrictSchemaError(f"{path}: no JSON schema for the type {tp!r}")

    def _pydantic(self, tp: Any) -> JSON:
        raw = _pydantic_schema(tp)
        # hoist the model's own $defs next to ours so its references resolve from the root
        for name, sub in cast(JSON, raw.pop("$defs", {})).items():
            self.defs.setdefault(name, sub)
        return raw

    def _typeddict(self, tp: Any, path: str) -> JSON:
        hints = typing.get_type_hints(tp, include_extras=True)
        required_keys: frozenset[str] = getattr(tp, "__required_keys__", frozenset(hints))
        props = {name: self.schema(hint, f"{path}.{name}") for name, hint in hints.items()}
        out: JSON = {"type": "object", "title": tp.__name__, "properties": props,
                     "required": [k for k in hints if k in required_keys]}
        doc = inspect.getdoc(tp)
        if doc and not doc.startswith(tp.__name__ + "("):
            out["description"] = doc
        return out

    def _dataclass(self, tp: Any, path: str) -> JSON:
        hints = typing.get_type_hints(tp, include_extras=True)
        props: JSON = {}
        required: list[str] = []
        for f in dataclasses.fields(tp):
            props[f.name] = self.schema(hints.get(f.name, Any), f"{path}.{f.name}")
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                required.append(f.name)
            elif f.default is not dataclasses.MISSING and _jsonable(f.default):
                props[f.name] = {**props[f.name], "default": f.default}
        out: JSON = {"type": "object", "title": tp.__name__, "properties": props, "required": required}
        doc = inspect.getdoc(tp)
        if doc and not doc.startswith(tp.__name__ + "("):
            out["description"] = doc
        return out


def _pydantic_schema(tp: Any) -> JSON:
    if is_pydantic_model(tp):
        return cast(JSON, tp.model_json_schema())
    from pydantic import TypeAdapter  # a pydantic dataclass: pydantic is there

    return TypeAdapter(tp).json_schema()


def _jsonable(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _simple_schema(tp: type) -> JSON | None:
    if tp is bool:
        return {"type": "boolean"}
    if issubclass(tp, enum.Enum):
        return None
    if tp is int:
        return {"type": "integer"}
    if tp is float or tp is Decimal:
        return {"type": "number"}
    if tp is str:
        return {"type": "string"}
    if tp is datetime.datetime:
        return {"type": "string", "format": "date-time"}
    if tp is datetime.date:
        return {"type": "string", "format": "date"}
    if tp is datetime.time:
        return {"type": "string", "format": "time"}
    if tp is uuid.UUID:
        return {"type": "string", "format": "uuid"}
    return None


def _literal_schema(values: tuple[Any, ...]) -> JSON:
    flat: list[Any] = []
    for v in values:
        flat.append(v.value if isinstance(v, enum.Enum) else v)
    kinds: set[type[Any]] = {type(v) for v in flat}
    out: JSON = {"enum": flat}
    names = {bool: "boolean", int: "integer", float: "number", str: "string", _NoneType: "null"}
    if len(kinds) == 1 and next(iter(kinds)) in names:
        out["type"] = names[next(iter(kinds))]
    return out


def type_schema(tp: Any) -> JSON:
    """The JSON schema of a python type (not yet strict). Named types land in `$defs`."""
    builder = _Builder()
    root = builder.schema(tp, _type_name(tp))
    return _with_defs(root, builder.defs)


def _with_defs(root: JSON, defs: dict[str, JSON]) -> JSON:
    if not defs:
        return root
    # a root that is a single reference becomes the referenced schema itself; `#` refers to it
    ref = root.get("$ref")
    if isinstance(ref, str) and len(root) == 1:
        name = ref.rsplit("/", 1)[-1]
        body = defs.pop(name)
        out = {**body}
        if defs:
            out["$defs"] = defs
        return _rewrite_refs(out, f"#/$defs/{name}", "#")
    return {**root, "$defs": defs}


def _rewrite_refs(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {k: (new if k == "$ref" and v == old else _rewrite_refs(v, old, new))
                for k, v in cast(JSON, node).items()}
    if isinstance(node, list):
        return [_rewrite_refs(v, old, new) for v in cast("list[Any]", node)]
    return node


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


# -- functions as tools -----------------------------------------------------------------------------


_ARG_SECTION = re.compile(r"^\s*(Args|Arguments|Parameters|Params)\s*:\s*$", re.IGNORECASE)
_ARG_LINE = re.compile(r"^\s*\*{0,2}(\w+)\s*(\([^)]*\))?\s*:\s*(.*)$")
_SECTION = re.compile(r"^\s*\w[\w ]*:\s*$")


def split_docstring(doc: str | None) -> tuple[str | None, dict[str, str]]:
    """(description, {parameter: description}) from a Google-style docstring ("Args:" section)."""
    if not doc:
        return None, {}
    lines = inspect.cleandoc(doc).splitlines()
    summary: list[str] = []
    params: dict[str, str] = {}
    i = 0
    while i < len(lines) and not _ARG_SECTION.match(lines[i]):
        summary.append(lines[i])
        i += 1
    current: str | None = None
    indent: int | None = None
    for line in lines[i + 1:]:
        if not line.strip():
            current = None
            continue
        width = len(line) - len(line.lstrip())
        if indent is None:
            indent = width
        if width < (indent or 0) or (width == 0 and _SECTION.match(line)):
            break
        m = _ARG_LINE.match(line)
        if m and width == indent:
            name = m.group(1)
            params[name] = m.group(3).strip()
            current = name
        elif current is not None:
            params[current] = (params[current] + " " + line.strip()).strip()
    text = "\n".join(summary).strip()
    return text or None, params


def function_parameters_schema(fn: Callable[..., Any]) -> tuple[JSON, bool, dict[str, Any]]:
    """(parameters schema, strict-capable, {parameter: annotation}) for a python function.

    Parameters without a default are required; the schema is not strict yet (see `make_strict`).
    `self`/`cls`, `*args` and `**kwargs` are left out.
    """
    signature = inspect.signature(fn)
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception as exc:  # an annotation that does not resolve
        raise StrictSchemaError(f"{_type_name(fn)}: cannot resolve its annotations ({exc})") from exc
    _, docs = split_docstring(inspect.getdoc(fn))
    builder = _Builder()
    props: JSON = {}
    required: list[str] = []
    annotations: dict[str, Any] = {}
    for name, param in signature.parameters.items():
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if name in ("self", "cls") and name not in hints:
            continue
        hint: Any = hints.get(name, Any if param.annotation is inspect.Parameter.empty else param.annotation)
        if hint is Any and param.annotation is inspect.Parameter.empty and param.default is not inspect.Parameter.empty:
            default: Any = param.default
            hint = cast(Any, type(default)) if _jsonable(default) and default is not None else Any
        annotations[name] = hint
        schema = builder.schema(hint, f"{_type_name(fn)}({name})")
        if name in docs and "description" not in schema:
            schema = {**schema, "description": docs[name]}
        if param.default is inspect.Parameter.empty:
            required.append(name)
        elif _jsonable(param.default):
            schema = {**schema, "default": param.default}
        props[name] = schema
    root: JSON = {"type": "object", "properties": props, "required": required}
    strict_ok = not builder.open_maps and all(_no_any(v) for v in [*props.values(), *builder.defs.values()])
    return _with_defs(root, builder.defs), strict_ok, annotations


def _no_any(node: Any) -> bool:
    """False when some sub-schema accepts anything (an empty schema): strict mode cannot say that."""
    if not isinstance(node, dict):
        return True
    node = cast(JSON, node)
    return any(k in node for k in _TYPE_KEYWORDS) and all(_no_any_child(k, v) for k, v in node.items())


def _no_any_child(key: str, value: Any) -> bool:
    if key in ("properties", "$defs"):
        return all(_no_any(v) for v in cast(JSON, value).values())
    if key == "items":
        return _no_any(value)
    if key == "anyOf":
        return all(_no_any(v) for v in cast("list[Any]", value))
    return True


# -- strict mode ------------------------------------------------------------------------------------


def to_strict_json_schema(tp: Any) -> JSON:
    """The strict JSON schema for a response format or a function tool's parameters.

    `tp`: a pydantic model class or `TypeAdapter`, a TypedDict, a dataclass. Raises
    `StrictSchemaError` for what strict mode cannot express.
    """
    if is_pydantic_model(tp) or is_pydantic_dataclass(tp):
        schema: JSON = _pydantic_schema(tp)
    elif _is_type_adapter(tp):
        schema = tp.json_schema()
    else:
        schema = type_schema(tp)
    if schema.get("type") != "object" and "$ref" not in schema:
        raise StrictSchemaError(
            f"{_type_name(tp)}: the root of a structured output must be an object (a model, TypedDict or "
            "dataclass); wrap lists and scalars in a model with one field"
        )
    return make_strict(schema)


def make_strict(schema: JSON, *, path: str = "$") -> JSON:
    """A strict copy of `schema` (see the module docstring). The input is not modified."""
    return _Strictifier(schema).run(path)


# a schema with none of these accepts any value
_TYPE_KEYWORDS = ("type", "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "properties", "items")


class _Strictifier:
    def __init__(self, root: JSON) -> None:
        self.root = root

    def run(self, path: str) -> JSON:
        return self.node(self.root, path)

    def resolve(self, ref: str, path: str) -> JSON:
        if ref == "#":
            return self.root
        if not ref.startswith("#/"):
            raise StrictSchemaError(f"{path}: only local references are supported, got {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise StrictSchemaError(f"{path}: the reference {ref!r} does not resolve")
            node = cast(JSON, node)[part]
        return cast(JSON, node)

    def node(self, schema: Any, path: str) -> JSON:
        if not isinstance(schema, dict):
            raise StrictSchemaError(f"{path}: expected a schema object, got {schema!r}")
        schema = cast(JSON, schema)
        if not any(k in schema for k in _TYPE_KEYWORDS):
            raise StrictSchemaError(
                f"{path}: a value of any type (`Any`, an unannotated field) cannot be expressed in strict mode; "
                "give it a concrete type"
            )
        out: JSON = dict(schema)
        if "default" in out:
            # strict mode always sends a value, so a default can never apply: it is dropped, and a
            # non-null one is kept as a note in the description for the model to follow
            default = out.pop("default")
            if default is not None:
                note = f"Default: {json.dumps(default)}."
                description = out.get("description")
                out["description"] = f"{description} {note}" if isinstance(description, str) else note
        defs = out.get("$defs")
        if isinstance(defs, dict):
            out["$defs"] = {k: self.node(v, f"{path}.$defs.{k}") for k, v in cast(JSON, defs).items()}
        legacy = out.get("definitions")
        if isinstance(legacy, dict):
            out["definitions"] = {k: self.node(v, f"{path}.definitions.{k}") for k, v in cast(JSON, legacy).items()}
        if "oneOf" in out:
            out["anyOf"] = out.pop("oneOf")
            out.pop("discriminator", None)
        out.pop("discriminator", None)
        if "prefixItems" in out:
            raise StrictSchemaError(
                f"{path}: fixed-length tuples cannot be expressed in strict mode; use a list or a model"
            )
        for key in ("patternProperties", "propertyNames", "unevaluatedProperties", "if", "then", "else", "not"):
            if key in out:
                raise StrictSchemaError(f"{path}: the keyword {key!r} is not supported in strict mode")
        all_of = out.get("allOf")
        if isinstance(all_of, list):
            members = cast("list[Any]", all_of)
            if len(members) == 1:
                del out["allOf"]
                inlined = self.node(members[0], f"{path}.allOf[0]")
                out = {**inlined, **{k: v for k, v in out.items() if k not in inlined}}
            else:
                out["allOf"] = [self.node(m, f"{path}.allOf[{i}]") for i, m in enumerate(members)]
        any_of = out.get("anyOf")
        if isinstance(any_of, list):
            out["anyOf"] = [self.node(m, f"{path}.anyOf[{i}]") for i, m in enumerate(cast("list[Any]", any_of))]
        ref = out.get("$ref")
        if isinstance(ref, str) and len(out) > 1:
            # strict mode allows no keywords next to a $ref: inline the target, keep the siblings
            target = self.resolve(ref, path)
            siblings = {k: v for k, v in out.items() if k != "$ref"}
            return self.node({**target, **siblings}, path)
        kind = out.get("type")
        is_object = kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in out
        if is_object:
            extra = out.get("additionalProperties")
            if extra not in (None, False):
                raise StrictSchemaError(
                    f"{path}: an object with arbitrary keys (e.g. `dict[str, X]`) cannot be expressed in strict mode; "
                    "use a model with fixed fields, or a list of key/value objects"
                )
            props = cast(JSON, out.get("properties") or {})
            out["properties"] = {k: self.node(v, f"{path}.{k}") for k, v in props.items()}
            out["required"] = list(props)
            out["additionalProperties"] = False
        items = out.get("items")
        if isinstance(items, dict):
            out["items"] = self.node(items, f"{path}[]")
        elif items is not None and not isinstance(items, bool):
            raise StrictSchemaError(f"{path}: tuple-style `items` is not supported in strict mode")
        return out


def optional_strict(schema: JSON) -> JSON:
    """`schema` that also accepts null (how strict mode spells an optional value)."""
    if schema.get("type") == "null":
        return schema
    members = schema.get("anyOf")
    if isinstance(members, list) and any(
        isinstance(m, dict) and cast(JSON, m).get("type") == "null" for m in cast("list[Any]", members)
    ):
        return schema
    description = schema.get("description")
    inner = {k: v for k, v in schema.items() if k != "description"}
    out: JSON = {"anyOf": [inner, {"type": "null"}]}
    if description is not None:
        out["description"] = description
    return out
