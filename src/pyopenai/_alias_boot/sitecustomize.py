"""Start-up hook of `python -m pyopenai.alias`: `openai` resolves to pyopenai in this interpreter.

This directory is put first on `PYTHONPATH` by `pyopenai.alias`, so Python imports this module at
start-up (the `site` module imports `sitecustomize`), in the program it runs and in every Python
process that program starts, since they inherit `PYTHONPATH`. It installs the alias before anything
can import `openai`, then runs the `sitecustomize` it hides from later on the path, if there is one.
"""

import importlib
import os
import sys


def _install_alias() -> None:
    import pyopenai

    pyopenai.install_as_openai()


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
