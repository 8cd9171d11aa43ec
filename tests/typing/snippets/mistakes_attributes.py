from pyopenai import OpenAI

client = OpenAI(api_key="sk-test")
completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
print(completion.choices[0].mesage)  # expect-error
response = client.responses.create(model="gpt-4o-mini", input="hi")
print(response.output_txt)  # expect-error
page = client.models.list()
print(page.dat)  # expect-error
