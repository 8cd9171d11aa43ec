from typing_extensions import assert_type

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.types.file_object import FileObject
from pyopenai.types.vector_stores.vector_store_file import VectorStoreFile
from pyopenai.types.vector_stores.vector_store_file_batch import VectorStoreFileBatch
from pyopenai.types.video import Video

client = OpenAI(api_key="sk-test")
assert_type(client.videos.create_and_poll(prompt="A cat on a skateboard", poll_interval_ms=500), Video)
assert_type(client.videos.poll("video_123"), Video)
client.videos.create_and_poll(promt="A cat")  # expect-error

assert_type(client.vector_stores.files.upload_and_poll(vector_store_id="vs_1", file=b"data"), VectorStoreFile)
assert_type(client.vector_stores.files.create_and_poll("file-1", vector_store_id="vs_1"), VectorStoreFile)
assert_type(client.vector_stores.file_batches.upload_and_poll("vs_1", files=[b"a", b"b"]), VectorStoreFileBatch)
assert_type(client.files.wait_for_processing("file-1"), FileObject)
client.vector_stores.files.create_and_poll("file-1")  # expect-error


async def main() -> None:
    async_client = AsyncOpenAI(api_key="sk-test")
    assert_type(await async_client.videos.create_and_poll(prompt="A cat"), Video)
    assert_type(await async_client.vector_stores.file_batches.poll("batch_1", vector_store_id="vs_1"), VectorStoreFileBatch)
