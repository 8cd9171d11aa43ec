"""Embeddings, as floats."""

from pyopenai import OpenAI

client = OpenAI()
result = client.embeddings.create(model="text-embedding-3-small", input=["first text", "second text"])
print(len(result.data), "vectors of", len(result.data[0].embedding), "dimensions; usage:", result.usage.total_tokens)
