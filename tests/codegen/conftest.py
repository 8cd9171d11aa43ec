"""The generator's modules (codegen/) import one another by plain name: put codegen/ on the path
before the tests here import them."""

from __future__ import annotations

import sys
from pathlib import Path

CODEGEN = str(Path(__file__).resolve().parents[2] / "codegen")
if CODEGEN not in sys.path:
    sys.path.insert(0, CODEGEN)
