"""Entry point: spec + config.yaml -> src/pyopenai/{types,resources}/** and tests/api_resources/**.

    .venv/bin/python codegen/generate.py [--check] [--spec PATH]

Deterministic: the same inputs give byte-identical files. With --check nothing is written; the
exit status is 1 when a committed file differs from a fresh generation (or is missing or stale).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from config import Config, ConfigError, parse_config, read_raw  # noqa: E402
from context import REPO, SRC, Generation  # noqa: E402
from emit import HEADER, Output, format_sources, module_path  # noqa: E402
from ir import OBJECT, Field, ListOf, Named, ObjectType  # noqa: E402
from methods import Method, MethodBuilder  # noqa: E402
from naming import pascal, snake  # noqa: E402
from overlay import merge_config  # noqa: E402
from resources_gen import ResourcesGenerator  # noqa: E402
from spec import Spec, SpecMissingError, load_spec  # noqa: E402
from tests_gen import TestsGenerator  # noqa: E402
from types_gen import FileWriter, TypeEntry, TypeRegistry, types_module  # noqa: E402

GENERATED_DIRS = (SRC / "pyopenai" / "types", SRC / "pyopenai" / "resources", REPO / "tests" / "api_resources")
TYPES_PACKAGE = "pyopenai.types"
HAND_WRITTEN = {REPO / "tests" / "api_resources" / "conftest.py"}


class Generator:
    def __init__(self, spec: Spec, config: Config) -> None:
        self.spec = spec
        self.config = config
        self.registry = TypeRegistry(spec, config)
        self.methods: list[Method] = MethodBuilder(spec, config).build()
        self.out = Output()
        self.writers: dict[str, FileWriter] = {}
        self.param_files: dict[str, FileWriter] = {}
        self.extra_exports: dict[str, dict[str, str]] = {}  # package -> name -> file module

    # -- types ---------------------------------------------------------------------------------

    def resolve_returns(self) -> None:
        for m in self.methods:
            if m.returns in ("None", "str", "HttpxBinaryResponseContent", "object"):
                continue
            schema = m.item_schema if m.page else m.response_schema
            ref = self.spec.ref_name(schema) if schema else None
            if not m.returns:
                entry = self.registry.canonical(ref, "model") if ref else None
                m.returns = entry.name if entry else m.response_base + "Response"
            entry = self.registry.lookup(m.returns, m.types_package)
            base = m.response_base
            # a per-method type (`<Resource><Method>Response`) of this package, not the namesake elsewhere;
            # a shared type of the same schema (`ConversationDeletedResource`) stays one class
            shared = ref is not None and entry is not None and entry.schema == ref and not m.returns.endswith("Response")
            if entry is not None and entry.export_module != m.types_package and m.returns.startswith(base) and not shared:
                entry = None
            if entry is None or entry.kind != "model":
                file_module = f"{m.types_package}.{snake(m.returns)}"
                entry = TypeEntry(m.returns, m.types_package, file_module, "model")
                if ref:
                    entry.schema = ref
                else:
                    entry.inline = schema or {"type": "object"}
                self.registry.add(entry)
            m.return_entry = entry
            if m.stream:
                m.stream_entry = self.registry.lookup(m.stream, m.types_package)
            for case in m.returns_by.cases if m.returns_by else []:
                if case.returns != "str":
                    found = self.registry.lookup(case.returns, m.types_package)
                    if found is None:
                        raise ValueError(f"{m.op.key}: returns_by names {case.returns!r}, no known type")
                    m.case_entries[case.returns] = found

    def type_files(self) -> None:
        # aliases last: their value is evaluated at import, after the types of the same file (a
        # `pointer` at an array node is a list alias too)
        def is_alias(e: TypeEntry) -> bool:
            return bool(e.alias or e.list_of or (e.pointer and isinstance(e.inline, dict) and e.inline.get("type") == "array"))

        for entry in sorted(self.registry.entries, key=is_alias):
            writer = self.writers.get(entry.file_module)
            if writer is None:
                writer = self.writers[entry.file_module] = FileWriter(self.registry, entry.file_module, entry.kind)
            if entry.alias:
                target = self.registry.lookup(entry.alias, entry.export_module, exclude=entry)
                if target is None:
                    writer.define_type_alias(entry.name, OBJECT)
                elif target.name == entry.name:  # the same type under a second module path
                    writer.define_reexport(entry.name, target.file_module)
                else:
                    writer.define_alias(entry.name, writer.import_entry(target))
            elif entry.list_of:
                target = self.registry.lookup(entry.list_of, entry.export_module)
                item = Named(writer.import_entry(target)) if target else OBJECT
                if target is not None and entry.kind == "param":
                    writer.list_item_modules.append(target.file_module)
                # a public list alias is a `List` on both sides (users `.append()` to it); only
                # fields of params take any `Iterable`
                writer.define_type_alias(entry.name, ListOf(item, public=True))
            elif entry.schema:
                writer.define_top(entry.name, {"$ref": "#/components/schemas/" + entry.schema}, entry.schema)
            elif entry.external:
                writer.define_external(entry.name, entry.external)
            elif entry.pointer and entry.inline is not None:
                writer.define_pointer(entry.name, entry.inline)
            else:
                writer.define_top(entry.name, entry.inline or {})

    def params_files(self) -> None:
        for m in self.methods:
            args = [a for a in m.args]
            if not args or m.params_module in self.param_files:
                continue
            w = FileWriter(self.registry, m.params_module, "param")
            w.top_names.add(m.params_name)
            w.local_names.add(m.params_name)
            # path parameters passed by keyword (all but the last) are keys of the params too, as
            # the official SDK declares them (`project_id: Required[str]`)
            fields: list[Field] = [
                Field(a.key, a.name, w.render(a.schema, pascal(a.key)), True) for a in m.path_args[:-1]
            ]
            for a in args:
                if a.key == "stream" and m.stream:
                    continue
                a.type = w.render(a.schema, pascal(a.key))
                # a header is sent from its keyword argument: the params key is that name (`betas`)
                fields.append(Field(a.name if a.location == "header" else a.key, a.name, a.type, a.required))
            name = m.params_name
            if m.stream and not m.stream_only:
                w.define_class(ObjectType(name + "Base", tuple(fields)))
                w.defs.append(
                    f"class {name}NonStreaming({name}Base, total=False):\n    stream: Optional[Literal[False]]"
                )
                w.defs.append(f"class {name}Streaming({name}Base):\n    stream: Required[Literal[True]]")
                w.defs.append(f"{name} = Union[{name}NonStreaming, {name}Streaming]")
                exports = [name, name + "NonStreaming", name + "Streaming"]
            else:
                w.define_class(ObjectType(name, tuple(fields)))
                exports = [name]
            self.param_files[m.params_module] = w
            for n in exports:
                self.extra_exports.setdefault(m.types_package, {})[n] = m.params_module

    def package_inits(self) -> None:
        exports: dict[str, dict[str, str]] = {}
        for entry in self.registry.entries:
            exports.setdefault(entry.export_module, {})[entry.name] = entry.file_module
            # the package holding the file exports it too (`types.shared.Reasoning`, also `types.Reasoning`)
            file_package = entry.file_module.rsplit(".", 1)[0]
            if file_package != entry.export_module and file_package.startswith(entry.export_module + "."):
                exports.setdefault(file_package, {}).setdefault(entry.name, entry.file_module)
        for package, names in self.extra_exports.items():
            for n, mod in names.items():
                exports.setdefault(package, {}).setdefault(n, mod)
        modules = set(self.writers) | set(self.param_files)
        packages: set[str] = set(exports)
        for mod in modules:
            parts = mod.split(".")
            for i in range(2, len(parts)):
                packages.add(".".join(parts[:i]))
        for pkg in sorted(packages):
            if not pkg.startswith("pyopenai.types"):
                continue
            names = dict(exports.get(pkg, {}))
            subs = sorted({p for p in packages if p.rsplit(".", 1)[0] == pkg and p != pkg})
            self.write_init(pkg, names, subs)

    def write_init(self, pkg: str, names: dict[str, str], subs: list[str]) -> None:
        depth = pkg.count(".")
        lazy_rel = "." * (depth + 1) + "_lazy" if depth > 0 else "._lazy"
        lines = [HEADER.rstrip("\n"), "from __future__ import annotations", "", "from typing import TYPE_CHECKING", "",
                 f"from {lazy_rel} import lazy_exports", ""]
        table: dict[str, str] = {}
        type_lines: list[str] = []
        for name in sorted(names):
            rel = "." + names[name][len(pkg) + 1:]
            table[name] = rel
            type_lines.append(f"    from {rel} import {name} as {name}")
        for sub in subs:
            leaf = sub.rsplit(".", 1)[-1]
            if leaf not in table:
                table[leaf] = "." + leaf
                type_lines.append(f"    from . import {leaf} as {leaf}")
        if type_lines:
            lines.append("if TYPE_CHECKING:")
            lines.extend(type_lines)
            lines.append("")
        body = ",\n".join(f"        {name!r}: {rel!r}" for name, rel in sorted(table.items()))
        lines.append("__getattr__, __dir__ = lazy_exports(")
        lines.append("    __name__,")
        lines.append("    {")
        if body:
            lines.append(body.replace("'", '"') + ",")
        lines.append("    },")
        lines.append(")")
        self.out.add(str(module_path(SRC, pkg, package=True).relative_to(REPO)), "\n".join(lines) + "\n")

    def surface_file(self) -> None:
        """`types/_surface.py`: the official release whose surface this package matches."""
        version = self.config.surface_version
        text = f"{HEADER}\nOFFICIAL_SDK_VERSION = {version!r}\n".replace("'", '"')
        self.out.add(str(module_path(SRC, f"{TYPES_PACKAGE}._surface").relative_to(REPO)), text)

    def type_reexports(self) -> None:
        """Generated names a types module re-exports from another (config `type_reexports`)."""
        for module, targets in sorted(self.config.type_reexports.items()):
            writer = self.writers.get(module)
            if writer is None:
                raise SystemExit(f"config type_reexports: no generated module {module!r}")
            for target in targets:
                source, _, name = target.partition(":")
                if name not in getattr(self.writers.get(source), "local_names", ()):
                    raise SystemExit(f"config type_reexports: {module}: {source!r} defines no {name!r}")
                writer.define_reexport(name, source)

    def module_aliases(self) -> None:
        """A module that defines (or imports) one name of a release's alias pair gets the other as its
        alias (config `module_aliases`, from the overlay); a module with neither or both is left alone."""
        for module, pairs in sorted(self.config.module_aliases.items()):
            writer = self.writers.get(types_module(module))
            if writer is None:
                continue
            for name, other in sorted(pairs.items()):
                defined = set(writer.defined_names()) | set(writer.imports_names())
                if (name in defined) != (other in defined):
                    missing, present = (other, name) if name in defined else (name, other)
                    writer.define_alias(missing, present)

    # -- all -------------------------------------------------------------------------------------

    def run(self) -> Output:
        self.resolve_returns()
        self.params_files()
        self.type_files()
        for w in self.writers.values():
            for item_module in w.list_item_modules:
                if item_module in self.writers:
                    w.reexport_names_of(self.writers[item_module])
        self.type_reexports()
        self.module_aliases()
        for mod, w in {**self.writers, **self.param_files}.items():
            self.out.add(str(module_path(SRC, mod).relative_to(REPO)), w.text())
        self.package_inits()
        self.surface_file()
        done = Generation(self.spec, self.config, self.methods, self.out, self.writers, self.param_files)
        ResourcesGenerator(done).run()
        TestsGenerator(done).run()
        return self.out


def existing_files() -> set[Path]:
    found: set[Path] = set()
    for d in GENERATED_DIRS:
        if d.exists():
            for p in d.rglob("*.py"):
                if p not in HAND_WRITTEN and p.read_text(encoding="utf-8").startswith(HEADER):
                    found.add(p)
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--spec", type=Path, default=None, help="a full spec instead of the committed openapi/openapi.json")
    args = parser.parse_args()
    start = time.monotonic()
    try:
        spec = load_spec(args.spec)
    except SpecMissingError as exc:
        print(f"codegen/generate.py: {exc}", file=sys.stderr)
        return 2
    try:
        config = parse_config(merge_config(read_raw(), spec.overlay_config))
    except ConfigError as exc:
        print(f"codegen/generate.py: {exc}", file=sys.stderr)
        return 2
    out = Generator(spec, config).run()
    wanted = {REPO / rel: text for rel, text in format_sources(out.files, REPO / "pyproject.toml").items()}
    stale = existing_files() - set(wanted)
    changed = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for p in sorted(changed):
            print(f"out of date: {p.relative_to(REPO)}")
        for p in sorted(stale):
            print(f"stale: {p.relative_to(REPO)}")
        ok = not changed and not stale
        print(f"generate --check: {'up to date' if ok else 'differs'} ({len(wanted)} files, {time.monotonic() - start:.1f}s)")
        return 0 if ok else 1
    for p in changed:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(wanted[p], encoding="utf-8")
    for p in stale:
        p.unlink()
    print(f"generated {len(wanted)} files ({len(changed)} written, {len(stale)} removed) from {spec.source} "
          f"in {time.monotonic() - start:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
