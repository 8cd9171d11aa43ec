"""Helpers for beta APIs: `pyopenai.lib.beta.agents` (the Agents API)."""
