"""Server-sent events: Responses and Chat Completions streams."""

from pyopenai import OpenAI

client = OpenAI()
with client.responses.create(model="gpt-4o", input="Say 'double bubble bath' ten times fast", stream=True) as stream:
    for event in stream:
        if event.type == "response.output_text.delta":
            print(event.delta, end="", flush=True)
print()

for chunk in client.chat.completions.create(
    model="gpt-4o", messages=[{"role": "user", "content": "Stream me"}], stream=True
):
    if chunk.choices:
        print(chunk.choices[0].delta.content or "", end="", flush=True)
print()
