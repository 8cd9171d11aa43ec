"""Fork safety of the connection pools.

A client created before `os.fork()` (a module-level client in a pre-forking server, say) carries
its keep-alive connections into the child, where they are the same sockets as the parent's: two
processes writing requests on one TCP connection read each other's answers. In the child, the
pools of every client's HTTP client are emptied at once (no cost per request): the sync
connections are closed (closing the child's descriptor does not touch the parent's connection),
the async ones belong to the parent's event loop and are only set aside. The pool's lock is
replaced too, as a thread of the parent may have held it at the moment of the fork.
"""

from __future__ import annotations

import os
import weakref
from typing import Any, cast

__all__ = ["watch_for_fork"]

_http_clients: weakref.WeakSet[Any] = weakref.WeakSet()
_left_by_parent: list[Any] = []


def watch_for_fork(http_client: object) -> None:
    try:
        _http_clients.add(http_client)
    except TypeError:  # an object that cannot be weakly referenced: not ours to reset
        pass


def _reset_pools_after_fork() -> None:
    for http_client in list(_http_clients):
        mounts: dict[Any, Any] = getattr(http_client, "_mounts", None) or {}
        for transport in (getattr(http_client, "_transport", None), *mounts.values()):
            pool = getattr(transport, "_pool", None)
            connections = getattr(pool, "_connections", None)
            if not isinstance(connections, list):
                continue
            lock = getattr(pool, "_optional_thread_lock", None)
            if lock is not None:
                pool._optional_thread_lock = type(lock)()  # pyright: ignore[reportOptionalMemberAccess]
            pool._connections = []  # pyright: ignore[reportOptionalMemberAccess]
            pool._requests = []  # pyright: ignore[reportOptionalMemberAccess]
            for connection in cast("list[Any]", connections):
                close = getattr(connection, "close", None)  # async connections have `aclose` instead
                if close is None:
                    _left_by_parent.append(connection)
                    continue
                try:
                    close()
                except Exception:
                    _left_by_parent.append(connection)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_pools_after_fork)
