"""What type checkers see in `pyopenai` (the `if TYPE_CHECKING:` block) matches what the lazy
package gives at run time, so the two cannot drift apart."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import pyopenai
from pyopenai import _EXPORTS  # pyright: ignore[reportPrivateUsage]
from pyopenai.resources._root import RootResources

INIT = Path(pyopenai.__file__)


def _type_checking_block() -> list[ast.stmt]:
    for node in ast.parse(INIT.read_text()).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return node.body
    raise AssertionError("pyopenai/__init__.py has no `if TYPE_CHECKING:` block")


def _checker_imports() -> dict[str, tuple[str, str]]:
    """Public name -> (module, attribute) as the TYPE_CHECKING block imports it."""
    found: dict[str, tuple[str, str]] = {}
    for node in _type_checking_block():
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                name = alias.asname or alias.name
                if not name.startswith("_"):
                    found[name] = ("." * node.level + (node.module or ""), alias.name)
    return found


def _checker_declarations() -> dict[str, str]:
    """Name -> annotation for the `name: Type` lines (the module-level client's resources)."""
    return {
        node.target.id: ast.unparse(node.annotation)
        for node in _type_checking_block()
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }


def _checker_aliases() -> dict[str, str]:
    return {
        target.id: ast.unparse(node.value)
        for node in _type_checking_block()
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _resource_names() -> set[str]:
    return {name for name in vars(RootResources) if not name.startswith("_")}


def test_every_lazy_name_is_declared_for_type_checkers() -> None:
    declared = set(_checker_imports()) | set(_checker_aliases())
    assert sorted(set(_EXPORTS) - declared) == []


def test_type_checkers_see_no_name_the_package_lacks() -> None:
    declared = set(_checker_imports()) | set(_checker_aliases()) | set(_checker_declarations())
    available = set(_EXPORTS) | _resource_names() | set(vars(pyopenai))
    assert sorted(declared - available) == []


@pytest.mark.parametrize("name", sorted(_checker_imports()))
def test_declared_import_is_the_object_the_package_gives(name: str) -> None:
    module_name, attribute = _checker_imports()[name]
    module = importlib.import_module(module_name, "pyopenai") if module_name != "." else pyopenai
    expected = getattr(module, attribute, None)
    if expected is None:  # `from . import lib as lib`: a submodule
        expected = importlib.import_module(f"pyopenai.{attribute}")
    assert getattr(pyopenai, name) is expected


def test_client_aliases_are_the_clients() -> None:
    assert _checker_aliases() == {"Client": "OpenAI", "AsyncClient": "AsyncOpenAI"}
    assert pyopenai.Client is pyopenai.OpenAI
    assert pyopenai.AsyncClient is pyopenai.AsyncOpenAI


def test_module_client_resources_are_declared_with_the_clients_types() -> None:
    declarations = _checker_declarations()
    assert set(declarations) == _resource_names()
    client = pyopenai.OpenAI(api_key="sk-test")
    try:
        for name, annotation in declarations.items():
            resource = getattr(client, name)
            assert annotation.lstrip("_") == type(resource).__name__, name
            # the private alias in the TYPE_CHECKING block names the same class
            imported = next(
                node for node in _type_checking_block()
                if isinstance(node, ast.ImportFrom) and any(a.asname == annotation for a in node.names)
            )
            assert imported.module is not None
            assert importlib.import_module(f"pyopenai.{imported.module}").__dict__.get(
                annotation.lstrip("_")
            ) is type(resource), name
    finally:
        client.close()


def test_unknown_names_still_raise_at_run_time() -> None:
    with pytest.raises(AttributeError, match="DefaultHttpx2Clent"):
        pyopenai.DefaultHttpx2Clent  # type: ignore[attr-defined]  # noqa: B018
