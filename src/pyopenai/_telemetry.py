"""OpenTelemetry instrumentation (the `pyopenai[otel]` extra): a span and metrics per API call.

Off unless asked for, and then free: a client without telemetry checks one attribute per call and
this module imports nothing of OpenTelemetry until `instrument()` or a client's
`tracer_provider=`/`meter_provider=` turns it on.

Spans follow the OpenTelemetry semantic conventions for generative AI clients: named
"{operation} {model}" (`chat gpt-4o`), kind CLIENT, with the operation, provider, request model and
parameters, response id and model, token usage and finish reasons; an error sets the span's
status and `error.type`; each retry is an event on the call's span; a streamed call's span ends
when the stream ends (exhausted, closed or abandoned). Metrics: `gen_ai.client.operation.duration`
(seconds) and `gen_ai.client.token.usage` (tokens, by `gen_ai.token.type`). Message content is
recorded only with `capture_content=True` (or OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true).
"""

from __future__ import annotations

import contextvars
import json
import os
import time
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from ._exceptions import APIStatusError, OpenAIError
from ._version import __version__

if TYPE_CHECKING:
    from ._retry_policy import RetryAttempt

__all__ = ["CallSpan", "Telemetry", "current_call", "instrument", "uninstrument"]

_CAPTURE_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
# the URL path's last segments -> the semantic conventions' operation name
_OPERATIONS = (
    ("/chat/completions", "chat"),
    ("/responses", "chat"),
    ("/completions", "text_completion"),
    ("/embeddings", "embeddings"),
)
_REQUEST_PARAMETERS = (
    ("temperature", "gen_ai.request.temperature"),
    ("top_p", "gen_ai.request.top_p"),
    ("max_tokens", "gen_ai.request.max_tokens"),
    ("max_completion_tokens", "gen_ai.request.max_tokens"),
    ("max_output_tokens", "gen_ai.request.max_tokens"),
    ("frequency_penalty", "gen_ai.request.frequency_penalty"),
    ("presence_penalty", "gen_ai.request.presence_penalty"),
    ("seed", "gen_ai.request.seed"),
    ("n", "gen_ai.request.choice.count"),
    ("service_tier", "openai.request.service_tier"),
)

_global: Telemetry | None = None
# the span of the call being sent in this thread or task (read by the retry path only)
_current: contextvars.ContextVar[CallSpan | None] = contextvars.ContextVar("pyopenai_call_span", default=None)


def instrument(
    *, tracer_provider: Any = None, meter_provider: Any = None, capture_content: bool | None = None
) -> None:
    """Trace and measure every client's calls (providers default to OpenTelemetry's global ones)."""
    global _global
    _global = Telemetry(tracer_provider=tracer_provider, meter_provider=meter_provider, capture_content=capture_content)


def uninstrument() -> None:
    """Undo `instrument()`: clients without their own providers stop recording."""
    global _global
    _global = None


def global_telemetry() -> Telemetry | None:
    return _global


def current_call() -> CallSpan | None:
    return _current.get()


def _import_otel() -> tuple[Any, Any]:
    try:
        from opentelemetry import metrics, trace
    except ImportError as err:  # pragma: no cover - depends on what is installed
        raise OpenAIError(
            "OpenTelemetry instrumentation needs the otel extra: pip install 'pyopenai[otel]'"
        ) from err
    return trace, metrics


class Telemetry:
    """A tracer and the two GenAI client metrics, from the given providers (or the global ones)."""

    def __init__(self, *, tracer_provider: Any = None, meter_provider: Any = None, capture_content: bool | None = None) -> None:
        trace, metrics = _import_otel()
        self.trace = trace
        self.tracer = trace.get_tracer("pyopenai", __version__, tracer_provider=tracer_provider)
        meter = metrics.get_meter("pyopenai", __version__, meter_provider=meter_provider)
        self.duration = meter.create_histogram(
            "gen_ai.client.operation.duration", unit="s", description="Duration of GenAI client operations"
        )
        self.token_usage = meter.create_histogram(
            "gen_ai.client.token.usage", unit="{token}", description="Tokens used by GenAI client operations"
        )
        if capture_content is None:
            capture_content = os.environ.get(_CAPTURE_ENV, "").strip().lower() in ("1", "true", "yes")
        self.capture_content = capture_content

    def start(self, method: str, url: str, body: Mapping[str, Any] | None, base_url: str) -> CallSpan:
        return CallSpan(self, method, url, body, base_url)


def _operation(method: str, url: str) -> tuple[str, bool]:
    """(operation name, whether it is a generative AI operation) for a call."""
    path = urlsplit(url).path.rstrip("/")
    if method.upper() == "POST":
        for suffix, name in _OPERATIONS:
            if path.endswith(suffix):
                return name, True
    # other endpoints: the resource, low-cardinality ("files", "models", "batches")
    segments = [s for s in path.split("/") if s and s != "v1"]
    return (segments[0] if segments else "request"), False


class CallSpan:
    """The span of one call, from its first attempt to its result (or a stream's end)."""

    __slots__ = (
        "_attributes", "_ended", "_finish_reasons", "_input_tokens", "_output_tokens", "_response_model",
        "_started", "_telemetry", "_token", "error_type", "span",
    )

    def __init__(self, telemetry: Telemetry, method: str, url: str, body: Mapping[str, Any] | None, base_url: str) -> None:
        self._telemetry = telemetry
        operation, generative = _operation(method, url)
        model = body.get("model") if body else None
        target = urlsplit(url if "://" in url else base_url)
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": operation,
            "gen_ai.provider.name": "openai",
            "gen_ai.system": "openai",
        }
        if target.hostname:
            attributes["server.address"] = target.hostname
        if target.port:
            attributes["server.port"] = target.port
        if isinstance(model, str):
            attributes["gen_ai.request.model"] = model
        self._attributes = dict(attributes)  # what the metrics carry (low cardinality)
        if generative and body:
            for name, attribute in _REQUEST_PARAMETERS:
                value = body.get(name)
                if isinstance(value, (int, float, str)) and not isinstance(value, bool):
                    attributes[attribute] = value
            if telemetry.capture_content:
                for name in ("messages", "input", "prompt", "instructions"):
                    if name in body:
                        attributes["gen_ai.input.messages" if name != "instructions" else "gen_ai.system_instructions"] = (
                            _to_json(body[name])
                        )
        else:
            attributes["http.request.method"] = method.upper()
        name = f"{operation} {model}" if isinstance(model, str) else operation
        self.span: Any = telemetry.tracer.start_span(name, kind=telemetry.trace.SpanKind.CLIENT, attributes=attributes)
        self._started = time.perf_counter()
        self._ended = False
        self._finish_reasons: list[str] = []
        self._input_tokens: int | None = None
        self._output_tokens: int | None = None
        self._response_model: str | None = None
        self.error_type: str | None = None
        self._token: contextvars.Token[CallSpan | None] | None = None

    # -- the call in progress --------------------------------------------------------------------------

    def enter(self) -> None:
        """Make this the current call of this thread or task (until `leave`)."""
        self._token = _current.set(self)

    def leave(self) -> None:
        if self._token is not None:
            _current.reset(self._token)
            self._token = None

    def __enter__(self) -> CallSpan:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: object) -> None:
        """The call is back (the sync and async clients alike): an error ends the span; either way, leave it."""
        if error is not None:
            self.failed(error)
        self.leave()

    def retry(self, attempt: RetryAttempt) -> None:
        attributes: dict[str, Any] = {"retry.attempt": attempt.attempt, "retry.delay_s": attempt.delay}
        if attempt.response is not None:
            attributes["http.response.status_code"] = attempt.response.status_code
        if attempt.error is not None:
            attributes["error.type"] = type(attempt.error).__name__
        self.span.add_event("retry", attributes)

    def response_headers(self, status: int, headers: Mapping[str, str]) -> None:
        self.span.set_attribute("http.response.status_code", status)
        request_id = headers.get("x-request-id")
        if request_id:
            self.span.set_attribute("openai.request.id", request_id)

    # -- the outcome -----------------------------------------------------------------------------------

    def succeeded(self, result: Any) -> Any:
        """Record a result; a stream ends the span when it ends, anything else ends it now."""
        from ._streaming import AsyncStream, Stream

        # a stream reads its events through its `_iterator` generator: observe them on their way
        stream: object = result
        if isinstance(stream, Stream):
            setattr(stream, "_iterator", self._follow(getattr(stream, "_iterator")))  # noqa: B009, B010  # pyright: ignore[reportUnknownArgumentType]
            return result
        if isinstance(stream, AsyncStream):
            setattr(stream, "_iterator", self._afollow(getattr(stream, "_iterator")))  # noqa: B009, B010  # pyright: ignore[reportUnknownArgumentType]
            return result
        http_response = getattr(result, "http_response", None)
        if http_response is not None:  # a raw response: what the answer's headers say
            self.response_headers(http_response.status_code, http_response.headers)
        else:
            self._observe(result)
        self.end()
        return result

    def failed(self, error: BaseException) -> None:
        if isinstance(error, APIStatusError):
            self.error_type = str(error.status_code)
            self.response_headers(error.status_code, error.response.headers)
        else:
            self.error_type = type(error).__qualname__
        self.span.set_attribute("error.type", self.error_type)
        self.span.record_exception(error)
        self.span.set_status(self._telemetry.trace.Status(self._telemetry.trace.StatusCode.ERROR, str(error)[:200]))
        self.end()

    def _follow(self, events: Iterator[Any]) -> Generator[Any, None, None]:
        try:
            for event in events:
                self._observe_event(event)
                yield event
        except BaseException as err:
            self._stream_failed(err)
            raise
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()
            self.end()

    async def _afollow(self, events: AsyncIterator[Any]) -> AsyncGenerator[Any, None]:
        try:
            async for event in events:
                self._observe_event(event)
                yield event
        except BaseException as err:
            self._stream_failed(err)
            raise
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()
            self.end()

    def _stream_failed(self, error: BaseException) -> None:
        if not self._ended and not isinstance(error, GeneratorExit):  # GeneratorExit: closed early, not failed
            self.failed(error)

    def _observe_event(self, event: Any) -> None:
        nested = getattr(event, "response", None)  # Responses API events carry the response so far
        if nested is not None and getattr(event, "type", "") in ("response.completed", "response.incomplete", "response.failed"):
            self._observe(nested)
            return
        self._observe(event)

    def _observe(self, result: Any) -> None:
        span = self.span
        response_id = getattr(result, "id", None)
        if isinstance(response_id, str):
            span.set_attribute("gen_ai.response.id", response_id)
        request_id = getattr(result, "_request_id", None)
        if isinstance(request_id, str):
            span.set_attribute("openai.request.id", request_id)
        model = getattr(result, "model", None)
        if isinstance(model, str):
            self._response_model = model
            span.set_attribute("gen_ai.response.model", model)
        usage = getattr(result, "usage", None)
        if usage is not None:
            input_tokens = _first_int(usage, "prompt_tokens", "input_tokens")
            output_tokens = _first_int(usage, "completion_tokens", "output_tokens")
            if input_tokens is not None:
                self._input_tokens = input_tokens
                span.set_attribute("gen_ai.usage.input_tokens", input_tokens)
            if output_tokens is not None:
                self._output_tokens = output_tokens
                span.set_attribute("gen_ai.usage.output_tokens", output_tokens)
        choices = getattr(result, "choices", None)
        if isinstance(choices, list):
            for choice in choices:  # pyright: ignore[reportUnknownVariableType]
                reason = getattr(choice, "finish_reason", None)  # pyright: ignore[reportUnknownArgumentType]
                if isinstance(reason, str):
                    self._finish_reasons.append(reason)
            if self._finish_reasons:
                span.set_attribute("gen_ai.response.finish_reasons", list(self._finish_reasons))
            if self._telemetry.capture_content:
                messages: list[Any] = [getattr(c, "message", None) for c in cast("list[Any]", choices)]
                span.set_attribute("gen_ai.output.messages", _to_json(messages))
        status = getattr(result, "status", None)
        if isinstance(status, str) and getattr(result, "object", None) == "response":
            self._finish_reasons = [status]
            span.set_attribute("gen_ai.response.finish_reasons", [status])
            if self._telemetry.capture_content:
                output = getattr(result, "output", None)
                if output is not None:
                    span.set_attribute("gen_ai.output.messages", _to_json(output))

    def end(self) -> None:
        if self._ended:
            return
        self._ended = True
        self.span.end()
        attributes = dict(self._attributes)
        if self._response_model is not None:
            attributes["gen_ai.response.model"] = self._response_model
        if self.error_type is not None:
            attributes["error.type"] = self.error_type
        telemetry = self._telemetry
        telemetry.duration.record(time.perf_counter() - self._started, attributes)
        for kind, count in (("input", self._input_tokens), ("output", self._output_tokens)):
            if count is not None:
                telemetry.token_usage.record(count, {**attributes, "gen_ai.token.type": kind})


def _first_int(obj: Any, *names: str) -> int | None:
    for name in names:
        value = getattr(obj, name, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _to_json(value: Any) -> str:
    def default(obj: Any) -> Any:
        to_dict = getattr(obj, "to_dict", None)
        if callable(to_dict):
            return to_dict()
        return str(obj)

    try:
        return json.dumps(value, default=default, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)
