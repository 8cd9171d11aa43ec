"""(in progress)"""

from __future__ import annotations

from ._core import Router


def register(router: Router) -> None:
    pass
