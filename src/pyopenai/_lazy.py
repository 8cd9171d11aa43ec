"""Lazy package exports: a name is imported from its module on first access, not at package import.

This keeps `import pyopenai` and `import pyopenai.types` cheap: a program pays only for the
endpoints and types it touches (DESIGN.md item 6).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return `(__getattr__, __dir__)` for a package whose names live in submodules.

    `exports` maps a public name to the relative module that defines it; when the module's last
    part equals the name (`{"chat": ".chat"}`), the name is the submodule itself.
    """

    def __getattr__(name: str) -> Any:
        target = exports.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(target, package)
        value = module if target.rsplit(".", 1)[-1] == name else getattr(module, name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
