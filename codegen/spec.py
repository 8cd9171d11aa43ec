"""Loading the OpenAPI document and the few normalizations every other module relies on.

* `$ref` resolution (`Spec.deref`), with the referenced component's name kept.
* Nullability in its three spellings (`anyOf[X, {type: null}]`, 3.0 `nullable: true`,
  `type: [X, "null"]`) folded into one question: `split_null(schema) -> (schema, nullable)`.
* `allOf` compositions merged into one object view (`object_view`).
* Operations listed in a stable order, with path-level parameters merged in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Schema = dict[str, Any]
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
REF_PREFIX = "#/components/schemas/"
_ANNOTATION_KEYS = frozenset({"nullable", "description", "title", "default", "deprecated", "example", "examples"})


REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO / "openapi"
SPEC_FILE = SPEC_DIR / "openapi.json"
OVERLAY_FILE = SPEC_DIR / "overlay.json"  # facts of the newest official release the spec lacks


class SpecMissingError(Exception):
    """The generator's input is not where it should be (a broken checkout, not a reason to skip)."""


def load_spec(path: Path | None = None, *, overlay: bool = True) -> Spec:
    """The one entry point for the generator's input: the committed facts-only copy of the spec
    (`openapi/openapi.json`, rebuilt by `scripts/update-spec`), or `path` (a full spec, YAML or JSON),
    with the overlay (`openapi/overlay.json`, rebuilt by `scripts/update-surface`) merged in unless
    `overlay=False`. The overlay's naming facts land in `Spec.overlay_config` (see overlay.py)."""
    source = path or SPEC_FILE
    if not source.is_file():
        hint = "" if path else " (it is committed: restore it with git, or rebuild it with scripts/update-spec PATH/TO/openapi.sdk.yml)"
        raise SpecMissingError(f"the OpenAPI spec {source} is missing{hint}")
    doc = load_document(source)
    facts: dict[str, Any] = {}
    if overlay and OVERLAY_FILE.is_file():
        from overlay import apply_overlay, overlay_config

        layer = json.loads(OVERLAY_FILE.read_text(encoding="utf-8"))
        apply_overlay(doc, layer)
        facts = overlay_config(layer)
    spec = Spec(doc, source)
    spec.overlay_config = facts
    return spec


def load_document(path: Path) -> dict[str, Any]:
    """The spec as plain data: JSON directly, YAML through PyYAML (C loader when available)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml  # only needed for the YAML variants

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


@dataclass
class Parameter:
    name: str
    location: str  # path | query | header
    required: bool
    schema: Schema
    extension_name: str | None = None  # x-stainless-param (e.g. `betas` for the openai-beta header)


@dataclass
class Operation:
    verb: str  # lower case
    path: str  # the path key, verbatim (may contain `?beta=true`)
    op: dict[str, Any]
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.verb.upper()} {self.path}"

    @property
    def path_params(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "path"]


class Spec:
    def __init__(self, doc: dict[str, Any], source: Path | None = None) -> None:
        self.doc = doc
        self.source = source
        self.schemas: dict[str, Schema] = doc.get("components", {}).get("schemas", {})
        self.overlay_config: dict[str, Any] = {}  # config entries the overlay's facts stand for

    def add_schemas(self, extra: dict[str, Schema]) -> None:
        """Schemas the spec lacks (config `extra_schemas`), as components that `$ref`s can name."""
        for name, schema in extra.items():
            if self.schemas.get(name, schema) is not schema:
                raise ValueError(f"extra_schemas: {name!r} is already a schema of the spec")
            self.schemas[name] = schema

    def pointer(self, path: str) -> Schema:
        """The node at a JSON pointer (`#/paths/...`), or at a path under components.schemas
        (`CreateImageRequest/properties/model/anyOf/1`)."""
        parts = path[2:].split("/") if path.startswith("#/") else ["components", "schemas", *path.split("/")]
        node: Any = self.doc
        for raw in parts:
            key = raw.replace("~1", "/").replace("~0", "~")
            node = node[int(key)] if isinstance(node, list) else node[key]
        if not isinstance(node, dict):
            raise ValueError(f"pointer {path!r} is not a schema")
        return node

    # -- references -------------------------------------------------------------------------

    @staticmethod
    def ref_name(schema: Schema) -> str | None:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            return ref[len(REF_PREFIX):]
        return None

    def deref(self, schema: Schema) -> Schema:
        """Follow `$ref`s (sibling keys such as `description` are dropped: they are prose)."""
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            name = self.ref_name(schema)
            if name is None or name not in self.schemas:
                return {}
            sibling_nullable = schema.get("nullable") is True
            schema = self.schemas[name]
            if sibling_nullable:
                schema = {"anyOf": [schema, {"type": "null"}]}
            seen += 1
            if seen > 50:
                raise ValueError("reference loop")
        return schema

    # -- nullability --------------------------------------------------------------------------

    @staticmethod
    def is_null(schema: Schema) -> bool:
        return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("enum") == [None])

    def split_null(self, schema: Schema) -> tuple[Schema, bool]:
        """`schema` without its null alternative, and whether null was allowed."""
        if not isinstance(schema, dict):
            return {}, False
        nullable = schema.get("nullable") is True
        if nullable:
            schema = {k: v for k, v in schema.items() if k != "nullable"}
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) > 1:
            # `allOf: [{$ref: X}, {nullable: true}]`: annotation-only parts are not parts
            kept = [p for p in all_of if not (isinstance(p, dict) and set(p) <= _ANNOTATION_KEYS)]
            if any(isinstance(p, dict) and p.get("nullable") is True for p in all_of):
                nullable = True
            if len(kept) == 1 and not schema.get("properties"):
                inner, n2 = self.split_null(kept[0])
                return inner, nullable or n2
            if len(kept) != len(all_of):
                schema = {**schema, "allOf": kept}
        t = schema.get("type")
        if isinstance(t, list) and "null" in t:
            rest = [x for x in t if x != "null"]
            schema = {**schema, "type": rest[0] if len(rest) == 1 else rest}
            nullable = True
        for key in ("anyOf", "oneOf"):
            variants = schema.get(key)
            if isinstance(variants, list) and any(self.is_null(v) for v in variants):
                kept = [v for v in variants if not self.is_null(v)]
                nullable = True
                extra = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
                if len(kept) == 1:
                    inner = kept[0]
                    if "$ref" in inner or not any(k in extra for k in ("properties", "type", "enum")):
                        inner2, n2 = self.split_null(inner)
                        return inner2, True
                    schema = {**extra, **inner}
                else:
                    schema = {**extra, key: kept}
                    if "discriminator" in schema:
                        schema["discriminator"] = schema["discriminator"]
        return schema, nullable

    # -- objects -------------------------------------------------------------------------------

    def object_view(self, schema: Schema) -> tuple[dict[str, Schema], set[str]]:
        """Properties and required names of an object schema, `allOf` parts merged in order."""
        props: dict[str, Schema] = {}
        required: set[str] = set()
        schema = self.deref(schema)
        for part in schema.get("allOf", []) or []:
            p, r = self.object_view(part)
            props.update(p)
            required |= r
        for name, prop in (schema.get("properties") or {}).items():
            props[name] = prop
        required |= set(schema.get("required") or [])
        return props, required

    def is_object(self, schema: Schema) -> bool:
        schema = self.deref(schema)
        if "properties" in schema:
            return True
        if schema.get("allOf"):
            return all(self.is_object(p) for p in schema["allOf"])
        return False

    # -- operations ----------------------------------------------------------------------------

    def operations(self) -> list[Operation]:
        out: list[Operation] = []
        for path, item in self.doc.get("paths", {}).items():
            common = item.get("parameters", []) or []
            for verb in HTTP_METHODS:
                op = item.get(verb)
                if op is None:
                    continue
                params: dict[tuple[str, str], Parameter] = {}
                for raw in [*common, *(op.get("parameters") or [])]:
                    raw = self.deref_parameter(raw)
                    p = Parameter(
                        name=raw["name"],
                        location=raw["in"],
                        required=bool(raw.get("required")),
                        schema=raw.get("schema") or {},
                        extension_name=raw.get("x-stainless-param") or (raw.get("schema") or {}).get("x-stainless-param"),
                    )
                    params[(p.location, p.name)] = p
                out.append(Operation(verb, path, op, list(params.values())))
        return out

    def deref_parameter(self, raw: dict[str, Any]) -> dict[str, Any]:
        ref = raw.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
            return self.doc["components"]["parameters"][ref.rsplit("/", 1)[1]]
        return raw

    def request_body(self, op: Operation, prefer: str | None = None) -> tuple[str | None, Schema | None]:
        """(content type, schema) of the request body, preferring JSON, then multipart."""
        body = op.op.get("requestBody")
        if not body:
            return None, None
        if "$ref" in body:
            body = self.doc["components"]["requestBodies"][body["$ref"].rsplit("/", 1)[1]]
        content = body.get("content", {})
        for ctype in (prefer, "application/json", "multipart/form-data", "application/x-www-form-urlencoded"):
            if ctype and ctype in content:
                return ctype, content[ctype].get("schema")
        for ctype, value in content.items():
            return ctype, value.get("schema")
        return None, None

    def success_response(self, op: Operation) -> tuple[str | None, Schema | None, list[str]]:
        """(preferred content type, schema, all content types) of the 2xx response."""
        responses = op.op.get("responses", {})
        for code in sorted(responses):
            if not str(code).startswith("2"):
                continue
            resp = responses[code]
            if "$ref" in resp:
                resp = self.doc["components"]["responses"][resp["$ref"].rsplit("/", 1)[1]]
            content = resp.get("content") or {}
            types = list(content.keys())
            for ctype in ("application/json", *types):
                if ctype in content:
                    return ctype, content[ctype].get("schema"), types
            return None, None, types
        return None, None, []
