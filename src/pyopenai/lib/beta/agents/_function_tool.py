"""Typed tools for agent sessions: one object that is both the agent's function definition and the
local handler that runs its calls (beta).

`function_tool(fn)` builds a pydantic model of `fn`'s parameters; `pydantic_function_tool(Model,
handler=...)` uses a model you have. Either gives a `FunctionTool`: put `tool.definition` in the
agent's `tools` and register `tool_handlers={tool.name: tool}`. Called with a call's arguments, it
validates them first (invalid arguments fail the call and the function does not run), then calls
the function and turns what it returns into a tool result's output: `None` and strings as they are,
a list of `input_text` / `input_image` parts as content, anything else (a model, a mapping, a list,
a number) as compact JSON.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import types
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, cast, get_type_hints, overload

import pydantic
from typing_extensions import Protocol, TypeVar

from ...._types import Omit, omit
from ._tools import ToolErrorStage, ToolOutput

if TYPE_CHECKING:
    from ....types.beta.agent_tool_param import AgentToolConfigParamFunction

__all__ = ["FunctionTool", "function_tool", "pydantic_function_tool"]

_ModelT = TypeVar("_ModelT", bound=pydantic.BaseModel)
_OutputT = TypeVar("_OutputT", bound="ToolOutput | Awaitable[ToolOutput]", covariant=True)

StageSetter = Callable[[ToolErrorStage], None]


def _as_dict(value: object) -> dict[str, Any] | None:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def _object_root(schema: dict[str, Any]) -> bool:
    """Whether the schema's root (after following local `$ref`s) is an object."""
    root: dict[str, Any] | None = schema
    seen: set[str] = set()
    while root is not None:
        ref = root.get("$ref")
        if not isinstance(ref, str):
            return root.get("type") == "object"
        if ref in seen or not ref.startswith("#/"):
            return False
        seen.add(ref)
        root = schema
        for part in ref[2:].split("/"):
            root = _as_dict(root.get(part)) if root is not None else None
    return False


class FunctionTool(Generic[_OutputT]):
    """An agent function definition and its local handler, whose arguments are validated by a
    pydantic model before the handler sees them (beta). Register it as `tool_handlers={tool.name: tool}`."""

    def __init__(
        self,
        model: type[_ModelT],
        handler: Callable[[_ModelT], _OutputT],
        *,
        name: str,
        description: str,
        defer_loading: bool | Omit = omit,
    ) -> None:
        if not name:
            raise ValueError("a tool's name must not be empty")
        parameters = copy.deepcopy(model.model_json_schema())
        if not _object_root(parameters):
            raise TypeError(
                f"{model.__name__}: a tool's arguments need an object JSON schema (a model with fields); "
                "root-level compositions are unsupported: wrap a union in a field of an ordinary model"
            )
        definition: dict[str, object] = {
            "type": "function",
            "name": name,
            "description": description,
            "parameters": parameters,
        }
        if not isinstance(defer_loading, Omit):
            definition["defer_loading"] = defer_loading
        self._definition = cast("AgentToolConfigParamFunction", definition)
        self._model: type[pydantic.BaseModel] = model
        self._handler: Callable[[Any], Any] = handler
        self._convert_output = False  # the factories turn outputs into tool results; the constructor does not

    @property
    def name(self) -> str:
        return self._definition["name"]

    @property
    def definition(self) -> AgentToolConfigParamFunction:
        """The function definition for the agent's `tools` (a copy: changing it changes nothing here)."""
        return copy.deepcopy(self._definition)

    def __call__(self, arguments: dict[str, Any]) -> _OutputT:
        return cast("_OutputT", self.run(arguments))

    def run(self, arguments: dict[str, Any], set_stage: StageSetter | None = None) -> object:
        """Validate `arguments`, call the handler, and (for the factories' tools) convert its output;
        `set_stage` hears where a failure would be: "arguments", "execution", "output"."""
        stage: StageSetter = set_stage or (lambda _: None)
        stage("arguments")
        parsed = self._model.model_validate(arguments)
        stage("execution")
        if not self._convert_output:
            return self._handler(parsed)
        if inspect.iscoroutinefunction(self._handler):
            return _converted(self._handler, parsed, stage)  # the handler's coroutine starts when awaited
        output = self._handler(parsed)
        if inspect.isawaitable(output):
            return _ConvertedAwaitable(cast("Awaitable[object]", output), stage)
        stage("output")
        return tool_output(output)


def typed_tool(handler: object) -> FunctionTool[Any] | None:
    """The handler as a `FunctionTool` whose calls report their stage (not a subclass that
    replaced `__call__`: that one is called as a plain handler)."""
    if not isinstance(handler, FunctionTool):
        return None
    tool = cast("FunctionTool[Any]", handler)
    return tool if inspect.getattr_static(type(tool), "__call__") is vars(FunctionTool)["__call__"] else None


def tool_output(output: object) -> ToolOutput:
    """What a tool result carries for a function's return value."""
    if isinstance(output, pydantic.BaseModel):
        output = output.model_dump(mode="json")
    if output is None or isinstance(output, str):
        return output
    if isinstance(output, Mapping):
        output = dict(cast("Mapping[str, object]", output))
    elif isinstance(output, Iterable) and not isinstance(output, (bytes, bytearray)):
        output = list(cast("Iterable[object]", output))
        if output and all(_is_content_part(part) for part in output):
            return cast("ToolOutput", output)
    return json.dumps(output, separators=(",", ":"), allow_nan=False)


def _is_content_part(part: object) -> bool:
    """An `input_text` / `input_image` part exactly (a record with more keys is data, sent as JSON)."""
    if not isinstance(part, dict) or len(cast("dict[str, object]", part)) != 2:
        return False
    fields = cast("dict[str, object]", part)
    kind = fields.get("type")
    return (kind == "input_text" and isinstance(fields.get("text"), str)) or (
        kind == "input_image" and isinstance(fields.get("image_url"), str)
    )


async def _converted(handler: Callable[[Any], Awaitable[object]], parsed: object, stage: StageSetter) -> ToolOutput:
    value = await handler(parsed)
    stage("output")
    return tool_output(value)


class _ConvertedAwaitable:
    """A sync function's awaitable result, converted once awaited. A sync stream cannot await it:
    `close()` then closes the coroutine (or cancels the future) so nothing runs later."""

    def __init__(self, output: Awaitable[object], stage: StageSetter) -> None:
        self._output = output
        self._stage = stage

    def __await__(self) -> Generator[Any, None, ToolOutput]:
        value = yield from self._output.__await__()
        self._stage("output")
        return tool_output(value)

    def close(self) -> None:
        if inspect.iscoroutine(self._output):
            self._output.close()
        elif isinstance(self._output, asyncio.Future):
            self._output.cancel()


@overload
def pydantic_function_tool(
    model: type[_ModelT],
    *,
    handler: Callable[[_ModelT], Awaitable[object]],
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | Omit = omit,
) -> FunctionTool[Awaitable[ToolOutput]]: ...


@overload
def pydantic_function_tool(
    model: type[_ModelT],
    *,
    handler: Callable[[_ModelT], object],
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | Omit = omit,
) -> FunctionTool[ToolOutput]: ...


def pydantic_function_tool(
    model: type[_ModelT],
    *,
    handler: Callable[[_ModelT], object],
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | Omit = omit,
) -> FunctionTool[Any]:
    """A tool whose arguments are `model` (validated) and whose calls run `handler` with the model
    instance; sync or async (async needs `AsyncOpenAI`). Name and description default to the
    model's name and docstring (beta)."""
    tool = FunctionTool[Any](
        model,
        handler,
        name=model.__name__ if name is None else name,
        description=(model.__doc__ or "") if description is None else description,
        defer_loading=defer_loading,
    )
    tool._convert_output = True  # pyright: ignore[reportPrivateUsage]
    return tool


class _FunctionToolDecorator(Protocol):
    @overload
    def __call__(  # pyright: ignore[reportOverlappingOverload]
        self, function: Callable[..., Awaitable[object]]
    ) -> FunctionTool[Awaitable[ToolOutput]]: ...

    @overload
    def __call__(self, function: Callable[..., object]) -> FunctionTool[ToolOutput]: ...


@overload
def function_tool(  # pyright: ignore[reportOverlappingOverload]
    function: Callable[..., Awaitable[object]],
    *,
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | Omit = omit,
) -> FunctionTool[Awaitable[ToolOutput]]: ...


@overload
def function_tool(
    function: Callable[..., object],
    *,
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | Omit = omit,
) -> FunctionTool[ToolOutput]: ...


@overload
def function_tool(
    function: None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | Omit = omit,
) -> _FunctionToolDecorator: ...


def function_tool(
    function: Callable[..., object] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | Omit = omit,
) -> FunctionTool[Any] | _FunctionToolDecorator:
    """A tool from an annotated function or bound method: `function_tool(fn)`, `@function_tool` or
    `@function_tool(name=...)` (beta). Each parameter needs a type annotation and a public name,
    and may have a default; `*args`, `**kwargs` and positional-only parameters are refused (use
    `pydantic_function_tool` for those). Name and description default to the function's name and
    docstring."""
    if function is None:

        def decorate(target: Callable[..., object]) -> FunctionTool[Any]:
            return function_tool(target, name=name, description=description, defer_loading=defer_loading)

        return cast("_FunctionToolDecorator", decorate)

    model, names = _arguments_model(function)

    def invoke(arguments: pydantic.BaseModel) -> object:
        # attributes, not model_dump(): nested models reach the function as models
        return function(**{parameter: getattr(arguments, field) for field, parameter in names.items()})

    async def invoke_async(arguments: pydantic.BaseModel) -> object:
        return await cast("Awaitable[object]", invoke(arguments))

    return pydantic_function_tool(
        model,
        handler=invoke_async if inspect.iscoroutinefunction(function) else invoke,
        name=getattr(function, "__name__", "") if name is None else name,
        description=(inspect.getdoc(function) or "") if description is None else description,
        defer_loading=defer_loading,
    )


def _arguments_model(function: Callable[..., object]) -> tuple[type[pydantic.BaseModel], dict[str, str]]:
    """A pydantic model of the function's parameters (unknown ones refused), and {field: parameter}.
    Fields get neutral names and the parameters' names as aliases, so a parameter may be called
    anything pydantic reserves (`schema`, `model_config`)."""
    signature = inspect.signature(function)
    hints = _parameter_hints(function, signature)
    fields: dict[str, Any] = {}
    names: dict[str, str] = {}
    for parameter in signature.parameters.values():
        if parameter.kind not in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            raise TypeError(f"tool parameter {parameter.name!r}: *args, **kwargs and positional-only are not supported")
        if parameter.name.startswith("_") or parameter.name not in hints:
            raise TypeError(f"tool parameter {parameter.name!r} needs a public name and a type annotation")
        field = f"argument_{len(fields)}"
        names[field] = parameter.name
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[field] = (hints[parameter.name], default)
    config = pydantic.ConfigDict(extra="forbid", alias_generator=names.__getitem__)
    model = pydantic.create_model("ToolArguments", __config__=config, **fields)
    return model, names


def _parameter_hints(function: Callable[..., object], signature: inspect.Signature) -> dict[str, Any]:
    """The parameters' annotations, resolved where the function was written: its module, and the
    class it is defined in (for a method, also its base classes). The return annotation is not
    needed, and may name what exists only for type checkers."""
    source = inspect.unwrap(function)
    code = getattr(source, "__func__", source)
    owner = _defining_class(function, code)
    localns: dict[str, Any] = {}
    if owner is not None:
        for cls in reversed(owner.__mro__):
            localns.update(vars(cls))
    holder = types.SimpleNamespace(
        __annotations__={
            name: parameter.annotation
            for name, parameter in signature.parameters.items()
            if parameter.annotation is not inspect.Parameter.empty
        },
        __type_params__=(*getattr(owner, "__type_params__", ()), *getattr(code, "__type_params__", ())),
    )
    return get_type_hints(holder, globalns=getattr(source, "__globals__", None), localns=localns, include_extras=True)


def _defining_class(function: Callable[..., object], code: Any) -> type | None:
    """The class whose body defines the function, if any: for a bound method, the class in its
    owner's MRO named by the function's qualified name; else the class its qualified name walks
    to from the module's globals."""
    qualname: str = getattr(code, "__qualname__", "")
    owner_name = qualname.rpartition(".")[0]
    if inspect.ismethod(function):
        bound = function.__self__
        cls = bound if inspect.isclass(bound) else type(bound)
        for candidate in cls.__mro__:
            if candidate.__module__ == getattr(code, "__module__", None) and candidate.__qualname__ == owner_name:
                return candidate
    namespace: Mapping[str, Any] = getattr(code, "__globals__", {})
    found: type | None = None
    for part in owner_name.split(".") if owner_name else []:
        candidate = namespace.get(part)
        if not inspect.isclass(candidate):
            return None
        found, namespace = candidate, vars(candidate)
    return found
