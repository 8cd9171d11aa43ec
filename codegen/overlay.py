"""Applying the overlay (`openapi/overlay.json`, written by build_overlay.py) to the spec document.

The overlay uses the OpenAPI Overlay 1.0 layout: `actions`, each a `target` (a JSONPath limited to
`$`, `.name`, `["key"]` and `[index]`) with an `update` or `remove: true`. Merging is additive:
objects gain the keys they lack, lists gain the items they lack, and a scalar the spec states is
never replaced (a conflicting value is an error); a list update with `x-after` inserts each item
after the spec's item at the index given there instead of appending. `remove` is only honoured on actions that carry
the decision that justifies it (`x-decision`, from codegen/overlay.yaml).

`overlay_config(overlay)` turns the overlay's naming facts (`x-pyopenai` on each operation it
adds or names, `x-pyopenai-types`, `x-pyopenai-aliases`, `x-pyopenai-shared-params`) into entries of the generator's config tables; `merge_config` adds them
where the config says nothing.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r'\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


# marks a `types` entry the overlay added: a spec schema it shares with a config entry keeps the
# config's name as the one its `$ref`s render as (`live.FunctionTool` does not displace `FunctionTool`)
DERIVED = "derived"


class OverlayError(ValueError):
    pass


def parse_target(target: str) -> list[str | int]:
    if not target.startswith("$"):
        raise OverlayError(f"overlay target {target!r} does not start with $")
    out: list[str | int] = []
    pos = 1
    while pos < len(target):
        m = _TOKEN.match(target, pos)
        if m is None:
            raise OverlayError(f"overlay target {target!r}: cannot read from {target[pos:]!r}")
        if m.group(1) is not None:
            out.append(m.group(1))
        elif m.group(2) is not None:
            out.append(int(m.group(2)))
        else:
            out.append(json.loads(m.group(3)))
        pos = m.end()
    return out


def _merge(node: Any, update: Any, where: str) -> Any:
    if isinstance(node, dict) and isinstance(update, dict):
        for key, value in update.items():
            node[key] = _merge(node[key], value, f"{where}.{key}") if key in node else copy.deepcopy(value)
        return node
    if isinstance(node, list) and isinstance(update, list):
        node.extend(copy.deepcopy(v) for v in update if v not in node)
        return node
    if node != update:
        raise OverlayError(f"overlay would replace {where} ({node!r} -> {update!r}): the spec wins")
    return node


def apply_overlay(doc: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """`doc` with the overlay's actions applied (in place; returned for convenience)."""
    for action in overlay.get("actions") or []:
        path = parse_target(action["target"])
        parent: Any = None
        node: Any = doc
        for step in path:
            parent = node
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                if action.get("remove"):
                    node = None  # already gone: a newer spec agrees with the release
                    break
                raise OverlayError(f"overlay target {action['target']!r} is not in the spec") from None
        if action.get("remove"):
            if not action.get("x-decision"):
                raise OverlayError(f"overlay removes {action['target']!r} without a recorded decision")
            if node is not None and parent is not None:
                del parent[path[-1]]
            continue
        if "x-after" in action and isinstance(node, list):
            _insert(node, action["update"], action["x-after"])
        else:
            _merge(node, action["update"], action["target"])
    return doc


def _insert(node: list[Any], items: list[Any], after: list[int]) -> None:
    """`x-after`: each new union member placed after the spec's member at that index (-1: first),
    so the union reads in the release's order; members sharing an anchor keep their order."""
    placed: list[int] = []  # anchors of the items inserted so far
    for item, anchor in zip(items, after, strict=True):
        if item in node:
            continue
        position = anchor + 1 + sum(1 for other in placed if other <= anchor)
        node.insert(min(position, len(node)), copy.deepcopy(item))
        placed.append(anchor)


def overlay_config(overlay: dict[str, Any]) -> dict[str, Any]:
    """The generator config entries the overlay's facts stand for: `methods` and `types`."""
    methods: dict[str, dict[str, Any]] = {}
    for action in overlay.get("actions") or []:
        if action["target"] == "$.paths":
            for path, item in action["update"].items():
                for verb, op in item.items():
                    if op.get("x-pyopenai"):
                        methods[f"{verb.upper()} {path}"] = dict(op["x-pyopenai"])
            continue
        steps = parse_target(action["target"])  # facts on an operation the spec has
        update = action.get("update")
        if len(steps) == 3 and steps[0] == "paths" and isinstance(update, dict) and update.get("x-pyopenai"):
            methods[f"{str(steps[2]).upper()} {steps[1]}"] = dict(update["x-pyopenai"])
    facts: dict[str, Any] = {"methods": methods, "types": overlay.get("x-pyopenai-types") or {},
                             "module_aliases": overlay.get("x-pyopenai-aliases") or {},
                             "shared_params": overlay.get("x-pyopenai-shared-params") or []}
    release = (overlay.get("x-derived-from") or {}).get("version")
    if isinstance(release, str) and release:
        facts["surface_version"] = release
    return facts


def merge_config(config: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`config` with the overlay's entries added where it has none (config always wins), and the
    release the overlay was read from as the surface the package matches: the config's tables name
    the older release they were built from, the overlay brings the surface up to its own."""
    out = dict(config)
    if extra.get("surface_version"):
        out["surface_version"] = extra["surface_version"]
    out["methods"] = {**extra.get("methods", {}), **(config.get("methods") or {})}
    types: dict[str, dict[str, Any]] = {k: dict(v or {}) for k, v in (config.get("types") or {}).items()}
    overridden = config.get("type_overrides") or {}
    for package, names in (extra.get("types") or {}).items():
        table = types.setdefault(package, {})
        for name, entry in names.items():
            if name not in table and name not in (overridden.get(package) or {}):
                table[name] = {**(entry or {}), DERIVED: True}
    out["types"] = types
    aliases = {m: dict(pairs) for m, pairs in (extra.get("module_aliases") or {}).items()}
    for module, pairs in (config.get("module_aliases") or {}).items():
        aliases.setdefault(module, {}).update(pairs)
    if aliases:
        out["module_aliases"] = aliases
    shared = config.get("shared_params")
    if shared and extra.get("shared_params"):  # the config's list, then the release's other names
        names = list(shared.get("names") or [])
        out["shared_params"] = {**shared, "names": names + [n for n in extra["shared_params"] if n not in names]}
    return out


def main() -> int:
    """`python codegen/overlay.py OUT`: write the spec with the overlay applied (for the mock server)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from spec import load_spec

    spec = load_spec()
    Path(sys.argv[1]).write_text(json.dumps(spec.doc), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
