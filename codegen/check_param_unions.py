"""Dev-time check: request-side aliases typed as the official SDK types them.

For every public name of `tests/fixtures/module_names.tsv` that the installed official `openai`
package defines as a type alias (a `Union`, `List`, `Literal`, ...) in a request-side module
(`*_param`, `*_params`, `shared_params`), compares pyopenai's alias of the same path: the outer
form (`List` vs `Iterable`, `Union`) and the union's members by name (or literal value). Facts are
read by introspection of the installed package; nothing of it is copied.

    .venv/bin/pip install 'openai==<surface version>' && .venv/bin/python codegen/check_param_unions.py

Prints one line per difference and a count; exit status 1 when something differs.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import typing
from pathlib import Path
from typing import Any

import typing_extensions

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "module_names.tsv"


def request_side(module: str, name: str) -> bool:
    leaf = module.rsplit(".", 1)[-1]
    return name.endswith("Param") or leaf.endswith(("_param", "_params")) or ".shared_params" in module + "."


def describe(tp: Any) -> Any:
    """A comparable shape: ('union', {member names}), ('list'|'iterable'|..., inner), a name, a literal set."""
    origin = typing_extensions.get_origin(tp)
    args = typing_extensions.get_args(tp)
    if origin is typing_extensions.Annotated:
        return describe(args[0])
    if origin is typing.Union:
        members: set[Any] = set()
        for a in args:
            d = describe(a)
            if isinstance(d, tuple) and d and d[0] == "literal":
                members |= {("literal", v) for v in d[1]}
            else:
                members.add(d)
        return ("union", frozenset(members))
    if origin is typing_extensions.Literal:
        return ("literal", frozenset(args))
    if origin is not None:
        kind = getattr(origin, "__name__", str(origin)).lower()
        return (kind, tuple(describe(a) for a in args))
    if isinstance(tp, typing.ForwardRef):
        return tp.__forward_arg__
    if inspect.isclass(tp):
        return tp.__name__
    return repr(tp)


def rows() -> list[tuple[str, str]]:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()[1:]
    return [(parts[0], parts[1]) for parts in (line.split("\t") for line in lines) if len(parts) >= 2]


def main() -> int:
    try:
        import openai  # the official package, installed for this check only
    except ImportError:
        print("check_param_unions: install the official `openai` package into .venv first")
        return 2
    print(f"comparing with openai {openai.__version__}")
    differences = checked = 0
    for module, name in rows():
        if not request_side(module, name):
            continue
        try:
            official = getattr(importlib.import_module(f"openai.{module}"), name)
        except (ImportError, AttributeError):
            continue  # not in this official release
        if inspect.isclass(official) or inspect.ismodule(official):
            continue
        checked += 1
        want = describe(official)
        try:
            ours = describe(getattr(importlib.import_module(f"pyopenai.{module}"), name))
        except (ImportError, AttributeError) as exc:
            ours = f"missing ({type(exc).__name__})"
        if ours != want:
            differences += 1
            print(f"{module}.{name}:\n    official {want}\n    pyopenai {ours}")
    print(f"{checked} request-side aliases compared, {differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
