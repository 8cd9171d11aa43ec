"""`to_strict_json_schema` where code written for the official SDK imports it from."""

from __future__ import annotations

from ._schema import StrictSchemaError, to_strict_json_schema

__all__ = ["StrictSchemaError", "to_strict_json_schema"]
