"""Create a response with the Responses API, then continue the conversation."""

from pyopenai import OpenAI

client = OpenAI()
response = client.responses.create(model="gpt-4o", instructions="Be brief.", input="Name a colour.")
print(response.output[0].content[0].text)
follow_up = client.responses.create(model="gpt-4o", input="And another?", previous_response_id=response.id)
print(follow_up.output[0].content[0].text)
