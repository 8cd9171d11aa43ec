"""Builds the repository's copy of the OpenAPI spec (`openapi/openapi.json`) from a full spec file.

    scripts/update-spec PATH/TO/openapi.sdk.yml      (or .yaml / .json)

The copy keeps the facts the generator and the mock server read (paths, operations, parameters,
request bodies, responses, schemas, enums, defaults, constraints, names and titles, `x-stainless-*`
naming hints, short example values that the generated tests use as sample arguments) and drops the
prose: descriptions, summaries, documentation metadata (`x-oaiMeta` with its code samples, type
labels) and long examples. The same input always gives byte-identical output, so a newer spec shows
up as a reviewable diff.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

# documentation only: never read by the generator nor by the mock server
PROSE_KEYS = frozenset(
    {"description", "summary", "examples", "externalDocs", "x-oaiMeta", "x-oaiTypeLabel", "x-oaiExpandable"}
)
# keys whose value is a map from a name (a property, a path, a status code, a media type) to an object:
# a key inside such a map is a name, never a keyword, so `properties: {description: ...}` survives
NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "schemas",
        "paths",
        "webhooks",
        "responses",
        "content",
        "encoding",
        "headers",
        "requestBodies",
        "securitySchemes",
        "callbacks",
        "links",
    }
)
# values that are data (copied verbatim: a default object may well contain a `description` key)
DATA_KEYS = frozenset({"enum", "default", "const", "required", "mapping"})
# an example is kept when the generated tests could use it as a sample value (codegen/tests_gen.py)
EXAMPLE_MAX_CHARS = 60
OUTPUT_NAME = "openapi.json"


def keep_example(value: Any) -> bool:
    if isinstance(value, bool | int | float):
        return True
    return isinstance(value, str) and len(value) < EXAMPLE_MAX_CHARS and "\n" not in value


def strip_object(node: Any) -> Any:
    """An OpenAPI object (schema, operation, parameter, ...) without its prose."""
    if isinstance(node, list):
        return [strip_object(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in PROSE_KEYS:
            continue
        if key == "example":
            if keep_example(value):
                out[key] = value
        elif key in DATA_KEYS or key.startswith("x-"):
            out[key] = value
        elif key in NAME_MAPS and isinstance(value, dict):
            out[key] = {name: strip_object(child) for name, child in value.items()}
        elif key == "parameters" and isinstance(value, dict):  # components.parameters is a name map
            out[key] = {name: strip_object(child) for name, child in value.items()}
        else:
            out[key] = strip_object(value)
    return out


def derive(doc: dict[str, Any], source_name: str, source_sha256: str) -> dict[str, Any]:
    """The facts-only copy of `doc`, with a note of where it came from."""
    out = strip_object(doc)
    out.pop("tags", None)  # navigation groups of the reference documentation
    info = out.setdefault("info", {})
    info["x-pyopenai-derived-from"] = {"file": source_name, "sha256": source_sha256}
    add_response_descriptions(out)
    return out


def add_response_descriptions(doc: dict[str, Any]) -> None:
    """OpenAPI requires `description` on every response object; an empty one keeps the copy valid."""
    responses: list[Any] = list((doc.get("components", {}).get("responses") or {}).values())
    for section in ("paths", "webhooks"):
        for item in (doc.get(section) or {}).values():
            for op in item.values() if isinstance(item, dict) else ():
                if isinstance(op, dict) and isinstance(op.get("responses"), dict):
                    responses.extend(op["responses"].values())
    for response in responses:
        if isinstance(response, dict) and "$ref" not in response:
            response.setdefault("description", "")


def render(doc: dict[str, Any]) -> str:
    # one key per line: a newer spec shows up as a readable diff
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def load_source(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml  # the published specs are YAML; PyYAML is a development dependency

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0].startswith("-"):
        print("usage: scripts/update-spec PATH/TO/openapi.sdk.yml [OUTPUT_DIR]", file=sys.stderr)
        return 2
    source = Path(argv[0])
    out_dir = Path(argv[1])
    if not source.is_file():
        print(f"update-spec: {source} is not a file", file=sys.stderr)
        return 2
    raw = source.read_bytes()
    doc = load_source(source)
    if not isinstance(doc, dict) or "paths" not in doc or "components" not in doc:
        print(f"update-spec: {source} does not look like an OpenAPI document (no paths/components)", file=sys.stderr)
        return 1
    text = render(derive(doc, source.name, hashlib.sha256(raw).hexdigest()))
    target = out_dir / OUTPUT_NAME
    out_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    paths = doc["paths"]
    n_ops = sum(1 for item in paths.values() for verb in item if verb in ("get", "post", "put", "patch", "delete"))
    print(
        f"update-spec: wrote {target} ({len(text) // 1024} KiB, {n_ops} operations, "
        f"{len(doc['components'].get('schemas', {}))} schemas) from {source} ({len(raw) // 1024} KiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
