"""`setup_logging()`: apply `OPENAI_LOG` to the library's logger now (clients also do it when created)."""

from __future__ import annotations

import os

from .._logging import configure_from_env

__all__ = ["setup_logging"]


def setup_logging() -> None:
    configure_from_env(os.environ.get("OPENAI_LOG"))
