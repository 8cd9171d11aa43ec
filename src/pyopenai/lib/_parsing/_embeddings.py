"""The official SDK's module path for decoding embeddings (`openai.lib._parsing._embeddings`).

It is `pyopenai.lib.embeddings` itself under a second name (not a copy), so code that patches a
function here (`has_numpy`) changes what `embeddings.create` does, as with the official SDK."""

from __future__ import annotations

import sys

from .. import embeddings as _embeddings
from ..embeddings import EmbeddingRequest as EmbeddingRequest
from ..embeddings import has_numpy as has_numpy
from ..embeddings import parse_embedding_response as parse_embedding_response
from ..embeddings import prepare_embedding_request as prepare_embedding_request

sys.modules[__name__] = _embeddings
