"""Response models: thin typed views over decoded JSON.

A model instance holds the decoded JSON object it came from (`_data`) and nothing else. Its fields
are declared as class annotations, so editors and type checkers see them; at run time each
annotation becomes a `_Field` descriptor that converts the raw value on first access (a nested
object becomes a model, a list of objects a list of models) and caches the result on the instance.
Parsing a response therefore costs one `json.loads`; nothing is validated, nothing is copied.

Leniency is the point: the API evolves faster than any client. Missing fields read as `None`,
unknown fields are kept (and reachable as attributes and in `to_dict()`), unknown enum values and
unexpected types pass through untouched.
"""

from __future__ import annotations

import json
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Union, cast, get_args, get_origin

from typing_extensions import Self, override

from ._rate_limits import RateLimits

__all__ = ["BaseModel", "construct_type", "to_jsonable"]

Converter = Callable[[Any], Any]
_NoneType = type(None)

_UNION_TYPES: tuple[Any, ...] = (Union, types.UnionType)
_LIST_ORIGINS: tuple[Any, ...] = (list, typing.List, tuple, set, frozenset)
_SEQUENCE_NAMES = {"Sequence", "Iterable", "MutableSequence", "Collection"}
_MAPPING_ORIGINS: tuple[Any, ...] = (dict, typing.Dict, Mapping)
# the properties the API tags union members with, in the order they are tried
_TAG_PROPERTIES = ("type", "object", "event", "role")


class Discriminator:
    """Marks a union as tagged by a property: `Annotated[Union[A, B], Discriminator("type")]`."""

    __slots__ = ("property",)

    def __init__(self, property: str) -> None:
        self.property = property

    @override
    def __repr__(self) -> str:
        return f"Discriminator({self.property!r})"


class _Field:
    """A model field: converts the raw JSON value on first read and caches it on the instance.

    A non-data descriptor, so after the first read the instance `__dict__` answers directly.
    """

    __slots__ = ("convert", "key", "name", "owner")

    def __init__(self, owner: type[BaseModel], name: str, key: str) -> None:
        self.owner = owner
        self.name = name
        self.key = key
        self.convert: Converter | bool | None = False  # False: not resolved yet; None: identity

    def __get__(self, obj: BaseModel | None, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        raw = obj._data.get(self.key)  # pyright: ignore[reportPrivateUsage]
        if raw is None:
            return None
        convert = self.convert
        if convert is False:
            convert = self.resolve()
        if convert is None:
            # already the final value (str, int, literal...): no conversion to cache, and not
            # touching the instance __dict__ spares creating it
            return raw
        value: Any = cast(Converter, convert)(raw)
        obj.__dict__[self.name] = value
        return value

    def resolve(self) -> Converter | None:
        hints = _type_hints(self.owner)
        self.convert = converter_for(hints.get(self.name, Any))
        return self.convert


def _type_hints(cls: type) -> dict[str, Any]:
    cached = cls.__dict__.get("__model_hints__")
    if cached is None:
        module = sys.modules.get(cls.__module__)
        globalns = dict(vars(module)) if module else {}
        try:
            cached = typing.get_type_hints(cls, globalns=globalns, include_extras=True)
        except Exception:
            # An annotation that cannot be resolved must not break reading the others: fall back
            # to resolving field by field and treating the unresolvable ones as raw values.
            cached = {}
            for klass in reversed(cls.__mro__):
                for name, annotation in klass.__dict__.get("__annotations__", {}).items():
                    try:
                        cached[name] = typing._eval_type(  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType]
                            typing.ForwardRef(annotation) if isinstance(annotation, str) else annotation,
                            globalns,
                            None,
                        )
                    except Exception:
                        cached[name] = Any
        type.__setattr__(cls, "__model_hints__", cached)
    return cached


class BaseModel:
    """Base of every response model. See the module docstring for the design."""

    __slots__ = ("__dict__", "__weakref__", "_data")
    if TYPE_CHECKING:
        _data: dict[str, Any]

    __model_fields__: ClassVar[dict[str, _Field]] = {}
    # python attribute name -> JSON key, for keys that are not identifiers (`schema_` -> `schema`)
    __aliases__: ClassVar[dict[str, str]] = {}
    __keys__: ClassVar[dict[str, str]] = {}  # JSON key -> python attribute name

    _request_id: str | None = None
    # the account's limits as the response reported them (None for nested and hand-made models)
    _rate_limits: RateLimits | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: dict[str, _Field] = {}
        for base in reversed(cls.__mro__[1:]):
            fields.update(base.__dict__.get("__model_fields__", {}))
        aliases: dict[str, str] = {}
        for base in reversed(cls.__mro__):
            aliases.update(base.__dict__.get("__aliases__", {}))
        annotations: dict[str, Any] = cls.__dict__.get("__annotations__", {})
        for name, annotation in annotations.items():
            if name.startswith("_") or (isinstance(annotation, str) and annotation.startswith("ClassVar")):
                continue
            field = _Field(cls, name, aliases.get(name) or name)
            type.__setattr__(cls, name, field)
            fields[name] = field
        cls.__model_fields__ = fields
        cls.__keys__ = {f.key: name for name, f in fields.items()}

    def __init__(self, **values: Any) -> None:
        """Build a model from python-named values (`ChatCompletionMessage(role="assistant", content="hi")`)."""
        fields = type(self).__model_fields__
        data: dict[str, Any] = {}
        for name, value in values.items():
            field = fields.get(name)
            data[field.key if field else name] = to_jsonable(value)
        object.__setattr__(self, "_data", data)

    @classmethod
    def construct_from(cls, data: dict[str, Any]) -> Self:
        """Wrap decoded JSON without copying or validating it."""
        obj = object.__new__(cls)
        _set_data(obj, data)
        return obj

    # -- attribute access -------------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: unknown fields the API sent are still readable.
        if not name.startswith("__"):
            try:
                return self._data[name]
            except (KeyError, AttributeError):
                pass
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @override
    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") and name not in type(self).__model_fields__:
            object.__setattr__(self, name, value)
            return
        field = type(self).__model_fields__.get(name)
        self._data[field.key if field else name] = to_jsonable(value)
        self.__dict__[name] = value

    @override
    def __delattr__(self, name: str) -> None:
        field = type(self).__model_fields__.get(name)
        self._data.pop(field.key if field else name, None)
        self.__dict__.pop(name, None)

    # -- value semantics ----------------------------------------------------------------------

    @override
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self._data == other._data

    __hash__: ClassVar[None] = None  # type: ignore[assignment]  # mutable, like pydantic models

    @override
    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self)})"

    def __rich_repr__(self) -> Iterator[tuple[str, Any]]:
        yield from self

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """(name, value) pairs of the fields present, as pydantic models iterate (FastAPI relies on it)."""
        keys = type(self).__keys__
        for key in self._data:
            name = keys.get(key, key)
            yield name, getattr(self, name) if name in type(self).__model_fields__ else self._data[key]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_model, (type(self), self._data, self.__dict__.get("_request_id")))

    def __copy__(self) -> Self:
        return type(self).construct_from(dict(self._data))

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        return type(self).construct_from(_copy_json(self._data))

    # -- serialization -------------------------------------------------------------------------

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, Any]:
        """The data as a plain dict, keyed by the API's names; fields the API did not send are left out."""
        return self.model_dump(
            mode=mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_none=exclude_none,
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
        return json.dumps(
            self.to_dict(use_api_names=use_api_names, exclude_unset=exclude_unset, exclude_none=exclude_none),
            indent=indent,
            ensure_ascii=False,
        )

    def model_dump(
        self,
        *,
        mode: Literal["json", "python"] | str = "python",
        include: Any = None,
        exclude: Any = None,
        by_alias: bool | None = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        round_trip: bool = False,
        warnings: bool | str = True,
        context: Any = None,
        serialize_as_any: bool = False,
    ) -> dict[str, Any]:
        """Pydantic-compatible dump. Unlike `to_dict`, declared fields that are absent appear as None."""
        if exclude_unset and by_alias and not exclude_none and include is None and exclude is None:
            return _copy_json(self._data)  # the fast path `to_dict()` takes
        cls = type(self)
        out: dict[str, Any] = {}
        names: list[str] = []
        if not exclude_unset:
            names.extend(cls.__model_fields__)
        for key in self._data:
            name = cls.__keys__.get(key, key)
            if name not in cls.__model_fields__ or exclude_unset:
                names.append(name)
        for name in names:
            if (include is not None and name not in include) or (exclude is not None and name in exclude):
                continue
            field = cls.__model_fields__.get(name)
            key = field.key if field else name
            raw = self._data.get(key)
            if raw is None:
                if exclude_none:
                    continue
                out[key if by_alias else name] = None
                continue
            value = _dump_value(
                getattr(self, name) if field else raw, by_alias=bool(by_alias), exclude_unset=exclude_unset,
                exclude_none=exclude_none,
            )
            out[key if by_alias else name] = value
        return out

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        include: Any = None,
        exclude: Any = None,
        by_alias: bool | None = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        round_trip: bool = False,
        warnings: bool | str = True,
        context: Any = None,
        serialize_as_any: bool = False,
    ) -> str:
        data = self.model_dump(
            include=include, exclude=exclude, by_alias=by_alias, exclude_unset=exclude_unset,
            exclude_none=exclude_none,
        )
        if indent is None:
            return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return json.dumps(data, indent=indent, ensure_ascii=False)

    @classmethod
    def model_validate(cls, obj: Any, *, strict: bool | None = None, context: Any = None) -> Self:
        """Build from a mapping (or another model). Lenient: nothing is checked, as for API responses."""
        if isinstance(obj, cls):
            return obj
        if isinstance(obj, BaseModel):
            return cls.construct_from(obj._data)
        if not isinstance(obj, Mapping):
            raise TypeError(f"{cls.__name__}.model_validate() expects a mapping, got {type(obj).__name__}")
        return cls.construct_from(dict(cast("Mapping[str, Any]", obj)))

    @classmethod
    def model_validate_json(cls, json_data: str | bytes, *, strict: bool | None = None, context: Any = None) -> Self:
        return cls.model_validate(json.loads(json_data))

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        return cls(**values)

    construct = model_construct

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copy = self.__deepcopy__() if deep else self.__copy__()
        for name, value in (update or {}).items():
            setattr(copy, name, value)
        return copy

    copy = model_copy

    @property
    def model_fields_set(self) -> set[str]:
        keys = type(self).__keys__
        return {keys[k] for k in self._data if k in keys}

    @property
    def model_extra(self) -> dict[str, Any]:
        keys = type(self).__keys__
        return {k: v for k, v in self._data.items() if k not in keys}

    @classmethod
    def model_fields(cls) -> dict[str, Any]:  # pragma: no cover - introspection only
        return dict(_type_hints(cls))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Let pydantic (and FastAPI) accept these models as field types and response models."""
        from pydantic_core import core_schema  # pyright: ignore[reportMissingImports]

        return core_schema.no_info_plain_validator_function(  # pyright: ignore[reportUnknownMemberType]
            cls.model_validate,
            serialization=core_schema.plain_serializer_function_ser_schema(  # pyright: ignore[reportUnknownMemberType]
                lambda m: m.to_dict() if isinstance(m, BaseModel) else m  # pyright: ignore[reportUnknownLambdaType]
            ),
        )


def _rebuild_model(cls: type[BaseModel], data: dict[str, Any], request_id: str | None) -> BaseModel:
    obj = cls.construct_from(data)
    if request_id is not None:
        object.__setattr__(obj, "_request_id", request_id)
    return obj


def _dump_value(value: Any, *, by_alias: bool, exclude_unset: bool, exclude_none: bool) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none)
    if isinstance(value, list):
        return [_dump_value(v, by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none) for v in value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, dict):
        return {
            k: _dump_value(v, by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none)
            for k, v in value.items()  # pyright: ignore[reportUnknownVariableType]
        }
    return value


def _copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        return [_copy_json(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    return value


# -- request side ---------------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    """Models, pydantic models, iterables and dates as the JSON the API expects. Plain data is returned as is."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, BaseModel):
        return value._data  # pyright: ignore[reportPrivateUsage]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    return json_default(value)


def json_default(value: Any) -> Any:
    """The `default=` hook of request JSON encoding: what `json` cannot encode by itself."""
    if isinstance(value, BaseModel):
        return value._data  # pyright: ignore[reportPrivateUsage]
    dump = getattr(value, "model_dump", None)
    if callable(dump):  # a pydantic model
        return dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: to_jsonable(v) for k, v in cast("Mapping[str, Any]", value).items()}
    if isinstance(value, (tuple, set, frozenset)) or (hasattr(value, "__iter__") and not isinstance(value, (bytes, str))):
        return [to_jsonable(v) for v in cast("typing.Iterable[Any]", value)]
    raise TypeError(f"Object of type {type(value).__name__} cannot be sent as JSON")


# -- converters: type annotation -> function from raw JSON to its typed value ----------------------

_converters: dict[Any, Converter | None] = {}


def construct_type(type_: Any, value: Any) -> Any:
    """Convert decoded JSON to `type_` (a model, a list of models, a union, ...) leniently."""
    convert = converter_for(type_)
    return value if convert is None or value is None else convert(value)


def converter_for(tp: Any) -> Converter | None:
    """The conversion for a type, or None when the raw value is already right (str, int, Literal, ...)."""
    try:
        return _converters[tp]
    except KeyError:
        pass
    except TypeError:  # unhashable annotation
        return _build_converter(tp)
    convert = _build_converter(tp)
    _converters[tp] = convert
    return convert


def _build_converter(tp: Any) -> Converter | None:
    if isinstance(tp, str):
        return None  # unresolvable forward reference: keep raw
    if isinstance(tp, type):
        if issubclass(tp, BaseModel):
            return _model_converter(tp)
        return None
    origin = get_origin(tp)
    if origin is None:
        return None
    args = get_args(tp)
    if origin is typing.Annotated:
        inner, *meta = args
        for m in meta:
            if isinstance(m, Discriminator) or hasattr(m, "discriminator"):
                prop = m.property if isinstance(m, Discriminator) else getattr(m, "discriminator", None)
                if isinstance(prop, str):
                    return _union_converter(_union_members(inner), prop)
        return converter_for(inner)
    if origin in _UNION_TYPES:
        return _union_converter(_union_members(tp), None)
    if origin is Literal:
        return None
    if origin in _LIST_ORIGINS or getattr(origin, "__name__", "") in _SEQUENCE_NAMES:
        item = converter_for(args[0]) if args else None
        return None if item is None else _list_converter(item)
    if origin in _MAPPING_ORIGINS or getattr(origin, "__name__", "") == "Mapping":
        item = converter_for(args[1]) if len(args) == 2 else None
        return None if item is None else _dict_converter(item)
    if isinstance(origin, type) and issubclass(origin, BaseModel):  # a parametrized generic model
        return _model_converter(cast("type[BaseModel]", tp))
    return None


_new_object = object.__new__
_set_data: Callable[[Any, Any], None] = BaseModel.__dict__["_data"].__set__


def _model_converter(cls: type[BaseModel]) -> Converter:
    def convert(value: Any) -> Any:
        if type(value) is dict:
            obj = _new_object(cls)
            _set_data(obj, value)
            return obj
        return value

    convert.model = cls  # type: ignore[attr-defined]  # lets list conversion take the fast path
    return convert


def _list_converter(item: Converter) -> Converter:
    model: type[BaseModel] | None = getattr(item, "model", None)
    if model is not None:
        # the hot case (pages, choices, output items): build the models inline
        def convert_models(value: Any) -> Any:
            if type(value) is not list:
                return value
            out: list[Any] = []
            append = out.append
            for v in cast("list[Any]", value):
                if type(v) is dict:
                    obj = _new_object(model)
                    _set_data(obj, v)
                    append(obj)
                else:
                    append(v)
            return out

        return convert_models

    def convert(value: Any) -> Any:
        if type(value) is not list:
            return value
        return [None if v is None else item(v) for v in value]  # pyright: ignore[reportUnknownVariableType]

    return convert


def _dict_converter(item: Converter) -> Converter:
    def convert(value: Any) -> Any:
        if type(value) is not dict:
            return value
        return {k: None if v is None else item(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]

    return convert


def _union_members(tp: Any) -> list[Any]:
    """The members of a union, nested unions flattened and None dropped."""
    members: list[Any] = []
    for arg in get_args(tp) if get_origin(tp) in _UNION_TYPES else (tp,):
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
    if get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in _UNION_TYPES:
        return tuple(v for a in get_args(annotation) for v in _literal_values(a))
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    return ()


def _union_converter(members: list[Any], prop: str | None) -> Converter | None:
    """Pick the member for a value: by its tag when the union is tagged, else by shape."""
    models: list[type[BaseModel]] = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
    list_convert: Converter | None = None
    dict_convert: Converter | None = None
    for m in members:
        origin = get_origin(m)
        if origin in _LIST_ORIGINS or getattr(origin, "__name__", "") in _SEQUENCE_NAMES:
            list_convert = list_convert or converter_for(m)
        elif origin in _MAPPING_ORIGINS:
            dict_convert = dict_convert or converter_for(m)
    if not models and list_convert is None and dict_convert is None:
        return None

    by_tag: dict[Any, list[type[BaseModel]]] = {}
    tag_prop = prop
    if models:
        props = (prop,) if prop else _TAG_PROPERTIES
        for candidate in props:
            table: dict[Any, list[type[BaseModel]]] = {}
            for model in models:
                values = _literal_values(_type_hints(model).get(candidate))
                for v in values:
                    table.setdefault(v, []).append(model)
            if table and (prop or all(_literal_values(_type_hints(m).get(candidate)) for m in models)):
                by_tag, tag_prop = table, candidate
                break

    def best_match(value: dict[str, Any], candidates: list[type[BaseModel]]) -> type[BaseModel]:
        # structural fallback: the model that declares the most of the keys present
        return max(candidates, key=lambda m: sum(1 for k in value if k in m.__keys__))

    def convert(value: Any) -> Any:
        if type(value) is dict:
            obj = cast("dict[str, Any]", value)
            if models:
                if tag_prop is not None:
                    try:
                        found = by_tag.get(obj.get(tag_prop))
                    except TypeError:  # an unhashable tag (a list, an object): no member claims it
                        found = None
                    if found is not None:
                        model = found[0] if len(found) == 1 else best_match(obj, found)
                        return model.construct_from(obj)
                model = models[0] if len(models) == 1 else best_match(obj, models)
                return model.construct_from(obj)
            return dict_convert(obj) if dict_convert else obj
        if list_convert is not None and type(value) is list:
            return list_convert(value)
        return value

    return convert


def resolve_all(cls: type[BaseModel]) -> None:
    """Resolve every field's converter now (tests use it to prove annotations resolve)."""
    for field in cls.__model_fields__.values():
        field.resolve()
