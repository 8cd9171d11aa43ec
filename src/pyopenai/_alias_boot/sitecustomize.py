"""Start-up hook of `python -m pyopenai.alias`: `openai` resolves to pyopenai in this interpreter.

This directory is put first on `PYTHONPATH` by `pyopenai.alias`, so Python imports this module at
start-up (the `site` module imports `sitecustomize`), in the program it runs and in every Python
process that program starts, since they inherit `PYTHONPATH`. It installs the alias before anything
can import `openai`, then runs the `sitecustomize` it hides from later on the path, if there is one.
"""

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types
from collections.abc import Iterator, Sequence
from typing import Any


class _InstallOnFirstImport(importlib.abc.MetaPathFinder):
    """Installs the alias when something first imports `openai`, not at start-up.

    Importing pyopenai here would load it before the program starts, and some programs mind: pytest
    warns that it cannot rewrite the asserts of a package holding a plugin (pyopenai ships one) when
    that package is already imported, and a suite run with `filterwarnings = error` stops there.
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "openai" and not fullname.startswith("openai."):
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        import pyopenai

        pyopenai.install_as_openai()  # puts its own finder first, which answers from now on
        for finder in sys.meta_path:
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                return spec
        return None

    def find_distributions(self, context: Any = None) -> Iterator[Any]:
        # a lookup of the `openai` distribution before any import of it (OpenTelemetry's
        # instrumentors check it before they patch): install the alias, whose finder answers.
        # A lookup of every distribution (pytest scanning plugins at start-up) installs nothing.
        name = getattr(context, "name", None)
        if name is None or name.lower().replace("_", "-") != "openai":
            return iter(())
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        import pyopenai
        from pyopenai._compat_alias import OpenAIAliasFinder

        pyopenai.install_as_openai()
        return OpenAIAliasFinder().find_distributions(context)


def _install_alias() -> None:
    sys.meta_path.insert(0, _InstallOnFirstImport())


def _run_hidden_sitecustomize() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    saved_path = list(sys.path)
    this_module = sys.modules.pop("sitecustomize", None)
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    try:
        importlib.import_module("sitecustomize")
    except ModuleNotFoundError as exc:
        if exc.name != "sitecustomize":
            raise
        if this_module is not None:
            sys.modules["sitecustomize"] = this_module
    finally:
        sys.path[:] = saved_path


_install_alias()
_run_hidden_sitecustomize()
