"""The official SDK's module path for its raw-response classes.

Libraries built on the official SDK import `HttpxBinaryResponseContent` (the result type of speech
and file-content calls) and `LegacyAPIResponse` (what `with_raw_response` returns) from here.
"""

from ._response import HttpxBinaryResponseContent, LegacyAPIResponse

__all__ = ["HttpxBinaryResponseContent", "LegacyAPIResponse"]
