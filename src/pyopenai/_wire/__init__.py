"""A lean HTTP/1.1 transport for the sync client pyopenai builds itself (see `_transport`)."""

from ._transport import LeanPool, LeanTransport

__all__ = ["LeanPool", "LeanTransport"]
