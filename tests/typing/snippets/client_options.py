from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, AzureOpenAI, OpenAI

client = OpenAI(api_key="sk-test")
assert_type(client.with_options(timeout=10, max_retries=0), OpenAI)
assert_type(client.copy(base_url="https://example.com/v1", default_headers={"x-team": "a"}), OpenAI)
client.with_options(timeot=5)  # expect-error
client.with_options(max_retries="3")  # expect-error

async_client = AsyncOpenAI(api_key="sk-test")
assert_type(async_client.with_options(timeout=None), AsyncOpenAI)

azure = AzureOpenAI(api_key="k", api_version="2024-10-21", azure_endpoint="https://r.openai.azure.com")
assert_type(azure.with_options(azure_ad_token="token", max_retries=1), AzureOpenAI)
