"""Operations -> method descriptions (name, arguments, return type, streaming, pagination, headers).

Everything here is derived from the spec; `config.methods["VERB /path"]` overrides the parts the
spec cannot give (see README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from config import Config, LocalArgs, MethodOptions, ReturnsBy, StreamClass
from naming import Singularizer, identifier, pascal, snake
from operations import Namer, is_param, segments, split_path
from spec import Operation, Parameter, Schema, Spec

if TYPE_CHECKING:
    from ir import TypeNode
    from types_gen import TypeEntry


@dataclass
class Arg:
    key: str  # wire name (`include`, `openai-beta`)
    name: str  # python keyword
    location: str  # path | query | body | header
    required: bool
    schema: Schema
    type: TypeNode | None = None  # its type in the params file (set by the types stage)


@dataclass
class Method:
    op: Operation
    resource: str
    name: str
    types_package: str  # pyopenai.types.chat
    params_name: str  # CompletionCreateParams
    params_module: str  # pyopenai.types.chat.completion_create_params
    path_args: list[Arg] = field(default_factory=list)
    args: list[Arg] = field(default_factory=list)  # query + body + header, in spec order
    body_kind: str = "none"  # none | json | multipart
    file_fields: list[str] = field(default_factory=list)
    returns: str = "None"  # a type name, `None`, `str`, `HttpxBinaryResponseContent`
    page: str | None = None
    stream: str | None = None  # event type name
    stream_only: bool = False  # always answers an event stream (no `stream` argument)
    stream_events: bool = False  # the stream's own `error` events are items, not exceptions
    binary: bool = False
    accept: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    admin: bool = False
    deprecated: bool = False
    response_schema: Schema | None = None
    item_schema: Schema | None = None
    alias_of: Method | None = None  # a second official name for the same endpoint
    raw_body: str | None = None  # a body argument sent alone as the raw body when the others are omitted
    raw_content_type: str | None = None
    prepare: str | None = None  # `module:function`: body -> (body to send, post-parse step or None)
    options: MethodOptions | None = None  # config `options`: its keyword arguments as a TypedDict
    returns_by: ReturnsBy | None = None  # config `returns_by`: overloads choosing the return type by a literal
    stream_class: StreamClass | None = None  # config `stream_class`: a hand-written stream in place of `Stream[X]`
    local_args: LocalArgs | None = None  # config `local_args`: arguments kept on the client, given to `prepare`
    response_base: str = ""  # `{Singular}{Method}`: the name of a return type with no public name is this + `Response`
    # set by the types stage (generate.py `resolve_returns`): the public types of the answer and of the events
    return_entry: TypeEntry | None = None
    stream_entry: TypeEntry | None = None
    case_entries: dict[str, TypeEntry] = field(default_factory=dict)  # config `returns_by`: name -> its type


class MethodBuilder:
    def __init__(self, spec: Spec, config: Config) -> None:
        self.spec = spec
        self.config = config
        self.namer = Namer(spec, config)
        self.singular = Singularizer(config.naming.singular)
        self.acronyms = config.naming.acronyms

    def pascal_words(self, word: str) -> str:
        return "".join(self.acronyms.get(p, pascal(p)) for p in word.split("_"))

    def headers_for(self, resource: str) -> dict[str, str]:
        best: tuple[int, dict[str, str]] = (-1, {})
        for prefix, headers in self.config.headers_by_resource.items():
            if (resource == prefix or resource.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), headers)
        return dict(best[1])

    def build(self) -> list[Method]:
        methods: list[Method] = []
        by_key: dict[str, Method] = {}
        for op in self.spec.operations():
            m = self.build_one(op)
            methods.append(m)
            by_key[op.key] = m
        for extra in self.config.extra_methods:
            base = by_key[extra.endpoint]
            m = self.build_one(base.op, resource=extra.resource, name=extra.method, returns=extra.returns)
            m.alias_of = base
            m.deprecated = True
            methods.append(m)
        return methods

    def build_one(self, op: Operation, *, resource: str | None = None, name: str | None = None,
                  returns: str | None = None) -> Method:
        derived = self.namer.derive(op)
        o = self.config.facts(op.key)
        if returns is not None:  # a second name for the endpoint: its own return type, no page
            o = replace(o, returns=returns, page=None, binary=o.binary and returns != "str")
        resource = resource or o.resource or derived.resource
        name = name or o.method or derived.method
        parts = resource.split(".")
        packages = self.config.types_packages
        types_package = "pyopenai." + packages[resource] if resource in packages else ".".join(["pyopenai", "types", *parts[:-1]])
        base = self.pascal_words(self.singular(parts[-1])) + self.pascal_words(name)
        params_module = f"{types_package}.{snake(self.singular(parts[-1]))}_{name}_params"
        if o.params:  # the official module, where it is not the rule's (`types.webhooks.webhook_create_params`)
            params_module = "pyopenai." + o.params
            types_package = params_module.rsplit(".", 1)[0]
        m = Method(op, resource, name, types_package, base + "Params", params_module)
        m.deprecated = bool(op.op.get("deprecated")) or o.deprecated
        m.headers = {**self.headers_for(resource), **o.headers}
        m.admin = any("AdminApiKeyAuth" in s for s in op.op.get("security") or [])
        # arguments
        path_params = [p for p in op.parameters if p.location == "path"]
        order = [s[1:-1] for s in segments(op.path) if is_param(s)]
        path_params.sort(key=lambda p: order.index(p.name) if p.name in order else 99)
        m.path_args = [Arg(p.name, identifier(p.name), "path", True, p.schema) for p in path_params]
        for p in op.parameters:
            if p.location in ("query", "header"):
                key = p.name[:-2] if p.name.endswith("[]") else p.name
                pyname = p.extension_name or self.config.header_params.get(p.name) or identifier(key)
                m.args.append(Arg(key, pyname, p.location, p.required, p.schema))
        prefer = {"multipart": "multipart/form-data", "json": "application/json"}.get(o.body or "")
        ctype, body = self.spec.request_body(op, prefer)
        if body is not None:
            m.body_kind = o.body or ("multipart" if ctype == "multipart/form-data" else "json")
            body_schema = self.spec.deref(body)
            props, required = self.spec.object_view(body_schema)
            for key, prop in props.items():
                m.args.append(Arg(key, identifier(key), "body", key in required, prop))
                if m.body_kind == "multipart" and self.has_binary(prop):
                    m.file_fields.append(key)
        # response
        rctype, rschema, rtypes = self.spec.success_response(op)
        m.response_schema = rschema
        m.binary = o.binary
        m.raw_body, m.raw_content_type, m.prepare = o.raw_body, o.content_type, o.prepare
        m.options = o.options
        m.returns_by = o.returns_by
        m.stream_class, m.local_args = o.stream_class, o.local_args
        if m.local_args is not None and not m.prepare:
            raise ValueError(f"{op.key}: local_args need a prepare hook to hand them to")
        if o.returns_by:
            self.check_returns_by(m, o.returns_by)
        if m.raw_body and not any(a.key == m.raw_body and a.location == "body" for a in m.args):
            raise ValueError(f"{op.key}: raw_body {m.raw_body!r} is not a body argument")
        if m.binary:
            m.accept = o.accept or ("application/binary" if rctype != "application/octet-stream" else None)
        m.page = o.page  # pagination classes are not derivable: config only
        m.stream = o.stream
        if m.stream is None and not m.binary and "text/event-stream" in rtypes:
            m.stream = self.spec.ref_name(op.op["responses"][next(c for c in op.op["responses"] if str(c).startswith("2"))]["content"]["text/event-stream"].get("schema", {})) or None
        m.stream_only = bool(m.stream and o.stream_only)
        m.stream_events = o.stream_mode == "events"
        if m.stream and not m.stream_only and not any(a.name == "stream" for a in m.args):
            m.args.append(Arg("stream", "stream", "query", False, {"type": "boolean"}))
        ret = o.returns
        if ret:
            page_match = re.fullmatch(r"(?:Sync)?(\w*Page)\[(\w+)\]", ret)
            if page_match:
                m.page = m.page or page_match.group(1)
                ret = page_match.group(2)
            m.returns = ret
        elif m.binary:
            m.returns = "HttpxBinaryResponseContent"
        elif rschema is None:
            m.returns = "None"
        else:
            m.returns = ""  # decided by the types generator (canonical name or {Base}Response)
        if m.returns == "None" and m.accept is None:
            m.accept = o.accept or "*/*"  # no body expected: any answer will do (as the official SDK asks)
        if m.page and rschema is not None:
            props, _ = self.spec.object_view(self.spec.split_null(self.spec.deref(rschema))[0])
            data = self.spec.deref(props.get("data", {}))
            m.item_schema = data.get("items")
        m.response_base = base
        return m

    def check_returns_by(self, m: Method, returns_by: ReturnsBy) -> None:
        """Each case names values of the argument's enum (spec facts), and no value twice."""
        arg = next((a for a in m.args if a.name == returns_by.argument), None)
        if arg is None:
            raise ValueError(f"{m.op.key}: returns_by names {returns_by.argument!r}, not an argument")
        enum = set(self.spec.deref(arg.schema).get("enum") or [])
        values = [v for case in returns_by.cases for v in case.values]
        unknown = sorted(set(values) - enum) if enum else []
        if unknown or len(values) != len(set(values)):
            raise ValueError(f"{m.op.key}: returns_by values {values} repeat or are not in the enum {sorted(enum)}")

    def has_binary(self, schema: Schema) -> bool:
        s = self.spec.deref(schema)
        s, _ = self.spec.split_null(s)
        if s.get("format") == "binary":
            return True
        if s.get("type") == "array":
            return self.has_binary(s.get("items") or {})
        return any(self.has_binary(v) for v in (s.get("oneOf") or s.get("anyOf") or []))


def path_template(path: str, args: list[Arg]) -> str:
    """`/threads/{thread_id}/runs` -> f-string body with `path_param('thread_id', thread_id)`."""
    base, query = split_path(path)

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        arg = next(a for a in args if a.key == key)
        return "{path_param(" + repr(key) + ", " + arg.name + ")}"

    return re.sub(r"\{(\w+)\}", sub, base) + query


__all__ = ["Arg", "Method", "MethodBuilder", "Parameter", "path_template"]
