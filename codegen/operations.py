"""Where a path becomes a method: the mechanical rule, then the config's overrides.

The rule (spec-notes §1.3):

* prefix from `config.resource_prefixes` (first matching regex): `/assistants` -> `beta`, ...
* resource = prefix + the literal path segments (parameters dropped)
* last segment is `{param}`: GET -> retrieve, POST -> update, DELETE -> delete
* last segment is a literal, by what the path is:
  - collection (some path continues with `/{param}`, or GET returns `{data: [...]}`):
    GET -> list, POST -> create, DELETE -> delete
  - singleton (GET returns an object that is not a list): GET -> retrieve, POST -> update, DELETE -> delete
  - action: on an item (`/x/{id}/cancel`) or on a parent that has its own operations, the literal
    is the method of the parent resource; otherwise the literal is a resource with method `create`.

`config.methods["VERB /path"]` overrides any of: resource, method.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from config import Config
from spec import Operation, Spec

_VERB_ITEM = {"get": "retrieve", "post": "update", "delete": "delete"}
_VERB_COLLECTION = {"get": "list", "post": "create", "delete": "delete"}


def split_path(path: str) -> tuple[str, str]:
    """`/responses/{id}?beta=true` -> (`/responses/{id}`, `?beta=true`)."""
    base, sep, query = path.partition("?")
    return base, sep + query


def segments(path: str) -> list[str]:
    return [s for s in split_path(path)[0].split("/") if s]


def is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


@dataclass
class MethodName:
    resource: str
    method: str


class Namer:
    def __init__(self, spec: Spec, config: Config) -> None:
        self.spec = spec
        self.prefixes = [(re.compile(p.match), p.prefix) for p in config.resource_prefixes]
        ops = spec.operations()
        self.bases = {split_path(o.path)[0] for o in ops}
        self.ops_by_base: dict[str, list[Operation]] = {}
        for o in ops:
            self.ops_by_base.setdefault(split_path(o.path)[0], []).append(o)

    def prefix(self, path: str) -> str:
        for rx, prefix in self.prefixes:
            if rx.search(path):
                return prefix
        return ""

    def _get_returns_list(self, base: str) -> bool | None:
        for o in self.ops_by_base.get(base, []):
            if o.verb != "get":
                continue
            _, schema, _ = self.spec.success_response(o)
            if schema is None:
                return None
            schema, _ = self.spec.split_null(self.spec.deref(schema))
            props, _ = self.spec.object_view(schema)
            data = props.get("data")
            return bool(data is not None and self.spec.deref(data).get("type") == "array")
        return None

    def kind(self, base: str) -> str:
        if any(b.startswith(base + "/{") for b in self.bases):
            return "collection"
        returns_list = self._get_returns_list(base)
        if returns_list:
            return "collection"
        if returns_list is False:
            return "singleton"
        return "action"

    def derive(self, op: Operation) -> MethodName:
        base, _ = split_path(op.path)
        segs = segments(op.path)
        prefix = self.prefix(op.path)
        literals = [s for s in segs if not is_param(s)]
        resource_parts = ([prefix] if prefix else []) + literals
        if is_param(segs[-1]):
            return MethodName(".".join(resource_parts), _VERB_ITEM.get(op.verb, op.verb))
        kind = self.kind(base)
        if kind == "collection":
            return MethodName(".".join(resource_parts), _VERB_COLLECTION.get(op.verb, op.verb))
        if kind == "singleton":
            return MethodName(".".join(resource_parts), _VERB_ITEM.get(op.verb, op.verb))
        parent = "/" + "/".join(segs[:-1])
        if len(segs) > 1 and (is_param(segs[-2]) or parent in self.bases):
            return MethodName(".".join(resource_parts[:-1]), segs[-1])
        return MethodName(".".join(resource_parts), "create")
