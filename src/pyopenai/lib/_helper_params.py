"""The keyword arguments the parse/stream/tool-runner helpers pass on to `create`, as TypedDicts.

`chat.completions.parse(...)` takes every argument `chat.completions.create(...)` takes (but
`stream`), and so do `.stream()` and `.run_tools()`; the Responses helpers likewise. Rather than
repeat the same forty typed parameters in every sync and async helper, the helpers declare the ones
they treat themselves and take the rest as `**options: Unpack[...]` of TypedDicts, which type
checkers read as keyword parameters: names are checked, values typed, `omit` accepted. The generator
writes those TypedDicts beside `create` from the same facts (config `options`), so they never drift.

Only type checkers import this module.
"""

from __future__ import annotations

import httpx2
from typing_extensions import TypedDict

from .._types import Body, Headers, NotGiven, Query
from ..resources.chat.completions.completions import ChatCreateOptions as ChatCreateOptions
from ..resources.responses.responses import ResponsesCreateOptions as ResponsesCreateOptions

__all__ = ["ChatCreateOptions", "RequestOptions", "ResponsesCreateOptions"]


class RequestOptions(TypedDict, total=False):
    """What every method takes besides the API's own parameters."""

    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: float | httpx2.Timeout | NotGiven | None
