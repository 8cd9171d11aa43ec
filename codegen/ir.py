"""Type expressions as data, and the one place they become Python text.

`types_gen.FileWriter` turns spec schemas into these nodes (defining nested classes on the way);
`Renderer` turns a node into an annotation, in the flavour of the file it is written to:

* models (`BaseModel` fields): lists are `List[X]`, tagged unions carry their discriminator
  (`Annotated[Union[...], FieldInfo(discriminator="type")]`);
* params (`TypedDict` fields, method arguments): lists are whatever the caller has (`Iterable[X]`,
  `Sequence[str]`, as a `str` is itself an iterable of `str`), except a public list alias, which
  users append to (`List`); unions are plain.

Where a field name shadows a builtin inside a class body (`type: str`), the renderer spells the
builtin `builtins.str`; a name local to another module can be qualified (`qualify`), which is how
a method's argument names a nested type of its params module (`completion_create_params.Message`).
`class_source` renders an object with fields as a model class or a `TypedDict`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Union

from naming import RESERVED_FIELD_NAMES, identifier, is_identifier

Flavour = Literal["model", "param"]
LiteralValue = Union[str, int, float, bool]
BUILTIN_NAMES = ("object", "str", "int", "float", "bool", "list", "dict", "type")


@dataclass(frozen=True)
class Primitive:
    """`str`, `int`, `float`, `bool`, `None`, or `object` (anything)."""

    name: Literal["str", "int", "float", "bool", "None", "object"]


@dataclass(frozen=True)
class Named:
    """A class or alias, spelled as the file sees it (defined there, or imported, maybe `as` another name)."""

    name: str


@dataclass(frozen=True)
class LiteralOf:
    values: tuple[LiteralValue, ...]


@dataclass(frozen=True)
class ListOf:
    item: TypeNode
    public: bool = False  # the value of a public list alias: a `List` in both flavours


@dataclass(frozen=True)
class DictOf:
    """A mapping with string keys (`additionalProperties`)."""

    value: TypeNode


@dataclass(frozen=True)
class UnionOf:
    members: tuple[TypeNode, ...]
    discriminator: str | None = None  # the tag property, when every member pins it to its own value


@dataclass(frozen=True)
class Nullable:
    inner: TypeNode


TypeNode = Union[Primitive, Named, LiteralOf, ListOf, DictOf, UnionOf, Nullable]

STR = Primitive("str")
OBJECT = Primitive("object")
NONE = Primitive("None")


def nullable(node: TypeNode) -> TypeNode:
    """`node` or null; `object` already admits null, and a nullable node stays as it is."""
    return node if isinstance(node, Nullable) or node == OBJECT else Nullable(node)


def merge_literals(members: list[TypeNode]) -> list[TypeNode]:
    """`Literal["a"], Literal["b"]` among union members -> `Literal["a", "b"]`, at the first one's place."""
    literals = [m for m in members if isinstance(m, LiteralOf)]
    if len(literals) < 2:
        return members
    values: dict[str, LiteralValue] = {}
    for lit in literals:
        for v in lit.values:
            values.setdefault(literal_text(v), v)
    merged = LiteralOf(tuple(values.values()))
    out: list[TypeNode] = []
    for m in members:
        item = merged if isinstance(m, LiteralOf) else m
        if item is not merged or merged not in out:
            out.append(item)
    return out


def literal_text(value: LiteralValue) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


@dataclass(frozen=True)
class Renderer:
    flavour: Flavour
    shadowed: frozenset[str] = frozenset()  # builtins a class body's field names hide
    qualify: Callable[[str], str] | None = None  # spelling of `Named` types (default: as they are)

    def __call__(self, node: TypeNode) -> str:
        if isinstance(node, Primitive):
            return f"builtins.{node.name}" if node.name in self.shadowed else node.name
        if isinstance(node, Named):
            return self.qualify(node.name) if self.qualify else node.name
        if isinstance(node, LiteralOf):
            return f"Literal[{', '.join(literal_text(v) for v in node.values)}]"
        if isinstance(node, ListOf):
            item = self(node.item)
            if self.flavour == "model" or node.public:
                return f"List[{item}]"
            return f"Sequence[{item}]" if node.item == STR else f"Iterable[{item}]"
        if isinstance(node, DictOf):
            return f"Dict[str, {self(node.value)}]"
        if isinstance(node, UnionOf):
            text = f"Union[{', '.join(self(m) for m in node.members)}]"
            if node.discriminator and self.flavour == "model":
                # pydantic-core then picks the member by its tag instead of trying them one by one
                return f"Annotated[{text}, FieldInfo(discriminator={json.dumps(node.discriminator)})]"
            return text
        return f"Optional[{self(node.inner)}]"


@dataclass(frozen=True)
class Field:
    key: str  # the JSON key
    name: str  # the Python name the spec gives it (`x-stainless-naming`), else the key
    type: TypeNode
    required: bool


@dataclass(frozen=True)
class ObjectType:
    name: str
    fields: tuple[Field, ...]
    bases: tuple[str, ...] = ()  # hand-written first bases (model mixins)
    extends: str | None = None  # a generated model this one subclasses, in place of `BaseModel`


def python_name(f: Field) -> str:
    """The attribute of a model field: an identifier, not private (`_id` -> `field_id`)."""
    py = identifier(f.name, reserved=RESERVED_FIELD_NAMES)
    return "field" + py if py.startswith("_") else py


def class_source(obj: ObjectType, flavour: Flavour) -> str:
    return model_class(obj) if flavour == "model" else typed_dict(obj)


def model_class(obj: ObjectType) -> str:
    """A pydantic model: required fields without a default, every other field `Optional[X] = None`
    (as the official SDK declares them), keys that are not identifiers as `FieldInfo(alias=...)`."""
    lines = [f"class {obj.name}({', '.join((*obj.bases, obj.extends or 'BaseModel'))}):"]
    names = {identifier(f.name, reserved=RESERVED_FIELD_NAMES) for f in obj.fields}
    render = Renderer("model", frozenset(b for b in BUILTIN_NAMES if b in names))
    for f in obj.fields:
        py = python_name(f)
        node = f.type if f.required or f.type == NONE else nullable(f.type)
        text = render(node)
        default = None if f.required else "None"
        if py != f.key:
            args = ([f"default={default}"] if default else []) + [f"alias={json.dumps(f.key)}"]
            lines.append(f"    {py}: {text} = FieldInfo({', '.join(args)})")
        elif default:
            lines.append(f"    {py}: {text} = {default}")
        else:
            lines.append(f"    {py}: {text}")
    if not obj.fields:
        lines.append("    pass")
    return "\n".join(lines)


def typed_dict(obj: ObjectType) -> str:
    """A `TypedDict` (`total=False`, `Required[...]`); the functional form when a key is no identifier."""
    if any(not is_identifier(f.key) for f in obj.fields) or obj.name == "TypedDict":
        render = Renderer("param")
        items = ", ".join(f"{json.dumps(f.key)}: {required(render(f.type), f.required)}" for f in obj.fields)
        return f"{obj.name} = TypedDict({json.dumps(obj.name)}, {{{items}}}, total=False)"
    render = Renderer("param", frozenset(b for b in BUILTIN_NAMES if b in {f.key for f in obj.fields}))
    lines = [f"class {obj.name}(TypedDict, total=False):"]
    lines += [f"    {f.key}: {required(render(f.type), f.required)}" for f in obj.fields]
    if not obj.fields:
        lines.append("    pass")
    return "\n".join(lines)


def required(text: str, is_required: bool) -> str:
    return f"Required[{text}]" if is_required else text
