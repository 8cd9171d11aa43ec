from pyopenai import OpenAI
from pyopenai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam
from pyopenai.types.responses import ResponseInputImageContentParam, ResponseInputParam

messages: list[ChatCompletionMessageParam] = [
    {"role": "developer", "content": "Answer in French."},
    {"role": "user", "content": [{"type": "text", "text": "Hello"}]},
]
messages.append({"role": "assistant", "content": "Bonjour"})
messages.append({"role": "tool", "tool_call_id": "call_1", "content": "42"})

tools: list[ChatCompletionToolParam] = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]

conversation: ResponseInputParam = [{"role": "user", "content": "Hi"}]
conversation.append({"role": "assistant", "content": "Hello"})

client = OpenAI(api_key="sk-test")
client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=tools)
client.responses.create(model="gpt-4o-mini", input=conversation)

# a tool's image output leaves `detail` to its default, as the official type allows
image_part: ResponseInputImageContentParam = {"type": "input_image", "image_url": "data:image/jpeg;base64,AAAA"}
conversation.append({"type": "function_call_output", "call_id": "call_1", "output": [image_part]})
