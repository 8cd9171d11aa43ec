"""Facts read from an official `openai` release with `ast` (dev-time; used by build_overlay.py).

Only names, paths, verbs, field names and types, and enum values are taken: no code, no prose.

* `read_operations(root)`: every HTTP call the resource classes make (`SdkOperation`): verb, path,
  resource and method name, path/query/body/header arguments, fixed headers, the params class, the
  return type, pagination, streaming, multipart, binary.
* `read_types(root)`: every class and type alias of the `types` package (`SdkType`), with the
  names each file imports resolved to (module, name), and the public names of each package.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

VERBS = {"_get": "get", "_post": "post", "_put": "put", "_patch": "patch", "_delete": "delete", "_get_api_list": "get"}
REQUEST_ARGS = {"extra_headers", "extra_query", "extra_body", "timeout", "self"}


@dataclass
class SdkArg:
    name: str
    annotation: ast.expr | None
    required: bool
    positional: bool


@dataclass
class SdkOperation:
    resource: str  # beta.agents.vaults
    method: str  # create
    verb: str  # post
    path: str  # /vaults/{vault_id}
    module: str  # the resource's python module (dotted, under openai.resources)
    args: list[SdkArg] = field(default_factory=list)
    path_args: list[str] = field(default_factory=list)
    query_keys: list[str] = field(default_factory=list)
    body_keys: list[str] = field(default_factory=list)
    header_args: dict[str, str] = field(default_factory=dict)  # wire header -> python argument
    fixed_headers: dict[str, str] = field(default_factory=dict)
    params_class: tuple[str, str] | None = None  # (types module, class) of the body/query TypedDict
    params_by_stream: bool = False  # the body's class depends on `stream` (`A if stream else B`)
    query_params_class: tuple[str, str] | None = None
    returns: tuple[str, str] | None = None  # (types module, name); None: no content
    returns_expr: str = ""  # as written (`Vault`, `SyncCursorPage[Vault]`)
    page: str | None = None  # CursorPage, ...
    stream: tuple[str, str] | None = None  # the event type of Stream[...]
    stream_mode: str | None = None  # "events": error events are items, not exceptions
    multipart: bool = False
    binary: bool = False
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # of the resource module


@dataclass
class SdkField:
    name: str  # python name
    key: str  # wire name (alias)
    annotation: ast.expr
    has_default: bool


@dataclass
class SdkType:
    module: str  # types.beta.agents.vault (dotted, from `types`)
    name: str
    kind: str  # model | typeddict | alias
    fields: list[SdkField] = field(default_factory=list)
    bases: list[ast.expr] = field(default_factory=list)
    total: bool = True
    value: ast.expr | None = None  # alias value
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name -> (module, name)


def _module_of(root: Path, path: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve_from(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute dotted module (relative to the package root) of a `from ... import`."""
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    else:
        return node.module or ""
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(root: Path, path: Path, tree: ast.Module) -> dict[str, tuple[str, str]]:
    module = _module_of(root, path)
    is_package = path.name == "__init__.py"
    out: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            source = _resolve_from(module, is_package, node)
            for alias in node.names:
                out[alias.asname or alias.name] = (source, alias.name)
    return out


# -- types ------------------------------------------------------------------------------------------


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _alias_of(annotation: ast.expr, value: ast.expr | None) -> str | None:
    """`Annotated[X, PropertyInfo(alias="k")]` or `= FieldInfo(alias="k")` -> "k"."""
    for node in ([annotation] + ([value] if value is not None else [])):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in ("PropertyInfo", "FieldInfo"):
                alias = _keyword(sub, "alias")
                if isinstance(alias, ast.Constant) and isinstance(alias.value, str):
                    return alias.value
    return None


def _class_type(module: str, node: ast.ClassDef, imports: dict[str, tuple[str, str]]) -> SdkType:
    bases = [ast.unparse(b) for b in node.bases]
    kind = "typeddict" if any("TypedDict" in b for b in bases) else "model"
    total = True
    for k in node.keywords:
        if k.arg == "total" and isinstance(k.value, ast.Constant):
            total = bool(k.value.value)
    t = SdkType(module, node.name, kind, bases=list(node.bases), total=total, imports=imports)
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if stmt.target.id.startswith("__"):
                continue
            key = _alias_of(stmt.annotation, stmt.value) or stmt.target.id
            t.fields.append(SdkField(stmt.target.id, key, stmt.annotation, stmt.value is not None))
    return t


def read_types(root: Path) -> tuple[dict[tuple[str, str], SdkType], dict[str, dict[str, str]]]:
    """({(module, name): type}, {package: {public name: defining module}}), modules dotted from the
    package root (`types.beta.agents.vault`)."""
    types: dict[tuple[str, str], SdkType] = {}
    public: dict[str, dict[str, str]] = {}
    for path in sorted((root / "types").rglob("*.py")):
        module = _module_of(root, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = _imports(root, path, tree)
        if path.name == "__init__.py":
            for local, (source, name) in imports.items():
                if source.startswith("types") and local == name and not name.startswith("_"):
                    public.setdefault(module, {})[name] = source
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                types[(module, node.name)] = _class_type(module, node, imports)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                types[(module, node.target.id)] = SdkType(module, node.target.id, "alias", value=node.value, imports=imports)
            elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                  and not node.targets[0].id.startswith("_") and node.targets[0].id != "__all__"):
                types[(module, node.targets[0].id)] = SdkType(module, node.targets[0].id, "alias", value=node.value,
                                                              imports=imports)
    return types, public


# -- resources --------------------------------------------------------------------------------------


def _resource_name(module: str) -> str:
    """`resources.beta.agents.vaults.vaults` -> `beta.agents.vaults`."""
    parts = module.split(".")[1:]
    if len(parts) >= 2 and parts[-1] == parts[-2]:
        parts = parts[:-1]
    return ".".join(parts)


def _path_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Name) and node.func.id == "path_template":
        return _path_of(node.args[0])
    if isinstance(node, ast.JoinedStr):
        out = ""
        for v in node.values:
            if isinstance(v, ast.Constant):
                out += str(v.value)
            elif isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name):
                out += "{" + v.value.id + "}"
            else:
                return None
        return out
    return None


def _dict_keys(node: ast.expr | None, assigns: dict[str, ast.expr]) -> tuple[list[str], ast.expr | None]:
    """Keys of the dict passed to `maybe_transform(dict, params_class)`, and the params class."""
    if node is None:
        return [], None
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Name) and node.id in assigns:
        return _dict_keys(assigns[node.id], assigns)
    if isinstance(node, ast.Call):
        fname = ast.unparse(node.func)
        if fname.endswith("maybe_transform") and node.args:
            keys, _ = _dict_keys(node.args[0], assigns)
            return keys, node.args[1] if len(node.args) > 1 else None
        if fname in ("deepcopy_minimal", "dict") and node.args:
            return _dict_keys(node.args[0], assigns)
    if isinstance(node, ast.Dict):
        return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)], None
    return [], None


def _type_ref(node: ast.expr | None, imports: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """A class reference (`Vault`, `vault_create_params.VaultCreateParams`, `cast(Any, X)`) resolved
    through the file's imports to (types module, name)."""
    if node is None:
        return None
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "cast" and len(node.args) == 2:
        return _type_ref(node.args[1], imports)
    if isinstance(node, ast.IfExp):  # `...Streaming if stream else ...NonStreaming`: one of the same module
        return _type_ref(node.orelse, imports)
    if isinstance(node, ast.Name) and node.id in imports:
        return imports[node.id]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imports:
        source, name = imports[node.value.id]
        return (f"{source}.{name}", node.attr)
    return None


class _CallFinder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.call: ast.Call | None = None
        self.assigns: dict[str, ast.expr] = {}
        self.header_dicts: list[ast.expr] = []
        self.arg_dicts: list[ast.Dict] = []  # dict literals handed to a call (a runtime hook's arguments)
        self.uses_files = False

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                if target.id == "extra_headers":
                    self.header_dicts.append(node.value)
                else:
                    self.assigns[target.id] = node.value
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
                and func.attr in VERBS and self.call is None):
            self.call = node
        if ast.unparse(func) == "extract_files":
            self.uses_files = True
        self.arg_dicts.extend(a for a in node.args if isinstance(a, ast.Dict))
        self.generic_visit(node)


def _headers(dicts: list[ast.expr], op: SdkOperation) -> None:
    for d in dicts:
        for sub in ast.walk(d):
            if not isinstance(sub, ast.Dict):
                continue
            for k, v in zip(sub.keys, sub.values):
                if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
                    continue
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    op.fixed_headers[k.value] = v.value
                elif isinstance(v, ast.Name):
                    op.header_args[k.value] = v.id
                elif isinstance(v, ast.Call) and v.args and isinstance(v.args[0], ast.Name):
                    op.header_args[k.value] = v.args[0].id  # str(x) if is_given(x) else not_given


def _operation(module: str, resource: str, fn: ast.FunctionDef, imports: dict[str, tuple[str, str]]) -> SdkOperation | None:
    finder = _CallFinder()
    finder.visit(fn)
    call = finder.call
    if call is None or not call.args:
        return None
    assert isinstance(call.func, ast.Attribute)
    verb = VERBS[call.func.attr]
    method_kw = _keyword(call, "method")
    if isinstance(method_kw, ast.Constant) and isinstance(method_kw.value, str):
        verb = method_kw.value.lower()
    path = _path_of(call.args[0])
    if path is None:
        return None
    op = SdkOperation(resource, fn.name, verb, path, module, imports=imports)
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for a, d in zip(positional, defaults):
        if a.arg not in REQUEST_ARGS:
            op.args.append(SdkArg(a.arg, a.annotation, d is None, True))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        if a.arg not in REQUEST_ARGS:
            op.args.append(SdkArg(a.arg, a.annotation, d is None, False))
    op.path_args = [p.strip("{}") for p in path.split("/") if p.startswith("{")]
    op.body_keys, body_class = _dict_keys(_keyword(call, "body"), finder.assigns)
    if not op.body_keys and _keyword(call, "body") is not None:
        # the body is built at run time (`maybe_transform(context.body, ...)`) from a dict of the
        # method's arguments handed to a hook first (`prepare_session_create(self, {...})`)
        names = {a.name for a in op.args}
        for d in finder.arg_dicts:
            keys = [k.value for k in d.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if keys and len(keys) == len(d.keys) and set(keys) <= names:
                op.body_keys = keys
                break
    options = _keyword(call, "options")
    if isinstance(options, ast.Call):
        op.query_keys, query_class = _dict_keys(_keyword(options, "query"), finder.assigns)
        op.query_params_class = _type_ref(query_class, imports)
        mode = _keyword(options, "stream_mode")
        if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
            op.stream_mode = mode.value
    op.params_class = _type_ref(body_class, imports)
    op.params_by_stream = isinstance(body_class, ast.IfExp)
    op.multipart = finder.uses_files or _keyword(call, "files") is not None
    _headers(finder.header_dicts, op)
    if op.fixed_headers.get("Content-Type", "").startswith("multipart/"):
        op.multipart = True
    page = _keyword(call, "page")
    if isinstance(page, ast.Subscript):
        op.page = ast.unparse(page.value).replace("Sync", "")
        op.returns = _type_ref(_keyword(call, "model"), imports)
        op.returns_expr = f"Sync{op.page}[{op.returns[1] if op.returns else 'object'}]"
    else:
        cast_to = _keyword(call, "cast_to")
        text = ast.unparse(cast_to) if cast_to is not None else "NoneType"
        if "HttpxBinaryResponseContent" in text:
            op.binary = True
            op.returns_expr = "HttpxBinaryResponseContent"
        elif text == "NoneType":
            op.returns_expr = "None"
        elif text == "str":
            op.returns_expr = "str"
        else:
            op.returns = _type_ref(cast_to, imports)
            op.returns_expr = op.returns[1] if op.returns else text
    stream_cls = _keyword(call, "stream_cls")
    if isinstance(stream_cls, ast.Subscript):
        op.stream = _type_ref(stream_cls.slice, imports)
    return op


def read_operations(root: Path) -> list[SdkOperation]:
    """Every HTTP call of the sync resource classes under `resources/`, in file order."""
    ops: list[SdkOperation] = []
    for path in sorted((root / "resources").rglob("*.py")):
        module = _module_of(root, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = _imports(root, path, tree)
        for node in tree.body:
            if not isinstance(node, ast.ClassDef) or not any(ast.unparse(b) == "SyncAPIResource" for b in node.bases):
                continue
            for fn in node.body:
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("_"):
                    continue
                if any(ast.unparse(d).endswith("overload") for d in fn.decorator_list):
                    continue
                op = _operation(module, _resource_name(module), fn, imports)
                if op is not None:
                    ops.append(op)
    return ops
