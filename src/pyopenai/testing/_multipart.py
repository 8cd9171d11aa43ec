"""A ``multipart/form-data`` body parser (RFC 7578), enough for file uploads."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from ._errors import bad_request
from ._http import Request

__all__ = ["Part", "parse_multipart"]


@dataclass
class Part:
    name: str
    data: bytes
    filename: str | None = None
    content_type: str | None = None

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


def _params(header_value: str) -> Message:
    msg = Message()
    msg["content-disposition"] = header_value
    return msg


def parse_multipart(req: Request) -> dict[str, list[Part]]:
    """Parts of the request body by field name, or the API's 400 when it is not multipart."""
    ctype = req.headers.get("content-type", "")
    holder = Message()
    holder["content-type"] = ctype
    boundary = holder.get_param("boundary")
    if holder.get_content_type() != "multipart/form-data" or not isinstance(boundary, str) or not boundary:
        raise bad_request("Expected a 'multipart/form-data' request body with a boundary.", code="invalid_content_type")
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    chunks = (b"\r\n" + req.body).split(delimiter)
    if len(chunks) < 2:
        raise bad_request("The multipart body has no parts.")
    fields: dict[str, list[Part]] = {}
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # closing delimiter
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise bad_request("Malformed multipart part (no header/body separator).")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            if key:
                headers[key.strip().lower()] = value.strip()
        disposition = _params(headers.get("content-disposition", ""))
        name = disposition.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise bad_request("Malformed multipart part (no field name).")
        filename = disposition.get_filename()
        part = Part(name, data, filename, headers.get("content-type"))
        fields.setdefault(name, []).append(part)
    return fields
