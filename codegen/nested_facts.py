"""Nested facts (dev-time, used by build_overlay.py): a release type walked side by side with the
spec schema it stands for, below its own fields.

The release adds fields to the nested classes of spec types (`ImageGenerationCall.error`, a
variant of the `ResponseOutputItem` union), which a comparison of top-level fields misses; and it
sometimes keeps its own copy of a public type inside one module (`response_tool_search_output_item_param`
defines its own `Tool` union where the spec says `$ref: Tool`). The walk:

* a field both have: its type is walked too (an array's items, the non-null member of a nullable,
  a `$ref` to a schema with no public name, a union's variants matched by their `type` tag);
* a field only the release has: added to the node (additive, as every overlay action);
* a spec `$ref` to a schema with a public name where the release's field is a class or union its
  own module defines and no package exports: the node is marked `x-pyopenai-inline` with the
  modules that keep such a copy, and the generator inlines the schema there (in those modules and
  their request-side twins, `..._param`), named by its path, as the release does.

Only classes the release nests are walked (public ones are compared on their own).
"""

from __future__ import annotations

import ast
import json
from typing import TYPE_CHECKING, Any

from spec import Schema, Spec

if TYPE_CHECKING:
    from build_overlay import Builder
    from sdk_facts import SdkType

INLINE_KEY = "x-pyopenai-inline"  # on a `$ref` node: the release keeps its own copy of the type here
UNWRAP = {"Optional", "Required", "NotRequired", "ReadOnly", "List", "list", "Iterable", "Sequence", "SequenceNotStr"}


def component_target(name: str) -> str:
    return f"$.components.schemas[{json.dumps(name)}]"


class NestedWalker:
    def __init__(self, builder: Builder, public_schemas: dict[str, set[str]]) -> None:
        self.b = builder
        self.spec: Spec = builder.spec
        self.public = public_schemas
        self.seen: set[tuple[str, str, str]] = set()
        self.added: dict[str, set[str]] = {}  # target -> fields added there (by the first class seen)
        self.copies: dict[str, list[str]] = {}  # `$ref` node -> release modules with their own copy there
        self.field_actions: list[dict[str, Any]] = []

    @property
    def actions(self) -> list[dict[str, Any]]:
        marks = [{"target": target, "update": {INLINE_KEY: sorted(modules)}} for target, modules in self.copies.items()]
        return self.field_actions + marks

    # -- the release side -------------------------------------------------------------------------

    def members(self, node: ast.expr) -> list[ast.expr]:
        """The types an annotation stands for, wrappers (`Optional`, `List`, `Required`...) and
        `None` taken off, a union spread into its members."""
        if isinstance(node, ast.Constant) and node.value is None:
            return []
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.members(ast.parse(node.value, mode="eval").body)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.members(node.left) + self.members(node.right)
        if isinstance(node, ast.Subscript):
            head = ast.unparse(node.value).rsplit(".", 1)[-1]
            args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head in UNWRAP or head == "Annotated":
                return self.members(args[0])
            if head == "Union":
                return [m for a in args for m in self.members(a)]
        return [node]

    def nested(self, t: SdkType, node: ast.expr) -> SdkType | None:
        """The class or alias `node` names when `t`'s module defines it and no package exports it."""
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return None
        key = self.b.lookup(t, ast.unparse(node))
        if key is None or key[0] != t.module or self.b.exported_by.get(key) or key not in self.b.types:
            return None
        return self.b.types[key]

    def release_tag(self, t: SdkType) -> Any:
        for f in t.fields:
            if f.key == "type":
                values = [m.value for m in ast.walk(f.annotation) if isinstance(m, ast.Constant) and m.value is not None]
                if len(values) == 1:
                    return values[0]
        return None

    # -- the spec side ------------------------------------------------------------------------------

    def unwrap(self, node: Schema, target: str) -> tuple[Schema, str]:
        """An array's items, a nullable's one non-null member: where the field's type is written."""
        for _ in range(8):
            if not isinstance(node, dict):
                break
            if node.get("type") == "array" and isinstance(node.get("items"), dict):
                node, target = node["items"], target + ".items"
                continue
            for combiner in ("anyOf", "oneOf"):
                variants = node.get(combiner)
                if isinstance(variants, list):
                    real = [i for i, v in enumerate(variants) if not self.spec.is_null(v)]
                    if len(real) == 1 and len(variants) > 1:
                        node, target = variants[real[0]], f"{target}.{combiner}[{real[0]}]"
                        break
            else:
                break
        return node, target

    def spec_tag(self, node: Schema) -> Any:
        props, _ = self.spec.object_view(self.spec.split_null(node)[0])
        # (a nullable tag, `ItemReferenceParam.type`, still names its one value)
        tag = self.spec.split_null(self.spec.deref(props.get("type") or {}))[0]
        if "const" in tag:
            return tag["const"]
        values = [v for v in tag.get("enum") or [] if v is not None]
        return values[0] if len(values) == 1 else None

    def property_nodes(self, raw: Schema, target: str) -> dict[str, tuple[Schema, str]]:
        """Each property of an object schema with the path of its node (`allOf` parts included)."""
        out: dict[str, tuple[Schema, str]] = {}
        for i, part in enumerate(raw.get("allOf") or []):
            if not isinstance(part, dict):
                continue
            ref = self.spec.ref_name(part)
            if ref is not None and ref in self.spec.schemas:
                out.update(self.property_nodes(self.spec.schemas[ref], component_target(ref)))
            else:
                out.update(self.property_nodes(part, f"{target}.allOf[{i}]"))
        for key, prop in (raw.get("properties") or {}).items():
            out[key] = (prop, f"{target}.properties[{json.dumps(key)}]")
        return out

    # -- the walk -----------------------------------------------------------------------------------

    def walk_object(self, t: SdkType, raw: Schema, target: str, *, top: bool = False) -> None:
        """The fields of the release's class `t` against the object schema `raw` at `target`.
        (`top`: the public type itself, whose missing fields build_overlay adds.)"""
        if (t.module, t.name, target) in self.seen:
            return
        self.seen.add((t.module, t.name, target))
        inner, target = self.unwrap(raw, target)
        ref = self.spec.ref_name(inner)
        if ref is not None:
            if ref not in self.spec.schemas or ref in self.public:
                return
            inner, target = self.spec.schemas[ref], component_target(ref)
        if not self.spec.is_object(inner):
            return
        have = self.property_nodes(inner, target)
        if not top and "properties" in inner:
            added = self.added.setdefault(target, set())
            missing = {f.key: self.b.annotation(t, f.annotation) for f in t.fields if f.key not in have and f.key not in added}
            added.update(missing)
            if missing:
                self.field_actions.append({"target": target + ".properties", "update": missing})
        for f in t.fields:
            if f.key in have:
                node, where = have[f.key]
                self.walk_value(t, f.annotation, node, where)

    def walk_value(self, t: SdkType, annotation: ast.expr, node: Schema, target: str) -> None:
        node, target = self.unwrap(node, target)
        members = self.members(annotation)
        if len(members) != 1:
            paired = self.single_pair(t, members, node, target)
            if paired is not None:  # `Union[str, List[OutputContentList]]` against `anyOf: [string, array]`
                self.walk_value(t, *paired)
            else:
                self.walk_union(t, members, node, target)
            return
        inner = self.nested(t, members[0])
        if inner is None:
            return
        ref = self.spec.ref_name(node)
        if ref is not None:
            if ref not in self.spec.schemas:
                return  # a schema the overlay adds: made from the release already
            if ref in self.public:
                # the release's own copy, unless the public type is itself placed in this module
                copy = inner.kind != "alias" or len(self.members(inner.value or ast.Constant(None))) > 1
                if not copy or t.module in self.public[ref]:
                    return
                modules = self.copies.setdefault(target, [])
                if t.module not in modules:
                    modules.append(t.module)
            # the copy's fields are the schema's too (the release's public type has them as well)
            node, target = self.spec.schemas[ref], component_target(ref)
        if inner.kind == "alias":
            self.walk_union(inner, self.members(inner.value or ast.Constant(None)), node, target)
        else:
            self.walk_object(inner, node, target)

    def single_pair(self, t: SdkType, members: list[ast.expr], node: Schema, target: str) -> tuple[ast.expr, Schema, str] | None:
        """The one nested type among a union's members and the one spec variant that is not a plain
        value (a scalar, an enum): walked as a pair. None when either side has more or fewer."""
        nested = [m for m in members if self.nested(t, m) is not None]
        variants: list[tuple[Schema, str]] = []
        for combiner in ("anyOf", "oneOf"):
            for i, v in enumerate(node.get(combiner) or []):
                inner, _ = self.unwrap(v, "")
                plain = "enum" in inner or "const" in inner or inner.get("type") in ("string", "integer", "number", "boolean", "null")
                if not plain:
                    variants.append((v, f"{target}.{combiner}[{i}]"))
        if len(nested) != 1 or len(variants) != 1:
            return None
        return nested[0], variants[0][0], variants[0][1]

    def walk_union(self, t: SdkType, members: list[ast.expr], node: Schema, target: str) -> None:
        """The release's nested variants matched with the spec's variants by their `type` tag."""
        ref = self.spec.ref_name(node)
        if ref is not None:
            if ref not in self.spec.schemas or ref in self.public:
                return
            node, target = self.spec.schemas[ref], component_target(ref)
        variants: dict[Any, tuple[Schema, str]] = {}
        for combiner in ("oneOf", "anyOf"):
            for i, v in enumerate(node.get(combiner) or []):
                vref = self.spec.ref_name(v)
                if vref is not None and (vref in self.public or vref not in self.spec.schemas):
                    continue
                vnode, vtarget = (self.spec.schemas[vref], component_target(vref)) if vref else (v, f"{target}.{combiner}[{i}]")
                tag = self.spec_tag(vnode)
                if tag is not None:
                    variants.setdefault(tag, (vnode, vtarget))
        for member in members:
            inner = self.nested(t, member)
            if inner is None or inner.kind == "alias":
                continue
            found = variants.get(self.release_tag(inner))
            if found is not None:
                self.walk_object(inner, *found)
