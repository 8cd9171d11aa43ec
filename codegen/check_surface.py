"""Surface parity: every methods.tsv row on both clients, every types.tsv name importable.

    .venv/bin/python codegen/check_surface.py [--types-only]

Prints counts and the missing items; exit status 1 when something is missing.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SURFACE = REPO.parent / "shared" / "api-surface"
sys.path.insert(0, str(REPO / "src"))


def rows(name: str) -> list[dict[str, str]]:
    lines = (SURFACE / name).read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:] if line.strip()]


def check_types() -> list[str]:
    missing: list[str] = []
    for r in rows("types.tsv"):
        module = "pyopenai." + r["module"]
        try:
            mod = importlib.import_module(module)
            getattr(mod, r["name"])
        except Exception as exc:
            missing.append(f"{module}.{r['name']}: {type(exc).__name__}: {exc}")
    return missing


def check_methods() -> list[str]:
    from pyopenai import AsyncOpenAI, OpenAI

    clients = [OpenAI(api_key="x", base_url="http://127.0.0.1:9"), AsyncOpenAI(api_key="x", base_url="http://127.0.0.1:9")]
    missing: list[str] = []
    for r in rows("methods.tsv"):
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
            for arg in [a.strip() for a in r["arguments"].split(",") if a.strip()]:
                if arg.startswith("*"):
                    continue
                if arg not in params:
                    missing.append(f"{label}: no argument {arg!r}")
            for extra in ("extra_headers", "extra_query", "extra_body", "timeout"):
                if r["http_method"] and extra not in params:
                    missing.append(f"{label}: no argument {extra!r}")
    return missing


def main() -> int:
    types_missing = check_types()
    total_types = len(rows("types.tsv"))
    print(f"types: {total_types - len(types_missing)}/{total_types} importable")
    for m in types_missing:
        print("  missing type", m)
    methods_missing: list[str] = []
    if "--types-only" not in sys.argv:
        methods_missing = check_methods()
        total = len(rows("methods.tsv"))
        bad = {m.split(":")[0].split(".", 1)[1] for m in methods_missing}
        print(f"methods: {total - len(bad)}/{total} present on both clients with their arguments")
        for m in methods_missing:
            print("  missing method", m)
    return 1 if types_missing or methods_missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
