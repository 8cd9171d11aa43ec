"""`config.yaml` as typed data: every key declared by a dataclass field, every value checked.

`parse_config(raw)` walks the YAML document against the `Config` dataclass and collects one
message per problem, each naming the key by its path (`helpers[3].impl: required`,
`methods["GET /x"].retruns: unknown key`), then raises `ConfigError` with all of them, so a
typo is reported where it is rather than silently ignored by a `.get()` far away.

The checker reads the field annotations (`str`, `bool`, `X | None`, `Literal[...]`, `list[X]`,
`dict[str, X]`, a nested dataclass, `Any` for spec fragments). A dataclass field whose YAML key
is not its Python name says so in `metadata={"key": ...}` (`async`). A dataclass given `~` (null)
takes its defaults: `AudioResponseFormat: ~` in `types` means "the schema of the same name".
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import yaml

CONFIG_FILE = Path(__file__).resolve().parent / "config.yaml"


class ConfigError(ValueError):
    """config.yaml does not have the shape the generator reads; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("config.yaml:\n" + "\n".join(f"  {p}" for p in problems))


class Namesake(enum.Enum):
    """`schema` left out of a type entry: the schema named like the public type."""

    SAME_NAME = "same name"


SAME_NAME = Namesake.SAME_NAME
TypeKind = Literal["model", "param"]


@dataclass(frozen=True)
class ResourcePrefix:
    match: str  # a regex searched in the path key
    prefix: str


@dataclass(frozen=True)
class Naming:
    singular: dict[str, str] = field(default_factory=dict[str, str])
    acronyms: dict[str, str] = field(default_factory=dict[str, str])


@dataclass(frozen=True)
class SharedParams:
    package: str
    names: list[str] = field(default_factory=list[str])


@dataclass(frozen=True)
class MethodOptions:
    """A TypedDict of a method's keyword arguments but `leave_out`, for hand-written helpers that take
    them as `**options: Unpack[...]` and pass them on (so they never drift from the method)."""

    name: str
    leave_out: list[str] = field(default_factory=list[str])


@dataclass(frozen=True)
class ReturnCase:
    values: list[str]  # the argument's literal values that give this return type
    returns: str  # a type name, or `str`


@dataclass(frozen=True)
class ReturnsBy:
    """Overloads that pick the return type by a literal argument, as the official SDK's do
    (`response_format="text"` -> `str`). A case holding the argument's spec default may omit it."""

    argument: str
    cases: list[ReturnCase]


@dataclass(frozen=True)
class StreamClass:
    """A hand-written class a method's event stream is returned as, in place of `Stream[Event]`
    (`module:Class`; it parses its events itself); `type_args` parametrize its annotation (`OutputT`)."""

    sync: str
    async_: str = field(metadata={"key": "async"})
    type_args: str = ""


@dataclass(frozen=True)
class LocalArgs:
    """Keyword arguments a method keeps on the client (never sent): declared after its required
    arguments (annotations resolved with `imports`, `module:Name`), passed by keyword to its
    `prepare` hook, which then also gets the resource and the request's headers and timeout."""

    sync: list[str]
    async_: list[str] = field(metadata={"key": "async"})
    imports: list[str] = field(default_factory=list[str])


@dataclass(frozen=True)
class MethodFacts:
    """Per-operation facts the spec cannot give (`methods["VERB /path"]`, `method_overrides`)."""

    resource: str | None = None
    method: str | None = None
    returns: str | None = None
    page: str | None = None
    stream: str | None = None
    stream_only: bool = False
    stream_mode: Literal["events"] | None = None
    binary: bool = False
    body: Literal["json", "multipart"] | None = None
    headers: dict[str, str] = field(default_factory=dict[str, str])
    deprecated: bool = False
    raw_body: str | None = None
    content_type: str | None = None
    accept: str | None = None
    prepare: str | None = None  # `module:function`
    params: str | None = None  # the params TypedDict's module (dotted from `types`), where not the rule's
    options: MethodOptions | None = None
    returns_by: ReturnsBy | None = None
    stream_class: StreamClass | None = None
    local_args: LocalArgs | None = None


@dataclass(frozen=True)
class ExtraMethod:
    endpoint: str
    resource: str
    method: str
    returns: str


@dataclass(frozen=True)
class Helper:
    resource: str
    method: str
    impl: str  # `module:function`
    return_type: str = "Any"
    imports: list[str] = field(default_factory=list[str])
    sync: bool = False
    signature: str = "*args: Any, **kwargs: Any"
    call: str = "*args, **kwargs"
    deprecated: bool = False  # warns as the official SDK's helper does (message from `deprecations`)
    # the parameters of this generated method of the same resource, plus `extra_params`; every one
    # passed on by keyword (instead of `signature`/`call`)
    signature_from: str | None = None
    extra_params: list[str] = field(default_factory=list[str])


@dataclass(frozen=True)
class ResourceMixin:
    sync: str
    async_: str = field(metadata={"key": "async"})
    # the mixin's methods `with_raw_response` / `with_streaming_response` expose too (`parse`)
    wrapped: list[str] = field(default_factory=list[str])


@dataclass(frozen=True)
class ModelMixin:
    mixin: str  # `module:Class`
    replaces: list[str] = field(default_factory=list[str])


# what a type entry is made from: at most one of these keys (none: the schema of the same name)
TYPE_SOURCES = ("schema", "twin", "alias", "list_of", "extra", "pointer", "external")


@dataclass(frozen=True)
class TypeSpec:
    """One public name of `types` / `type_overrides` (codegen/README.md, "Where a schema ... becomes a type")."""

    schema: str | Namesake | None = SAME_NAME  # None: no schema known (a loose placeholder)
    file: str | None = None
    kind: TypeKind | None = None
    twin: str | None = None
    alias: str | None = None
    list_of: str | None = None
    extra: str | None = None
    pointer: str | None = None
    here_only: bool = False
    external: str | None = None
    derived: bool = False  # an entry overlay.merge_config adds from the overlay's facts, not config.yaml

    def problems(self) -> list[str]:
        given = [k for k in TYPE_SOURCES if k != "schema" and getattr(self, k) is not None]
        if self.schema is not SAME_NAME:
            given.insert(0, "schema")
        out = [f"{k}: only one of {', '.join(given)} may be given" for k in given[1:]]
        if self.here_only and self.pointer is None:
            out.append("here_only: only with pointer")
        return out


@dataclass(frozen=True)
class Config:
    surface_version: str
    naming: Naming = field(default_factory=Naming)
    resource_prefixes: list[ResourcePrefix] = field(default_factory=list[ResourcePrefix])
    shared_params: SharedParams | None = None
    headers_by_resource: dict[str, dict[str, str]] = field(default_factory=dict[str, dict[str, str]])
    deprecations: dict[str, str] = field(default_factory=dict[str, str])
    method_overrides: dict[str, MethodFacts] = field(default_factory=dict[str, MethodFacts])
    types_packages: dict[str, str] = field(default_factory=dict[str, str])
    header_params: dict[str, str] = field(default_factory=dict[str, str])
    helpers: list[Helper] = field(default_factory=list[Helper])
    resource_mixins: dict[str, ResourceMixin] = field(default_factory=dict[str, ResourceMixin])
    resource_exports: dict[str, list[str]] = field(default_factory=dict[str, list[str]])
    type_reexports: dict[str, list[str]] = field(default_factory=dict[str, list[str]])
    # {types module: {name: other name of that module}} (from the overlay: the release's own
    # `Name: TypeAlias = Other` pairs); whichever of the two the module defines, the other is its alias
    module_aliases: dict[str, dict[str, str]] = field(default_factory=dict[str, dict[str, str]])
    model_mixins: dict[str, Union[str, ModelMixin]] = field(default_factory=dict[str, Union[str, ModelMixin]])
    type_overrides: dict[str, dict[str, TypeSpec]] = field(default_factory=dict[str, dict[str, TypeSpec]])
    extra_schemas: dict[str, dict[str, Any]] = field(default_factory=dict[str, dict[str, Any]])
    # {spec schema: the schema it is a request-side copy of}: with no public name of its own, the copy
    # renders on the request side as the original's param type
    request_copies: dict[str, str] = field(default_factory=dict[str, str])
    methods: dict[str, MethodFacts] = field(default_factory=dict[str, MethodFacts])
    extra_methods: list[ExtraMethod] = field(default_factory=list[ExtraMethod])
    types: dict[str, dict[str, TypeSpec]] = field(default_factory=dict[str, dict[str, TypeSpec]])
    # derived, not a key: `methods` with `method_overrides` merged over each entry key by key
    operations: dict[str, MethodFacts] = field(default_factory=dict[str, MethodFacts], metadata={"derived": True})

    def facts(self, operation_key: str) -> MethodFacts:
        return self.operations.get(operation_key) or MethodFacts()

    def model_mixin(self, name: str) -> ModelMixin:
        raw = self.model_mixins[name]
        return ModelMixin(raw) if isinstance(raw, str) else raw


def read_raw(path: Path = CONFIG_FILE) -> dict[str, Any]:
    """The YAML document as plain data (before the overlay's entries are merged in)."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def parse_config(raw: Any) -> Config:
    """`raw` (the YAML document) checked and turned into a `Config`; `ConfigError` lists every problem."""
    problems: list[str] = []
    config = _convert(raw, Config, "", problems)
    if problems:
        raise ConfigError(problems)
    assert isinstance(config, Config)
    operations: dict[str, MethodFacts] = {}
    raw_overrides: dict[str, Any] = raw.get("method_overrides") or {}
    for key in {**config.methods, **config.method_overrides}:
        merged = {**((raw.get("methods") or {}).get(key) or {}), **(raw_overrides.get(key) or {})}
        operations[key] = _convert(merged, MethodFacts, "", problems)
    return dataclasses.replace(config, operations=operations)


# -- the checker -------------------------------------------------------------------------------


def _where(path: str) -> str:
    return path or "(top level)"


def _key_path(path: str, key: str) -> str:
    plain = key.isidentifier()
    return f"{path}.{key}" if plain and path else key if plain else f"{path}[{key!r}]"


def _type_name(tp: Any) -> str:
    if tp is type(None):
        return "null"
    if isinstance(tp, type):
        return {"str": "a string", "bool": "true/false", "int": "an integer", "dict": "a mapping",
                "list": "a list"}.get(tp.__name__, f"a mapping ({tp.__name__})")
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if origin in (list,):
        return "a list"
    if origin in (dict,):
        return "a mapping"
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp) if not isinstance(a, type) or a is not Namesake)
    return str(tp)


def _convert(value: Any, tp: Any, path: str, problems: list[str]) -> Any:
    """`value` checked against the annotation `tp`; a problem is appended (and None returned) when it does not fit."""
    if tp is Any:
        return value
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _convert_dataclass(value, tp, path, problems)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not Namesake]
        if value is None and type(None) in members:
            return None
        if isinstance(value, dict):  # a mapping: the dataclass member reports what is wrong inside
            for member in members:
                if dataclasses.is_dataclass(member):
                    return _convert(value, member, path, problems)
        for member in members:
            trial: list[str] = []
            out = _convert(value, member, path, trial)
            if not trial:
                return out
        problems.append(f"{_where(path)}: expected {_type_name(tp)}, got {value!r}")
        return None
    if origin is Literal:
        if value not in typing.get_args(tp):
            problems.append(f"{_where(path)}: expected {_type_name(tp)}, got {value!r}")
        return value
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if not isinstance(value, list):
            problems.append(f"{_where(path)}: expected a list, got {value!r}")
            return []
        return [_convert(v, item_tp, f"{path}[{i}]", problems) for i, v in enumerate(typing.cast(list[Any], value))]
    if origin is dict:
        _key_tp, value_tp = typing.get_args(tp)
        if value is None:
            return {}
        if not isinstance(value, dict):
            problems.append(f"{_where(path)}: expected a mapping, got {value!r}")
            return {}
        out_map: dict[str, Any] = {}
        for k, v in typing.cast(dict[Any, Any], value).items():
            if not isinstance(k, str):
                problems.append(f"{_where(path)}: key {k!r} is not a string")
                continue
            out_map[k] = _convert(v, value_tp, _key_path(path, k), problems)
        return out_map
    if tp is bool:
        if not isinstance(value, bool):
            problems.append(f"{_where(path)}: expected true/false, got {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            problems.append(f"{_where(path)}: expected a string, got {value!r}")
        return value
    if tp is type(None):
        if value is not None:
            problems.append(f"{_where(path)}: expected null, got {value!r}")
        return None
    raise TypeError(f"config.py: no check for the annotation {tp!r}")  # a field this checker cannot read


def _convert_dataclass(value: Any, cls: type[Any], path: str, problems: list[str]) -> Any:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        problems.append(f"{_where(path)}: expected a mapping, got {value!r}")
        return None
    raw = typing.cast(dict[str, Any], value)
    hints = typing.get_type_hints(cls)
    declared = {f.metadata.get("key", f.name): f for f in dataclasses.fields(cls) if not f.metadata.get("derived")}
    for key in raw:
        if key not in declared:
            problems.append(f"{_key_path(path, str(key))}: unknown key (known: {', '.join(sorted(declared))})")
    kwargs: dict[str, Any] = {}
    before = len(problems)
    for key, f in declared.items():
        if key in raw:
            kwargs[f.name] = _convert(raw[key], hints[f.name], _key_path(path, key), problems)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            problems.append(f"{_key_path(path, key)}: required")
    if len(problems) > before:
        return None
    made = cls(**kwargs)
    check = getattr(made, "problems", None)
    if check is not None:
        problems.extend(f"{_key_path(path, p.split(':', 1)[0])}:{p.split(':', 1)[1]}" for p in check())
    return made
