"""Headers and the raw HTTP response, eagerly or streamed."""

from pyopenai import OpenAI

client = OpenAI()
raw = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
print(raw.status_code, raw.headers.get("x-request-id"), raw.headers.get("x-ratelimit-remaining-requests"))
print(raw.parse().choices[0].message.content)

with client.chat.completions.with_streaming_response.create(
    model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
) as response:
    print(response.headers.get("content-type"))
    print(sum(len(line) for line in response.iter_lines()), "characters")
