"""Run every example in this folder; the README's demo command calls this.

With OPENAI_API_KEY set, the examples talk to the API (or OPENAI_BASE_URL); without it, the embedded
local server is started and used, so the demo works offline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from pyopenai.testing import LocalServer

HERE = Path(__file__).resolve().parent


def run(examples: list[Path], env: dict[str, str]) -> int:
    failures = 0
    for example in examples:
        print(f"\n=== {example.name} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(example)], env=env, cwd=HERE, timeout=300)
        took = time.perf_counter() - started
        if result.returncode != 0:
            failures += 1
            print(f"--- {example.name} FAILED (exit {result.returncode})", flush=True)
        else:
            print(f"--- ok in {took:.2f} s", flush=True)
    return failures


def main() -> int:
    examples = sorted(p for p in HERE.glob("*.py") if p.name != "run_all.py" and not p.name.startswith("_"))
    started = time.perf_counter()
    if os.environ.get("OPENAI_API_KEY"):
        print("OPENAI_API_KEY is set: running the examples against", os.environ.get("OPENAI_BASE_URL", "the API"))
        failures = run(examples, dict(os.environ))
    else:
        with LocalServer() as server:
            print(f"No OPENAI_API_KEY: running the examples against the embedded local server at {server.url}")
            env = {**os.environ, "OPENAI_API_KEY": "sk-local-demo", "OPENAI_BASE_URL": server.url}
            failures = run(examples, env)
    total = time.perf_counter() - started
    print(f"\n{len(examples) - failures} of {len(examples)} examples ran in {total:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
