import httpx2
from typing_extensions import assert_type

import pyopenai
from pyopenai import OpenAI

client = OpenAI(api_key="sk-test")
try:
    client.models.retrieve("gpt-4o-mini")
except pyopenai.APIStatusError as error:
    assert_type(error.status_code, int)
    assert_type(error.response, httpx2.Response)
    assert_type(error.message, str)
except pyopenai.APIConnectionError as error:
    assert_type(error.request, httpx2.Request)
except pyopenai.APIError as error:
    assert_type(error.body, "object | None")
