"""Where methods become resource classes.

Resources form a tree by their dotted path (`beta.threads.runs`). A node with children is a
package (`resources/beta/threads/threads.py` + `__init__.py`); a leaf is one module
(`resources/files.py`). Each module holds the sync class, the async class and the four
`*WithRawResponse` / `*WithStreamingResponse` wrappers; `resources/_root.py` holds the client's
top-level properties.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from config import Helper
from context import REPO, SRC, Generation
from docstrings import method_docstring
from docstrings import render as render_docstring
from emit import HEADER, Imports, module_path, relative
from ir import OBJECT, Renderer
from methods import Arg, Method, path_template
from naming import pascal

RES = "pyopenai.resources"
TIMEOUT = "timeout: float | httpx2.Timeout | None | NotGiven = NOT_GIVEN"
EXTRA = [
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "extra_body: Body | None = None",
    TIMEOUT,
]
PASS_EXTRA = "extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout"


@dataclass
class Node:
    path: str  # dotted resource path
    methods: list[Method] = field(default_factory=list)
    helpers: list[Helper] = field(default_factory=list[Helper])
    children: dict[str, Node] = field(default_factory=dict)

    @property
    def leaf(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def class_name(self) -> str:
        return pascal(self.leaf)

    @property
    def module(self) -> str:
        if self.children:
            return f"{RES}.{self.path}.{self.leaf}"
        return f"{RES}.{self.path}"

    @property
    def package(self) -> str | None:
        return f"{RES}.{self.path}" if self.children else None


class ResourcesGenerator:
    def __init__(self, gen: Generation) -> None:
        self.gen = gen
        self.root = Node("")
        for m in gen.methods:
            self.node(m.resource).methods.append(m)
        for h in gen.config.helpers:
            self.node(h.resource).helpers.append(h)
        self.mixins = gen.config.resource_mixins
        self.exports = gen.config.resource_exports
        known = {n.path for n in self.walk(self.root)}
        for key, paths in (("resource_mixins", list(self.mixins)), ("resource_exports", list(self.exports))):
            for path in paths:
                if path not in known:
                    raise ValueError(f"{key}: no resource {path!r}")

    def node(self, path: str) -> Node:
        cur = self.root
        parts = path.split(".")
        for i, part in enumerate(parts):
            if part not in cur.children:
                cur.children[part] = Node(".".join(parts[: i + 1]))
            cur = cur.children[part]
        return cur

    def walk(self, node: Node) -> list[Node]:
        out: list[Node] = []
        for name in sorted(node.children):
            child = node.children[name]
            out.append(child)
            out.extend(self.walk(child))
        return out

    def run(self) -> None:
        for node in self.walk(self.root):
            self.write_node(node)
            if node.children:
                self.write_package_init(node)
        self.write_root()
        self.write_resources_init()

    # -- files -----------------------------------------------------------------------------------

    def write(self, module: str, text: str, *, package: bool = False) -> None:
        path = module_path(SRC, module, package=package)
        self.gen.out.add(str(path.relative_to(REPO)), text)

    def write_package_init(self, node: Node) -> None:
        pkg = node.package
        assert pkg
        names = {}
        for prefix in ("", "Async"):
            for suffix in ("", "WithRawResponse", "WithStreamingResponse"):
                names[f"{prefix}{node.class_name}{suffix}"] = f".{node.leaf}"
        for child in node.children.values():
            for prefix in ("", "Async"):
                for suffix in ("", "WithRawResponse", "WithStreamingResponse"):
                    names.setdefault(f"{prefix}{child.class_name}{suffix}", f".{child.leaf}")
        self.write(pkg, lazy_init(pkg, names), package=True)

    def write_resources_init(self) -> None:
        names: dict[str, str] = {}
        for child in self.root.children.values():
            for prefix in ("", "Async"):
                for suffix in ("", "WithRawResponse", "WithStreamingResponse"):
                    names[f"{prefix}{child.class_name}{suffix}"] = f".{child.leaf}"
        self.write(RES, lazy_init(RES, names), package=True)

    def child_import(self, child: Node, imports: Imports) -> None:
        for prefix in ("", "Async"):
            for suffix in ("", "WithRawResponse", "WithStreamingResponse"):
                imports.add(child.module, f"{prefix}{child.class_name}{suffix}")

    def write_node(self, node: Node) -> None:
        module = node.module
        imports = Imports(module)
        imports.plain.add("httpx2")
        for child in node.children.values():
            self.child_import(child, imports)
        ctx = MethodContext(self.gen, imports, module)
        parts: list[str] = []
        for is_async in (False, True):
            parts.append(self.resource_class(node, ctx, is_async))
        for is_async in (False, True):
            for kind in ("raw", "stream"):
                parts.append(self.wrapper_class(node, is_async, kind))
        for m in sorted(node.methods, key=lambda m: m.name):
            if m.options is not None:
                parts.append(self.options_typeddict(m, ctx))
        if ctx.hoisted:
            parts.insert(0, ctx.hoisted_definitions())
        body = "\n\n\n".join(parts)
        if node.path in self.exports:
            imports.add("pyopenai._lazy", "lazy_exports")
            body += self.reexports(self.exports[node.path])
        runtime = [
            ("pyopenai._resource", ["SyncAPIResource", "AsyncAPIResource", "path_param", "cached_property"]),
            ("pyopenai._response", ["to_raw_response_wrapper", "async_to_raw_response_wrapper",
                                    "to_streamed_response_wrapper", "async_to_streamed_response_wrapper",
                                    "HttpxBinaryResponseContent"]),
            ("pyopenai._types", ["NOT_GIVEN", "NoneType", "NotGiven", "Omit", "omit", "Headers", "Query", "Body", "FileTypes"]),
            ("pyopenai._streaming", ["Stream", "AsyncStream", "EventStream", "AsyncEventStream"]),
            ("pyopenai.pagination", ["AsyncPaginator"]),
        ]
        for mod, names in runtime:
            for n in names:
                imports.add(mod, n)
        text = HEADER + "\nfrom __future__ import annotations\n\n" + imports.render(body, lazy_prefix="pyopenai.types") + "\n\n\n" + body + "\n"
        self.write(module, text)  # blank lines are the formatter's (emit.format_sources)

    @staticmethod
    def options_typeddict(m: Method, ctx: MethodContext) -> str:
        """Config `options`: the method's keyword arguments but `leave_out` (and `stream`), as a TypedDict."""
        options = m.options
        assert options is not None
        left_out = sorted({*options.leave_out, "stream"})
        doc = f"The keyword arguments of `{m.name}` but {', '.join(left_out)}, for helpers that pass them on."
        lines = [f"class {options.name}(TypedDict, total=False):", f'    """{doc}"""']
        for arg in ctx.signature_args(m, stream=None):
            name, _, rest = arg.partition(": ")
            if not rest or name in left_out:
                continue
            annotation, has_default, _ = rest.partition(" = ")
            if not has_default:  # a required argument
                annotation = f"Required[{annotation}]"
            lines.append(f"    {name}: {annotation}")
        return "\n".join(lines)

    def reexports(self, targets: list[str]) -> str:
        """Hand-written names this module re-exports (config `resource_exports`), loaded on first access."""
        table: dict[str, tuple[str, str]] = {}
        for target in targets:
            module, _, rest = target.partition(":")
            name, _, alias = rest.partition(" as ")
            table[alias or name] = (module, name)
        lines = ["", "", "# Hand-written classes the official SDK defines in this module (config `resource_exports`),",
                 "# imported on first access.", "if TYPE_CHECKING:"]
        lines += [f"    from {m} import {n} as {a}" for a, (m, n) in sorted(table.items())]
        lines += ["", "__getattr__, __dir__ = lazy_exports(", "    __name__,", "    {"]
        lines += [f'        "{a}": "{m}:{n}",' for a, (m, n) in sorted(table.items())]
        lines += ["    },", ")"]
        return "\n".join(lines)

    # -- classes ---------------------------------------------------------------------------------

    def resource_class(self, node: Node, ctx: MethodContext, is_async: bool) -> str:
        a = "Async" if is_async else ""
        name = f"{a}{node.class_name}"
        bases = [self.mixin(node, ctx, is_async)] if node.path in self.mixins else []
        bases.append("AsyncAPIResource" if is_async else "SyncAPIResource")
        lines = [f"class {name}({', '.join(bases)}):"]
        lines.append(f'    """`client.{node.path}`."""')
        for child_name in sorted(node.children):
            child = node.children[child_name]
            cls = f"{a}{child.class_name}"
            lines += ["", "    @cached_property", f"    def {child.leaf}(self) -> {cls}:",
                      f"        return {cls}(self._client, self._mode)"]
        for kind, suffix in (("raw", "WithRawResponse"), ("streaming", "WithStreamingResponse")):
            lines += ["", "    @cached_property", f"    def with_{kind}_response(self) -> {name}{suffix}:",
                      f"        return {name}{suffix}(self)"]
        for m in sorted(node.methods, key=lambda m: m.name):
            lines.append("")
            lines.extend(ctx.method(m, is_async))
        for h in sorted(node.helpers, key=lambda h: h.method):
            lines.append("")
            lines.extend(ctx.helper(h, is_async, node.methods))
        return "\n".join(lines)

    def mixin(self, node: Node, ctx: MethodContext, is_async: bool) -> str:
        """The hand-written first base of a resource class (config `resource_mixins`), imported."""
        mixin = self.mixins[node.path]
        module, cls = (mixin.async_ if is_async else mixin.sync).split(":")
        ctx.imports.add(module, cls)
        return cls

    def wrapper_class(self, node: Node, is_async: bool, kind: str) -> str:
        a = "Async" if is_async else ""
        suffix = "WithRawResponse" if kind == "raw" else "WithStreamingResponse"
        name = f"{a}{node.class_name}{suffix}"
        res = f"{a}{node.class_name}"
        attr = "_" + node.leaf
        mode = "raw" if kind == "raw" else "stream"
        if kind == "raw":
            wrap = "async_to_raw_response_wrapper" if is_async else "to_raw_response_wrapper"
        else:
            wrap = "async_to_streamed_response_wrapper" if is_async else "to_streamed_response_wrapper"
        lines = [f"class {name}:", f"    def __init__(self, {node.leaf}: {res}) -> None:",
                 f'        self.{attr} = {node.leaf}._with_mode("{mode}")']
        mixin = self.mixins.get(node.path)
        wrapped = [m.name for m in node.methods] + (mixin.wrapped if mixin is not None else [])
        for method in sorted(wrapped):
            lines.append(f"        self.{method} = {wrap}(self.{attr}.{method})")
        for child_name in sorted(node.children):
            child = node.children[child_name]
            cls = f"{a}{child.class_name}{suffix}"
            lines += ["", "    @cached_property", f"    def {child.leaf}(self) -> {cls}:",
                      f"        return {cls}(self.{attr}.{child.leaf})"]
        return "\n".join(lines)

    # -- root --------------------------------------------------------------------------------------

    def write_root(self) -> None:
        module = f"{RES}._root"
        lines: list[str] = []
        tops = [self.root.children[k] for k in sorted(self.root.children)]
        for is_async in (False, True):
            a = "Async" if is_async else ""
            client = "AsyncAPIClient" if is_async else "SyncAPIClient"
            lines.append(f"class {a}RootResources:")
            lines.append(f'    """The resource properties of `{a}OpenAI`."""')
            for node in tops:
                target = node.package or node.module
                lines += ["", "    @cached_property", f'    def {node.leaf}(self) -> "{a}{node.class_name}":',
                          f"        from {relative(module, target)} import {a}{node.class_name}", "",
                          f'        return {a}{node.class_name}(cast("{client}", self))']
            for kind, suffix in (("raw", "WithRawResponse"), ("streaming", "WithStreamingResponse")):
                lines += ["", "    @cached_property", f"    def with_{kind}_response(self) -> {a}Root{suffix}:",
                          f'        return {a}Root{suffix}(cast("{client}", self))']
            lines += ["", ""]
            for kind, suffix in (("raw", "WithRawResponse"), ("streaming", "WithStreamingResponse")):  # noqa: B007
                lines.append(f"class {a}Root{suffix}:")
                lines += [f"    def __init__(self, client: {client}) -> None:", "        self._client = client"]
                for node in tops:
                    target = node.package or node.module
                    cls = f"{a}{node.class_name}{suffix}"
                    lines += ["", "    @cached_property", f'    def {node.leaf}(self) -> "{cls}":',
                              f"        from {relative(module, target)} import {a}{node.class_name}, {cls}", "",
                              f"        return {cls}({a}{node.class_name}(self._client))"]
                lines += ["", ""]
        type_imports: list[str] = []
        for node in tops:
            target = node.package or node.module
            names = [f"{a}{node.class_name}{s}" for a in ("", "Async") for s in ("", "WithRawResponse", "WithStreamingResponse")]
            type_imports.append(f"    from {relative(module, target)} import {', '.join(names)}")
        head = [HEADER.rstrip("\n"), "from __future__ import annotations", "", "from typing import TYPE_CHECKING, cast",
                "", "from .._resource import cached_property", "", "if TYPE_CHECKING:",
                "    from .._base_client import AsyncAPIClient, SyncAPIClient", *type_imports, "", "",
                '__all__ = ["RootResources", "AsyncRootResources"]', "", ""]
        self.write(module, "\n".join(head + lines).rstrip("\n") + "\n")


def lazy_init(pkg: str, names: dict[str, str]) -> str:
    depth = pkg.count(".")
    lazy_rel = "." * (depth + 1) + "_lazy"
    lines = [HEADER.rstrip("\n"), "from __future__ import annotations", "", "from typing import TYPE_CHECKING", "",
             f"from {lazy_rel} import lazy_exports", "", "if TYPE_CHECKING:"]
    for name in sorted(names):
        lines.append(f"    from {names[name]} import {name} as {name}")
    lines += ["", "__getattr__, __dir__ = lazy_exports(", "    __name__,", "    {"]
    for name in sorted(names):
        lines.append(f'        "{name}": "{names[name]}",')
    lines += ["    },", ")"]
    return "\n".join(lines) + "\n"


class MethodContext:
    """Renders methods of one resource module, collecting its imports."""

    def __init__(self, gen: Generation, imports: Imports, module: str) -> None:
        self.gen = gen
        self.imports = imports
        self.module = module
        # module-level names for expressions the methods would otherwise evaluate on every call
        # (`Stream[ResponseStreamEvent]` parametrizes a 50-member union: about 10 us a call)
        self.hoisted: dict[str, str] = {}

    def hoist(self, expr: str) -> str:
        """The module-level name `expr` is bound to once, at import (`Stream[X]` -> `_Stream_X`)."""
        name = self.hoisted.get(expr)
        if name is None:
            name = self.hoisted[expr] = "_" + re.sub(r"\W+", "_", expr).strip("_")
        return name

    def hoisted_definitions(self) -> str:
        lines = ["# made once, at import, rather than on every call"]
        return "\n".join(lines + [f"{name} = {expr}" for expr, name in sorted(self.hoisted.items())])

    # -- types -----------------------------------------------------------------------------------

    def arg_annotation(self, m: Method, a: Arg) -> str:
        """The argument's type in the params file, its nested types qualified with the params module."""
        writer = self.gen.param_files.get(m.params_module)
        node = a.type or OBJECT
        if writer is None:
            return Renderer("param")(node)
        local = writer.local_names - writer.top_names
        mod_alias = m.params_module.rsplit(".", 1)[-1]
        used_local = False

        def qualify(name: str) -> str:
            nonlocal used_local
            if name in local:
                used_local = True
                return f"{mod_alias}.{name}"
            return name

        text = Renderer("param", qualify=qualify)(node)
        if used_local:
            self.imports.add_module(m.params_module.rsplit(".", 1)[0], mod_alias)
        for module, names in writer.imports.names.items():
            for n in names:
                self.imports.add(module, n)
        return text

    def return_type(self, m: Method, is_async: bool) -> tuple[str, str]:
        """(annotation, cast_to expression)."""
        if m.returns == "None":
            return "None", "NoneType"
        if m.returns == "str":
            return "str", "str"
        if m.returns == "HttpxBinaryResponseContent":
            return "HttpxBinaryResponseContent", "HttpxBinaryResponseContent"
        entry = m.return_entry
        if entry is None:
            return "object", "object"
        name = entry.name
        if entry.file_module != self.module:
            self.imports.add(entry.file_module, name)
        if not self.is_class(entry.file_module, name):
            # a union or list alias is not a `type[...]`, which the transport's `cast_to` is typed as
            return name, f"cast(Any, {name})"
        return name, name

    def is_class(self, module: str, name: str) -> bool:
        writer = self.gen.writers.get(module)
        return writer is not None and name in writer.class_names

    # -- methods ---------------------------------------------------------------------------------

    def case_type(self, m: Method, name: str) -> str:
        """A `returns_by` case's return type, imported."""
        entry = m.case_entries.get(name)
        if entry is not None and entry.file_module != self.module:
            self.imports.add(entry.file_module, entry.name)
        return name

    def literal_overloads(self, m: Method, is_async: bool) -> tuple[list[str], str]:
        """Config `returns_by`: one overload per case, then the argument's whole type giving any case's type.
        Returns (lines, the union of the cases' types)."""
        by = m.returns_by
        assert by is not None
        arg = next(a for a in m.args if a.name == by.argument)
        default = self.gen.spec.deref(arg.schema).get("default", arg.schema.get("default"))
        stream = "false" if m.stream else None
        union: list[str] = []
        lines: list[str] = []
        for case in by.cases:
            literal = "Literal[" + ", ".join(json.dumps(v) for v in case.values) + "]"
            override = f"{literal} | Omit = omit" if default in case.values else literal
            ret = self.case_type(m, case.returns)
            union += [ret] if ret not in union else []
            lines += ["    @overload"]
            args = self.signature_args(m, stream=stream, override=(arg, override), is_async=is_async)
            lines += self.def_block(m, is_async, ret, args, overload=True)
            lines += ["        ...", ""]
        any_case = " | ".join(union)
        lines += ["    @overload"]
        lines += self.def_block(m, is_async, any_case, self.signature_args(m, stream=stream, is_async=is_async),
                                overload=True)
        lines += ["        ...", ""]
        return lines, any_case

    def signature_args(self, m: Method, *, stream: str | None, override: tuple[Arg, str] | None = None,
                       is_async: bool = False) -> list[str]:
        out: list[str] = []
        path_args = m.path_args
        if path_args:
            last = path_args[-1]
            out.append(f"{last.name}: str")
        out.append("*")
        for a in path_args[:-1]:
            out.append(f"{a.name}: str")
        args = [a for a in m.args if not (a.key == "stream" and m.stream)]
        required = [a for a in args if a.required]
        optional = [a for a in args if not a.required]
        for a in required:
            if override is not None and a is override[0]:
                out.append(f"{a.name}: {override[1].removesuffix(' | Omit = omit')}")
            else:
                out.append(f"{a.name}: {self.arg_annotation(m, a)}")
        out.extend(self.local_args(m, is_async))
        if stream == "true":
            out.append("stream: Literal[True]")
        elif stream == "bool":
            out.append("stream: bool")
        for a in optional:
            if override is not None and a is override[0]:
                out.append(f"{a.name}: {override[1]}")
            else:
                out.append(f"{a.name}: {self.arg_annotation(m, a)} | Omit = omit")
        if stream == "false":
            out.append("stream: Optional[Literal[False]] | Omit = omit")
        elif stream == "impl":
            out.append("stream: Optional[Literal[False]] | Literal[True] | Omit = omit")
        out.extend(EXTRA)
        return out

    def local_args(self, m: Method, is_async: bool) -> list[str]:
        """Config `local_args`: the side's declarations, their annotations' names imported."""
        local = m.local_args
        if local is None:
            return []
        for target in local.imports:
            module, name = target.split(":")
            self.imports.add(module, name)
        return list(local.async_ if is_async else local.sync)

    def stream_types(self, m: Method, is_async: bool) -> tuple[str, str]:
        """(the annotation of the method's event stream, the class the transport builds it with)."""
        if m.stream_class is not None:  # a hand-written stream: it knows its event type itself
            module, cls = (m.stream_class.async_ if is_async else m.stream_class.sync).split(":")
            self.imports.add(module, cls)
            args = m.stream_class.type_args
            return (f"{cls}[{args}]" if args else cls), cls
        event = "object"
        stream_entry = m.stream_entry
        if stream_entry is not None:
            event = stream_entry.name
            if stream_entry.file_module != self.module:
                self.imports.add(stream_entry.file_module, event)
        stream_t = f"{'AsyncStream' if is_async else 'Stream'}[{event}]"
        # events mode: the stream's own error events are items (EventStream), not exceptions
        return stream_t, stream_t.replace("Stream[", "EventStream[") if m.stream_events else stream_t

    def method(self, m: Method, is_async: bool) -> list[str]:
        ret, cast_to = self.return_type(m, is_async)
        lines: list[str] = []
        if m.page:
            page_cls = ("Async" if is_async else "Sync") + m.page
            self.imports.add("pyopenai.pagination", page_cls)
            ret_ann = f"AsyncPaginator[{ret}, {page_cls}[{ret}]]" if is_async else f"{page_cls}[{ret}]"
            lines += self.def_block(m, is_async, ret_ann, self.signature_args(m, stream=None), paginated=True)
            # `page_class` parametrizes the page type once (first call) instead of on every call
            self.imports.add("pyopenai.pagination", "page_class")
            lines.append(self.indent(self.call(m, is_async, cast_to, page=f"page_class({page_cls}, {ret})")))
            return lines
        if m.stream:
            stream_t, cls = self.stream_types(m, is_async)
            if m.stream_only:
                lines += self.def_block(m, is_async, stream_t, self.signature_args(m, stream=None, is_async=is_async))
                lines.append(self.indent(self.call(m, is_async, cast_to, stream_cls=cls)))
                return lines
            variants = [("false", ret), ("true", stream_t), ("bool", f"{ret} | {stream_t}")]
            if m.returns_by:
                case_lines, ret = self.literal_overloads(m, is_async)
                lines += case_lines
                variants = [("true", stream_t), ("bool", f"{ret} | {stream_t}")]
            for variant, r in variants:
                lines += ["    @overload"]
                lines += self.def_block(m, is_async, r, self.signature_args(m, stream=variant, is_async=is_async),
                                        overload=True)
                lines.append("        ...")
                lines.append("")
            lines += self.def_block(m, is_async, f"{ret} | {stream_t}",
                                    self.signature_args(m, stream="impl", is_async=is_async))
            lines += self.prepare_lines(m)
            lines.append(self.indent(self.call(m, is_async, cast_to, stream_cls=cls)))
            return lines
        if m.returns_by:
            case_lines, ret = self.literal_overloads(m, is_async)
            lines += case_lines
        lines += self.def_block(m, is_async, ret, self.signature_args(m, stream=None, is_async=is_async))
        if m.raw_body:
            lines.append(self.indent(self.raw_call(m, is_async, cast_to)))
        lines += self.prepare_lines(m)
        lines.append(self.indent(self.call(m, is_async, cast_to)))
        return lines

    def prepare_lines(self, m: Method) -> list[str]:
        """The `prepare` hook's call: (body to send, post-parse step) from the body arguments."""
        if not m.prepare:
            return []
        module, fn = m.prepare.split(":")
        self.imports.add(module, fn)
        if m.local_args is None:
            return [f"        _body, _post_parse = {fn}({self.body_dict(m)})"]
        # the arguments kept on the client, and what the hook needs to act for this resource
        names = [arg.split(":")[0].strip() for arg in m.local_args.sync]
        passed = ", ".join([*(f"{n}={n}" for n in names), "extra_headers=extra_headers", "timeout=timeout"])
        return [f"        _body, _post_parse = {fn}({self.body_dict(m)}, self, {passed})"]

    @staticmethod
    def body_dict(m: Method) -> str:
        return "{" + ", ".join(f'"{a.key}": {a.name}' for a in m.args if a.location == "body") + "}"

    def raw_call(self, m: Method, is_async: bool, cast_to: str) -> str:
        """`raw_body`: that argument alone is the request body (`content=`) when the others are omitted."""
        raw = next(a for a in m.args if a.key == m.raw_body and a.location == "body")
        others = [a.name for a in m.args if a.location == "body" and a is not raw]
        cond = " and ".join([*(f"isinstance({n}, (Omit, NotGiven))" for n in others), "not extra_body"])
        call = self.call(m, is_async, cast_to, raw=raw)
        return f"if {cond}:\n" + "\n".join("    " + line for line in call.splitlines())

    def def_block(self, m: Method, is_async: bool, ret: str, args: list[str], *, overload: bool = False,
                  paginated: bool = False) -> list[str]:
        kw = "async def" if is_async and not paginated else "def"
        if args and args[0] == "*" and len(args) == 1:
            args = []
        arglist = ",\n".join(f"        {x}" for x in ["self", *args])
        lines = [f"    @deprecated({json.dumps(self.deprecation(m))})"] if m.deprecated else []
        lines += [f"    {kw} {m.name}(", arglist + ",", f"    ) -> {ret}:"]
        if not overload:
            documented = [a for a in m.args if not (a.key == "stream" and m.stream)]
            lines += render_docstring(method_docstring(self.gen.spec, m, documented), "        ")
        return lines

    def borrowed_signature(self, h: Helper, methods: list[Method]) -> tuple[str, str]:
        """Config `signature_from`: the named method's parameters (its `stream` left out) with the
        helper's `extra_params` before the request options, and the call passing each by keyword."""
        source = next((m for m in methods if m.name == h.signature_from), None)
        if source is None:
            raise ValueError(f"helper {h.resource}.{h.method}: no method {h.signature_from!r} to take a signature from")
        params = [p for p in self.signature_args(source, stream=None) if p not in EXTRA]
        params += [*h.extra_params, *EXTRA]
        names = [p.split(":")[0].strip() for p in params if p != "*"]
        return ", ".join(params), ", ".join(f"{n}={n}" for n in names)

    def deprecation(self, m: Method) -> str:
        """The warning of a deprecated method: its replacement, else config `deprecations`."""
        if m.alias_of is not None:
            return f"use {m.alias_of.name}() instead"
        return self.resource_deprecation(m.resource)

    def resource_deprecation(self, resource: str) -> str:
        """Config `deprecations`: the message of the longest prefix naming `resource`."""
        best = (-1, "deprecated by the API")
        for prefix, message in self.gen.config.deprecations.items():
            if (resource == prefix or resource.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), message)
        return best[1]

    def indent(self, text: str) -> str:
        return "\n".join("        " + line if line else line for line in text.splitlines())

    def call(self, m: Method, is_async: bool, cast_to: str, *, page: str | None = None,
             stream_cls: str | None = None, raw: Arg | None = None) -> str:
        path = path_template(m.op.path, m.path_args)
        path_expr = f'f"{path}"' if m.path_args else json.dumps(path)
        if m.path_args and len(path) > 100:  # one f-string a segment, so the formatter can wrap it
            path_expr = "(" + " ".join(f'f"{part}"' for part in re.split(r"(?=/\{path_param)", path) if part) + ")"
        body_args = [a for a in m.args if a.location == "body"]
        query_args = [a for a in m.args if a.location == "query" and not (a.key == "stream" and m.stream and body_args)]
        if m.stream and not body_args:
            query_args = [a for a in m.args if a.location == "query"]
        header_args = [a for a in m.args if a.location == "header"]
        parts: list[str] = []
        if page:
            parts.append(path_expr)
            parts.append(f"page={page}")
            if m.op.verb != "get":
                parts.append(f'method="{m.op.verb}"')
        else:
            parts.append(f'"{m.op.verb}"')
            parts.append(path_expr)
            parts.append(f"cast_to={cast_to}")
        if raw is not None:
            parts += [f"content={raw.name}", f'content_type="{m.raw_content_type}"']
        elif m.prepare and not page:
            parts.append("body=_body")
        elif body_args:
            parts.append(f"body={self.body_dict(m)}")
        if query_args:
            parts.append("query={" + ", ".join(f'"{a.key}": {a.name}' for a in query_args) + "}")
        headers = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in m.headers.items()]
        for a in header_args:
            if self.gen.spec.deref(a.schema).get("type") == "array":  # `betas`: a list sent comma-joined
                headers.append(f'"{a.key}": omit if isinstance({a.name}, Omit) else ",".join({a.name})')
            else:
                headers.append(f'"{a.key}": {a.name}')
        if headers:
            parts.append("headers={" + ", ".join(headers) + "}")
        if m.body_kind == "multipart" and not page and raw is None:
            parts.append("multipart=True")
            if m.file_fields:
                parts.append("file_fields=(" + "".join(f'"{f}", ' for f in m.file_fields).rstrip(" ") + ")")
        if m.binary and not page:
            parts.append("binary=True")
        if m.accept and not page:
            parts.append(f'accept="{m.accept}"')
        if m.admin:
            parts.append('security="admin"')
        if stream_cls:
            parts.append("stream=True" if m.stream_only else "stream=stream")
            parts.append(f"stream_cls={self.hoist(stream_cls) if '[' in stream_cls else stream_cls}")
        if m.prepare and not page and raw is None:
            parts.append("post_parse=_post_parse")
        parts.append(PASS_EXTRA)
        fn = "self._get_api_list" if page else "self._request"
        prefix = "return await " if is_async and not page else "return "
        return prefix + fn + "(\n    " + ",\n    ".join(parts) + ",\n)"

    def helper(self, h: Helper, is_async: bool, methods: list[Method]) -> list[str]:
        impl_module, impl_name = h.impl.split(":")
        sync = h.sync  # a plain `def` on the async class too (no I/O, nothing to await)
        if is_async and not sync:
            impl_name = "async_" + impl_name
        ret, sig, call = h.return_type, h.signature, h.call
        if h.signature_from is not None:
            sig, call = self.borrowed_signature(h, methods)
        for mod_name in h.imports:
            mod, name = mod_name.split(":")
            self.imports.add(mod, name)
        kw = "async def" if is_async and not sync else "def"
        aw = "await " if is_async and not sync else ""
        rel = relative(self.module, impl_module)
        decorators = [f"    @deprecated({json.dumps(self.resource_deprecation(h.resource))})"] if h.deprecated else []
        return [
            *decorators,
            f"    {kw} {h.method}(self, {sig}) -> {ret}:",
            f'        """Helper: see `{impl_module}.{impl_name}`."""',
            f"        from {rel} import {impl_name}",
            "",
            f"        return {aw}{impl_name}(self, {call})",
        ]


__all__ = ["ResourcesGenerator"]
