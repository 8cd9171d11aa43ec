"""The wheel users install: built with the project's build backend and opened as pip would see it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

import pytest

import pyopenai

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    from hatchling import build as backend  # the build backend, in the dev group

    out = tmp_path_factory.mktemp("wheel")
    cwd = Path.cwd()
    os.chdir(REPO)  # PEP 517 hooks run in the project directory
    try:
        name = backend.build_wheel(str(out))
    finally:
        os.chdir(cwd)
    with zipfile.ZipFile(out / name) as archive:
        yield archive


def metadata(wheel: zipfile.ZipFile) -> Message:
    (path,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return HeaderParser().parsestr(wheel.read(path).decode())


def test_the_wheel_holds_the_package_and_nothing_else(wheel: zipfile.ZipFile) -> None:
    # codegen/, tests/, benchmarks/, openapi/, examples/ and scripts/ stay in the repository
    tops = {name.split("/", 1)[0] for name in wheel.namelist()}
    assert tops == {"pyopenai", f"pyopenai-{pyopenai.__version__}.dist-info"}
    names = set(wheel.namelist())
    assert "pyopenai/py.typed" in names  # type checkers use the inline types
    assert "pyopenai/types/chat/chat_completion.py" in names
    assert "pyopenai/testing/pytest_plugin.py" in names
    assert "pyopenai/_alias_boot/sitecustomize.py" in names  # python -m pyopenai.alias needs its start-up hook


def test_the_license_travels_with_the_wheel(wheel: zipfile.ZipFile) -> None:
    licenses = [n for n in wheel.namelist() if ".dist-info/licenses/" in n]
    assert [n.rsplit("/", 1)[-1] for n in licenses] == ["LICENSE"]
    assert wheel.read(licenses[0]) == (REPO / "LICENSE").read_bytes()
    assert metadata(wheel)["License-Expression"] == "MIT"


def test_metadata_version_extras_and_entry_points(wheel: zipfile.ZipFile) -> None:
    meta = metadata(wheel)
    assert meta["Version"] == pyopenai.__version__
    extras = set(meta.get_all("Provides-Extra") or [])
    assert "dev" not in extras  # development tools are a dependency group, not something users install
    assert {"realtime", "aiohttp"} <= extras
    requires = meta.get_all("Requires-Dist") or []
    assert any(r.startswith("pydantic") and "extra" not in r for r in requires), requires  # results are pydantic models
    assert not any(r.startswith(("pytest", "pyright", "ruff", "openai")) for r in requires), requires
    assert str(meta.get_payload()).startswith("# pyopenai")  # the README is the long description
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "pyopenai = pyopenai.cli:main" in text
    assert "pyopenai = pyopenai.testing.pytest_plugin" in text


def test_the_pytest_plugin_costs_nothing_to_runs_that_do_not_use_it() -> None:
    # pytest loads the plugin (an entry point) in every run wherever pyopenai is installed: loading it
    # must not import the local server, the clients or the HTTP stack; the fixtures do that when used
    probe = (
        "import sys, pytest, pyopenai.testing.pytest_plugin\n"
        "heavy = ['pyopenai.testing._server', 'pyopenai._client', 'httpx2', 'pydantic', 'http.server']\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
