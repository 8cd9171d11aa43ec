"""Dev-time tool (not shipped): the overlay of facts an official release has and the spec lacks.

    .venv/bin/python codegen/build_overlay.py --release-dir DIR   # an unpacked `openai` wheel
    scripts/update-surface 3.60.0                                 # download + this, in one command

Reads the release's resources and types with `ast` (sdk_facts.py) and writes `openapi/overlay.json`,
an OpenAPI Overlay (1.0 layout: `actions` of `target` + `update`/`remove`) holding only what the
spec does not state: operations, parameters, schemas, fields, enum values. It never overrides the
spec: an operation the spec has is only extended; where the release and the spec disagree about an
operation, `codegen/overlay.yaml` decides, case by case (an undecided disagreement stops the tool).
Each added operation carries `x-pyopenai` (its official resource, method name, return type, page,
stream event type, fixed headers), and the document's `x-pyopenai-types` names the public types it
adds per module: the generator merges both into its config where config says nothing.

Run against a newer spec, the overlay shrinks by itself: whatever the spec states is left out.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from config import parse_config  # noqa: E402
from methods import MethodBuilder  # noqa: E402
from nested_facts import NestedWalker, component_target  # noqa: E402
from overlay import parse_target  # noqa: E402
from sdk_facts import SdkOperation, SdkType, read_operations, read_types  # noqa: E402
from spec import REF_PREFIX, Schema, Spec  # noqa: E402

PROSE_KEYS = frozenset({"description", "summary", "x-oaiMeta", "title", "examples", "example", "externalDocs"})
NAME_MAPS = frozenset({"properties", "update", "schemas", "paths", "patternProperties", "responses", "content"})
SCALARS: dict[str, Schema] = {
    "str": {"type": "string"}, "int": {"type": "integer"}, "float": {"type": "number"}, "bool": {"type": "boolean"},
    "object": {}, "Any": {}, "builtins.object": {}, "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"}, "FileTypes": {"type": "string", "format": "binary"},
    "FileContent": {"type": "string", "format": "binary"}, "bytes": {"type": "string", "format": "binary"},
    "Base64FileInput": {"type": "string"}, "Omit": {}, "NotGiven": {}, "StrictStr": {"type": "string"},
    "StrictInt": {"type": "integer"}, "StrictFloat": {"type": "number"}, "StrictBool": {"type": "boolean"},
}
ARRAYS = {"List", "list", "Iterable", "Sequence", "SequenceNotStr", "Tuple", "tuple"}
MAPS = {"Dict", "dict", "Mapping"}
WRAPPERS = {"Required", "NotRequired", "ReadOnly"}
NAME_KEY = "x-pyopenai-name"  # `module:Name` of the official type an added schema stands for


def scrub(node: Any, names: bool = False) -> Any:
    """Facts only: prose keys dropped from anything copied out of the spec. `names`: the keys of
    this mapping are names (of properties, paths, schemas, parameters), kept whatever they are."""
    if isinstance(node, dict):
        return {k: scrub(v, names=k in NAME_MAPS and not names) for k, v in node.items() if names or k not in PROSE_KEYS}
    if isinstance(node, list):
        return [scrub(v) for v in node]
    return node


def norm_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.split("?", 1)[0])


class Builder:
    def __init__(self, spec: Spec, config: dict[str, Any], decisions: dict[str, Any], release: Path, version: str) -> None:
        self.spec = spec
        self.config = config
        self.decisions = decisions
        self.version = version
        self.ops = read_operations(release)
        self.types, self.public = read_types(release)
        # (defining module, name) -> packages exporting it, shallowest last-resolved first
        self.exported_by: dict[tuple[str, str], list[str]] = {}
        for package, names in sorted(self.public.items(), key=lambda kv: (-kv[0].count("."), kv[0])):
            for name, source in names.items():
                key = self.definition(source, name)
                if key is not None:
                    self.exported_by.setdefault(key, []).append(package)
        self.component_names: dict[tuple[str, str], str] = {}  # official type -> overlay schema name
        self.new_schemas: dict[str, Schema] = {}
        # union schema -> the members each release union standing for it has beyond the spec's
        self.union_growth: dict[tuple[str, str], list[dict[Any, tuple[str, str]]]] = {}
        self.actions: list[dict[str, Any]] = []
        self.types_table: dict[str, dict[str, Any]] = {}
        self.notes: list[str] = []
        self._spec_names: dict[tuple[str, str], str] | None = None
        self.nested = NestedWalker(self, self.public_schemas())

    # -- official names -> definitions ----------------------------------------------------------

    def definition(self, module: str, name: str) -> tuple[str, str] | None:
        """Where `name` as seen in `module` (a file or a package) is defined. A `shared_params`
        type is the TypedDict twin of the `shared` model of the same name: one schema for both."""
        for _ in range(10):
            if module.startswith("types.shared_params"):
                twin = "types.shared" + module[len("types.shared_params"):]
                if (twin, name) in self.types or twin in self.public:
                    module = twin
            if (module, name) in self.types:
                return module, name
            if module in self.public and name in self.public[module]:
                module = self.public[module][name]
                continue
            return None
        return None

    def lookup(self, t: SdkType, local: str) -> tuple[str, str] | None:
        if (t.module, local) in self.types:
            return t.module, local
        if local in t.imports:
            source, name = t.imports[local]
            return self.definition(source, name) or self.definition(f"{source}.{name}", name)
        head, _, attr = local.partition(".")
        if attr and head in t.imports:  # `response_create_params.Image`
            source, name = t.imports[head]
            return self.definition(f"{source}.{name}", attr)
        return None

    def spec_schema(self, key: tuple[str, str]) -> str | None:
        """The spec schema an official public type stands for; "#config" when the generator's
        config already names the type some other way (pointer, alias, loose); None: unknown."""
        name = key[1]
        known = False
        for package in self.exported_by.get(key, []):
            entry = self.config_entry(package, name)
            if entry is None:
                continue
            known = True
            schema = self.entry_schema(package, name, entry)
            if schema is not None:
                return schema
        if known:
            return "#config"
        if name in self.spec.schemas and self.exported_by.get(key) and self.same_shape(key, name):
            return name
        return None

    def config_entry(self, package: str, name: str) -> dict[str, Any] | None:
        """The config's entry for a public name: an override stands alone (the table's entry
        below it does not count); None when the config does not name it."""
        for table in ("type_overrides", "types"):
            entries = (self.config.get(table) or {}).get(package) or {}
            if name in entries:
                return entries[name] or {}
        return None

    def entry_schema(self, package: str, name: str, entry: dict[str, Any], depth: int = 0) -> str | None:
        """The spec schema a config entry names: its `schema` (the name itself when left out), or
        for a `twin` the schema of the model it is the request side of."""
        if set(entry) <= {"schema", "file", "kind"}:
            schema = entry.get("schema", name)
            return schema if schema in self.spec.schemas else None
        twin = entry.get("twin")
        if isinstance(twin, str) and depth < 3:
            base = self.config_entry(package, twin)
            if base is not None:
                return self.entry_schema(package, twin, base, depth + 1)
        return None

    def same_shape(self, key: tuple[str, str], schema_name: str) -> bool:
        """A type new to the table may share its name with an unrelated schema (`live.Error`):
        the name counts only when most official fields are properties of the schema."""
        t = self.types[key]
        if t.kind == "alias":
            return True
        node, _ = self.spec.split_null(self.spec.schemas[schema_name])
        props, _ = self.spec.object_view(node)
        keys = [f.key for f in t.fields]
        return bool(keys) and sum(k in props for k in keys) * 2 >= len(keys)

    # -- annotations -> JSON schema ---------------------------------------------------------------

    def ref(self, key: tuple[str, str]) -> Schema:
        existing = self.spec_schema(key)
        if existing and not existing.startswith("#"):
            return {"$ref": REF_PREFIX + existing}
        return {"$ref": REF_PREFIX + self.component(key)}

    def component(self, key: tuple[str, str]) -> str:
        if key in self.component_names:
            return self.component_names[key]
        module, name = key
        candidate = name
        if candidate in self.spec.schemas or candidate in self.new_schemas or not self.exported_by.get(key):
            candidate = "".join(p.capitalize() for p in module.split(".")[1:]) + name
            candidate = re.sub(r"_(\w)", lambda m: m.group(1).upper(), candidate)
        while candidate in self.spec.schemas or candidate in self.new_schemas:
            candidate += "_"
        self.component_names[key] = candidate
        self.new_schemas[candidate] = {}  # reserved (recursion)
        schema = self.type_schema(self.types[key])
        # the release's own name for the type (a nested class, `ToolChoiceLiveMCPToolChoiceParam`) and
        # its module: the generator names the type so where it inlines the schema in that module
        schema[NAME_KEY] = f"{module}:{name}"
        self.new_schemas[candidate] = schema
        return candidate

    def type_schema(self, t: SdkType) -> Schema:
        if t.kind == "alias":
            assert t.value is not None
            return self.annotation(t, t.value)
        props: dict[str, Schema] = {}
        required: list[str] = []
        bases = [k for k in (self.lookup(t, ast.unparse(b)) for b in t.bases) if k is not None and k in self.types]
        if t.kind == "model" and len(bases) == 1 and self.types[bases[0]].kind == "model":
            # a model subclassing one model of the release (`ResponseCompactionWsCompacting(
            # ResponseCompactionCompactingEvent)`): `allOf` its schema plus its own fields, which the
            # generator renders as that subclass, so `isinstance` against the base holds there too
            own = self.own_fields(t)
            return {"allOf": [self.ref(bases[0]), own]} if own.get("properties") else self.ref(bases[0])
        for base_key in bases:
            inherited = self.type_schema(self.types[base_key])
            props.update(inherited.get("properties", {}))
            required += [r for r in inherited.get("required", []) if r not in required]
        for f in t.fields:
            props[f.key] = self.annotation(t, f.annotation)
            if self.field_required(t, f.annotation, f.has_default) and f.key not in required:
                required.append(f.key)
        out: Schema = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        return out

    def own_fields(self, t: SdkType) -> Schema:
        props = {f.key: self.annotation(t, f.annotation) for f in t.fields}
        required = [f.key for f in t.fields if self.field_required(t, f.annotation, f.has_default)]
        return {"type": "object", "properties": props, **({"required": required} if required else {})}

    def field_required(self, t: SdkType, annotation: ast.expr, has_default: bool) -> bool:
        head = ast.unparse(annotation.value) if isinstance(annotation, ast.Subscript) else ""
        if t.kind == "typeddict" or self.derives_typeddict(t):
            if head == "Required":
                return True
            return t.total and head != "NotRequired"
        return not has_default

    def annotation(self, t: SdkType, node: ast.expr) -> Schema:
        if isinstance(node, ast.Constant):
            if node.value is None:
                return {"type": "null"}
            if isinstance(node.value, str):  # a forward reference
                return self.annotation(t, ast.parse(node.value, mode="eval").body)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.union(t, [node.left, node.right])
        if isinstance(node, (ast.Name, ast.Attribute)):
            text = ast.unparse(node)
            if text in SCALARS:
                return dict(SCALARS[text])
            key = self.lookup(t, text)
            if key is not None:
                return self.ref(key)
            if text in ARRAYS:
                return {"type": "array", "items": {}}
            if text in MAPS:
                return {"type": "object", "additionalProperties": {}}
            self.notes.append(f"unknown name {text} in {t.module}.{t.name}")
            return {}
        if isinstance(node, ast.Subscript):
            head = ast.unparse(node.value).rsplit(".", 1)[-1]
            args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head in WRAPPERS:
                return self.annotation(t, args[0])
            if head == "Annotated":
                inner = self.annotation(t, args[0])
                for extra in args[1:]:
                    if isinstance(extra, ast.Call):
                        disc = next((k.value for k in extra.keywords if k.arg == "discriminator"), None)
                        if isinstance(disc, ast.Constant) and ("oneOf" in inner or "anyOf" in inner):
                            variants = inner.pop("anyOf", None) or inner.pop("oneOf")
                            inner = {"oneOf": variants, "discriminator": {"propertyName": disc.value}}
                return inner
            if head == "Optional":
                return self.union(t, [args[0], ast.Constant(None)])
            if head == "Union":
                return self.union(t, args)
            if head == "Literal":
                values = [a.value for a in args if isinstance(a, ast.Constant)]
                kinds = {type(v) for v in values}
                kind = {str: "string", int: "integer", bool: "boolean", float: "number"}.get(kinds.pop(), "string") if len(kinds) == 1 else None
                out: Schema = {"enum": values}
                if kind:
                    out = {"type": kind, "enum": values}
                return out
            if head in ARRAYS:
                return {"type": "array", "items": self.annotation(t, args[0])}
            if head in MAPS:
                return {"type": "object", "additionalProperties": self.annotation(t, args[-1])}
            if head in ("Type", "type"):
                return {}
        self.notes.append(f"unhandled annotation {ast.unparse(node)} in {t.module}.{t.name}")
        return {}

    def union(self, t: SdkType, members: list[ast.expr]) -> Schema:
        flat: list[Schema] = []
        for m in members:
            s = self.annotation(t, m)
            flat.extend(s["anyOf"] if set(s) == {"anyOf"} else [s])
        nulls = [s for s in flat if s == {"type": "null"}]
        rest = [s for s in flat if s != {"type": "null"}]
        if len(rest) == 1 and not nulls:
            return rest[0]
        return {"anyOf": rest + ([{"type": "null"}] if nulls else [])}

    # -- operations ---------------------------------------------------------------------------------

    def spec_ops(self) -> dict[tuple[str, str], list[Any]]:
        """(verb, path without parameter names and query) -> the spec's operations there (`/responses`
        and `/responses?beta=true` share one)."""
        out: dict[tuple[str, str], list[Any]] = {}
        for op in self.spec.operations():
            out.setdefault((op.verb, norm_path(op.path)), []).append(op)
        return out

    def spec_op_of(self, op: SdkOperation, by_path: dict[tuple[str, str], list[Any]]) -> Any:
        """The spec operation a release's call stands for: at its verb and path, the one the generator
        gives the same name (`responses.create` is `POST /responses`, not `POST /responses?beta=true`)."""
        candidates = by_path.get((op.verb, norm_path(op.path))) or []
        named = self.spec_names().get((op.resource, op.method))
        return next((c for c in candidates if c.key == named), candidates[-1] if candidates else None)

    def spec_names(self) -> dict[tuple[str, str], str]:
        """(resource, method) -> spec operation key, as the generator names them."""
        if self._spec_names is None:
            methods = MethodBuilder(self.spec, parse_config(self.config)).build()
            self._spec_names = {(m.resource, m.name): m.op.key for m in methods if m.alias_of is None}
        return self._spec_names

    def named_ops(self) -> set[str]:
        """Spec operations the generator's config names (the release those tables describe)."""
        return set(self.config.get("methods") or {})

    def build_operations(self) -> None:
        by_path = self.spec_ops()
        names = self.spec_names()
        decided: dict[str, str] = self.decisions.get("disagreements") or {}
        undecided: list[str] = []
        for op in self.ops:
            key = f"{op.verb.upper()} {op.path}"
            spec_op = self.spec_op_of(op, by_path)
            named = names.get((op.resource, op.method))
            if spec_op is not None:
                self.extend_operation(op, spec_op)
                continue
            if named is not None and named not in {f"{o.verb.upper()} {o.path}" for o in self.ops}:
                winner = decided.get(f"{op.resource}.{op.method}")
                if winner is None:
                    undecided.append(f"{op.resource}.{op.method}: spec {named}, release {key}")
                    continue
                if winner == "spec":
                    continue
                verb, old_path = named.split(" ", 1)
                self.actions.append({"target": f"$.paths[{json.dumps(old_path)}].{verb.lower()}", "remove": True,
                                     "x-decision": f"release {self.version} wins: {op.resource}.{op.method} is {key}"})
            self.add_operation(op)
        if undecided:
            raise SystemExit("release and spec disagree; decide each in codegen/overlay.yaml `disagreements` "
                             "(release|spec):\n  " + "\n  ".join(undecided))

    def params_type(self, op: SdkOperation, which: tuple[str, str] | None) -> SdkType | None:
        if which is None:
            return None
        key = self.definition(*which) or self.definition(which[0].rsplit(".", 1)[0], which[1])
        return self.types.get(key) if key else None

    def arg_schema(self, op: SdkOperation, name: str, params: SdkType | None) -> tuple[Schema, bool]:
        arg = next((a for a in op.args if a.name == name), None)
        if params is not None and not (op.params_by_stream and arg is not None):
            # (a class chosen by `stream` types `stream` one way only: the method's argument says both)
            for f in params.fields:
                if f.name == name or f.key == name:
                    return self.annotation(params, f.annotation), self.field_required(params, f.annotation, f.has_default)
        if arg is not None and arg.annotation is not None:
            resource_type = SdkType(op.module, op.method, "typeddict", imports=op.imports)
            return self.strip_omit(self.annotation(resource_type, arg.annotation)), arg.required
        return {}, False

    @staticmethod
    def strip_omit(s: Schema) -> Schema:
        if "anyOf" in s:
            kept = [v for v in s["anyOf"] if v != {}]
            return kept[0] if len(kept) == 1 else {**s, "anyOf": kept}
        return s

    def body_schema(self, op: SdkOperation) -> tuple[Schema, bool]:
        params = self.params_type(op, op.params_class)
        props: dict[str, Schema] = {}
        required: list[str] = []
        for key in op.body_keys:
            schema, req = self.arg_schema(op, key, params)
            props[key] = schema
            if req:
                required.append(key)
        out: Schema = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        return out, bool(required)

    def add_operation(self, op: SdkOperation) -> None:
        parameters: list[dict[str, Any]] = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in op.path_args
        ]
        qparams = self.params_type(op, op.query_params_class or op.params_class)
        for key in op.query_keys:
            schema, req = self.arg_schema(op, key, qparams)
            parameters.append({"name": key, "in": "query", "required": req, "schema": schema})
        for header, arg in op.header_args.items():
            parameters.append({"name": header, "in": "header", "required": False, "schema": {"type": "string"},
                               "x-stainless-param": arg})
        body: dict[str, Any] = {}
        if op.body_keys:
            schema, req = self.body_schema(op)
            ctype = "multipart/form-data" if op.multipart else "application/json"
            body = {"required": req, "content": {ctype: {"schema": schema}}}
        response: dict[str, Any] = {}
        if op.binary:
            response = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
        elif op.page and op.returns:
            item = self.ref(self.definition(*op.returns) or op.returns)
            page: Schema = {"type": "object", "required": ["data"],
                            "properties": {"data": {"type": "array", "items": item}, "has_more": {"type": "boolean"}}}
            if op.page == "ConversationCursorPage":
                page["properties"]["last_id"] = {"type": "string"}
            if op.page in ("NextCursorPage", "TokenPage"):
                page["properties"]["next"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
            if op.page == "Page":
                page["properties"]["object"] = {"type": "string"}
            response = {"content": {"application/json": {"schema": page}}}
        elif op.returns:
            key = self.definition(*op.returns)
            schema = self.ref(key) if key else {}
            ctype = "text/event-stream" if op.stream else "application/json"
            response = {"content": {ctype: {"schema": schema}}}
        operation: dict[str, Any] = {"operationId": f"{op.resource}.{op.method}", "parameters": parameters,
                                     "responses": {"200" if response else "204": response or {}}}
        if body:
            operation["requestBody"] = body
        operation["x-pyopenai"] = self.naming_facts(op)
        self.actions.append({"target": "$.paths", "update": {op.path: {op.verb: operation}}})

    @staticmethod
    def naming_facts(op: SdkOperation) -> dict[str, Any]:
        """What the generator's config says about a method: official resource and name, return type,
        page, stream event type, body kind, fixed headers."""
        facts: dict[str, Any] = {"resource": op.resource, "method": op.method}
        params = op.params_class or op.query_params_class
        if params is not None:
            facts["params"] = params[0]  # the module of its params TypedDict (`types.webhooks.webhook_create_params`)
        if op.binary:
            facts["binary"] = True
        elif op.returns_expr and op.returns_expr != "None":
            facts["returns"] = op.returns_expr
        if op.page:
            facts["page"] = op.page
        if op.stream:
            facts["stream"] = op.stream[1]
            if not any(a.name == "stream" for a in op.args):
                facts["stream_only"] = True
            if op.stream_mode:
                facts["stream_mode"] = op.stream_mode
        if op.multipart:
            facts["body"] = "multipart"
        headers = {k: v for k, v in op.fixed_headers.items() if k not in ("Content-Type",)}
        if headers:
            facts["headers"] = headers
        return facts

    def extend_operation(self, op: SdkOperation, spec_op: Any) -> None:
        """Query parameters and body properties the release sends and the spec does not list."""
        have = {p.name.removesuffix("[]") for p in spec_op.parameters}
        target = f"$.paths[{json.dumps(spec_op.path)}].{spec_op.verb}"
        if spec_op.key not in self.named_ops():  # an endpoint the config's release had no method for
            self.actions.append({"target": target, "update": {"x-pyopenai": self.naming_facts(op)}})
        qparams = self.params_type(op, op.query_params_class or op.params_class)
        new_params = []
        for key in op.query_keys:
            if key not in have:
                schema, req = self.arg_schema(op, key, qparams)
                new_params.append({"name": key, "in": "query", "required": req, "schema": schema})
        if new_params:
            self.actions.append({"target": target + ".parameters", "update": new_params})
        ctype, body = self.spec.request_body(spec_op)
        if not op.body_keys or body is None:
            return
        ref = self.spec.ref_name(body)
        node = self.spec.deref(body)
        props, _ = self.spec.object_view(node)
        params = self.params_type(op, op.params_class)
        where = (f"$.components.schemas[{json.dumps(ref)}]" if ref
                 else f"{target}.requestBody.content[{json.dumps(ctype)}].schema")
        if params is not None and params.kind == "typeddict":
            self.nested.walk_object(params, node, where, top=True)  # the params' nested classes and copies
        missing: dict[str, Schema] = {}
        for key in op.body_keys:
            if key not in props:
                missing[key] = self.arg_schema(op, key, params)[0]
        if not missing:
            return
        if "properties" not in node:
            # `allOf: [{$ref: A}, {$ref: B}, {properties: ...}]`: the inline part takes them
            parts = node.get("allOf") or []
            inline = [i for i, part in enumerate(parts) if isinstance(part, dict) and "properties" in part]
            if not inline:
                self.notes.append(f"{spec_op.key}: body properties {sorted(missing)} not added (no properties)")
                return
            where += f".allOf[{inline[-1]}]"
        self.actions.append({"target": where + ".properties", "update": missing})

    # -- types ----------------------------------------------------------------------------------------

    def build_types(self) -> None:
        """Public types the spec lacks (added as schemas) and fields/enum values it lacks. Params
        and per-method responses of operations the spec has are left to the generator, which
        makes them from the operation."""
        spec_ops = self.spec_ops()
        named = self.named_ops()
        made_by_generator: set[tuple[str, str]] = set()
        response_schemas: dict[tuple[str, str], str] = {}  # the type an unnamed spec operation returns
        for op in self.ops:
            spec_op = self.spec_op_of(op, spec_ops)
            if op.returns is None or spec_op is None:
                continue
            if spec_op.key in named:
                made_by_generator.add(op.returns)
            elif not op.page:  # a page's schema is the list, not the item
                ref = self.spec.ref_name(self.spec.success_response(spec_op)[1] or {})
                if ref is not None:
                    response_schemas[self.definition(*op.returns) or op.returns] = ref
        # the params modules of HTTP calls: the generator makes them from the operation; others
        # (`live.sideband_connect_params`, the arguments of a WebSocket `connect()`) are types
        op_params = {c[0] for op in self.ops for c in (op.params_class, op.query_params_class) if c is not None}
        op_params |= {m for m in (f"{k[0]}" for k in self.types) if m.endswith("_params") and self.params_of_method(m)}
        listed: set[tuple[str, str]] = set()  # a type several packages re-export: listed once, shallowest
        for package in sorted(self.public, key=lambda p: (p.count("."), p)):
            if package.startswith("types.shared_params"):
                continue  # TypedDict twins of `types.shared`: the generator makes them
            for name in sorted(self.public[package]):
                key = self.definition(package, name)
                if key is None or key not in self.types or key[0] in op_params or key in listed:
                    continue
                if f"{package}.{name}" in (self.decisions.get("leave_out") or []):
                    continue
                listed.add(key)
                existing = response_schemas.get(key) or self.spec_schema(key)
                if any(r[1] == name and (self.definition(*r) or r) == key for r in made_by_generator):
                    if existing is not None and not existing.startswith("#"):
                        self.extend_schema(key, existing)  # named by the config; the release's new fields
                    continue
                if existing is not None and not existing.startswith("#") and name not in self.config_names(package):
                    # a spec schema the config's release had no public name for (`live.Error`, the
                    # `Voice` that `POST /audio/voices` returns): named here, extended as below
                    self.types_table.setdefault(package, {})[name] = self.type_entry(key, package, existing)
                if existing is None:
                    self.types_table.setdefault(package, {})[name] = self.type_entry(key, package, self.component(key))
                elif not existing.startswith("#"):
                    self.extend_schema(key, existing)
                else:
                    self.extend_pointed(key, package)

    def extend_pointed(self, key: tuple[str, str], package: str) -> None:
        """A type the config names by a `pointer` into a schema (`RealtimeResponseStatus` is
        `RealtimeResponse/properties/status_details`): the release's new fields go there."""
        entry = self.config_entry(package, key[1]) or {}
        pointer = entry.get("pointer")
        if not isinstance(pointer, str) or pointer.startswith("#") or self.types[key].kind not in ("model", "typeddict"):
            return
        schema_name, *steps = pointer.split("/")
        node: Any = self.spec.schemas.get(schema_name)
        target = f"$.components.schemas[{json.dumps(schema_name)}]"
        for step in steps:
            index = int(step) if step.isdigit() else step
            try:
                node = node[index]
            except (KeyError, IndexError, TypeError):
                return
            target += f"[{index}]" if isinstance(index, int) else f".{step}"
        if isinstance(node, dict) and "$ref" not in node:
            self.extend_node(key, node, target)

    def params_of_method(self, module: str) -> bool:
        """`..._<method>_params` of a resource method the release calls over HTTP (named by the rule
        even where the call's body is built at run time)."""
        leaf = module.rsplit(".", 1)[-1].removesuffix("_params")
        return any(leaf.endswith("_" + op.method) or leaf == op.method for op in self.ops)

    def derives_typeddict(self, t: SdkType) -> bool:
        """A class whose base is a TypedDict of the release (`DecisionInputMessageParam(DecisionInputUserMessage)`)."""
        for base in t.bases:
            key = self.lookup(t, ast.unparse(base))
            parent = self.types.get(key) if key else None
            if parent is not None and (parent.kind == "typeddict" or self.derives_typeddict(parent)):
                return True
        return False

    def config_names(self, package: str) -> set[str]:
        return {n for table in ("types", "type_overrides") for n in (self.config.get(table) or {}).get(package) or {}}

    def type_entry(self, key: tuple[str, str], package: str, schema: str) -> dict[str, Any]:
        """The `types` table entry of an official public type stood for by `schema`."""
        t = self.types[key]
        name = key[1]
        entry: dict[str, Any] = {"schema": schema}
        if t.kind == "typeddict" or (t.kind == "alias" and name.endswith("Param")):
            entry["kind"] = "param"
        elif t.kind == "model" and name.endswith("Param") and not self.derives_typeddict(t):
            entry["kind"] = "model"  # a model named like a param (`ResponseConfigurationUpdateItemParam`)
        if key[0] != f"{package}.{_snake(name)}":
            entry["file"] = key[0]
        return entry

    def module_aliases(self) -> dict[str, dict[str, str]]:
        """The release's second names inside a module (`ContextManagement: TypeAlias =
        ResponseCreateContextManagement`, kept when 3.60 renamed its nested types): {module: {name: other}}."""
        out: dict[str, dict[str, str]] = {}
        for (module, name), t in sorted(self.types.items()):
            if t.kind == "alias" and isinstance(t.value, ast.Name) and t.value.id != name and (module, t.value.id) in self.types:
                out.setdefault(module, {})[name] = t.value.id
        return out

    def public_schemas(self) -> dict[str, set[str]]:
        """Spec schemas the generator's config gives a public name (their `$ref`s render as it),
        each with the modules its public types are defined in."""
        out: dict[str, set[str]] = {}
        for table in ("types", "type_overrides"):
            for package, names in (self.config.get(table) or {}).items():
                for name, entry in (names or {}).items():
                    entry = entry or {}
                    if set(entry) <= {"schema", "file", "kind"}:
                        schema = entry.get("schema") or name
                        if schema in self.spec.schemas:
                            out.setdefault(schema, set()).add(entry.get("file") or f"{package}.{_snake(name)}")
        return out

    def extend_schema(self, key: tuple[str, str], schema_name: str) -> None:
        self.extend_node(key, self.spec.schemas[schema_name], f"$.components.schemas[{json.dumps(schema_name)}]")

    def extend_node(self, key: tuple[str, str], raw: Schema, target: str) -> None:
        t = self.types[key]
        if t.kind in ("model", "typeddict"):  # (the schema is the config's or the spec's statement, or shaped alike)
            where = locate(raw, "properties")
            if where is not None:
                have, _ = self.spec.object_view(self.spec.split_null(raw)[0])
                missing = {f.key: self.annotation(t, f.annotation) for f in t.fields if f.key not in have}
                if missing:
                    self.actions.append({"target": target + where + ".properties", "update": missing})
            self.nested.walk_object(t, raw, target, top=True)  # below its fields: nested classes, copies
        elif t.kind == "alias" and t.value is not None:
            self.nested.walk_union(t, self.nested.members(t.value), raw, target)
            self.add_union_members(t, raw, target)
            values = _literals(t.value)
            where = locate(raw, "enum")
            if values and where is not None:
                node: Any = raw
                for step in parse_target("$" + where):
                    node = node[step]
                new = [v for v in values if v not in node["enum"]]
                if new:
                    self.actions.append({"target": target + where + ".enum", "update": new})

    def inherited_tag(self, key: tuple[str, str], depth: int = 0) -> Any:
        """A release class's `type` tag, from its bases when it declares none (`ResponseWsCompleted`)."""
        t = self.types[key]
        tag = self.nested.release_tag(t)
        if tag is not None or depth > 4:
            return tag
        for base in t.bases:
            base_key = self.lookup(t, ast.unparse(base))
            if base_key is not None and base_key in self.types:
                tag = self.inherited_tag(base_key, depth + 1)
                if tag is not None:
                    return tag
        return None

    def add_union_members(self, t: SdkType, raw: Schema, target: str) -> None:
        """Members of a tagged union (`ResponseStreamEvent`) the release has and the spec's union
        lacks: events and items newer than the spec. Matched by their `type` tag; a union whose
        variants are not all tagged is left alone (nothing safe to match on)."""
        combiner = next((c for c in ("oneOf", "anyOf") if c in raw), None)
        if combiner is None:
            return
        # tag -> the union (target, combiner) holding it: a variant that is itself a union of tagged
        # variants (`InputItem` holds `Item`) counts with its variants, as the release flattens it
        spec_home: dict[Any, tuple[str, str]] = {}
        for variant in raw[combiner]:
            node = self.spec.deref(variant)
            tag = self.nested.spec_tag(node)
            if tag is not None:
                spec_home[tag] = (target, combiner)
                continue
            inner = self.spec.ref_name(variant)
            inner_combiner = next((c for c in ("oneOf", "anyOf") if c in node), None)
            if inner is None or inner_combiner is None:
                return
            for member in node[inner_combiner]:
                inner_tag = self.nested.spec_tag(self.spec.deref(member))
                if inner_tag is None:
                    return
                spec_home[inner_tag] = (component_target(inner), inner_combiner)
        tagged: dict[Any, tuple[str, str]] = {}
        for member in self.nested.members(t.value) if t.value is not None else []:
            key = self.lookup(t, ast.unparse(member))
            if key is not None and key in self.types and self.types[key].kind in ("model", "typeddict"):
                tag = self.inherited_tag(key)
                if tag is not None:
                    tagged.setdefault(tag, key)
        # Only a release union holding every spec variant is the same union grown: a public name
        # several unions share (the beta and GA `RealtimeServerEvent`) must not mix their members.
        if not set(spec_home) <= set(tagged):
            return
        # each union gets the release's members in order, keeping the spec's own and the new ones the
        # release lists after one of them (new ones listed first go in the outer union)
        per_union: dict[tuple[str, str], dict[Any, tuple[str, str]]] = {}
        home = (target, combiner)
        for tag, key in tagged.items():
            home = spec_home.get(tag, home)
            per_union.setdefault(home, {})[tag] = key
        for union, members in per_union.items():
            found = self.union_growth.setdefault(union, [])
            # the model union first: a spec union both a model and its param twin stand for takes the
            # model's members (the generator derives the param side)
            found.insert(len(found) if t.name.endswith("Param") else 0, members)

    def grow_unions(self) -> None:
        """The members `add_union_members` found. Where several release unions stand for one spec
        union (the GA and beta `RealtimeClientEvent`), only the members they all have are added."""
        for (target, combiner), found in sorted(self.union_growth.items()):
            raw = self.spec.schemas[json.loads(target[len("$.components.schemas["):-1])]
            spec_index = {self.nested.spec_tag(self.spec.deref(v)): i for i, v in enumerate(raw[combiner])}
            common = set(found[0]).intersection(*found[1:]) - set(spec_index)
            refs: dict[Any, Schema] = {}
            # each new member goes after the spec variant the release lists before it (-1: first)
            after: list[int] = []
            previous = -1
            for tag, key in found[0].items():
                if tag in common:
                    refs[tag] = self.ref(key)
                    after.append(previous)
                else:
                    previous = spec_index.get(tag, previous)
            if not refs:
                continue
            self.actions.append({"target": f"{target}.{combiner}", "update": list(refs.values()), "x-after": after})
            if isinstance(raw.get("discriminator"), dict) and "mapping" in raw["discriminator"]:
                mapping = {str(tag): ref["$ref"] for tag, ref in refs.items()}
                self.actions.append({"target": f"{target}.discriminator.mapping", "update": mapping})

    # -- document -------------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        self.build_operations()
        self.build_types()
        self.grow_unions()
        self.actions.extend(self.nested.actions)
        for name in sorted(self.new_schemas):
            self.actions.append({"target": "$.components.schemas", "update": {name: self.new_schemas[name]}})
        return {
            "overlay": "1.0.0",
            "info": {"title": f"facts of the official openai {self.version} release the spec lacks",
                     "version": self.version},
            "x-derived-from": {"package": "openai", "version": self.version,
                               "read": "api.md, resources (paths, verbs, arguments), types (fields, enum values)"},
            "x-pyopenai-types": {k: dict(sorted(v.items())) for k, v in sorted(self.types_table.items())},
            "x-pyopenai-aliases": self.module_aliases(),
            # the shared types the release gives a request-side copy in `types.shared_params`
            "x-pyopenai-shared-params": sorted(self.public.get("types.shared_params") or {}),
            "actions": [scrub(a) for a in merge_actions(self.actions)],
        }


def locate(schema: Schema, key: str) -> str | None:
    """Where in `schema` (itself, or one `anyOf`/`oneOf`/`allOf` member written inline) `key` is."""
    if key in schema:
        return ""
    for combiner in ("anyOf", "oneOf", "allOf"):
        for i, part in enumerate(schema.get(combiner) or []):
            if isinstance(part, dict) and key in part:
                return f".{combiner}[{i}]"
    return None


def merge_actions(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One action per target (several official types may extend the same schema), first wins."""
    out: dict[str, dict[str, Any]] = {}
    merged: list[dict[str, Any]] = []
    for a in actions:
        prev = out.get(a["target"])
        if prev is None or "update" not in a or "update" not in prev or a["target"] in ("$.paths", "$.components.schemas"):
            out.setdefault(a["target"], a)
            merged.append(a)
        elif isinstance(prev["update"], dict):
            for k, v in a["update"].items():
                prev["update"].setdefault(k, v)
        else:
            prev["update"].extend(v for v in a["update"] if v not in prev["update"])
    return merged


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])|(?<=[A-Z])([A-Z][a-z])", r"_\1\2", name).lower()


def _literals(node: ast.expr) -> list[Any]:
    return [n.value for sub in ast.walk(node) if isinstance(sub, ast.Subscript) and ast.unparse(sub.value).endswith("Literal")
            for n in (sub.slice.elts if isinstance(sub.slice, ast.Tuple) else [sub.slice]) if isinstance(n, ast.Constant)]


def spec_document(path: Path | None) -> dict[str, Any]:
    """The spec alone (never the overlay: the overlay is what the spec lacks)."""
    from spec import load_spec

    return load_spec(path, overlay=False).doc


def main() -> int:
    from config import read_raw as load_config

    parser = argparse.ArgumentParser()
    parser.add_argument("--release-dir", type=Path, required=True, help="an unpacked openai wheel (the dir holding openai/)")
    parser.add_argument("--version", required=True)
    parser.add_argument("--spec", type=Path, default=None, help="the spec to compare with (default: the generator's)")
    parser.add_argument("--out", type=Path, default=HERE.parent / "openapi" / "overlay.json")
    args = parser.parse_args()
    root = args.release_dir / "openai"
    doc = spec_document(args.spec)
    decisions = yaml.safe_load((HERE / "overlay.yaml").read_text(encoding="utf-8")) or {}
    builder = Builder(Spec(copy.deepcopy(doc)), load_config(), decisions, root, args.version)
    overlay = builder.build()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(overlay, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    adds = sum(1 for a in overlay["actions"] if a["target"] == "$.paths" for _p in a["update"].values())
    print(f"{args.out.name}: {len(overlay['actions'])} actions; operations added {adds}; "
          f"schemas added {len(builder.new_schemas)}; public types {sum(len(v) for v in builder.types_table.values())}")
    for note in sorted(set(builder.notes))[:40]:
        print("  note:", note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
