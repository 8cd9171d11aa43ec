"""`openai.lib._bedrock_auth` under the official SDK's private path. pyopenai signs Bedrock requests
itself (`pyopenai.providers._sigv4`, no AWS SDK needed for keys); botocore is imported only for AWS
profiles and the default credential chain, by `_load_botocore`."""

from __future__ import annotations

from ..providers.bedrock import load_botocore as _load_botocore

__all__ = ["_load_botocore"]
