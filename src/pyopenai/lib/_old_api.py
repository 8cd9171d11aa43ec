"""The module-level classes of the pre-1.0 `openai` package (`openai.Completion.create(...)`,
`openai.ChatCompletion.create(...)`, ...), kept as names that explain the move instead of an
`AttributeError`: reading them (or any attribute of them) works, so code that only inspects the
package does not break; calling them raises `APIRemovedInV1`, which says what to call instead.
"""

from __future__ import annotations

from typing import Any

from .._exceptions import OpenAIError

__all__ = ["SYMBOLS", "APIRemovedInV1", "APIRemovedInV1Proxy"]

# the v0 names, and where their calls live now
SYMBOLS: dict[str, str] = {
    "Audio": "client.audio.transcriptions / translations / speech",
    "ChatCompletion": "client.chat.completions.create(...)",
    "Completion": "client.completions.create(...)",
    "Customer": "(no replacement)",
    "Deployment": "(no replacement; Azure deployments are AzureOpenAI(azure_deployment=...))",
    "Edit": "client.chat.completions.create(...) (the edits endpoint is gone)",
    "Embedding": "client.embeddings.create(...)",
    "Engine": "client.models",
    "ErrorObject": "pyopenai.types.ErrorObject",
    "File": "client.files",
    "FineTune": "client.fine_tuning.jobs",
    "FineTuningJob": "client.fine_tuning.jobs",
    "Image": "client.images",
    "Model": "client.models",
    "Moderation": "client.moderations.create(...)",
}


class APIRemovedInV1(OpenAIError):
    """A pre-1.0 module-level API was called; since 1.0 calls go through a client object."""

    def __init__(self, *, symbol: str) -> None:
        super().__init__(
            f"openai.{symbol} is the interface of openai < 1.0, which this package (the openai >= 1.0 "
            f"interface) does not have. Make a client and call it instead: client = OpenAI(), then "
            f"{SYMBOLS.get(symbol, 'the matching client method')}. The official migration guide: "
            "https://github.com/openai/openai-python/discussions/742 (or pin openai==0.28 to keep the old one)."
        )
        self.symbol = symbol


class APIRemovedInV1Proxy:
    """Stands for a removed v0 name: any attribute of it is itself, calling it raises `APIRemovedInV1`."""

    def __init__(self, *, symbol: str) -> None:
        self._symbol = symbol

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)  # copy, pickle and inspect probes get the normal answer
        return self

    def __call__(self, *_args: Any, **_kwargs: Any) -> Any:
        raise APIRemovedInV1(symbol=self._symbol)

    def __repr__(self) -> str:
        return f"<removed v0 API openai.{self._symbol}: calling it raises APIRemovedInV1>"


for _symbol in SYMBOLS:
    globals()[_symbol] = APIRemovedInV1Proxy(symbol=_symbol)
