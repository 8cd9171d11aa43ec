"""`python -m pyopenai.alias`: run a Python program, and the Python processes it starts, on pyopenai.

`pyopenai.install_as_openai()` covers the process that calls it. A test runner with worker
processes, a `multiprocessing` pool or a script started with `subprocess` runs a new interpreter
where `import openai` would find the official package again (or nothing). This command runs the
program in a new interpreter (the same executable) whose `PYTHONPATH` starts with a directory
holding a start-up hook (`sitecustomize`) that installs the alias; children inherit `PYTHONPATH`,
so the alias reaches them too. Arguments are given to the interpreter as they are:

    python -m pyopenai.alias -m pytest tests/
    python -m pyopenai.alias app.py --port 8000
    python -m pyopenai.alias -c "import openai; print(openai.__version__)"
    python -m pyopenai.alias --print-path   # the directory to put first on PYTHONPATH yourself
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["BOOT_DIR", "child_environment", "main"]

BOOT_DIR = Path(__file__).resolve().with_name("_alias_boot")

_USAGE = """\
usage: python -m pyopenai.alias [python options] (-m module | -c code | script.py) [args...]
       python -m pyopenai.alias --print-path

Runs the program with `import openai` resolved to pyopenai, in it and in every Python process it
starts (their PYTHONPATH starts with a directory whose sitecustomize installs the alias).
--print-path prints that directory, to put first on PYTHONPATH yourself."""


def child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` with the start-up hook's directory first on `PYTHONPATH` (once)."""
    env = dict(environ)
    kept = [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry and entry != str(BOOT_DIR)]
    env["PYTHONPATH"] = os.pathsep.join([str(BOOT_DIR), *kept])
    return env


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(_USAGE, file=sys.stdout if args else sys.stderr)
        return 0 if args else 2
    if args == ["--print-path"]:
        print(BOOT_DIR)
        return 0
    command = [sys.executable, *args]
    env = child_environment(os.environ)
    if os.name == "posix":  # become the program: signals and the exit status are its own
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, command, env)
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
