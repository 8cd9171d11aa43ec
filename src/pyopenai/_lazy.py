"""Lazy package exports: a name is imported from its module on first access, not at package import.

This keeps `import pyopenai` and `import pyopenai.types` cheap: a program pays only for the
endpoints and types it touches (DESIGN.md item 6).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str], fallback: Callable[[str], Any] | None = None
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return `(__getattr__, __dir__)` for a package whose names live in submodules.

    `exports` maps a public name to the module that defines it (relative, or absolute like `httpx2`);
    when the module's last part equals the name (`{"chat": ".chat"}`), the name is the submodule
    itself; `".module:other"` exports `other` under the name. A name not exported goes to
    `fallback` (which raises `AttributeError` for what it does not know), when there is one.

    A submodule that is not exported is still an attribute of its package (`types.responses.response_output_text`):
    an eagerly importing package gets every submodule as an attribute, and code written against one reads them so.
    """

    def __getattr__(name: str) -> Any:
        target = exports.get(name)
        if target is None:
            submodule = _submodule(package, name)
            if submodule is not None:
                return submodule
            if fallback is not None and not name.startswith("_"):  # submodules being imported land here first
                return fallback(name)
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module_name, _, attribute = target.partition(":")
        module = importlib.import_module(module_name, package)
        if attribute:
            value = getattr(module, attribute)
        else:
            value = module if module_name.rsplit(".", 1)[-1] == name else getattr(module, name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__


def _submodule(package: str, name: str) -> Any:
    """Import and return `package.name` when that module exists; None otherwise."""
    if name.startswith("__") or not hasattr(sys.modules[package], "__path__"):  # dunder probes; a plain module
        return None
    full_name = f"{package}.{name}"
    if full_name not in sys.modules and importlib.util.find_spec(full_name) is None:
        return None
    return importlib.import_module(full_name)  # binds the package attribute as a side effect
