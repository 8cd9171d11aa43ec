"""Fields the official 3.60 release has on types the generator's config names by a pointer into a
spec schema (codegen/build_overlay.py `extend_pointed`): reachable and typed, not only as extras."""

from __future__ import annotations

from pyopenai.types.realtime.realtime_response_status import RealtimeResponseStatus


def test_a_failed_realtime_response_says_why() -> None:
    status = RealtimeResponseStatus.model_validate(
        {"type": "failed", "error": {"type": "server_error", "code": "overloaded", "message": "Try again later."}}
    )
    assert status.error is not None and status.error.message == "Try again later."
    assert "message" in type(status.error).model_fields
