"""Per-endpoint tests against the steady mock server: tests/api_resources/**/test_<resource>.py.

For each method, sync and async: required arguments only, every argument, `with_raw_response`,
`with_streaming_response`, and (with path parameters) an empty id raising ValueError before any
request. Argument values are built from the schemas (`Sampler`) so the mock server's request
validation accepts them.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from emit import HEADER
from naming import pascal
from spec import Schema, Spec

if TYPE_CHECKING:
    from context import Generation
    from methods import Method


class Sampler:
    """A valid example value for a schema (first enum value, first union member, required keys)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def value(self, schema: Schema, *, full: bool = False, depth: int = 0) -> Any:
        if depth > 12:
            return None
        schema = self.spec.deref(schema) if isinstance(schema, dict) else {}
        schema, _ = self.spec.split_null(schema)
        if "$ref" in schema:
            return self.value(schema, full=full, depth=depth + 1)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            values = [v for v in schema["enum"] if v is not None]
            return values[0] if values else None
        variants = schema.get("oneOf") or schema.get("anyOf")
        if variants and not schema.get("properties"):
            return self.value(self.pick_variant(variants), full=full, depth=depth + 1)
        if schema.get("allOf") and not schema.get("properties") and len(schema["allOf"]) == 1:
            return self.value(schema["allOf"][0], full=full, depth=depth + 1)
        t = schema.get("type")
        if isinstance(t, list):
            t = next((x for x in t if x != "null"), "string")
        if t == "object" or "properties" in schema or schema.get("allOf"):
            props, required = self.spec.object_view(schema)
            return {k: self.value(props[k], depth=depth + 1) for k in props if k in required}
        if t == "array":
            n = max(1, int(schema.get("minItems") or 1))
            return [self.value(schema.get("items") or {}, depth=depth + 1) for _ in range(n)]
        if t == "string":
            return self.string(schema)
        if t == "integer":
            return int(schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1) if isinstance(
                schema.get("minimum", schema.get("exclusiveMinimum", 0)), (int, float)) else 0)
        if t == "number":
            low = schema.get("minimum", 0)
            return float(low if isinstance(low, (int, float)) else 0)
        if t == "boolean":
            return True
        return {}

    def pick_variant(self, variants: list[Schema]) -> Schema:
        non_null = [v for v in variants if not self.spec.is_null(v)]
        # a plain string is the value the mock server is least likely to reject
        for v in non_null:
            d = self.spec.deref(v)
            if d.get("type") == "string" and not d.get("enum") and d.get("format") != "binary":
                return v
        for v in non_null:
            if self.spec.split_null(self.spec.deref(v))[0].get("enum"):
                return v
        return non_null[0] if non_null else {}

    def string(self, schema: Schema) -> Any:
        fmt = schema.get("format")
        if fmt == "binary":
            return FileValue()
        if fmt == "uri":
            return "https://example.com"
        if fmt == "date":
            return "2019-12-27"
        if fmt == "date-time":
            return "2019-12-27T18:11:19.117Z"
        if fmt == "email":
            return "dev@stainless.com"
        example = schema.get("example")
        if isinstance(example, str) and len(example) < 60 and "\n" not in example and not schema.get("pattern"):
            return example
        n = int(schema.get("minLength") or 0)
        return "x" * n if n else "string"


class FileValue:
    """Rendered as a bytes literal: a file upload."""

    def __repr__(self) -> str:
        return 'b"raw file contents"'


def py(value: Any) -> str:
    """A Python literal for a sample value."""
    if isinstance(value, FileValue):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {py(v)}" for k, v in value.items()).replace("'", '"') + "}" if value else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


class TestsGenerator:
    def __init__(self, gen: Generation) -> None:
        self.gen = gen
        self.sampler = Sampler(gen.spec)

    def run(self) -> None:
        by_resource: dict[str, list[Method]] = {}
        for m in self.gen.methods:
            by_resource.setdefault(m.resource, []).append(m)
        dirs: set[str] = set()
        for resource, methods in sorted(by_resource.items()):
            parts = resource.split(".")
            rel = "/".join(["tests", "api_resources", *parts[:-1], f"test_{parts[-1]}.py"])
            self.gen.out.add(rel, self.file(resource, sorted(methods, key=lambda m: m.name)))
            for i in range(len(parts)):
                dirs.add("/".join(["tests", "api_resources", *parts[:i]]))
        for d in sorted(dirs):
            if d != "tests/api_resources":
                self.gen.out.add(d + "/__init__.py", HEADER)

    def args(self, m: Method, *, full: bool, empty_path: str | None = None) -> list[str]:
        out: list[str] = []
        for i, a in enumerate(m.path_args):
            value = '""' if a.name == empty_path else py(f"{a.name.replace('_id', '')}_abc123" if a.name.endswith("_id") else "string")
            out.append(value if i == len(m.path_args) - 1 else f"{a.name}={value}")
        if m.path_args:
            last = out.pop()
            out.insert(0, last)
        for a in m.args:
            if a.key == "stream" and m.stream:
                continue
            if a.required or full:
                if a.location == "header" and self.gen.spec.deref(a.schema).get("type") == "array":
                    value = self.sampler.value({"type": "array", "items": self.gen.spec.deref(a.schema).get("items", {})})
                else:
                    value = self.sampler.value(a.schema, full=full)
                out.append(f"{a.name}={py(value)}")
        return out

    def streams(self, m: Method) -> bool:
        """Whether the spec declares the endpoint's event stream (the mock server streams only then)."""
        return "text/event-stream" in self.gen.spec.success_response(m.op)[2]

    def file(self, resource: str, methods: list[Method]) -> str:
        leaf = pascal(resource.rsplit(".", 1)[-1])
        lines = [HEADER.rstrip("\n"), "from __future__ import annotations", "", "import pytest", "",
                 "from pyopenai import AsyncOpenAI, OpenAI", "", "", f"class Test{leaf}:"]
        for m in methods:
            lines += self.method_tests(m, is_async=False)
        lines += ["", "", f"class TestAsync{leaf}:"]
        for m in methods:
            lines += self.method_tests(m, is_async=True)
        text = "\n".join(lines) + "\n"
        if "pytest." not in text.replace("import pytest", ""):
            text = text.replace("import pytest\n\n", "")
        return text

    def call(self, m: Method, args: list[str], *, is_async: bool, via: str = "") -> str:
        client = "async_client" if is_async else "client"
        target = ".".join([client, m.resource] + ([via] if via else []) + [m.name])
        if not args:
            return f"{target}()"
        return f"{target}(\n" + "".join(f"            {a},\n" for a in args) + "        )"

    def stream_only_tests(self, m: Method, *, is_async: bool, test: Any) -> None:
        """An endpoint that always streams: each way of calling it yields events, then closes."""
        aw = "await " if is_async else ""
        w, f = ("async with", "async for") if is_async else ("with", "for")
        skip = None if self.streams(m) else f"{m.op.verb.upper()} {m.op.path} declares no text/event-stream response"
        for suffix, args in (("", self.args(m, full=False)), ("_with_all_params", self.args(m, full=True))):
            call = self.call(m, args, is_async=is_async)
            test(f"method_{m.name}{suffix}", [
                f"        stream = {aw}{call}",
                f"        {w} stream:",
                f"            {f} event in stream:",
                "                assert event is not None",
            ], skip=skip)
        req = self.args(m, full=False)
        call = self.call(m, req, is_async=is_async, via="with_raw_response")
        test(f"raw_response_{m.name}", [
            f"        response = {aw}{call}",
            "        stream = response.parse()",
            f"        {w} stream:",
            f"            {f} event in stream:",
            "                assert event is not None",
        ], skip=skip)
        call = self.call(m, req, is_async=is_async, via="with_streaming_response")
        parse = "await response.parse()" if is_async else "response.parse()"
        test(f"streaming_response_{m.name}", [
            f"        {w} {call} as response:",
            "            assert not response.is_closed",
            f"            stream = {parse}",
            f"            {f} event in stream:",
            "                assert event is not None",
            "        assert response.is_closed is True",
        ], skip=skip)

    def method_tests(self, m: Method, *, is_async: bool) -> list[str]:
        fixture = "async_client: AsyncOpenAI" if is_async else "client: OpenAI"
        d = "async def" if is_async else "def"
        aw = "await " if is_async else ""
        lines: list[str] = []
        req = self.args(m, full=False)
        full = self.args(m, full=True)
        returns_none = m.returns == "None"

        def test(name: str, body: list[str], *, skip: str | None = None) -> None:
            if m.deprecated:  # every call warns; the test expects it
                body = ["        with pytest.warns(DeprecationWarning):", *("    " + line for line in body)]
            head = [f"    @pytest.mark.skip(reason={json.dumps(skip)})"] if skip else []
            lines.extend(["", *head, f"    {d} test_{name}(self, {fixture}) -> None:", *body])

        if m.stream_only:
            self.stream_only_tests(m, is_async=is_async, test=test)
            self.path_param_tests(m, is_async=is_async, test=test)
            return lines
        call = self.call(m, req, is_async=is_async)
        if returns_none:
            test(f"method_{m.name}", [f"        {aw}{call}"])
        else:
            test(f"method_{m.name}", [f"        result = {aw}{call}", "        assert result is not None"])
        if full != req:
            call = self.call(m, full, is_async=is_async)
            if returns_none:
                test(f"method_{m.name}_with_all_params", [f"        {aw}{call}"])
            else:
                test(f"method_{m.name}_with_all_params",
                     [f"        result = {aw}{call}", "        assert result is not None"])
        if m.stream:
            call = self.call(m, [*req, "stream=True"], is_async=is_async)
            w, f = ("async with", "async for") if is_async else ("with", "for")
            test(f"method_{m.name}_stream", [
                f"        stream = {aw}{call}",
                f"        {w} stream:",
                f"            {f} event in stream:",
                "                assert event is not None",
            ], skip=None if self.streams(m) else (
                f"{m.op.verb.upper()} {m.op.path} declares no text/event-stream response: the mock server answers JSON"))
        call = self.call(m, req, is_async=is_async, via="with_raw_response")
        test(f"raw_response_{m.name}", [
            f"        response = {aw}{call}",
            "        assert response.is_closed is True",
            f"        {'result = ' if not returns_none else ''}response.parse()",
        ] + ([] if returns_none else ["        assert result is not None"]))
        call = self.call(m, req, is_async=is_async, via="with_streaming_response")
        w = "async with" if is_async else "with"
        parse = "await response.parse()" if is_async else "response.parse()"
        test(f"streaming_response_{m.name}", [
            f"        {w} {call} as response:",
            "            assert not response.is_closed",
            f"            {parse}",
            "        assert response.is_closed is True",
        ])
        self.path_param_tests(m, is_async=is_async, test=test)
        return lines

    def path_param_tests(self, m: Method, *, is_async: bool, test: Any) -> None:
        """An empty path parameter raises ValueError before any request."""
        aw = "await " if is_async else ""
        for a in m.path_args:
            call = self.call(m, self.args(m, full=False, empty_path=a.name), is_async=is_async)
            test(f"path_params_{m.name}" + ("" if len(m.path_args) == 1 else f"_{a.name}"), [
                f'        with pytest.raises(ValueError, match=r"{re.escape(a.key)}"):',
                f"            {aw}{call.replace(chr(10) + '            ', chr(10) + '                ').replace(chr(10) + '        )', chr(10) + '            )')}",
            ])
