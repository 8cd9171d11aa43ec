from pydantic import BaseModel

from pyopenai import OpenAI


class Weather(BaseModel):
    city: str


client = OpenAI(api_key="sk-test")
client.chat.completions.parse(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], temprature=0.2)  # expect-error
client.chat.completions.parse(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], temperature="hot")  # expect-error
client.chat.completions.stream(model="gpt-4o-mini", mesages=[{"role": "user", "content": "hi"}])  # expect-error
client.responses.parse(model="gpt-4o-mini", input="hi", text_fromat=Weather)  # expect-error
client.responses.stream(model="gpt-4o-mini", input="hi", max_output_tokens="many")  # expect-error
completion = client.chat.completions.parse(
    model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], response_format=Weather
)
print(completion.choices[0].message.parsed.city)  # expect-error
with client.chat.completions.stream(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]) as stream:
    for event in stream:
        print(event.delta)  # expect-error
