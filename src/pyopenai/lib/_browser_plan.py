"""One browser tool call, decided once for `BrowserToolset` and `AsyncBrowserToolset`.

Order: cancellation probe -> the driver's state (kept for consent) -> decode and check the
arguments -> for a read the caller listed in `confirm_reads`, a read consent -> for navigation,
`url_policy` on the address -> for any state-changing member, `confirm` -> cancellation probe ->
the driver method -> the state again, reported to the model with the result.

What reaches the model is one JSON text (`{"ok": ..., "state": ..., "result"|"error": ...}`),
plus the image for screenshots. A refusal, bad arguments or a `BrowserError` from the driver
become `"ok": false` with a message the model may read; any other driver exception is reported as
a bare failure (its text may hold private data) and a broken state report raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from time import monotonic
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from ._browser_members import BROWSER_MEMBERS, NAVIGATION_MEMBERS, READ_ONLY_MEMBERS, argument_problem
from ._toolset_support import Call, Plan, unawaited
from .tool_diagnostics import ToolDiagnosticObserver, emit_tool_diagnostic

if TYPE_CHECKING:
    from ..types.responses.response_input_item_param import FunctionCallOutput

__all__ = ["BrowserCancelledError", "BrowserError", "BrowserSetup", "execute_plan"]

_IMAGE_MEMBERS = frozenset({"screenshot", "zoom"})
_NO_DRIVER_CALL = frozenset({"list_tabs"})  # answered from the state alone
_SYNC_AWAITABLE = "Synchronous browser driver returned an awaitable; use AsyncBrowserToolset."
_NOT_APPROVED = "Browser action was not approved. Do not retry it unless the user asks."


class BrowserError(Exception):
    """A refusal or failure whose message is safe to show the model; drivers raise it for that."""


class BrowserCancelledError(RuntimeError):
    """The caller's cancellation probe fired before the call produced an output."""


class BrowserSetup:
    """What a toolset was built with: enabled members, driver methods, consent callbacks."""

    def __init__(
        self,
        members: tuple[str, ...],
        methods: Mapping[str, Callable[..., object]],
        confirm: Callable[..., object] | None,
        url_policy: Callable[..., object] | None,
        confirm_reads: frozenset[str],
    ) -> None:
        self.members = members
        self.methods = methods
        self.confirm = confirm
        self.url_policy = url_policy
        self.confirm_reads = confirm_reads


def _origin(url: object) -> str:
    if not isinstance(url, str):
        raise ValueError("tab url must be a string")
    parts = urlsplit(url)
    if not parts.scheme:
        raise ValueError("tab url needs a scheme")
    if not parts.netloc:
        return f"{parts.scheme}:"
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port is not None else "")


def report_state(value: object) -> dict[str, object]:
    """The driver's state as the model sees it: tab URLs reduced to their origins (no paths, queries)."""
    try:
        if not isinstance(value, Mapping):
            raise ValueError("state must be a mapping")
        state = cast("Mapping[str, object]", value)
        tabs: list[dict[str, object]] = []
        for tab in cast("list[object]", state["tabs"]) if isinstance(state.get("tabs"), list) else []:
            empty: Mapping[str, object] = {}
            fields = cast("Mapping[str, object]", tab) if isinstance(tab, Mapping) else empty
            if not (isinstance(fields.get("id"), str) and isinstance(fields.get("title"), str)
                    and isinstance(fields.get("active"), bool)):
                raise ValueError("malformed tab")
            tabs.append({"id": fields["id"], "title": fields["title"], "url": _origin(fields.get("url")),
                         "active": fields["active"]})
        if not isinstance(state.get("tabs"), list):
            raise ValueError("state needs tabs")
        report: dict[str, object] = {"tabs": tabs}
        if "observation" in state:
            report["observation"] = _observation(state["observation"])
        return report
    except (ValueError, TypeError, KeyError) as exc:
        raise RuntimeError("Browser state report failed.") from exc


def _observation(value: object) -> dict[str, object]:
    if not isinstance(value, Mapping):
        raise ValueError("observation must be a mapping")
    fields = cast("Mapping[str, object]", value)
    if fields.get("version") != 1 or not isinstance(fields.get("changes"), list):
        raise ValueError("unknown observation version")
    for name in ("sequence", "dropped_changes"):
        number = fields.get(name)
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise ValueError(f"observation.{name} must be a non-negative integer")
    if not isinstance(fields.get("title_truncated"), bool):
        raise ValueError("observation.title_truncated must be a boolean")
    changes = cast("list[object]", fields["changes"])
    if not all(isinstance(c, Mapping) and isinstance(cast("Mapping[str, object]", c).get("type"), str) for c in changes):
        raise ValueError("malformed observation change")
    return json.loads(json.dumps(dict(fields)))  # an owned, JSON-clean copy


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _image(member: str, value: object) -> dict[str, object]:
    if isinstance(value, Mapping):
        image = cast("Mapping[str, object]", value)
        sources = {k: image[k] for k in ("image_url", "file_id") if isinstance(image.get(k), str) and image[k]}
        if image.get("type") == "input_image" and sources:
            detail = image.get("detail")
            return {"type": "input_image", **sources, **({"detail": detail} if isinstance(detail, str) else {})}
    raise RuntimeError(f"Browser {member} must return a valid input_image.")


def _output(call_id: str, report: dict[str, object], image: dict[str, object] | None = None) -> FunctionCallOutput:
    content: list[dict[str, object]] = [{"type": "input_text", "text": json.dumps(report)}]
    if image is not None:
        content.append(image)
    return cast("FunctionCallOutput", {"type": "function_call_output", "call_id": call_id, "output": content})


def execute_plan(
    setup: BrowserSetup,
    state: Callable[[], object],
    call: object,
    cancelled: Callable[[], bool] | None,
    on_diagnostic: ToolDiagnosticObserver | None,
) -> Plan[FunctionCallOutput]:
    call_id = getattr(call, "call_id", None)
    name = getattr(call, "name", None)
    raw_arguments = getattr(call, "arguments", None)
    if not isinstance(call_id, str) or not isinstance(name, str) or not isinstance(raw_arguments, str):
        raise BrowserError("Browser tool call needs string call_id, name and arguments.")
    member = name.removeprefix("browser_") if name.startswith("browser_") else ""
    if member not in setup.members:
        if member in BROWSER_MEMBERS:
            raise BrowserError("Browser tool is disabled.")
        return _output(call_id, {"ok": False, "error": "Browser tool is unavailable or incomplete."})

    def stop_if_cancelled() -> None:
        if cancelled is not None and cancelled() is True:
            emit_tool_diagnostic(on_diagnostic, "browser", "action", "cancelled", monotonic(), call_id=call_id, member=member)
            raise BrowserCancelledError("Browser execution was cancelled.")

    def current_state() -> Plan[dict[str, object]]:
        reported = yield Call(state)
        if unawaited(reported):
            raise BrowserError(_SYNC_AWAITABLE)
        return report_state(reported)

    def refused(message: str) -> Plan[FunctionCallOutput]:
        return _output(call_id, {"ok": False, "state": (yield from current_state()), "error": message})

    def consent(callback: Callable[..., object], args: tuple[object, ...]) -> Plan[bool]:
        started = monotonic()
        try:
            verdict = yield Call(callback, args)
        except Exception:
            emit_tool_diagnostic(on_diagnostic, "browser", "approval", "policy_failed", started, call_id=call_id, member=member)
            raise
        if unawaited(verdict):  # an async callback given to a sync toolset is not a yes
            verdict = None
        reason = "completed" if verdict is True else "refused"
        emit_tool_diagnostic(on_diagnostic, "browser", "approval", reason, started, call_id=call_id, member=member)
        return verdict is True

    stop_if_cancelled()
    # a read the caller guards with consent reveals nothing, not even the tabs, until allowed
    guarded_read = member in setup.confirm_reads and setup.confirm is not None
    before = None if guarded_read else (yield from current_state())
    try:
        arguments = json.loads(raw_arguments)
    except ValueError:
        return (yield from refused("Browser arguments must be valid JSON."))
    problem = argument_problem(member, arguments)
    if problem is not None:
        return (yield from refused(problem))
    fields = cast("dict[str, Any]", arguments)

    if guarded_read and setup.confirm is not None:
        context = {"member": member, "arguments": json.loads(raw_arguments), "state": None, "call_id": call_id,
                   "phase": "before_read"}
        if not (yield from consent(setup.confirm, (context,))):
            return _output(call_id, {"ok": False, "error": "Browser read was not approved."})
    if member in NAVIGATION_MEMBERS and fields.get("url") is not None and setup.url_policy is not None:
        context = {"member": member, "arguments": json.loads(raw_arguments), "state": before, "call_id": call_id}
        if not (yield from consent(setup.url_policy, (context, fields["url"]))):
            return (yield from refused("Browser navigation was not approved."))
    if member not in READ_ONLY_MEMBERS and setup.confirm is not None:
        context = {"member": member, "arguments": json.loads(raw_arguments), "state": before, "call_id": call_id}
        if not (yield from consent(setup.confirm, (context,))):
            return (yield from refused(_NOT_APPROVED))

    stop_if_cancelled()
    result: object = None
    if member not in _NO_DRIVER_CALL:
        started = monotonic()
        try:
            result = yield Call(setup.methods[member], (fields,))
        except BrowserError as refusal:
            emit_tool_diagnostic(on_diagnostic, "browser", "action", "driver_failed", started, call_id=call_id, member=member)
            return (yield from refused(str(refusal)))
        except Exception:
            emit_tool_diagnostic(on_diagnostic, "browser", "action", "driver_failed", started, call_id=call_id, member=member)
            return (yield from refused("Browser action failed."))
        if unawaited(result):
            raise BrowserError(_SYNC_AWAITABLE)
        emit_tool_diagnostic(on_diagnostic, "browser", "action", "completed", started, call_id=call_id, member=member)
    after = yield from current_state()
    if member in _IMAGE_MEMBERS:
        return _output(call_id, {"ok": True, "state": after}, _image(member, result))
    if member == "run_script" and not (isinstance(result, str) and _encodable(result)):
        raise RuntimeError("Browser script result failed.")
    if result is not None and not isinstance(result, (str, dict, list)):
        raise RuntimeError(f"Browser {member} must return text, a read report, or None.")
    return _output(call_id, {"ok": True, "state": after, "result": result})

