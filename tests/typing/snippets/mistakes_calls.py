from pyopenai import OpenAI
from pyopenai.types.chat.completion_create_params import CompletionCreateParamsNonStreaming
from pyopenai.types.responses import ResponseInputParam

client = OpenAI(api_key="sk-test")
client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], max_tokens="10")  # expect-error
client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "tool", "content": "42"}])  # expect-error
conversation: ResponseInputParam = [{"role": "user", "content": "hi"}]
conversation.append({"role": "assistant", "content": "hello"})  # a List alias: appending is fine
params: CompletionCreateParamsNonStreaming = {"model": "gpt-4o-mini", "messages": []}
params["messages"].append({"role": "user", "content": "hi"})  # expect-error


async def main() -> None:
    await client.models.list()  # expect-error
