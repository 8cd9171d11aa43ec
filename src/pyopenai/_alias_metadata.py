"""The installed-package record of `openai` under `install_as_openai()`.

Libraries ask the packaging metadata, not the module, which `openai` is installed: OpenTelemetry's
instrumentors refuse to patch a library whose distribution they cannot find
(`importlib.metadata.distribution("openai")`), error trackers list installed distributions to
pick their integrations. Under the alias that record says `openai`, at the official release whose
surface pyopenai matches (the `openai.__version__` the alias reports), so both answers agree.

Loaded only when something looks up distributions, so the alias itself stays cheap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from importlib.metadata import Distribution, DistributionFinder
from pathlib import Path
from typing import Any

__all__ = ["alias_distributions"]


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class AliasDistribution(Distribution):
    """A distribution named `openai` with no files of its own: pyopenai provides the modules."""

    def __init__(self, name: str, version: str) -> None:
        self._files = {
            "METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
            "Summary: provided by pyopenai (pyopenai.install_as_openai)\n",
            "top_level.txt": f"{name}\n",
        }
        self._root = Path(__file__).resolve().parent

    def read_text(self, filename: str) -> str | None:
        return self._files.get(filename)

    def locate_file(self, path: str | os.PathLike[str]) -> Any:
        return self._root / path


def alias_distributions(context: DistributionFinder.Context, name: str, version: str) -> Iterator[Distribution]:
    """The `openai` record when the lookup asks for it by name, or for every distribution."""
    wanted: str | None = context.name
    if wanted is None or _normalized(wanted) == _normalized(name):
        yield AliasDistribution(name, version)
