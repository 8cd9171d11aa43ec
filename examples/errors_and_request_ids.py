"""Typed errors, request ids on results and on errors."""

import pyopenai
from pyopenai import OpenAI

client = OpenAI()
completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
print("request id:", completion._request_id)

try:
    client.models.retrieve("no-such-model")
except pyopenai.NotFoundError as err:
    print(f"{type(err).__name__}: status={err.status_code} code={err.code} request_id={err.request_id}")
except pyopenai.APIConnectionError as err:
    print("the server could not be reached:", err.__cause__)
