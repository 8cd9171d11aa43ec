"""Bring your own httpx2 client: proxies, limits, transports, event hooks."""

import httpx2

from pyopenai import OpenAI

requests_seen: list[str] = []
http_client = httpx2.Client(
    limits=httpx2.Limits(max_connections=10),
    event_hooks={"request": [lambda request: requests_seen.append(f"{request.method} {request.url.path}")]},
    # proxy="http://my.proxy:8080",  # a proxy goes here
)
with OpenAI(http_client=http_client) as client:
    client.models.list()
print(requests_seen)
