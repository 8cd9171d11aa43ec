from typing_extensions import assert_type

import pyopenai
from pyopenai import DefaultHttpx2Client, OpenAI
from pyopenai.types.chat import ChatCompletion

client = OpenAI(api_key="sk-test", http_client=DefaultHttpx2Client())
assert_type(pyopenai.OpenAI, type[OpenAI])
pyopenai.api_key = "sk-test"
completion = pyopenai.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
assert_type(completion, ChatCompletion)
