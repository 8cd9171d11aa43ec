"""`openai.lib._webhooks` under the official SDK's private path: code written against it imports
`webhook_signature_matches` from here. The verification itself lives in `pyopenai.lib.webhooks`."""

from __future__ import annotations

from .webhooks import webhook_signature_matches

__all__ = ["webhook_signature_matches"]
