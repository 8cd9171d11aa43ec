"""`install_as_openai()`: code that does `import openai` gets pyopenai.

Libraries written for the official SDK import `openai`, `openai.types.chat`, ... by name. After
`install_as_openai()` an import finder placed first on `sys.meta_path` answers every `openai.*`
module name with the pyopenai module of the same path (the same object, so classes, `isinstance`
checks and `except openai.APIError` work across both names). Modules load only when imported.

The top-level `openai` is the one module that is not pyopenai itself: libraries branch on
`openai.__version__`, which must be the official release whose surface pyopenai matches, while
`pyopenai.__version__` stays pyopenai's. It forwards every other attribute, read or write
(`openai.api_key = ...` sets pyopenai's module-level client setting).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["install_as_openai", "OFFICIAL_NAME"]

OFFICIAL_NAME = "openai"
_TARGET = "pyopenai"
# modules of the official package that only carry its version: answered with that version
_VERSION_MODULES = ("_version", "version")


def official_version() -> str:
    """The official release whose public surface pyopenai's generated code matches."""
    from .types._surface import OFFICIAL_SDK_VERSION

    return OFFICIAL_SDK_VERSION


_ABSENT: Any = object()
# pyopenai's own value of each attribute first written through `openai` (`_ABSENT`: it had none
# in its namespace, as for a lazily loaded export): deleting the attribute through `openai` puts
# it back. `monkeypatch.setattr(openai, name, ...)` sees no such attribute in `openai.__dict__`
# and undoes itself with `delattr(openai, name)`, which must leave pyopenai as it was.
_originals: dict[str, Any] = {}


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


class _OpenAIModule(types.ModuleType):
    """The top-level `openai`: pyopenai's attributes, the official version."""

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.modules[_TARGET], name)

    def __setattr__(self, name: str, value: Any) -> None:
        if _is_dunder(name):  # the import system's own bookkeeping
            super().__setattr__(name, value)
            return
        target = sys.modules[_TARGET]
        _originals.setdefault(name, vars(target).get(name, _ABSENT))
        setattr(target, name, value)

    def __delattr__(self, name: str) -> None:
        if _is_dunder(name):
            super().__delattr__(name)
            return
        target = sys.modules[_TARGET]
        if name not in _originals:  # never written through `openai`: a plain delete of pyopenai's attribute
            delattr(target, name)
            return
        original = _originals.pop(name)
        if original is _ABSENT:
            vars(target).pop(name, None)  # a lazy export is looked up again on next access
        else:
            setattr(target, name, original)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(sys.modules[_TARGET])) | {"__version__"})


def _top_module() -> types.ModuleType:
    target = sys.modules[_TARGET]
    module = _OpenAIModule(OFFICIAL_NAME, target.__doc__)
    module.__version__ = official_version()
    module.__path__ = []  # a package whose submodules only this finder answers
    module.__file__ = target.__file__
    return module


def _version_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__title__ = OFFICIAL_NAME  # type: ignore[attr-defined]
    module.__version__ = module.VERSION = official_version()  # type: ignore[attr-defined]
    return module


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system an already built module instead of executing a file."""

    def __init__(self, build: Any) -> None:
        self._build = build
        self._own_spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module: types.ModuleType = self._build()
        self._own_spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        # already executed under its pyopenai name. The import system has just set the module's
        # `__spec__` to the `openai.*` one; a pyopenai module keeps its own, or every relative import
        # it runs later (`from .pagination import ...` inside a function) sees `__package__`
        # ("pyopenai") differ from `__spec__.parent` ("openai"): an ImportWarning, an error in test
        # suites that turn warnings into errors
        if self._own_spec is not None:
            module.__spec__ = self._own_spec


class OpenAIAliasFinder(importlib.abc.MetaPathFinder):
    """Resolves `openai` and `openai.<path>` to pyopenai's modules."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == OFFICIAL_NAME:
            return importlib.machinery.ModuleSpec(fullname, _AliasLoader(_top_module), is_package=True)
        if not fullname.startswith(OFFICIAL_NAME + "."):
            return None
        rest = fullname[len(OFFICIAL_NAME) + 1 :]
        if rest in _VERSION_MODULES:
            return importlib.machinery.ModuleSpec(fullname, _AliasLoader(lambda: _version_module(fullname)))
        real_name = f"{_TARGET}.{rest}"
        try:
            real = importlib.import_module(real_name)
        except ModuleNotFoundError as exc:
            if exc.name != real_name:
                raise
            # answered here rather than by the next finder: nothing else may load `openai.*`
            raise ModuleNotFoundError(f"No module named {fullname!r} (pyopenai has no {real_name!r})",
                                      name=fullname) from None
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(lambda: real), is_package=hasattr(real, "__path__")
        )

    def find_distributions(self, context: Any = None) -> Iterator[Any]:
        """`importlib.metadata`'s hook: `openai` is installed, at the official version reported."""
        from ._alias_metadata import alias_distributions

        if context is None:
            from importlib.metadata import DistributionFinder

            context = DistributionFinder.Context()
        return alias_distributions(context, OFFICIAL_NAME, official_version())


def install_as_openai() -> None:
    """Make `import openai` (and every `openai.*` module) resolve to pyopenai.

    Call it before anything imports `openai`. Raises `RuntimeError` when the official package is
    already imported: its classes would then differ from pyopenai's and mixing both cannot work.
    Calling it again is harmless.
    """
    if any(isinstance(finder, OpenAIAliasFinder) for finder in sys.meta_path):
        return
    loaded = sys.modules.get(OFFICIAL_NAME)
    if loaded is not None:
        raise RuntimeError(
            "pyopenai.install_as_openai() must run before `openai` is imported; "
            f"`openai` is already loaded from {getattr(loaded, '__file__', None) or 'an unknown location'}"
        )
    sys.meta_path.insert(0, OpenAIAliasFinder())
    # code written for the official SDK configures `logging.getLogger("openai")`: log where it looks
    from ._logging import log_as

    log_as(OFFICIAL_NAME)
