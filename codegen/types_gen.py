"""Where a schema becomes a type.

`TypeRegistry` knows every named public type (config `types` + `extra_schemas`) and, for each spec
schema, the canonical model and param names that a `$ref` to it renders as. `FileWriter` renders
one file: the top-level type plus the nested types it needs, named by the nested-naming rule:

* a property `choices` (array) of `ChatCompletion` -> `Choice`; `choices[].logprobs` -> `ChoiceLogprobs`
  (path of PascalCased property names, array items singularized, the top-level name left out);
* a union variant -> union name + PascalCase(tag value) when the union is tagged, else union name
  + the `$ref`'d schema's name, else its title, else `...UnionMember{i}` (see `render_union`);
* a `$ref` to a schema with no public name is inlined under the same rule; a `$ref` (or a
  `pointer` node) with a public name always renders as that name.

Responses are pydantic models (`BaseModel`; `Optional[X] = None` for optional or nullable fields;
unions whose every member requires a distinct tag as `Annotated[Union[...], FieldInfo(discriminator=prop)]`,
the others plain `Union[...]`); requests are `TypedDict`s (`total=False`,
`Required[...]`). Open enums are `Union[str, Literal[...]]`.
"""

from __future__ import annotations

import ast
import json
import keyword
from dataclasses import dataclass, replace
from typing import Any

from config import SAME_NAME, Config, TypeSpec
from emit import HEADER, Imports, relative
from ir import (
    NONE,
    OBJECT,
    STR,
    DictOf,
    Field,
    ListOf,
    LiteralOf,
    Named,
    Nullable,
    ObjectType,
    Primitive,
    Renderer,
    TypeNode,
    UnionOf,
    class_source,
    merge_literals,
    nullable,
    python_name,
)
from naming import Singularizer, pascal, snake
from spec import Schema, Spec

PKG = "pyopenai"
MODELS_MODULE = f"{PKG}._models"
FILE_TYPES = f"{PKG}._types"

RESERVED_CLASS_NAMES = frozenset(
    {"Dict", "Iterable", "List", "Mapping", "Optional", "Sequence", "Union", "Any", "Annotated", "Literal",
     "Required", "TypeAlias", "TypedDict", "BaseModel", "FieldInfo", "FileTypes", "builtins"}
)
PRIMITIVES: dict[str, Primitive] = {"integer": Primitive("int"), "number": Primitive("float"),
                                    "boolean": Primitive("bool"), "null": NONE}
PLACEHOLDER: Schema = {"type": "object", "additionalProperties": True}
OFFICIAL_NAME = "x-pyopenai-name"  # on a schema build_overlay.py added: `module:Name` of the official type
INLINE_COPY = "x-pyopenai-inline"  # on a `$ref` node (build_overlay.py): the modules keeping their own copy


@dataclass
class TypeEntry:
    name: str
    export_module: str  # pyopenai.types.chat
    file_module: str  # pyopenai.types.chat.chat_completion
    kind: str  # model | param
    schema: str | None = None
    alias: str | None = None
    list_of: str | None = None
    inline: Schema | None = None  # a schema with no component name (a spec node, or a placeholder)
    pointer: bool = False  # `inline` is a node of the spec: wherever it appears it renders as this type
    external: str | None = None  # `module:Name` of a hand-written class this module re-exports
    derived: bool = False  # named by the overlay, not the config: never preferred as a schema's canonical name


def types_module(dotted: str) -> str:
    """`types.chat` (the surface's spelling) -> `pyopenai.types.chat`."""
    return f"{PKG}.{dotted}"


class TypeRegistry:
    def __init__(self, spec: Spec, config: Config) -> None:
        self.spec = spec
        self.config = config
        self.singular = Singularizer(config.naming.singular)
        self.acronyms = config.naming.acronyms
        self.entries: list[TypeEntry] = []
        self.by_name: dict[str, list[TypeEntry]] = {}
        spec.add_schemas(config.extra_schemas)
        table: dict[str, dict[str, TypeSpec]] = {module: dict(names) for module, names in config.types.items()}
        for module, names in config.type_overrides.items():
            for name, given in names.items():
                built = table.setdefault(module, {}).get(name)
                if built is not None and built.file and not given.file:
                    given = replace(given, file=built.file)  # an override says what, the table where
                table[module][name] = given
        # request-side copies of shared types, under the same names in their own package
        # (`types.shared_params.Reasoning` is the TypedDict of the model `types.shared.Reasoning`)
        shared = config.shared_params
        for name in shared.names if shared else ():
            assert shared is not None
            model_files = [ts.file for names in table.values() if (ts := names.get(name)) is not None and ts.file]
            leaf = model_files[0].rsplit(".", 1)[-1] if model_files else snake(name)  # same file name as the model's
            twin = TypeSpec(twin=name, kind="param", file=f"{shared.package}.{leaf}")
            table.setdefault(shared.package, {}).setdefault(name, twin)
        twins: dict[int, tuple[TypeEntry, str]] = {}  # id(entry) -> (entry, the model it is the param of)
        for module in sorted(table):
            for name in sorted(table[module]):
                ts = table[module][name]
                export = types_module(module)
                file_module = types_module(ts.file) if ts.file else f"{export}.{snake(name)}"
                kind = ts.kind or ("param" if name.endswith("Param") or ts.twin is not None else "model")
                entry = TypeEntry(name, export, file_module, kind, derived=ts.derived)
                if ts.alias is not None:
                    entry.alias = ts.alias
                elif ts.list_of is not None:
                    entry.list_of = ts.list_of
                elif ts.twin is not None:
                    twins[id(entry)] = (entry, ts.twin)  # resolved below, once every entry is known
                elif ts.extra:
                    entry.schema = ts.extra
                elif ts.pointer:
                    node = spec.pointer(ts.pointer)
                    if spec.ref_name(node) and not ts.here_only:  # a `$ref` node: the referenced schema is the type
                        entry.schema = spec.ref_name(node)
                    else:  # (`here_only`: the official name of that one use of a schema, inlined everywhere else)
                        entry.inline, entry.pointer = node, True
                elif ts.external:
                    entry.external = ts.external
                else:
                    entry.schema = name if ts.schema is SAME_NAME else ts.schema
                    if entry.schema is None:
                        entry.inline = PLACEHOLDER
                self.add(entry)
        # twins: the param of the model named `base`
        for entry, base_name in list(twins.values()):
            base = self.lookup(base_name, entry.export_module, exclude=entry)
            if base is not None and base.schema and id(base) not in twins:
                entry.schema = base.schema
            elif base is not None and base.inline is not None:
                entry.inline, entry.pointer = base.inline, base.pointer
            elif base is not None and base.alias:
                entry.alias = base.alias + "Param"
            else:
                entry.schema = entry.name[:-5] if entry.name[:-5] in spec.schemas else None
                if entry.schema is None:
                    entry.inline = PLACEHOLDER
            del twins[id(entry)]
        # hand-written first bases of generated models: {public name: (module, class, fields the mixin provides)}
        self.model_mixins: dict[str, tuple[str, str, frozenset[str]]] = {}
        for name in config.model_mixins:
            mixin = config.model_mixin(name)
            module, cls = mixin.mixin.split(":")
            if name not in self.by_name:
                raise ValueError(f"model_mixins: no public type {name!r}")
            self.model_mixins[name] = (module, cls, frozenset(mixin.replaces))
        # canonical names for $refs
        self.model_canon: dict[str, TypeEntry] = {}
        self.param_canon: dict[str, TypeEntry] = {}
        ordered = sorted(
            (e for e in self.entries if e.schema),
            key=lambda e: (e.derived, e.name != e.schema, e.export_module.count("."), e.export_module, e.name),
        )
        for e in ordered:
            if e.kind == "model" and e.name.endswith("Param"):
                continue  # a model named like a param (`ResponseConversationParam`) is only used by name
            canon = self.model_canon if e.kind == "model" else self.param_canon
            assert e.schema is not None
            canon.setdefault(e.schema, e)
        # a schema with a model but no param of its own: the request side names it by the TypedDict
        # named after the model, next to it (`X` -> `XParam`; the overlay copies such a TypedDict of the
        # release as a schema of its own, so nothing else links the two)
        for e in ordered:
            if e.kind == "model" and e.schema is not None and e.schema not in self.param_canon:
                twin = self.lookup(e.name + "Param", e.export_module)
                if twin is not None and twin.kind == "param" and twin.schema and twin.export_module == e.export_module:
                    self.param_canon[e.schema] = twin
        # the spec's request-side copies of a schema (config `request_copies`): on the request side, that
        # schema's param type, as in the release (`InputTextContentParam` -> `ResponseInputTextContentParam`)
        for copy, original in config.request_copies.items():
            if copy not in self.param_canon and original in self.param_canon:
                self.param_canon[copy] = self.param_canon[original]
        # spec nodes named by `pointer`: (id(node), kind) -> entry
        self.node_canon: dict[tuple[int, str], TypeEntry] = {}
        for e in self.entries:
            if e.pointer and e.inline is not None:
                self.node_canon.setdefault((id(e.inline), e.kind), e)

    def pascal(self, text: str) -> str:
        """PascalCase for nested type names, with the configured acronyms (`image_url` -> `ImageURL`)."""
        return pascal(text, self.acronyms)

    def add(self, entry: TypeEntry) -> None:
        self.entries.append(entry)
        self.by_name.setdefault(entry.name, []).append(entry)

    def lookup(self, name: str, near_module: str, *, exclude: TypeEntry | None = None) -> TypeEntry | None:
        """The public type `name`, preferring the one exported from `near_module`."""
        found = [e for e in self.by_name.get(name) or [] if e is not exclude]
        for e in found:
            if e.export_module == near_module:
                return e
        return found[0] if found else None

    def canonical(self, schema_name: str, kind: str) -> TypeEntry | None:
        return (self.model_canon if kind == "model" else self.param_canon).get(schema_name)

    def node_entry(self, node: Schema, kind: str) -> TypeEntry | None:
        return self.node_canon.get((id(node), kind)) if self.node_canon else None


class FileWriter:
    """Renders one types file. `kind` is model or param."""

    def __init__(self, registry: TypeRegistry, module: str, kind: str) -> None:
        self.reg = registry
        self.spec = registry.spec
        self.module = module
        self.kind = kind
        self.imports = Imports(module)
        self.defs: list[str] = []  # the file's definitions, rendered
        self.narrows_base_fields = False  # a model here narrows fields of its generated base (extended_model)
        self.class_names: set[str] = set()  # names defined here by a `class` statement
        self.local_names: set[str] = set()
        self.by_schema: dict[tuple[str, str], TypeNode] = {}  # (schema name, hint) -> the type inlined for it
        self.top_names: set[str] = set()
        self.blocked: set[str] = set()  # schemas being defined here as top-level (no self-import)
        self.blocked_nodes: set[int] = set()  # the same for `pointer` nodes
        self.reexports: list[tuple[str, str]] = []  # (module, name) of hand-written classes
        # a public param list alias here lists items of these modules' types: the names those
        # modules define are importable from this one too (`response_input_param.Message`)
        self.list_item_modules: list[str] = []
        self.release_names = next((pairs for m, pairs in registry.config.module_aliases.items()
                                   if types_module(m) == module), {})

    # -- names ---------------------------------------------------------------------------------

    def fresh(self, hint: str) -> str:
        # a module's alias pair (`module_aliases`: second name -> the release's class) names the class
        # as the release does; the second name becomes its alias (Generator.module_aliases)
        hint = self.release_names.get(hint, hint)
        name = hint if hint not in RESERVED_CLASS_NAMES else hint + "Model"
        base, i = name, 2
        while name in self.local_names or name in self.imports_names():
            name = f"{base}{i}"
            i += 1
        self.local_names.add(name)
        return name

    def is_file_type(self, name: str) -> bool:
        """The type the file is named after: its nested types leave its name out (`Choice`, not
        `ChatCompletionChoice`). Another public type placed in the file (`ChoiceDeltaToolCall` in
        `chat_completion_chunk`) is nested there and keeps its name in theirs."""
        leaf = self.module.rsplit(".", 1)[-1]
        return name in self.top_names and snake(name).replace("_", "") == leaf.replace("_", "")  # `chatkit_thread`

    def imports_names(self) -> set[str]:
        return {n for names in self.imports.names.values() for n in names}

    def import_entry(self, entry: TypeEntry) -> str:
        if entry.file_module == self.module:
            return entry.name
        if entry.name in self.local_names:
            alias = f"{entry.name}_{snake(entry.export_module.rsplit('.', 1)[-1])}"
            self.imports.add(entry.file_module, f"{entry.name} as {alias}")
            return alias
        self.imports.add(entry.file_module, entry.name)
        return entry.name

    # -- schemas -> type nodes (the one place a schema becomes a type) ---------------------------

    def renderer(self, shadowed: frozenset[str] = frozenset()) -> Renderer:
        return Renderer("model" if self.kind == "model" else "param", shadowed)

    def render(self, schema: Schema, hint: str) -> TypeNode:
        """The type of `schema`; nested types are defined on the way, named from `hint`."""
        if not isinstance(schema, dict):
            return OBJECT
        if "$recursiveRef" in schema:
            return OBJECT
        named = self.named_node(schema)
        ref = self.spec.ref_name(schema)
        if ref is not None and named is None:
            if self.keeps_copy(schema) and ref in self.spec.schemas:  # named by its path, as unnamed ones
                node = self.inline_ref(ref, hint)
                return Nullable(node) if schema.get("nullable") is True and not isinstance(node, Nullable) else node
            return self.render_ref(ref, hint, sibling_nullable=schema.get("nullable") is True)
        inner, is_nullable = self.spec.split_null(schema)
        if named is not None:
            return Nullable(named) if is_nullable else named
        if is_nullable:
            return nullable(self.render(inner, hint))
        return self.render_plain(inner, hint)

    def keeps_copy(self, node: Schema) -> bool:
        """The release keeps its own copy of a public type at this `$ref`, in this module (or in the
        model module whose request-side twin this is): inlined and named by its path, not imported."""
        modules = node.get(INLINE_COPY) or []
        return any(self.module in (types_module(m), types_module(m) + "_param") for m in modules)

    def render_ref(self, ref: str, hint: str, sibling_nullable: bool = False) -> TypeNode:
        target = self.spec.schemas.get(ref)
        if target is None:
            return OBJECT
        entry = self.ref_entry(ref)  # enums and scalars: one type for both sides
        if entry is not None and ref not in self.blocked:
            node: TypeNode = Named(self.import_entry(entry))
        else:
            node = self.inline_ref(ref, hint)
        return Nullable(node) if sibling_nullable and not isinstance(node, Nullable) else node

    def named_node(self, node: Schema) -> Named | None:
        """The public type a spec node was given by a `pointer` entry, imported (None if none)."""
        entry = self.reg.node_entry(node, self.kind)
        if entry is None and self.kind == "param" and self.is_plain_value(node):
            entry = self.reg.node_entry(node, "model")
        if entry is None or id(node) in self.blocked_nodes:
            return None
        return Named(self.import_entry(entry))

    def is_plain_value(self, schema: Schema) -> bool:
        """An enum, a scalar, or a union of those: the same type on the model and the param side."""
        inner, _ = self.spec.split_null(self.spec.deref(schema))
        if "enum" in inner or "const" in inner:
            return True
        variants = inner.get("oneOf") or inner.get("anyOf")
        if variants and not inner.get("properties"):
            return all(self.is_plain_value(v) for v in variants)
        return inner.get("type") in ("string", "integer", "number", "boolean") and "properties" not in inner

    def inline_ref(self, ref: str, hint: str) -> TypeNode:
        target = self.spec.schemas[ref]
        inner, is_nullable = self.spec.split_null(target)
        hint = self.official_name(target) or hint
        key = (ref, hint)  # one copy per path, named by it, as the official SDK (`ShellCallCaller`)
        if key in self.by_schema:
            node = self.by_schema[key]
        else:
            node = self.render_plain(inner, hint)
            self.by_schema[key] = node
        return Nullable(node) if is_nullable else node

    def official_name(self, schema: Schema) -> str | None:
        """The release's name of a type the overlay added, in the module that defines it there
        (elsewhere the type is named by its path, as the release does with its own copies)."""
        module, _, name = str(schema.get(OFFICIAL_NAME) or "").partition(":")
        return name if name and types_module(module) == self.module else None

    def render_plain(self, schema: Schema, hint: str) -> TypeNode:
        if "$ref" in schema:
            return self.render(schema, hint)
        named = self.named_node(schema)
        if named is not None:
            return named
        if "const" in schema:
            return LiteralOf((schema["const"],))
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            if not values:
                return OBJECT
            return LiteralOf(tuple(values))
        variants = schema.get("oneOf") or schema.get("anyOf")
        if variants and not schema.get("properties"):
            return self.render_union(schema, variants, hint)
        all_of = schema.get("allOf")
        if all_of and not schema.get("properties") and len(all_of) == 1:
            return self.render(all_of[0], hint)
        t = schema.get("type")
        if isinstance(t, list):
            parts = dedupe([self.render_plain({**schema, "type": x}, hint) for x in t])
            return parts[0] if len(parts) == 1 else UnionOf(tuple(parts))
        if t == "object" or "properties" in schema or all_of:
            props, _ = self.spec.object_view(schema)
            if not props:
                addl = schema.get("additionalProperties")
                if isinstance(addl, dict) and addl:
                    return DictOf(self.render(addl, hint or "Item"))
                return DictOf(OBJECT)
            return Named(self.define_object(schema, hint))
        if t == "array":
            item = self.render(schema.get("items") or {}, self.singular_hint(hint))
            public = hint in self.top_names  # a public list alias: a `List` users append to
            if self.kind == "param" and public and isinstance(item, Named):
                self.list_item_modules.extend(m for m, names in self.imports.names.items() if item.name in names)
            return ListOf(item, public=public)
        if t == "string":
            if schema.get("format") == "binary" and self.kind == "param":
                self.imports.add(FILE_TYPES, "FileTypes")
                return Named("FileTypes")
            return STR
        return PRIMITIVES.get(t, OBJECT) if isinstance(t, str) else OBJECT

    def singular_hint(self, hint: str) -> str:
        words = snake(hint)
        return self.reg.pascal(self.reg.singular(words)) if words else "Item"

    def render_union(self, schema: Schema, variants: list[Schema], hint: str) -> TypeNode:
        """`Union[...]` of the variants, nested unions without a public name flattened into it.

        Inline variants are named after the union: `hint` + Pascal(tag) when every variant carries
        a tag (the discriminator, else a single-valued `type`/`event`; but a `$ref`'d variant of a
        union of objects with no declared discriminator is named by its schema), else `hint` + the
        `$ref`'d schema's name, else `hint` + the variant's title, else `hint` + `UnionMember{i}`. A top-level union's variants drop the
        union's own name (`ResponseOutputItem` -> `ImageGenerationCall`); a nested union that has
        objects among its variants gets a `TypeAlias` named `hint` (`Content`), as the official SDK.
        """
        prop = (schema.get("discriminator") or {}).get("propertyName")
        flat, inner_props = self.flatten_union(variants)
        tag_prop, tags = self.union_tags(flat, prop, inner_props)
        top = hint in self.top_names
        base = "" if self.is_file_type(hint) else hint
        parts: list[TypeNode] = []
        all_objects = all(self.is_object_schema(v) for v in flat)
        titled = any(named_by_title(v) for v in flat)
        for i, v in enumerate(flat):
            ref = self.spec.ref_name(v)
            title = v.get("title") if isinstance(v, dict) else None
            if named_by_title(v):  # `ResponseAudioWsDelta`; `MCPToolFilter` spelled `McpToolFilter` as a `$ref`'s name
                vhint = base + self.reg.pascal(snake(str(title)))
            elif ref and titled:
                # among variants named by their titles, a `$ref` is named by its schema, as the release
                # does (`ResponsesServerEvent`'s `ResponseWsError`, not its tag's `Error`)
                vhint = base + self.reg.pascal(snake(ref))
            elif ref and tags[i] is not None and not prop and all_objects:
                # a union of objects the spec declares no discriminator for: the release names an
                # inlined `$ref` by its schema (`Tool` + `MCPTool` -> `ToolMcpTool`), not its tag
                vhint = base + self.reg.pascal(snake(ref))
            elif tags[i] is not None:
                vhint = base + self.reg.pascal(str(tags[i]))
            elif ref and named_by_title(self.spec.schemas.get(ref) or {}, standalone=True):
                # the referenced schema's own type-name title (`CodeInterpreterContainerAuto` is titled
                # `CodeInterpreterToolAuto`): the name the official SDK gives the variant
                vhint = base + self.reg.pascal(snake(str(self.spec.schemas[ref]["title"])))
            elif ref:
                vhint = base + self.reg.pascal(snake(ref))  # `MCPToolFilter` -> `McpToolFilter`
            elif isinstance(title, str) and title:  # "MCP tool approval filter" -> `McpToolApprovalFilter`
                vhint = base + self.reg.pascal(snake(title))
            else:
                vhint = f"{hint}UnionMember{i}"
            if keyword.iskeyword(vhint):  # a tag `none` under a top-level union: keep the union's name
                vhint = hint + vhint
            parts.append(self.render(v, vhint))
        parts = dedupe(merge_literals(parts))
        if STR in parts:
            parts = [STR] + [p for p in parts if p != STR]
        if len(parts) == 1:
            return parts[0]
        union = UnionOf(tuple(parts))
        if tag_prop and self.kind == "model" and len(parts) == len(flat) and self.discriminable(flat, tag_prop, tags):
            self.imports.add(MODELS_MODULE, "Field as FieldInfo")
            union = UnionOf(union.members, discriminator=tag_prop)
        if top or not hint or not any(self.is_object_schema(v) for v in flat):
            return union
        name = self.fresh(hint)
        self.defs.append(f"{name}: TypeAlias = {self.renderer()(union)}")
        return Named(name)

    def flatten_union(self, variants: list[Schema]) -> tuple[list[Schema], set[str]]:
        """The variants, each union variant with no public name replaced by its own variants."""
        out: list[Schema] = []
        props: set[str] = set()
        for v in variants:
            inner = self.spec.deref(v)
            nested = inner.get("oneOf") or inner.get("anyOf")
            ref = self.spec.ref_name(v)
            named = self.ref_entry(ref) if ref else self.reg.node_entry(v, self.kind)
            if (nested and not inner.get("properties") and not named
                    and not any(self.spec.is_null(x) for x in nested) and not self.is_plain_value(inner)):
                sub, sub_props = self.flatten_union(nested)
                out.extend(sub)
                props |= sub_props
                disc = (inner.get("discriminator") or {}).get("propertyName")
                if disc:
                    props.add(disc)
            else:
                out.append(v)
        return out, props

    def union_tags(self, variants: list[Schema], prop: str | None, inner_props: set[str]) -> tuple[str | None, list[Any]]:
        """(tag property, tag per variant): the discriminator's values, else a property every object
        variant pins to one value (`type`, `event`); (None, [None...]) for an untagged union."""
        objects = [v for v in variants if self.is_object_schema(v)]
        none: list[Any] = [None] * len(variants)
        if prop:
            return prop, [self.tag_of(v, prop, strict=False) if self.is_object_schema(v) else None for v in variants]
        candidates = sorted(inner_props) if len(inner_props) == 1 else ["type", "event"]
        if len(objects) < 2:
            return None, none
        for candidate in candidates:
            tags = [self.tag_of(v, candidate, strict=True) if self.is_object_schema(v) else None for v in variants]
            if all(t is not None for t, v in zip(tags, variants) if self.is_object_schema(v)):
                return candidate, tags
        return None, none

    def discriminable(self, variants: list[Schema], prop: str, tags: list[Any]) -> bool:
        """Every variant an object that requires `prop` pinned to one value, no value shared: what a
        pydantic discriminator needs (else the union is left to pydantic's smart mode)."""
        if any(t is None for t in tags) or len({json.dumps(t) for t in tags}) != len(tags):
            return False
        for v in variants:
            inner, nullable = self.spec.split_null(self.spec.deref(v))
            if nullable or not self.spec.is_object(inner):
                return False
            props, required = self.spec.object_view(inner)
            tag = props.get(prop)
            if prop not in required or not isinstance(tag, dict):
                return False
            tag_inner, tag_nullable = self.spec.split_null(self.spec.deref(tag))
            if tag_nullable or not ("const" in tag_inner or len([e for e in tag_inner.get("enum") or [] if e is not None]) == 1):
                return False
        return True

    def is_object_schema(self, schema: Schema) -> bool:
        inner, _ = self.spec.split_null(self.spec.deref(schema))
        return self.spec.is_object(inner)

    def ref_entry(self, ref: str) -> TypeEntry | None:
        entry = self.reg.canonical(ref, self.kind)
        if entry is None and self.kind == "param" and self.is_plain_value(self.spec.schemas.get(ref, {})):
            entry = self.reg.canonical(ref, "model")
        return entry

    def tag_of(self, variant: Schema, prop: str, *, strict: bool = False) -> Any:
        """The value `prop` is pinned to in an object variant (a const, or the first enum value;
        with `strict`, only a single-valued enum)."""
        v, _ = self.spec.split_null(self.spec.deref(variant))
        if not self.spec.is_object(v):
            return None
        props, _ = self.spec.object_view(v)
        p = props.get(prop)
        if p is None:
            return None
        p, _ = self.spec.split_null(self.spec.deref(p))
        if "const" in p:
            return p["const"]
        enum = [e for e in p.get("enum") or [] if e is not None]
        if enum and (len(enum) == 1 or not strict):
            return enum[0]
        return None

    # -- classes ---------------------------------------------------------------------------------

    def extended_model(self, schema: Schema) -> tuple[str, dict[str, Schema], set[str]] | None:
        """(base class, added properties, their required names) of an object that is `allOf` one
        `$ref` to a generated model plus inline object parts (`ResponseAudioWsDelta`: the HTTP event
        plus `stream_id`): a subclass of that model declaring only what the inline parts add, so
        `isinstance(event, ResponseCompletedEvent)` holds, as in the official SDK. None otherwise."""
        parts = schema.get("allOf")
        if self.kind != "model" or not isinstance(parts, list) or schema.get("properties"):
            return None
        refs = [p for p in parts if isinstance(p, dict) and "$ref" in p]
        inline = [p for p in parts if isinstance(p, dict) and "$ref" not in p]
        if len(refs) != 1 or not inline or len(refs) + len(inline) != len(parts):
            return None
        ref = self.spec.ref_name(refs[0])
        entry = self.ref_entry(ref) if ref else None
        if (ref is None or entry is None or ref in self.blocked or entry.kind != "model"
                or entry.alias or entry.list_of or entry.external or self.keeps_copy(refs[0])):
            return None
        target, target_nullable = self.spec.split_null(self.spec.schemas.get(ref) or {})
        if target_nullable or not self.spec.is_object(target) or target.get("oneOf") or target.get("anyOf"):
            return None
        if not all(self.spec.is_object(p) and not p.get("allOf") for p in inline):
            return None
        props: dict[str, Schema] = {}
        required: set[str] = set()
        for part in inline:
            p, r = self.spec.object_view(part)
            props.update(p)
            required |= r
        # a field the base declares too narrows it (`id: str` over `Optional[str]`), as the official SDK's
        self.narrows_base_fields |= bool(set(props) & set(self.spec.object_view(target)[0]))
        return self.import_entry(entry), props, required & set(props)

    def define_object(self, schema: Schema, hint: str, *, name: str | None = None) -> str:
        extended = self.extended_model(schema)
        if extended is not None:
            base, props, required = extended
        else:
            base = None
            props, required = self.spec.object_view(schema)
        class_name = name or self.fresh(hint or "Item")
        prefix = "" if name and self.is_file_type(name) else class_name
        fields: list[Field] = []
        for key, prop in props.items():
            if not isinstance(prop, dict):
                prop = {}
            node = self.render(prop, prefix + self.reg.pascal(key))
            _, prop_nullable = self.spec.split_null(prop) if "$ref" not in prop else (None, False)
            if "$ref" in prop:
                target = self.spec.schemas.get(self.spec.ref_name(prop) or "", {})
                prop_nullable = self.spec.split_null(target)[1] or prop.get("nullable") is True
            naming = (prop.get("x-stainless-naming") or {}).get("python") or {}
            fields.append(Field(key, naming.get("property_name") or key, node, key in required and not prop_nullable))
        bases: tuple[str, ...] = ()
        if base is not None:
            self.define_class(ObjectType(class_name, tuple(fields), extends=base))
            return class_name
        if self.kind == "model":
            self.imports.add(MODELS_MODULE, "BaseModel")
            mixin = self.reg.model_mixins.get(class_name) if name and name in self.top_names else None
            if mixin is not None:
                module, cls, replaces = mixin
                self.imports.add(module, cls)
                fields = [f for f in fields if f.key not in replaces]
                bases = (cls,)
        self.define_class(ObjectType(class_name, tuple(fields), bases))
        return class_name

    def define_class(self, obj: ObjectType) -> None:
        source = class_source(obj, "model" if self.kind == "model" else "param")
        if self.kind == "model" and any(python_name(f) != f.key for f in obj.fields):
            self.imports.add(MODELS_MODULE, "Field as FieldInfo")  # a key that is not its Python name
        if source.startswith("class "):
            self.class_names.add(obj.name)
        self.defs.append(source)

    # -- top-level -------------------------------------------------------------------------------

    def define_top(self, name: str, schema: Schema, schema_name: str | None = None) -> None:
        """Define `name` from `schema`: a class for objects, a type alias for anything else."""
        self.top_names.add(name)
        self.local_names.add(name)
        if schema_name:
            self.blocked.add(schema_name)
        inner, _nullable = self.spec.split_null(self.spec.deref(schema))
        is_obj = (inner.get("type") == "object" or "properties" in inner or inner.get("allOf")) and not (
            inner.get("oneOf") or inner.get("anyOf")
        )
        if is_obj and self.spec.object_view(inner)[0]:
            self.define_object(inner, name, name=name)
            return
        node = self.render(schema if not schema_name else {"$ref": "#/components/schemas/" + schema_name}, name)
        if node == Named(name):  # rendered into a class of the same name already
            return
        self.defs.append(f"{name}: TypeAlias = {self.renderer()(node)}")

    def define_type_alias(self, name: str, node: TypeNode) -> None:
        """A public `TypeAlias` of this file (`ResponseInputParam: TypeAlias = List[...]`)."""
        self.top_names.add(name)
        self.local_names.add(name)
        self.defs.append(f"{name}: TypeAlias = {self.renderer()(node)}")

    def define_pointer(self, name: str, node: Schema) -> None:
        """A public type for a node inside a schema (config `pointer`)."""
        self.blocked_nodes.add(id(node))
        self.define_top(name, node)

    def define_external(self, name: str, target: str) -> None:
        """Re-export a hand-written class (`module:Name`) under the public name."""
        module, cls = target.split(":")
        if cls != name:
            raise ValueError(f"external {target!r} must have the public name {name!r}")
        self.top_names.add(name)
        self.local_names.add(name)
        self.reexports.append((module, name))

    def define_reexport(self, name: str, module: str) -> None:
        """The type `name` of `module`, importable from this module too."""
        self.top_names.add(name)
        self.local_names.add(name)
        self.reexports.append((module, name))

    def defined_names(self) -> list[str]:
        """Public names this file defines (classes and aliases, nested ones included)."""
        return sorted(n for n in self.local_names if not n.startswith("_") and n not in self.imports_names())

    def reexport_names_of(self, other: FileWriter) -> None:
        for name in other.defined_names():
            if name not in self.local_names and name not in self.imports_names():
                self.define_reexport(name, other.module)

    def define_alias(self, name: str, target: str) -> None:
        self.top_names.add(name)
        self.local_names.add(name)
        self.defs.append(f"{name} = {target}")

    def text(self) -> str:
        body = "\n\n\n".join(self.defs)
        imports = self.imports.render(body)
        for module, name in sorted(self.reexports):
            line = f"from {relative(self.module, module)} import {name} as {name}"
            imports = f"{imports}\n{line}" if imports else line
        parts = [HEADER, "from __future__ import annotations\n"]
        if self.narrows_base_fields:
            # as the official SDK's models do: a stored item's `id` is required where its base's is
            # optional; pydantic allows it, pyright's dataclass rules do not
            parts.insert(1, "# pyright: reportIncompatibleVariableOverride=false, reportGeneralTypeIssues=false\n")
        if imports:
            parts.append(imports + "\n")
        exported = public_names(body) | {name for _, name in self.reexports}
        parts.append("__all__ = [" + ", ".join(json.dumps(n) for n in sorted(exported)) + "]\n")
        if body:
            parts.append("\n" + body + "\n")
        return "\n".join(p.rstrip("\n") + "\n" for p in parts)  # blank lines: the formatter's


def public_names(body: str) -> set[str]:
    """Names a types file defines at its top level (classes, aliases): its `__all__`."""
    names: set[str] = set()
    for node in ast.parse(body).body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


def named_by_title(variant: Schema, *, standalone: bool = False) -> bool:
    """A union variant that stands for another schema (a `$ref`, or an `allOf` around one) and whose
    `title` is spelled as a type name is named by that title, as the official SDK names it; inline
    objects are named by their tag, and prose titles ("Text content") are never names."""
    if not isinstance(variant, dict):
        return False
    title = variant.get("title")
    return (isinstance(title, str) and title[:1].isupper() and title.isascii() and title.isalnum()
            and (standalone or "$ref" in variant or "allOf" in variant))


def dedupe(items: list[TypeNode]) -> list[TypeNode]:
    seen: list[TypeNode] = []
    for i in items:
        if i not in seen:
            seen.append(i)
    return seen
