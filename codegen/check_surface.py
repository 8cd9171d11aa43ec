"""Surface parity with an official release: every methods.tsv row on both clients with its
arguments, every types.tsv name importable from its package, every module-names.tsv name
importable from its module (facts copied into codegen/surface/<release>/).

    .venv/bin/python codegen/check_surface.py [--release 3.60|3.3.1] [--types-only] [--quiet] [--kinds]

Prints counts and the missing items; exit status 1 when something is missing.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SURFACES = REPO / "codegen" / "surface"
sys.path.insert(0, str(REPO / "src"))


def rows(release: str, name: str) -> list[dict[str, str]]:
    path = SURFACES / release / name
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:] if line.strip()]


def check_names(table: list[dict[str, str]]) -> list[str]:
    """`module`/`name` rows: the name importable from `pyopenai.<module>`."""
    missing: list[str] = []
    for r in table:
        module = "pyopenai." + r["module"]
        try:
            mod = importlib.import_module(module)
            getattr(mod, r["name"])
        except Exception as exc:
            missing.append(f"{module}.{r['name']}: {type(exc).__name__}: {exc}")
    return missing


def kind_of(value: object, model_base: type) -> str:
    if inspect.ismodule(value):
        return "module"
    if inspect.isclass(value):
        from typing_extensions import is_typeddict

        return "model" if issubclass(value, model_base) else "typeddict" if is_typeddict(value) else "class"
    return "alias"


def check_kinds(table: list[dict[str, str]]) -> tuple[int, list[str]]:
    """(names compared, differences): each name present in both packages has the same kind (model,
    TypedDict, alias, class) as in the installed official `openai` package (run it, never copy it)."""
    import openai

    from pyopenai._models import BaseModel

    compared = 0
    differ: list[str] = []
    for r in table:
        try:
            official = getattr(importlib.import_module(f"openai.{r['module']}"), r["name"])
            ours = getattr(importlib.import_module(f"pyopenai.{r['module']}"), r["name"])
        except Exception:
            continue
        compared += 1
        want, have = kind_of(official, openai.BaseModel), kind_of(ours, BaseModel)
        if want != have:
            differ.append(f"{r['module']}.{r['name']}: {have} here, {want} in the official package")
    return compared, differ


def check_methods(table: list[dict[str, str]]) -> list[str]:
    from pyopenai import AsyncOpenAI, OpenAI

    clients = [OpenAI(api_key="x", base_url="http://127.0.0.1:9"), AsyncOpenAI(api_key="x", base_url="http://127.0.0.1:9")]
    missing: list[str] = []
    for r in table:
        for client in clients:
            label = f"{type(client).__name__}.{r['resource']}.{r['method']}"
            obj: object = client
            try:
                for part in r["resource"].split("."):
                    obj = getattr(obj, part)
                fn = getattr(obj, r["method"])
            except Exception as exc:
                missing.append(f"{label}: {type(exc).__name__}: {exc}")
                continue
            params = inspect.signature(fn).parameters
            takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
            for arg in [a.strip().split("=")[0] for a in r["arguments"].split(",") if a.strip()]:
                if arg.startswith("*") or (takes_any and not r["http_method"]):
                    continue
                if arg not in params:
                    missing.append(f"{label}: no argument {arg!r}")
            for extra in ("extra_headers", "extra_query", "extra_body", "timeout"):
                if r["http_method"] and extra not in params:
                    missing.append(f"{label}: no argument {extra!r}")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--release", default="3.60", choices=sorted(p.name for p in SURFACES.iterdir() if p.is_dir()))
    parser.add_argument("--types-only", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="counts only")
    parser.add_argument("--kinds", action="store_true",
                        help="also compare each name's kind with the installed official `openai` package")
    args = parser.parse_args()
    failed = False

    def report(label: str, total: int, missing: list[str], present: int) -> None:
        nonlocal failed
        print(f"{label}: {present}/{total}")
        failed = failed or bool(missing)
        if not args.quiet:
            for m in missing:
                print("  missing", m)

    types = rows(args.release, "types.tsv")
    missing = check_names(types)
    report("types importable from their package", len(types), missing, len(types) - len(missing))
    modules = rows(args.release, "module-names.tsv")
    if modules:
        missing = check_names(modules)
        report("module names importable from their module", len(modules), missing, len(modules) - len(missing))
    if modules and args.kinds:
        compared, differ = check_kinds(modules)
        report("module names of the same kind as in the installed official package", compared, differ,
               compared - len(differ))
    if not args.types_only:
        methods = rows(args.release, "methods.tsv")
        missing = check_methods(methods)
        bad = {m.split(":")[0].split(".", 1)[1] for m in missing}
        report("methods on both clients with their arguments", len(methods), missing, len(methods) - len(bad))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
