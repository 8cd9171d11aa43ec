from typing import Any

from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.batch_run import AsyncBatchRun, BatchResult, BatchRun, BatchRunStatus
from pyopenai.types.chat import ChatCompletion
from pyopenai.types.create_embedding_response import CreateEmbeddingResponse
from pyopenai.types.responses import Response

client = OpenAI(api_key="sk-test")
requests = ({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Label {n}"}]} for n in range(10))

# the endpoint decides the results' model
run = client.batches.run(requests, endpoint="/v1/chat/completions", metadata={"job": "labels"})
assert_type(run, BatchRun[ChatCompletion])
assert_type(run.batch_ids, list[str])
assert_type(run.wait(poll_interval=60, timeout=3600), BatchRunStatus)
for result in run.results(order="completion"):
    assert_type(result, BatchResult[ChatCompletion])
    if result.response is not None:
        assert_type(result.response, ChatCompletion)
    elif result.error is not None:
        assert_type(result.error.code, "str | None")
retry = run.retry_failed()
assert_type(retry, "BatchRun[ChatCompletion] | None")

responses = client.batches.run([{"model": "gpt-4o-mini", "input": "hi"}], endpoint="/v1/responses")
assert_type(responses, BatchRun[Response])

resumed = BatchRun.resume(client, "run.json")
assert_type(resumed, BatchRun[Any])

run.results(order="random")  # expect-error
client.batches.run(requests)  # expect-error


async def embed(aclient: AsyncOpenAI) -> None:
    arun = await aclient.batches.run([{"model": "text-embedding-3-small", "input": "x"}], endpoint="/v1/embeddings")
    assert_type(arun, AsyncBatchRun[CreateEmbeddingResponse])
    async for item in arun.results():
        assert_type(item.response, "CreateEmbeddingResponse | None")
    assert_type(await arun.status(), BatchRunStatus)
