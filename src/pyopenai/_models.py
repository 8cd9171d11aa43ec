"""Response models: pydantic v2 models, validated straight from the response bytes, lenient on failure.

Every result is a `BaseModel`, a `pydantic.BaseModel` with typed fields, so results work wherever
pydantic models do (unions, `TypeAdapter`s, FastAPI `response_model`s, `model_dump(...)`).

`parse_json(type_, content)` is the one way results are built from the wire: pydantic-core validates
the bytes directly (no `json.loads`, no Python-side walk), which is as fast as decoding them. The API
evolves faster than any client, so data that does not validate (a new enum value, a missing or null
field, an OpenAI-compatible server's odd output) is never an error: it is decoded and built by
`construct(type_, data)`, which makes the same classes field by field without checking, choosing
union members by their tag or their shape. `model_validate` stays pydantic's strict-by-schema check,
for users who ask for it.

This module imports pydantic; `import pyopenai` must not load it (the type modules and the parse
paths do, when first used).
"""

from __future__ import annotations

import copy
import json
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, Union, cast, get_args, get_origin

import pydantic
import pydantic_core
from pydantic import ConfigDict
from pydantic import Field as Field  # the generated models declare aliases and discriminators with it
from typing_extensions import override

from ._compat import EagerIterable as EagerIterable
from ._rate_limits import RateLimits
from ._request_plan import FinalRequestOptions as FinalRequestOptions
from ._serialize import json_default, to_jsonable

__all__ = [
    "DISCRIMINATOR_CACHE",
    "BaseModel",
    "EagerIterable",
    "FinalRequestOptions",
    "GenericModel",
    "Field",
    "add_request_id",
    "attach_request_id",
    "construct",
    "construct_type",
    "construct_type_unchecked",
    "json_default",
    "json_parser",
    "parse_json",
    "parse_obj",
    "to_jsonable",
]

_T = TypeVar("_T")
_M = TypeVar("_M", bound=pydantic.BaseModel)
_NoneType = type(None)
_UNION_TYPES: tuple[Any, ...] = (Union, types.UnionType)
_LIST_ORIGINS: tuple[Any, ...] = (list, typing.List, tuple, set, frozenset)
_SEQUENCE_NAMES = {"Sequence", "Iterable", "MutableSequence", "Collection"}
_MAPPING_ORIGINS: tuple[Any, ...] = (dict, typing.Dict, Mapping)
# the properties the API tags union members with, tried in this order when a union names none
_TAG_PROPERTIES = ("type", "object", "event", "role")


class BaseModel(pydantic.BaseModel):
    """Base of every response model: a pydantic model that keeps unknown fields and API key aliases."""

    model_config = ConfigDict(
        extra="allow",  # fields newer than this client stay reachable (`model_extra`, attributes)
        populate_by_name=True,  # `schema_=` as well as the API's `schema`
        protected_namespaces=(),  # the API has fields named `model_*`
        arbitrary_types_allowed=True,
        defer_build=True,  # the validator is built on first use, not at import
    )

    # Not a pydantic private attribute: those make pydantic call back into Python for every model it
    # validates, doubling the cost of a parse. The top-level result gets an instance value, and
    # `__setattr__` lets code set one (`result._request_id = ...`), so type checkers see instance
    # attributes.
    if TYPE_CHECKING:
        _request_id: str | None = None
        _rate_limits: RateLimits | None = None
    else:
        _request_id: ClassVar[str | None] = None
        _rate_limits: ClassVar[RateLimits | None] = None
    """`_request_id`: the `x-request-id` of the response this result came from (None for nested
    models). `_rate_limits`: the account's limits as the response reported them (None for nested
    and hand-made models)."""
    _lenient: ClassVar[bool] = False
    """True on an instance built by the lenient path: it may hold values its annotations do not
    describe (kept as the server sent them), which pydantic's serializer would warn about."""

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, object]:
        """The data as a plain dict keyed by the API's names; fields the API did not send are left out."""
        return self.model_dump(
            mode=mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            # a leniently built result holds odd values on purpose: dumped without pydantic's warnings
            warnings=warnings and not self._lenient,
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str:
        """The data as a JSON string, keyed by the API's names; fields the API did not send are left out."""
        return self.model_dump_json(
            indent=indent,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            # a leniently built result holds odd values on purpose: dumped without pydantic's warnings
            warnings=warnings and not self._lenient,
        )

    @override
    def __str__(self) -> str:
        # pydantic's str() drops the class name; results print as they repr
        return self.__repr__()

    @override
    def __setattr__(self, name: str, value: Any) -> None:
        # The per-result notes are ClassVars (see above), which pydantic refuses to set on an
        # instance; code written for the official SDK sets `result._request_id = ...` itself.
        if name in _INSTANCE_NOTES:
            object.__setattr__(self, name, value)
        else:
            super().__setattr__(name, value)

    if not TYPE_CHECKING:  # type checkers see pydantic's own signatures

        def model_dump(self, **kwargs):
            if self._lenient and "warnings" not in kwargs:
                kwargs["warnings"] = False
            try:
                return super().model_dump(**kwargs)
            except _SERIALIZATION_ERRORS:
                return _plain_dump(self, kwargs)

        def model_dump_json(self, **kwargs):
            if self._lenient and "warnings" not in kwargs:
                kwargs["warnings"] = False
            try:
                return super().model_dump_json(**kwargs)
            except _SERIALIZATION_ERRORS:
                indent = kwargs.get("indent")
                return json.dumps(_plain_dump(self, {**kwargs, "mode": "json"}), indent=indent, default=str)


# the ClassVars of `BaseModel` an instance may carry its own value of
# pydantic 2 makes a generic model from `BaseModel` and `typing.Generic`; the official SDK's name for that base
GenericModel = BaseModel

_INSTANCE_NOTES = frozenset({"_request_id", "_rate_limits"})

# pydantic-core's serializer can fail on data built leniently (a union tag that is a list, say)
_SERIALIZATION_ERRORS = (TypeError, ValueError, pydantic_core.PydanticSerializationError)


def _plain_dump(value: Any, options: dict[str, Any]) -> Any:
    """`model_dump` done in Python for data pydantic cannot serialize: fields by name or alias, unset
    and None fields left out as asked, extras kept (`include`/`exclude` are not applied)."""
    if isinstance(value, pydantic.BaseModel):
        by_alias = bool(options.get("by_alias"))
        exclude_unset = bool(options.get("exclude_unset"))
        exclude_none = bool(options.get("exclude_none"))
        out: dict[str, Any] = {}
        fields_set = value.model_fields_set
        for name, field in type(value).model_fields.items():
            if (exclude_unset and name not in fields_set) or name not in value.__dict__:
                continue
            item = value.__dict__[name]
            if item is None and exclude_none:
                continue
            out[(field.alias or name) if by_alias else name] = _plain_dump(item, options)
        for key, item in (value.__pydantic_extra__ or {}).items():
            if not (item is None and exclude_none):
                out[key] = _plain_dump(item, options)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain_dump(v, options) for v in cast("list[Any]", value)]
    if isinstance(value, dict):
        return {k: _plain_dump(v, options) for k, v in cast("dict[Any, Any]", value).items()}
    return value


# -- parsing: the hot path -------------------------------------------------------------------------

_validators: dict[Any, Any] = {}


def _validator(type_: Any) -> Any:
    """The pydantic-core validator for a type (a model's own, else a cached `TypeAdapter`)."""
    try:
        return _validators[type_]
    except KeyError:
        pass
    except TypeError:  # an unhashable annotation: not cached
        return pydantic.TypeAdapter[Any](type_)
    if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
        found: Any = _ModelValidator(type_)
    else:
        found = pydantic.TypeAdapter[Any](cast(Any, type_))
    _validators[type_] = found
    return found


class _ModelValidator:
    """A model class's validator behind the `validate_json`/`validate_python` names of `TypeAdapter`."""

    __slots__ = ("validate_json", "validate_python")

    def __init__(self, cls: type[pydantic.BaseModel]) -> None:
        self.validate_json = cls.model_validate_json
        self.validate_python = cls.model_validate


def parse_json(type_: type[_T] | Any, content: bytes | str) -> _T:
    """Build a `type_` from JSON text: validated from the bytes, built leniently if that fails.

    Validation is strict (no `"5"` -> `5`): a result holds what the server sent, never a converted
    guess; what strict validation refuses is kept as it came by the lenient build.

    Raises `json.JSONDecodeError` only when `content` is not JSON at all.
    """
    try:
        return cast(_T, _validator(type_).validate_json(content, strict=True))
    except pydantic.ValidationError as exc:
        return cast(_T, _plan(type_)(json.loads(content), _failures(exc)))


def json_parser(type_: type[_T] | Any) -> Callable[[bytes | str], _T]:
    """`parse_json` for one type, its validator looked up once: for a stream's events, where hashing
    the type (a union of dozens of members) to find its validator costs as much as validating a
    small event."""
    validate = _validator(type_).validate_json

    def parse(content: bytes | str) -> _T:
        try:
            return cast(_T, validate(content, strict=True))
        except pydantic.ValidationError as exc:
            return cast(_T, _plan(type_)(json.loads(content), _failures(exc)))

    return parse


def validate_json(type_: type[_T] | Any, content: bytes | str) -> _T:
    """Build a `type_` from JSON text as pydantic validates by default, or raise
    `pydantic.ValidationError`: the official SDK's `_strict_response_validation` (nothing lenient)."""
    return cast(_T, _validator(type_).validate_json(content))


def validate_obj(type_: type[_T] | Any, data: object) -> _T:
    """`validate_json` for decoded JSON: pydantic's default validation, or `pydantic.ValidationError`."""
    return cast(_T, _validator(type_).validate_python(data))


def parse_obj(type_: type[_T] | Any, data: object) -> _T:
    """Build a `type_` from decoded JSON: validated, built leniently if that fails."""
    try:
        return cast(_T, _validator(type_).validate_python(data, strict=True))
    except pydantic.ValidationError as exc:
        return cast(_T, _plan(type_)(data, _failures(exc)))


# -- lenient construction: the same classes, nothing checked ----------------------------------------
#
# Only the parts of a document that failed are built by hand. A model that did not validate is built
# field by field from pydantic's error locations: the fields it did not complain about are validated
# again on their own (in Rust), the others are built the same way one level down. One unknown enum
# value deep in a response costs a few validations of its ancestors, not a Python walk of it all.

_Failures = dict[Any, Any]  # pydantic's error locations as a tree: {key: {nested key: ...}}
_Plan = Callable[[Any, "_Failures | None"], Any]  # (decoded value, failures if known) -> built value


def construct(type_: Any, value: Any) -> Any:
    """`value` (decoded JSON) as `type_`, never failing: validated where it validates, kept as it is
    where it does not.

    Wrong types pass through unchanged, missing required fields read as None (and stay out of
    `model_fields_set`, so `to_dict()` leaves them out), unknown fields are kept as extras.
    """
    return _plan(type_)(value, None)


def construct_type(*, value: object, type_: object, metadata: Any = None) -> object:
    """`construct(type_, value)` under the name and keyword signature code written for the official
    SDK imports from `openai._models` (`metadata` is accepted and not needed: the annotations of
    `type_` carry the discriminators)."""
    return construct(type_, value)


def construct_type_unchecked(*, value: object, type_: type[_T]) -> _T:
    """`construct_type` typed as returning a `type_` (nothing is checked)."""
    return cast(_T, construct(type_, value))


def _failures(exc: pydantic.ValidationError) -> _Failures:
    tree: _Failures = {}
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        node = tree
        for part in error["loc"]:
            node = node.setdefault(part, {})
    return tree


_plans: dict[Any, _Plan] = {}


def _plan(type_: Any) -> _Plan:
    """How to build a `type_` leniently, worked out once per type."""
    try:
        return _plans[type_]
    except KeyError:
        pass
    except TypeError:  # an unhashable annotation: not cached
        return _make_plan(type_)
    _plans[type_] = plan = _make_plan(type_)
    return plan


def _as_is(value: Any, failures: _Failures | None) -> Any:
    return value


def _as_float(value: Any, failures: _Failures | None) -> Any:
    """A JSON integer where the type says float reads as a float, as validation (and the official SDK's
    construction) make it: `created_at=1700000000.0` whether or not the rest of the document validated."""
    return float(value) if type(value) is int else value


def _make_plan(type_: Any) -> _Plan:
    if type_ is Any or type_ is object or isinstance(type_, str):
        return _as_is
    origin = get_origin(type_)
    if origin is None:
        if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
            return _ModelPlan(type_)
        return _as_float if type_ is float else _as_is
    args = get_args(type_)
    if origin is typing.Annotated:
        inner = args[0]
        if get_origin(inner) in _UNION_TYPES:
            return _discriminated_plan(inner, _discriminator_of(args[1:]))
        return _plan(inner)
    if origin in _UNION_TYPES:
        return _UnionPlan(type_, None)
    if _is_list(origin) and args:
        return _ListPlan(args[0])
    if _is_mapping(origin) and len(args) == 2:
        return _DictPlan(args[1])
    return _as_is


# The plan of each union declared with a discriminator, by the bare union: one union annotated in
# several fields (each `Annotated[...]` a distinct key of `_plans`) shares one plan and its tag tables.
# The official SDK's name for its own cache of the same thing.
DISCRIMINATOR_CACHE: dict[Any, _UnionPlan] = {}


def _discriminated_plan(union: Any, prop: str | None) -> _UnionPlan:
    try:
        cached = DISCRIMINATOR_CACHE.get(union)
    except TypeError:  # an unhashable member
        return _UnionPlan(union, prop)
    if cached is None or cached.prop != prop:
        DISCRIMINATOR_CACHE[union] = cached = _UnionPlan(union, prop)
    return cached


def _is_list(origin: Any) -> bool:
    return origin in _LIST_ORIGINS or getattr(origin, "__name__", "") in _SEQUENCE_NAMES


def _is_mapping(origin: Any) -> bool:
    return origin in _MAPPING_ORIGINS or getattr(origin, "__name__", "") == "Mapping"


class _ListPlan:
    __slots__ = ("item",)

    def __init__(self, item: Any) -> None:
        self.item = item

    def __call__(self, value: Any, failures: _Failures | None) -> Any:
        if type(value) is not list:
            return value
        plan = _plan(self.item)
        failures = failures or {}
        # items pydantic did not complain about are validated again on their own
        return [None if v is None else plan(v, failures.get(i)) for i, v in enumerate(cast("list[Any]", value))]


class _DictPlan:
    __slots__ = ("item",)

    def __init__(self, item: Any) -> None:
        self.item = item

    def __call__(self, value: Any, failures: _Failures | None) -> Any:
        if type(value) is not dict:
            return value
        plan = _plan(self.item)
        failures = failures or {}
        return {k: None if v is None else plan(v, failures.get(k)) for k, v in cast("dict[str, Any]", value).items()}


class _ModelPlan:
    __slots__ = ("cls", "fields", "keys", "plans")

    def __init__(self, cls: type[pydantic.BaseModel]) -> None:
        self.cls = cls
        # (python name, API key, annotation, required, default)
        self.fields: list[tuple[str, str, Any, bool, Any]] = [
            (
                name,
                field.alias or name,
                _field_type(field),
                field.is_required(),
                None if field.is_required() else field.get_default(call_default_factory=True),
            )
            for name, field in cls.model_fields.items()
        ]
        self.keys = frozenset(k for _, k, *_ in self.fields) | frozenset(n for n, *_ in self.fields)
        self.plans: list[_Plan] | None = None  # the fields' plans, on first use (models can be recursive)

    def __call__(self, value: Any, failures: _Failures | None) -> Any:
        if type(value) is not dict:
            return value
        data = cast("dict[str, Any]", value)
        if not failures:
            try:  # the common case inside a fallback: this part of the document is fine
                return self.cls.model_validate(data, strict=True)
            except pydantic.ValidationError as exc:
                failures = _failures(exc)
        plans = self.plans
        if plans is None:
            plans = self.plans = [_plan(annotation) for _, _, annotation, _, _ in self.fields]
        values: dict[str, Any] = {}
        fields_set: set[str] = set()
        for (name, key, _, required, default), plan in zip(self.fields, plans):
            if key in data:
                raw = data[key]
            elif name in data:
                raw, key = data[name], name
            else:
                # a missing required field reads as None but stays out of the fields set
                values[name] = None if required else copy.copy(cast(Any, default)) if isinstance(default, (list, dict)) else default
                continue
            fields_set.add(name)
            values[name] = raw if raw is None or plan is _as_is else plan(raw, failures.get(key))
        extra = {k: v for k, v in data.items() if k not in self.keys}
        return _new_model(self.cls, values, fields_set, extra)


def _new_model(cls: type[_M], values: dict[str, Any], fields_set: set[str], extra: dict[str, Any]) -> _M:
    """A model instance from built values, as pydantic's `model_construct` makes one (without its
    per-field alias lookups: the values are already keyed by field name)."""
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    if issubclass(cls, BaseModel):
        values["_lenient"] = True  # beside the fields, as `_request_id` is: read by the dumps above
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", extra if cls.model_config.get("extra") == "allow" else None)
    private = cls.__private_attributes__
    object.__setattr__(
        obj, "__pydantic_private__", {k: a.get_default() for k, a in private.items()} if private else None
    )
    return obj


def _field_type(field: Any) -> Any:
    """A field's annotation with its union discriminator, as `_make_plan` reads it."""
    annotation = field.annotation
    if field.discriminator is not None and get_origin(annotation) in _UNION_TYPES:
        return typing.Annotated[annotation, field]
    return annotation


def _discriminator_of(metadata: tuple[Any, ...]) -> str | None:
    for m in metadata:
        prop = getattr(m, "discriminator", None)
        if isinstance(prop, str):
            return prop
    return None


def _union_members(tp: Any) -> list[Any]:
    """The members of a union, nested unions flattened and None dropped."""
    members: list[Any] = []
    for arg in get_args(tp):
        if arg is _NoneType:
            continue
        origin = get_origin(arg)
        if origin in _UNION_TYPES:
            members.extend(_union_members(arg))
        elif origin is typing.Annotated and get_origin(get_args(arg)[0]) in _UNION_TYPES:
            members.extend(_union_members(get_args(arg)[0]))
        else:
            members.append(arg)
    return members


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _literal_values(get_args(annotation)[0])
    if origin in _UNION_TYPES:
        return tuple(v for a in get_args(annotation) for v in _literal_values(a))
    if origin is Literal:
        return get_args(annotation)
    return ()


def _model_of(member: Any) -> type[pydantic.BaseModel] | None:
    target = get_origin(member) or member
    if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
        return target
    return None


_Member = tuple[Any, type[pydantic.BaseModel]]  # (annotation, its model class)


class _UnionPlan:
    """Picks the member for a value that did not validate: by its tag, else by its shape."""

    __slots__ = ("float_member", "list_member", "mapping_member", "models", "prop", "tags")

    def __init__(self, union: Any, prop: str | None) -> None:
        self.prop = prop
        members = _union_members(union)
        self.float_member = float in members and int not in members
        self.list_member = next((m for m in members if _is_list(get_origin(m))), None)
        self.mapping_member = next((m for m in members if _is_mapping(get_origin(m))), None)
        self.models: list[_Member] = [(m, model) for m in members if (model := _model_of(m)) is not None]
        # (tag property, tag value -> the members carrying it) for the properties these models pin
        self.tags: list[tuple[str, dict[Any, list[_Member]]]] = []
        for candidate in (prop,) if prop else _TAG_PROPERTIES:
            table: dict[Any, list[_Member]] = {}
            for member in self.models:
                field = member[1].model_fields.get(candidate)
                for tag in _literal_values(field.annotation) if field is not None else ():
                    table.setdefault(tag, []).append(member)
            if table:
                self.tags.append((candidate, table))

    def __call__(self, value: Any, failures: _Failures | None) -> Any:
        if type(value) is list:
            return _plan(self.list_member)(value, None) if self.list_member is not None else cast(Any, value)
        if type(value) is not dict:
            return float(value) if self.float_member and type(value) is int else value
        data = cast("dict[str, Any]", value)
        if not self.models:
            return _plan(self.mapping_member)(value, None) if self.mapping_member is not None else cast(Any, value)
        candidates = self.models
        inner: _Failures | None = None
        for prop, table in self.tags:
            tag = data.get(prop)
            found = table.get(tag) if isinstance(tag, (str, int, bool)) else None
            if found:
                candidates = found
                if failures:
                    # pydantic names a tagged union's member by its tag in an error's location: the
                    # member's own failures, so it is not validated (and refused) once more
                    inner = failures.get(tag)
                break
        if len(candidates) > 1:
            # the first member that validates, else the one declaring the most of the keys present
            # and missing the fewest of its required ones
            for member, _ in candidates:
                try:
                    return _validator(member).validate_python(data, strict=True)
                except pydantic.ValidationError:
                    continue
            candidates = sorted(candidates, key=lambda member: -_shape_score(member[1], data))
            inner = None
        return _plan(candidates[0][0])(value, inner)


def _shape_score(model: type[pydantic.BaseModel], data: dict[str, Any]) -> int:
    fields = model.model_fields
    present = sum(1 for name, f in fields.items() if (f.alias or name) in data)
    missing = sum(1 for name, f in fields.items() if f.is_required() and (f.alias or name) not in data)
    return present * 2 - missing


def attach_request_id(result: object, request_id: str | None, rate_limits: RateLimits | None = None) -> None:
    """Record the response's `x-request-id` (`result._request_id`) and, when given, its rate limits
    (`result._rate_limits`) on a top-level result."""
    if isinstance(result, BaseModel):
        # beside the fields in the instance dict: pydantic's dumps, repr and equality read fields only
        object.__setattr__(result, "_request_id", request_id)
        if rate_limits is not None:
            object.__setattr__(result, "_rate_limits", rate_limits)


def add_request_id(obj: pydantic.BaseModel, request_id: str | None) -> None:
    """`obj._request_id = request_id`, under the name code written for the official SDK imports."""
    attach_request_id(obj, request_id)
