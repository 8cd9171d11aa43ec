"""HTTP/1.1 on the wire, without I/O: a request's head, a response's head, and how its body ends.

The rules are RFC 9112's, checked where a mistake would change what the peer sees (a CR or LF in a
header would start a new header or a new request) or what we read (a body's length). Everything
here works on whole byte strings with C-level operations (`split`, `find`, one regular expression
over all the header lines), which is where this module's speed over h11 comes from: h11 builds
and validates an event object per header and per body chunk.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from httpcore2 import LocalProtocolError, RemoteProtocolError

__all__ = [
    "CHUNKED",
    "CLOSE_DELIMITED",
    "MAX_HEAD_SIZE",
    "NO_BODY",
    "ResponseHead",
    "parse_response_head",
    "request_head",
]

MAX_HEAD_SIZE = 100 * 1024  # as h11's default: a peer that never ends its head is cut off

# How a response body ends (`ResponseHead.length` holds the length of a fixed-size body)
NO_BODY = -1
CHUNKED = -2
CLOSE_DELIMITED = -3

_TOKEN = re.compile(rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+")
# a header line of a response, from the start of its line: name, colon, the value without the spaces
# around it (a line that does not match leaves the count of matches short of the count of lines)
_HEADER_LINE = re.compile(rb"^([-!#$%&'*+.^_`|~0-9A-Za-z]+):[ \t]*([^\r\n]*?)[ \t]*\r\n", re.MULTILINE)
_checked_names: set[bytes] = set()  # request header names already seen to be tokens
_CHECKED_NAMES_KEPT = 512


def _check_name(name: bytes) -> None:
    if name in _checked_names:
        return
    if _TOKEN.fullmatch(name) is None:
        raise LocalProtocolError(f"Illegal header name {name!r}: a header name is a token (no spaces, colons, CR or LF)")
    if len(_checked_names) < _CHECKED_NAMES_KEPT:
        _checked_names.add(name)


def request_head(method: bytes, target: bytes, headers: list[tuple[bytes, bytes]]) -> tuple[bytes, int | None]:
    """The request's head, and its body's framing: the Content-Length, or None for chunked.

    A request with neither header has no body (length 0). A CR, LF or NUL in the method, the target
    or a header raises `LocalProtocolError` naming the header (never its value: it may be a key),
    before anything is sent.
    """
    if not _checked_names.issuperset([name for name, _ in headers]):
        for name, _ in headers:
            _check_name(name)
    length: int | None = 0
    for name, value in headers:
        if len(name) == 14 or len(name) == 17:  # only these two names can frame the body
            lowered = name.lower()
            if lowered == b"content-length":
                length = _content_length(value)
            elif lowered == b"transfer-encoding":
                if value.strip().lower() != b"chunked":
                    raise LocalProtocolError("Only the chunked transfer-encoding can be sent")
                length = None
    # the request line, the header lines, then two empty strings: the last line's end and the blank line
    head = b"\r\n".join([b"%b %b HTTP/1.1" % (method, target), *[b": ".join(pair) for pair in headers], b"", b""])
    # one line end per header line, the request line and the blank line: anything else is an injection
    ends = len(headers) + 2
    if head.count(b"\n") != ends or head.count(b"\r") != ends or b"\0" in head or _TOKEN.fullmatch(method) is None:
        _name_the_bad_part(method, target, headers)
    return head, length


def _content_length(value: bytes) -> int:
    if not value.isdigit():
        raise LocalProtocolError("Content-Length must be a number of bytes")
    return int(value)


def _name_the_bad_part(method: bytes, target: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    if _TOKEN.fullmatch(method) is None:
        raise LocalProtocolError(f"Illegal request method {method!r}")
    for name, value in headers:
        if b"\r" in value or b"\n" in value or b"\0" in value:
            raise LocalProtocolError(f"Illegal header value for {name.decode('ascii')!r}: it contains CR, LF or NUL")
    raise LocalProtocolError("Illegal request target: it contains CR, LF or NUL")


class ResponseHead(NamedTuple):
    http_version: bytes
    status: int
    reason: bytes
    headers: list[tuple[bytes, bytes]]
    length: int  # bytes of body, or NO_BODY / CHUNKED / CLOSE_DELIMITED
    keep_alive: bool  # whether the connection may carry another request after this body


def parse_response_head(head: bytes, method: bytes) -> ResponseHead:
    """`head`: from the status line to the end of the last header line (its CRLF included, the
    blank line not). `method`: the request's (a HEAD's answer has no body)."""
    end = head.find(b"\r\n")
    status_line = head[:end]
    version, _, rest = status_line.partition(b" ")
    if not version.startswith(b"HTTP/1.") or len(version) != 8 or not rest[:3].isdigit() or rest[3:4] not in (b"", b" "):
        raise RemoteProtocolError(f"Malformed response status line {status_line[:100]!r}")
    status = int(rest[:3])
    block = head[end + 2 :]
    headers: list[tuple[bytes, bytes]] = _HEADER_LINE.findall(block)
    if len(headers) != block.count(b"\n"):
        raise RemoteProtocolError("Malformed response header line (a line without a name and a colon, or folded)")
    lowered = b"\r\n" + block.lower()
    keep_alive = version == b"HTTP/1.1"
    connection = _value_of(lowered, b"\r\nconnection:")
    if connection is not None:
        options = connection.replace(b" ", b"").split(b",")
        if b"close" in options:
            keep_alive = False
        elif b"keep-alive" in options:
            keep_alive = True
    return ResponseHead(version, status, rest[4:], headers, _body_length(lowered, method, status), keep_alive)


def _value_of(lowered: bytes, marker: bytes) -> bytes | None:
    at = lowered.find(marker)
    if at < 0:
        return None
    start = at + len(marker)
    return lowered[start : lowered.find(b"\r\n", start)].strip()


def _body_length(lowered: bytes, method: bytes, status: int) -> int:
    """RFC 9112 section 6.3, in its order."""
    if method == b"HEAD" or status < 200 or status in (204, 304):
        return NO_BODY
    encoding = _value_of(lowered, b"\r\ntransfer-encoding:")
    if encoding is not None:
        return CHUNKED if encoding.rsplit(b",", 1)[-1].strip() == b"chunked" else CLOSE_DELIMITED
    marker = b"\r\ncontent-length:"
    at = lowered.find(marker)
    if at < 0:
        return CLOSE_DELIMITED
    values: set[bytes] = set()
    while at >= 0:
        start = at + len(marker)
        values.update(part.strip() for part in lowered[start : lowered.find(b"\r\n", start)].split(b","))
        at = lowered.find(marker, start)
    if len(values) != 1:
        raise RemoteProtocolError("Conflicting Content-Length values in the response")
    value = values.pop()
    if not value.isdigit():
        raise RemoteProtocolError(f"Malformed Content-Length {value[:40]!r} in the response")
    return int(value)
