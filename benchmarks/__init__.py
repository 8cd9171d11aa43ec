"""Side-by-side benchmarks of pyopenai, the official ``openai`` SDK and a plain ``httpx2`` floor.

Never imported by the test suite. Run with ``scripts/bench``; see ``benchmarks/README.md``.
"""
