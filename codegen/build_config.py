"""Helper, run by hand (not by scripts/generate): (re)builds the tables at the end of config.yaml.

It converts facts about the official surface (`codegen/surface/3.3.1/`: methods.tsv, types.tsv,
operations.tsv, renames.tsv) into overrides of what the generator derives from the spec.
To learn which spec schema an official type name stands for, it compares property-name sets of
the spec's schemas with the field names of the official package's types (`definitions.tsv`: names,
kinds, bases and alias values of that release's `types`, read with `ast` from its wheel) and the
draft rename table of spec-notes.md (Appendix A). Its only input is committed facts, so a rerun
gives no diff whatever `openai` is installed. Everything it writes is names; review the diff before
committing.

    .venv/bin/python codegen/build_config.py
    .venv/bin/python codegen/build_config.py --definitions-from DIR   # DIR: an unpacked openai 3.3.1 wheel
"""

from __future__ import annotations

import ast
import difflib
import os
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from config import parse_config  # noqa: E402
from naming import Singularizer, pascal, snake  # noqa: E402
from operations import Namer  # noqa: E402
from spec import load_spec  # noqa: E402

# The facts this tool reads are committed in codegen/surface/3.3.1/ (methods, types, operations, and
# the SDK's renames of spec schemas as a table), so it runs from a plain clone. Only when the
# environment variable PYOPENAI_SHARED names a research folder (api-surface/ and research/ inside)
# does it read the first three from there instead, e.g. to refresh the committed copies.
FACTS = HERE / "surface" / "3.3.1"
RESEARCH = Path(os.environ["PYOPENAI_SHARED"]) if os.environ.get("PYOPENAI_SHARED") else None


def fact_file(name: str, research_path: str) -> Path:
    """A facts table: the committed copy, or the research folder's when PYOPENAI_SHARED is set."""
    path = RESEARCH / research_path if RESEARCH is not None else FACTS / name
    if not path.is_file():
        sys.exit(f"build_config: {path} is missing (the committed copies live in {FACTS})")
    return path


CONFIG = HERE / "config.yaml"
MARKER = "# ---- everything below is written by codegen/build_config.py; edit above, or rerun it ----\n"


def tsv(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:] if line.strip()]


Defs = dict[str, dict[str, tuple[str, Any, list[str]]]]


def read_release_defs(root: Path) -> Defs:
    """{dotted module under types: {name: (kind, bases-or-value, field names)}} of the `types`
    package of a release (a directory holding `openai/`), read with `ast`."""
    root = root / "openai" / "types"
    out: Defs = {}
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith(".py"):
                continue
            p = Path(dirpath) / f
            mod = str(p.relative_to(root))[:-3].replace("/", ".")
            tree = ast.parse(p.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    fields = [
                        s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                    ]
                    out.setdefault(mod, {})[node.name] = ("class", [ast.unparse(b) for b in node.bases], fields)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                    out.setdefault(mod, {})[node.target.id] = ("alias", ast.unparse(node.value), [])
                elif (  # `_Keywords = TypedDict("_Keywords", {"async": bool})`: a base of a TypedDict class
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call)
                    and ast.unparse(node.value.func).endswith("TypedDict")
                    and isinstance(node.targets[0], ast.Name)
                ):
                    out.setdefault(mod, {})[node.targets[0].id] = ("class", ["TypedDict"], [])
                elif (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and not node.targets[0].id.startswith("_")
                ):
                    out.setdefault(mod, {})[node.targets[0].id] = ("alias", ast.unparse(node.value), [])
    return out


DEFS_HEAD = "module\tname\tkind\tbases_or_value\tfields"


def write_defs(defs: Defs, path: Path) -> None:
    """The release's definitions as a facts table (names and type expressions only)."""
    lines = [DEFS_HEAD]
    for mod in sorted(defs):
        for name in sorted(defs[mod]):
            kind, detail, fields = defs[mod][name]
            shown = " | ".join(detail) if kind == "class" else detail
            lines.append("\t".join([mod, name, kind, shown, ",".join(fields)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def is_typeddict(defs: Defs, module: str, info: tuple[str, Any, list[str]], depth: int = 0) -> bool:
    """A TypedDict, or a class of its module deriving from one (`FunctionToolParam(_ReservedKeywords)`)."""
    for base in info[1]:
        parent = defs.get(module, {}).get(base)
        if "TypedDict" in base or (parent and parent[0] == "class" and depth < 5 and is_typeddict(defs, module, parent, depth + 1)):
            return True
    return False


def official_defs() -> Defs:
    """The definitions of the release the tables describe, from the committed `definitions.tsv`
    (never from whichever `openai` happens to be installed: a rerun gives the same tables)."""
    out: Defs = {}
    for r in tsv(FACTS / "definitions.tsv"):
        kind = r["kind"]
        detail: Any = r["bases_or_value"].split(" | ") if kind == "class" and r["bases_or_value"] else r["bases_or_value"]
        if kind == "class" and not r["bases_or_value"]:
            detail = []
        out.setdefault(r["module"], {})[r["name"]] = (kind, detail, [f for f in r["fields"].split(",") if f])
    return out


def appendix_renames() -> dict[tuple[str, str], str]:
    """(module, sdk name) -> spec schema: the official SDK's names for spec schemas (spec-notes.md
    Appendix A, kept as a table in renames.tsv)."""
    return {(r["module"], r["sdk_name"]): r["spec_schema"] for r in tsv(FACTS / "renames.tsv")}


def realtime_event_schema(module: str, name: str, schemas: dict[str, Any]) -> str | None:
    """WebSocket events of `types.realtime` / `types.beta.realtime`: `ResponseAudioDeltaEvent` is
    `RealtimeServerEventResponseAudioDelta` (`RealtimeBetaServerEvent...` in beta), not the
    Responses API's `ResponseAudioDeltaEvent`."""
    if module not in ("types.realtime", "types.beta.realtime") or not name.endswith("Event"):
        return None
    beta = "Beta" if module == "types.beta.realtime" else ""
    stem = name[: -len("Event")]
    for side in ("Server", "Client"):
        candidate = f"Realtime{beta}{side}Event{stem}"
        if candidate in schemas:
            return candidate
    return None


def norm(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "_", key.lower()).rstrip("_")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--definitions-from":  # refresh the committed facts
        write_defs(read_release_defs(Path(sys.argv[2])), FACTS / "definitions.tsv")
        print(f"wrote {FACTS / 'definitions.tsv'}")
        return
    spec = load_spec(overlay=False)  # the tables describe the spec; the overlay brings its own facts
    config_path = CONFIG
    head = config_path.read_text(encoding="utf-8").split(MARKER)[0]
    config = yaml.safe_load(head) or {}
    singular = Singularizer(config.get("naming", {}).get("singular"))
    acronyms: dict[str, str] = config.get("naming", {}).get("acronyms", {})

    def pascal_word(word: str) -> str:
        return "".join(acronyms.get(p, pascal(p)) for p in word.split("_"))

    # ---------------------------------------------------------------- methods
    ops_tsv = {(r["http_method"], r["path"]): r for r in tsv(fact_file("operations.tsv", "research/operations.tsv"))}
    methods_tsv = tsv(fact_file("methods.tsv", "api-surface/methods.tsv"))
    returns_by_key = {(r["http_method"], r["path"], r["resource"], r["method"]): r["returns"] for r in methods_tsv}
    namer = Namer(spec, parse_config(config))
    methods: dict[str, dict[str, Any]] = {}
    extra_methods: list[dict[str, Any]] = []
    for op in spec.operations():
        row = ops_tsv.get((op.verb.upper(), op.path), {})
        derived = namer.derive(op)
        entry: dict[str, Any] = {}
        resource, method = row.get("sdk_resource") or "", row.get("sdk_method") or ""
        if resource and (resource, method) != (derived.resource, derived.method):
            if resource != derived.resource:
                entry["resource"] = resource
            if method != derived.method:
                entry["method"] = method
        resource = resource or derived.resource
        method = method or derived.method
        ret = returns_by_key.get((op.verb.upper(), op.path, resource, method), "")
        if ret:
            entry["returns"] = ret
        page = row.get("sdk_page_class")
        if page:
            entry["page"] = page.replace("Sync", "")
        if "SDK sends multipart" in row.get("request_content_type", ""):
            entry["body"] = "multipart"
        if row.get("binary_response") == "yes":
            entry["binary"] = True
        if row.get("deprecated") == "sdk-only":  # the spec's own `deprecated: true` is read from the spec
            entry["deprecated"] = True
        streaming = row.get("streaming", "no")
        if streaming.startswith("yes") and row.get("binary_response") != "yes":
            m = re.search(r"Stream\[(\w+)\]", row.get("stream_event_schema", ""))
            if m:
                entry["stream"] = m.group(1)
        if entry:
            methods[op.key] = entry
        # second official methods on the same endpoint (deprecated aliases)
        for r in methods_tsv:
            if r["http_method"] == op.verb.upper() and r["path"] == op.path and (r["resource"], r["method"]) != (
                resource,
                method,
            ):
                extra_methods.append(
                    {"endpoint": op.key, "resource": r["resource"], "method": r["method"], "returns": r["returns"]}
                )

    # ---------------------------------------------------------------- types
    rows = tsv(fact_file("types.tsv", "api-surface/types.tsv"))
    defs = official_defs()
    renames = appendix_renames()
    schemas = spec.schemas

    # names the generator synthesizes from methods: params and per-method responses
    method_made: dict[str, set[str]] = defaultdict(set)
    for r in methods_tsv:
        parts = r["resource"].split(".")
        module = (config.get("types_packages") or {}).get(r["resource"]) or ".".join(["types", *parts[:-1]])
        base = pascal_word(singular(parts[-1])) + pascal_word(r["method"])
        method_made[module] |= {base + "Params", base + "ParamsStreaming", base + "ParamsNonStreaming"}
        m = re.match(r"(?:\w+\[)?(\w+)\]?$", r["returns"])
        if m and m.group(1).startswith(base) and m.group(1) not in schemas:
            method_made[module].add(m.group(1))

    where: dict[str, list[str]] = defaultdict(list)
    for mod, d in defs.items():
        for n in d:
            where[n].append(mod)
    for n, mods in where.items():  # the file named after the type first, then the shallowest
        mods.sort(key=lambda m: (m.rsplit(".", 1)[-1] != snake(n), m.count("."), m))

    def official(module: str, name: str) -> tuple[str, tuple[str, Any, list[str]] | None]:
        sub = module[len("types"):].lstrip(".")
        cand = (sub + "." if sub else "") + snake(name)
        if cand in defs and name in defs[cand]:
            return cand, defs[cand][name]
        for w in where.get(name, []):
            return w, defs[w][name]
        return "", None

    shapes: dict[frozenset[str], list[str]] = defaultdict(list)
    for sname, s in schemas.items():
        s2, _ = spec.split_null(s)
        if spec.is_object(s2):
            props, _ = spec.object_view(s2)
            shapes[frozenset(norm(k) for k in props)].append(sname)

    resolved: dict[tuple[str, str], dict[str, Any]] = {}
    unresolved: list[tuple[str, str]] = []
    file_of: dict[tuple[str, str], str] = {}

    def kind_of(module: str, info: tuple[str, Any, list[str]] | None, name: str) -> str:
        if info and info[0] == "class":
            return "param" if is_typeddict(defs, module, info) else "model"
        return "param" if name.endswith("Param") else "model"

    def same_form(param: tuple[str, Any, list[str]] | None, model: tuple[str, Any, list[str]] | None) -> bool:
        """A param is the twin of its model only when both are classes or both aliases: the union
        `ChatCompletionMessageParam` is not the twin of the class `ChatCompletionMessage`."""
        return param is None or model is None or param[0] == model[0]

    for r in rows:
        module, name = r["module"], r["name"]
        if name in method_made.get(module, set()):
            continue
        ofile, info = official(module, name)
        default_file = (module[len("types"):].lstrip(".") + "." if module != "types" else "") + snake(name)
        if ofile and ofile != default_file:
            file_of[(module, name)] = "types." + ofile
        kind = kind_of(ofile, info, name)
        entry: dict[str, Any] = {}
        if info and info[0] == "alias" and re.fullmatch(r"[A-Za-z_][\w.]*", info[1] or ""):
            target = info[1].rsplit(".", 1)[-1]
            if target != name and not target.startswith("_"):  # (a private target is no public name to re-export)
                entry = {"alias": target}
        if not entry:
            # the rename table is per module: it wins over a schema that merely shares the name
            # (`types.realtime.RealtimeSessionCreateRequest` is `RealtimeSessionCreateRequestGA`)
            event = realtime_event_schema(module, name, schemas)
            if (module, name) in renames:
                entry = {"schema": renames[(module, name)]}
            elif event:
                entry = {"schema": event}
            elif name in schemas:
                entry = {"schema": name}
            elif kind == "param" and name.endswith("Param") and same_form(info, official(module, name[:-5])[1]):
                entry = {"twin": name[:-5]}
            elif info and info[0] == "class":
                fields = frozenset(norm(x) for x in info[2])
                cands = list(shapes.get(fields, []))
                if not cands and fields:
                    best, score = [], 0.0
                    for shape, names in shapes.items():
                        j = len(shape & fields) / max(1, len(shape | fields))
                        if j > score:
                            best, score = names, j
                    if score >= 0.75:
                        cands = list(best)
                beta = name.startswith("Beta")
                cands = [c for c in cands if c.startswith("Beta") == beta] or cands
                if cands:
                    cands.sort(key=lambda c: (-difflib.SequenceMatcher(None, c, name).ratio(), c))
                    entry = {"schema": cands[0]}
        if kind == "param" and "twin" not in entry and "alias" not in entry:
            entry["kind"] = "param"
        elif kind == "model" and name.endswith("Param"):  # a model despite its name (`ResponseCompactionItemParam`)
            entry["kind"] = "model"
        if {"schema", "twin", "alias"} & set(entry):
            resolved[(module, name)] = entry
        else:
            unresolved.append((module, name))
            resolved[(module, name)] = {"schema": None, **entry}

    # unions and enums by members: official `Union[A, B]` vs spec unions whose members resolve to A, B
    schema_to_names: dict[str, set[str]] = defaultdict(set)
    for (_module, name), e in resolved.items():
        if e.get("schema"):
            schema_to_names[e["schema"]].add(name)
    for module, name in list(unresolved):
        _, info = official(module, name)
        if not info or info[0] != "alias":
            continue
        value: str = info[1]
        members = set(re.findall(r"\b([A-Z]\w+)\b", value)) - {"Union", "Annotated", "Literal", "List", "Optional",
                                                               "PropertyInfo", "Dict"}
        lits = set(re.findall(r"'([^']*)'", value))
        best, score = None, 0.0
        for sname, s in schemas.items():
            s2, _ = spec.split_null(s)
            variants = s2.get("oneOf") or s2.get("anyOf")
            if s2.get("type") == "array":
                variants = [s2.get("items", {})]
            mnames: set[str] = set()
            svals: set[str] = set(str(v) for v in s2.get("enum", []) or [])
            for v in variants or []:
                ref = spec.ref_name(v)
                if ref:
                    mnames |= schema_to_names.get(ref, set()) | {ref}
                v2 = spec.deref(v)
                svals |= set(str(x) for x in v2.get("enum", []) or [])
            union = (members | lits)
            got = (mnames & members) | (svals & lits)
            if not union:
                continue
            j = len(got) / len(union | (mnames if members else set()) | (svals if lits else set()))
            j += 0.01 * difflib.SequenceMatcher(None, sname, name).ratio()
            if j > score:
                best, score = sname, j
        if best and score >= 0.5:
            e = {"schema": best}
            if name.endswith("Param"):
                e["kind"] = "param"
            resolved[(module, name)] = e
            unresolved.remove((module, name))

    # ---------------------------------------------------------------- write
    types_table: dict[str, dict[str, Any]] = {}
    for (module, name), e in sorted(resolved.items()):
        e = dict(e)
        if (module, name) in file_of:
            e["file"] = file_of[(module, name)]
        if e == {"schema": name}:
            e = None  # type: ignore[assignment]
        types_table.setdefault(module, {})[name] = e
    tables = {
        "methods": dict(sorted(methods.items())),
        "extra_methods": extra_methods,
        "types": types_table,
    }
    text = head.rstrip("\n") + "\n\n" + MARKER + yaml.safe_dump(tables, sort_keys=False, width=200)
    config_path.write_text(text, encoding="utf-8")
    print(f"methods overrides: {len(methods)}; types: {len(resolved)}; unresolved: {len(unresolved)}")
    for module, name in unresolved:
        print("  unresolved", module, name)


if __name__ == "__main__":
    main()
