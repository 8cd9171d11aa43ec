"""The four ways to give a file: a path, an open file, bytes with a name, and to_file()."""

import io
from pathlib import Path

from pyopenai import OpenAI, to_file

client = OpenAI()
path = Path("example-input.jsonl")
path.write_text('{"prompt": "hello", "completion": "world"}\n')
try:
    print(client.files.create(file=path, purpose="fine-tune").filename)  # a pathlib.Path
    with path.open("rb") as handle:  # an open binary file, streamed
        print(client.files.create(file=handle, purpose="fine-tune").filename)
    print(client.files.create(file=("named.jsonl", path.read_bytes()), purpose="fine-tune").filename)
    print(client.files.create(file=to_file(io.BytesIO(path.read_bytes()), "buffer.jsonl"), purpose="fine-tune").filename)
finally:
    path.unlink()
