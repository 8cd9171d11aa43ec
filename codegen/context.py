"""What the generator's stages share: the repository layout, and `Generation`, the data the types
stage hands to the resources and tests stages (so neither imports `generate.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config import Config
from emit import Output
from methods import Method
from spec import Spec
from types_gen import FileWriter

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"


@dataclass(frozen=True)
class Generation:
    spec: Spec
    config: Config
    methods: list[Method]  # return and stream types resolved (`Method.return_entry`, `stream_entry`)
    out: Output  # files written so far; the later stages add theirs
    writers: dict[str, FileWriter]  # types module -> its writer (every public type's file)
    param_files: dict[str, FileWriter]  # params module -> its writer
