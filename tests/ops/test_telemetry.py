"""OpenTelemetry spans and metrics per call, read back from the OpenTelemetry SDK's in-memory exporters."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import pyopenai
from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.testing import LocalServer

MESSAGES: Any = [{"role": "user", "content": "secret plans"}]


class Otel:
    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.metrics = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.metrics])

    def finished(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())

    def points(self, name: str) -> list[Any]:
        data = self.metrics.get_metrics_data()
        found: list[Any] = []
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        found.extend(metric.data.data_points)
        return found


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


@pytest.fixture
def otel() -> Otel:
    return Otel()


def _client(server: LocalServer, otel: Otel, **options: Any) -> OpenAI:
    return OpenAI(base_url=server.url, api_key="sk-test", tracer_provider=otel.tracer_provider,
                  meter_provider=otel.meter_provider, **options)


def _check_chat_span(span: ReadableSpan, server: LocalServer) -> None:
    attributes = dict(span.attributes or {})
    assert span.name == "chat gpt-4o" and span.kind is SpanKind.CLIENT
    assert attributes["gen_ai.operation.name"] == "chat"
    assert attributes["gen_ai.provider.name"] == "openai"
    assert attributes["gen_ai.request.model"] == "gpt-4o"
    assert attributes["gen_ai.request.temperature"] == 0.5
    assert str(attributes["gen_ai.response.id"]).startswith("chatcmpl")
    assert str(attributes["openai.request.id"]).startswith("req_")
    assert attributes["gen_ai.usage.input_tokens"] > 0 and attributes["gen_ai.usage.output_tokens"] > 0  # type: ignore[operator]
    assert attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert attributes["server.address"] == "127.0.0.1" and attributes["server.port"] == server.port
    # content capture is off by default: the conversation stays out of the telemetry
    assert "gen_ai.input.messages" not in attributes and "gen_ai.output.messages" not in attributes
    assert "secret plans" not in json.dumps({k: str(v) for k, v in attributes.items()})


def test_a_chat_call_makes_one_span_and_duration_and_token_metrics(server: LocalServer, otel: Otel) -> None:
    client = _client(server, otel)
    reply = client.chat.completions.create(model="gpt-4o", messages=MESSAGES, temperature=0.5)
    (span,) = otel.finished()
    _check_chat_span(span, server)
    assert span.status.status_code is StatusCode.UNSET
    (duration,) = otel.points("gen_ai.client.operation.duration")
    assert duration.count == 1 and duration.sum > 0
    assert duration.attributes["gen_ai.operation.name"] == "chat"
    tokens = {p.attributes["gen_ai.token.type"]: p.sum for p in otel.points("gen_ai.client.token.usage")}
    assert reply.usage is not None
    assert tokens == {"input": reply.usage.prompt_tokens, "output": reply.usage.completion_tokens}


async def test_async_chat_call_makes_the_same_span(server: LocalServer, otel: Otel) -> None:
    client = AsyncOpenAI(base_url=server.url, api_key="sk-test", tracer_provider=otel.tracer_provider,
                         meter_provider=otel.meter_provider)
    await client.chat.completions.create(model="gpt-4o", messages=MESSAGES, temperature=0.5)
    (span,) = otel.finished()
    _check_chat_span(span, server)


def test_a_stream_ends_its_span_when_the_stream_ends(server: LocalServer, otel: Otel) -> None:
    client = _client(server, otel)
    stream = client.chat.completions.create(
        model="gpt-4o", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    assert otel.finished() == []  # the call returned, the stream is still open
    chunks = list(stream)
    assert chunks
    (span,) = otel.finished()
    attributes = dict(span.attributes or {})
    assert attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert attributes["gen_ai.usage.output_tokens"] > 0  # type: ignore[operator]


async def test_async_stream_closed_early_still_ends_its_span(server: LocalServer, otel: Otel) -> None:
    client = AsyncOpenAI(base_url=server.url, api_key="sk-test", tracer_provider=otel.tracer_provider)
    stream = await client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)
    async for _ in stream:
        break
    await stream.close()
    (span,) = otel.finished()
    assert span.name == "chat gpt-4o"


def test_errors_and_retries_are_on_the_span(server: LocalServer, otel: Otel) -> None:
    client = _client(server, otel)
    server.faults.error(503, times=1)
    server.faults.error(400, times=1)
    with pytest.raises(pyopenai.BadRequestError):
        client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    (span,) = otel.finished()
    assert span.status.status_code is StatusCode.ERROR
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "400" and attributes["http.response.status_code"] == 400
    retries = [e for e in span.events if e.name == "retry"]
    assert len(retries) == 1 and dict(retries[0].attributes or {})["http.response.status_code"] == 503
    (duration,) = otel.points("gen_ai.client.operation.duration")
    assert duration.attributes["error.type"] == "400"


def test_content_capture_when_asked(server: LocalServer, otel: Otel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
    client = _client(server, otel)
    client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    attributes = dict(otel.finished()[0].attributes or {})
    assert "secret plans" in str(attributes["gen_ai.input.messages"])
    assert "assistant" in str(attributes["gen_ai.output.messages"])


def test_other_endpoints_get_a_plain_span(server: LocalServer, otel: Otel) -> None:
    _client(server, otel).models.list()
    (span,) = otel.finished()
    assert span.name == "models"
    assert dict(span.attributes or {})["http.request.method"] == "GET"


def test_instrument_turns_it_on_for_every_client_and_uninstrument_off(server: LocalServer, otel: Otel) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    pyopenai.instrument(tracer_provider=otel.tracer_provider, meter_provider=otel.meter_provider)
    try:
        client.embeddings.create(model="text-embedding-3-small", input="hello")
    finally:
        pyopenai.uninstrument()
    client.embeddings.create(model="text-embedding-3-small", input="hello")
    (span,) = otel.finished()
    assert span.name == "embeddings text-embedding-3-small"


def test_with_options_copies_keep_the_clients_providers(server: LocalServer, otel: Otel) -> None:
    _client(server, otel).with_options(timeout=10).models.list()
    assert len(otel.finished()) == 1


def test_telemetry_off_imports_nothing_of_opentelemetry() -> None:
    code = (
        "import sys, httpx2, pyopenai\n"
        "client = pyopenai.OpenAI(api_key='sk-x', http_client=httpx2.Client(transport=httpx2.MockTransport("
        "lambda r: httpx2.Response(200, json={'object': 'list', 'data': []}))))\n"
        "client.models.list()\n"
        "print(any(name.startswith('opentelemetry') for name in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
