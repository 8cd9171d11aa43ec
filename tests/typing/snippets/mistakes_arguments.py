from pyopenai import OpenAI

client = OpenAI(api_key="sk-test")
client.chat.completions.create(model="gpt-4o-mini", mesages=[{"role": "user", "content": "hi"}])  # expect-error
client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], temprature=0.1)  # expect-error
client.embeddings.create(model="text-embedding-3-small")  # expect-error
OpenAI(api_kye="sk-test")  # expect-error
client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "usr", "content": "hi"}])  # expect-error
