"""Scripted replies: what the next calls of an endpoint answer, said by the test.

``server.script.chat`` (and ``.responses``, ``.embeddings``, ``.realtime``, ``.agents``) is a queue of
:class:`Reply` values taken in order, one per call; when it is empty, a callback set with
``respond(fn)`` computes the reply from the request; without either, the server's own deterministic
answer is used, or (``strict=True``) the call fails and :meth:`Script.verify` says so.

A :class:`Reply` is endpoint-neutral: the same ``Reply(text="Hi")`` becomes a chat completion, a
response with an ``output_text`` item, or realtime events, and is streamed when the request streams.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._http import Request

__all__ = ["EndpointScript", "Reply", "Script", "ScriptedError", "ToolCall", "Usage"]


@dataclass(frozen=True)
class ToolCall:
    """A function call the model 'decides' to make.

    ``arguments`` is a dict (sent as JSON), a JSON string (sent verbatim, even if invalid: test your
    error handling), or ``None``: plausible arguments generated from the tool's JSON schema in the request.
    """

    name: str
    arguments: Mapping[str, Any] | str | None = None
    call_id: str | None = None


@dataclass(frozen=True)
class Usage:
    """Token counts to report instead of the server's own counts (``None``: counted as usual)."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_tokens: int = 0
    reasoning_tokens: int = 0


@dataclass(frozen=True)
class ScriptedError:
    """An API error answer: ``status`` with the API's error body."""

    status: int
    message: str
    type: str | None = None
    code: str | None = None
    param: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict[str, str])


@dataclass(eq=False)
class Reply:
    """One scripted answer. Set the fields that apply; most tests use the ``EndpointScript`` shorthands.

    - ``text``: the assistant's text (``deltas``: the same text, streamed in exactly these pieces);
    - ``tool_calls``: calls instead of (or, with ``text``, beside) the text;
    - ``refusal``: a refusal instead of text;
    - ``error``: answer with an API error instead;
    - ``usage``: reported token counts; ``finish_reason``: override ``stop``/``tool_calls``;
    - ``embeddings``: vectors for an embeddings call (one per input).

    ``used`` becomes ``True`` once a call consumed it; ``request`` is that call.
    """

    text: str | None = None
    deltas: Sequence[str] | None = None
    tool_calls: Sequence[ToolCall] = ()
    refusal: str | None = None
    error: ScriptedError | None = None
    usage: Usage | None = None
    finish_reason: str | None = None
    embeddings: Sequence[Sequence[float]] | None = None
    used: bool = field(default=False, init=False)
    request: Request | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.deltas is not None:
            self.deltas = [str(d) for d in self.deltas]
            joined = "".join(self.deltas)
            if self.text is not None and self.text != joined:
                raise ValueError("Reply(text=..., deltas=...): the deltas must join to the text")
            self.text = joined

    @property
    def content(self) -> str | None:
        return self.text

    def describe(self) -> str:
        if self.error is not None:
            return f"error {self.error.status} {self.error.message!r}"
        if self.refusal is not None:
            return f"refusal {self.refusal!r}"
        if self.tool_calls:
            return "tool call(s) " + ", ".join(c.name for c in self.tool_calls)
        if self.embeddings is not None:
            return f"{len(self.embeddings)} embedding(s)"
        return f"text {self.text!r}"


Responder = Callable[[Request], "Reply | None"]


class EndpointScript:
    """The scripted replies of one endpoint (see the module docstring). Thread-safe."""

    def __init__(self, name: str, where: str, lock: threading.Lock) -> None:
        self.name = name
        self.where = where
        self._lock = lock
        self._queue: deque[Reply] = deque()
        self._responder: Responder | None = None
        self.replies: list[Reply] = []  # every reply queued since the last reset, used or not

    # -- queueing -----------------------------------------------------------------------------

    def push(self, *replies: Reply) -> Reply:
        """Queue replies (answered in order, one per call); returns the last one."""
        if not replies:
            raise TypeError("push() needs at least one Reply")
        for item in replies:
            if not isinstance(item, Reply):  # pyright: ignore[reportUnnecessaryIsInstance]
                raise TypeError(f"push() takes Reply values, not {type(item).__name__}")
        with self._lock:
            self._queue.extend(replies)
            self.replies.extend(replies)
        return replies[-1]

    def text(self, text: str, *, usage: Usage | None = None, finish_reason: str | None = None) -> Reply:
        """The next call answers ``text``."""
        return self.push(Reply(text=str(text), usage=usage, finish_reason=finish_reason))

    def tool_call(
        self,
        name: str,
        arguments: Mapping[str, Any] | str | None = None,
        *,
        call_id: str | None = None,
        usage: Usage | None = None,
    ) -> Reply:
        """The next call answers with a call of the function ``name`` (``arguments=None``: from its schema)."""
        return self.push(Reply(tool_calls=[ToolCall(name, arguments, call_id)], usage=usage))

    def tool_calls(self, *calls: ToolCall, usage: Usage | None = None) -> Reply:
        """The next call answers with several (parallel) tool calls."""
        return self.push(Reply(tool_calls=list(calls), usage=usage))

    def structured(self, value: Any, *, usage: Usage | None = None) -> Reply:
        """The next call answers ``value`` as JSON text (what structured outputs parse)."""
        return self.push(Reply(text=json.dumps(value), usage=usage))

    def stream(self, deltas: Iterable[str], *, usage: Usage | None = None) -> Reply:
        """The next call answers the concatenated text; a streamed call gets exactly these deltas."""
        return self.push(Reply(deltas=list(deltas), usage=usage))

    def refusal(self, text: str, *, usage: Usage | None = None) -> Reply:
        """The next call refuses with ``text``."""
        return self.push(Reply(refusal=str(text), usage=usage))

    def error(
        self,
        status: int,
        message: str = "Scripted error.",
        *,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """The next call fails with ``status`` and the API's error body."""
        return self.push(Reply(error=ScriptedError(status, message, type, code, param, dict(headers or {}))))

    def vectors(self, vectors: Sequence[Sequence[float]], *, usage: Usage | None = None) -> Reply:
        """The next embeddings call answers these vectors (one per input)."""
        return self.push(Reply(embeddings=[list(v) for v in vectors], usage=usage))

    def respond(self, responder: Responder | None) -> None:
        """Compute replies from the request when the queue is empty: ``responder(request) -> Reply | None``
        (``None``: the server's own answer). ``respond(None)`` removes it."""
        with self._lock:
            self._responder = responder

    # -- inspection -----------------------------------------------------------------------------

    @property
    def pending(self) -> list[Reply]:
        """Queued replies no call has taken yet."""
        with self._lock:
            return list(self._queue)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self.replies.clear()
            self._responder = None

    def take_next(self) -> tuple[Reply | None, Responder | None]:
        with self._lock:
            if self._queue:
                return self._queue.popleft(), None
            return None, self._responder


class Script:
    """Scripted replies per endpoint: ``chat``, ``responses``, ``embeddings``, ``realtime``, ``agents``."""

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self._lock = threading.Lock()
        self.chat = EndpointScript("chat", "POST /v1/chat/completions", self._lock)
        self.responses = EndpointScript("responses", "POST /v1/responses (and over WebSocket)", self._lock)
        self.embeddings = EndpointScript("embeddings", "POST /v1/embeddings", self._lock)
        self.realtime = EndpointScript("realtime", "response.create on /v1/realtime", self._lock)
        # each agent turn takes one reply, and one more after the results of its tool calls
        self.agents = EndpointScript("agents", "agent turns: POST /v1/agents/sessions/{id}/events", self._lock)
        self.problems: list[str] = []  # unscripted calls (strict mode) and failing responders

    @property
    def endpoints(self) -> tuple[EndpointScript, ...]:
        return (self.chat, self.responses, self.embeddings, self.realtime, self.agents)

    def take(self, endpoint: str, request: Request) -> Reply | None:
        """The reply for this call, or ``None`` for the server's own answer.

        Raises :class:`UnscriptedCall` in strict mode when nothing is scripted, and
        :class:`ResponderFailed` when the callback raised (both recorded for :meth:`verify`).
        """
        script: EndpointScript = getattr(self, endpoint)
        reply, responder = script.take_next()
        if reply is None and responder is not None:
            try:
                reply = responder(request)
            except Exception as exc:
                problem = f"the {endpoint} responder raised {type(exc).__name__}: {exc} (for {_summary(request)})"
                self._problem(problem)
                raise ResponderFailed(problem) from exc
            if reply is not None and not isinstance(reply, Reply):  # pyright: ignore[reportUnnecessaryIsInstance]
                problem = f"the {endpoint} responder returned {type(reply).__name__}, not a Reply or None"
                self._problem(problem)
                raise ResponderFailed(problem)
        if reply is None:
            if self.strict:
                problem = (
                    f"strict mode: no scripted reply for {endpoint} ({_summary(request)}); "
                    f"script one first, e.g. server.script.{endpoint}.text(...)"
                )
                self._problem(problem)
                raise UnscriptedCall(problem)
            return None
        reply.used = True
        reply.request = request
        return reply

    def _problem(self, text: str) -> None:
        with self._lock:
            self.problems.append(text)

    def unused(self) -> list[tuple[str, Reply]]:
        return [(s.name, r) for s in self.endpoints for r in s.pending]

    def findings(self) -> list[str]:
        """Calls with no scripted reply (strict mode), failing responders, and (strict mode) scripted
        replies no call used."""
        with self._lock:
            problems = list(self.problems)
        if self.strict:
            problems += [f"scripted {name} reply never used: {reply.describe()}" for name, reply in self.unused()]
        return problems

    def verify(self) -> None:
        """Raise ``AssertionError`` naming every problem :meth:`findings` lists."""
        fail_on(self.findings())

    def reset(self) -> None:
        for script in self.endpoints:
            script.clear()
        with self._lock:
            self.problems.clear()


def fail_on(problems: list[str]) -> None:
    if problems:
        raise AssertionError("pyopenai.testing:\n  - " + "\n  - ".join(problems))


class UnscriptedCall(Exception):
    """Strict mode: a call with no scripted reply."""


class ResponderFailed(Exception):
    """A ``respond()`` callback raised or returned something that is not a Reply."""


def _summary(request: Request) -> str:
    text = request.body[:120].decode("utf-8", "replace")
    return f"{request.method} {request.path} {text}"
