"""A custom logger, and calling an endpoint by path."""

import logging

from pyopenai import OpenAI

handler = logging.StreamHandler()
handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
logger = logging.getLogger("my-app.openai")
logger.addHandler(handler)
logger.setLevel(logging.DEBUG)
# any object with debug/info/warning/error works as logger=; the API key never appears in the output
client = OpenAI(logger=logger, log_level="debug")
models = client.get("/models", cast_to=dict)
print(len(models["data"]), "models")
created = client.post("/embeddings", cast_to=dict, body={"model": "text-embedding-3-small", "input": "hi"})
print(len(created["data"][0]["embedding"]), "dimensions")
