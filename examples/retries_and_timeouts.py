"""Retries (default 2) and timeouts (default 600 s), per client and per request."""

import httpx2

from pyopenai import OpenAI

client = OpenAI(max_retries=0, timeout=20.0)  # no retries, 20 s timeouts for every request
patient = client.with_options(max_retries=5)  # shares the connection pool
print(patient.models.list().data[0].id)
fine_grained = client.with_options(timeout=httpx2.Timeout(60.0, read=5.0, write=10.0, connect=2.0))
print(fine_grained.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}], timeout=15.0).id)
