"""Verify and unwrap a webhook: the embedded server signs an event as the API does (Standard Webhooks)."""

import base64
import json

from pyopenai import InvalidWebhookSignatureError, OpenAI
from pyopenai.testing import LocalServer

secret = "whsec_" + base64.b64encode(b"an example signing key, 32 bytes").decode()
body = json.dumps(
    {"id": "evt_1", "object": "event", "type": "batch.completed", "created_at": 1750000000, "data": {"id": "batch_1"}}
).encode()

with LocalServer(webhook_secret=secret) as server:  # only used here to sign, as the API would
    headers = server.webhook_headers(body)

client = OpenAI(webhook_secret=secret)  # or OPENAI_WEBHOOK_SECRET
event = client.webhooks.unwrap(body, headers)  # verifies, then returns the typed event
print(type(event).__name__, event.type, event.data.id)

try:
    client.webhooks.verify_signature(body.replace(b"batch_1", b"batch_2"), headers)
except InvalidWebhookSignatureError as err:
    print("tampered payload rejected:", err)
