"""A forgiving parser for JSON that is still arriving: the value of the text received so far.

`parse_partial('{"a": [1, 2')` is `{"a": [1, 2]}`. Open containers are closed, and a trailing piece
that is not complete yet (a string still open, a key without its value, a half-written `true`, a lone
`-`) is left out, as the official SDK's snapshots leave it out: `{"city": "Tor` is `{}` until the
string closes. Complete JSON parses exactly as `json.loads` would. Used for the `parsed` snapshots of
streamed structured output and tool-call arguments.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["parse_partial"]

_WS = " \t\n\r"
_MISSING: Any = object()
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def parse_partial(text: str) -> Any:
    """The value so far; None when nothing usable has arrived yet."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    parser = _Parser(text)
    value = parser.value()
    return None if value is _MISSING else value


class _Parser:
    __slots__ = ("i", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def skip(self) -> None:
        text, n = self.text, len(self.text)
        while self.i < n and text[self.i] in _WS:
            self.i += 1

    def at_end(self) -> bool:
        self.skip()
        return self.i >= len(self.text)

    def value(self) -> Any:
        if self.at_end():
            return _MISSING
        ch = self.text[self.i]
        if ch == "{":
            return self.obj()
        if ch == "[":
            return self.arr()
        if ch == '"':
            text, closed = self.string()
            return text if closed else _MISSING
        return self.scalar()

    def obj(self) -> Any:
        self.i += 1
        out: dict[str, Any] = {}
        while True:
            if self.at_end():
                return out
            ch = self.text[self.i]
            if ch == "}":
                self.i += 1
                return out
            if ch == ",":
                self.i += 1
                continue
            if ch != '"':
                raise ValueError(f"unexpected {ch!r} at {self.i} in a JSON object")
            key, closed = self.string()
            if not closed or self.at_end():
                return out
            if self.text[self.i] != ":":
                raise ValueError(f"expected ':' at {self.i}")
            self.i += 1
            value = self.value()
            if value is _MISSING:
                return out
            out[key] = value

    def arr(self) -> Any:
        self.i += 1
        out: list[Any] = []
        while True:
            if self.at_end():
                return out
            ch = self.text[self.i]
            if ch == "]":
                self.i += 1
                return out
            if ch == ",":
                self.i += 1
                continue
            value = self.value()
            if value is _MISSING:
                return out
            out.append(value)

    def string(self) -> tuple[str, bool]:
        """(text, closed): an unterminated string returns what it has so far."""
        text, n = self.text, len(self.text)
        i = self.i + 1
        parts: list[str] = []
        start = i
        while i < n:
            ch = text[i]
            if ch == '"':
                parts.append(text[start:i])
                self.i = i + 1
                return "".join(parts), True
            if ch == "\\":
                parts.append(text[start:i])
                if i + 1 >= n:
                    start = i = n
                    break
                esc = text[i + 1]
                if esc == "u":
                    digits = text[i + 2 : i + 6]
                    if len(digits) < 4:
                        i = n
                        start = n
                        break
                    code = int(digits, 16)
                    i += 6
                    if 0xD800 <= code < 0xDC00 and text[i : i + 2] == "\\u" and len(text[i + 2 : i + 6]) == 4:
                        low = int(text[i + 2 : i + 6], 16)
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    parts.append(chr(code))
                else:
                    parts.append(_ESCAPES.get(esc, esc))
                    i += 2
                start = i
                continue
            i += 1
        parts.append(text[start:i])
        self.i = n
        return "".join(parts), False

    def scalar(self) -> Any:
        text, n = self.text, len(self.text)
        j = self.i
        while j < n and text[j] not in ",]}" + _WS:
            j += 1
        token = text[self.i : j]
        complete = j < n  # something follows: the token is whole
        self.i = j
        if token in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token]
        try:
            number = json.loads(token)
        except ValueError:
            if complete:
                raise ValueError(f"invalid JSON value {token!r}") from None
            return _MISSING  # a literal or number cut short
        if not complete and isinstance(number, (int, float)) and token.endswith((".", "e", "E", "-", "+")):
            return _MISSING
        return number
