"""Run one memory scenario in a fresh process and print its peak RSS growth as JSON.

    python memory_probe.py PHASE BASE_URL [SIZE]

PHASE is `upload`, `download`, `async-download`, `stream`, or `download-whole` (the control: a
non-streamed download, which holds the whole body, so the probe must see it). The peak resident set size is reset
(`/proc/self/clear_refs`) once the client is warm, so the figure is what the scenario itself added
at its worst moment: VmHWM after it minus VmRSS before it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path


def status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
        return True
    except OSError:
        return False


def main() -> None:
    phase, base_url = sys.argv[1], sys.argv[2]
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 300 * 1024 * 1024
    from pyopenai import AsyncOpenAI, OpenAI

    measured: dict[str, object] = {}

    def start() -> None:
        """From here on, what the process adds is the scenario's."""
        measured["before_kb"] = status_kb("VmRSS")
        measured["peak_reset"] = reset_peak()

    def stop() -> None:
        measured["peak_kb"] = status_kb("VmHWM")
        measured["growth_kb"] = measured["peak_kb"] - measured["before_kb"]  # type: ignore[operator]

    client = OpenAI(api_key="sk-memory", base_url=base_url, timeout=60.0, max_retries=0)
    client.models.retrieve("warm-up")  # imports, pool, first-call caches: not the scenario's cost
    with tempfile.TemporaryDirectory() as tmp:
        if phase == "upload":
            source = Path(tmp) / "big.jsonl"
            with open(source, "wb") as f:
                f.truncate(size)  # sparse: reading it costs no disk, only what the client holds
            start()
            measured["id"] = client.files.create(file=source, purpose="batch").id
            stop()
        elif phase == "download":
            start()
            with client.files.with_streaming_response.content("file-big") as response:
                response.stream_to_file(os.devnull)
                measured["bytes"] = response.http_response.num_bytes_downloaded
            stop()
        elif phase == "download-whole":  # the control: a non-streamed download holds the body, and shows
            start()
            measured["bytes"] = len(client.files.content("file-big").content)
            stop()
        elif phase == "async-download":
            async def download() -> None:
                async with AsyncOpenAI(api_key="sk-memory", base_url=base_url, timeout=60.0) as aclient:
                    await aclient.models.retrieve("warm-up")
                    start()
                    async with aclient.files.with_streaming_response.content("file-big") as response:
                        await response.stream_to_file(os.devnull)
                        measured["bytes"] = response.http_response.num_bytes_downloaded
                    stop()

            asyncio.run(download())
        elif phase == "stream":
            start()
            count = 0
            for chunk in client.chat.completions.create(model="m", messages=[], stream=True):
                count += len(chunk.choices)
            measured["events"] = count
            stop()
        else:
            raise SystemExit(f"unknown phase {phase}")
    client.close()
    print(json.dumps({"phase": phase, **measured}))


if __name__ == "__main__":
    main()
