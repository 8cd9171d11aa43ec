"""Hosted OpenAI APIs for `OpenAI(provider=...)`: Amazon Bedrock and Google Vertex AI.

    from pyopenai import OpenAI
    from pyopenai.providers import bedrock, vertex

    client = OpenAI(provider=bedrock(region="us-east-1"))
    client = OpenAI(provider=vertex(project="my-project", location="global"))

A provider sets the base URL and authenticates each request (bearer tokens, AWS Signature Version 4,
Google credentials); it cannot be combined with `api_key`, `base_url`, `workload_identity` or
`data_residency`.
"""

from __future__ import annotations

from ._provider import Provider
from .bedrock import AwsCredentialsProvider, BedrockEndpoint, BedrockTokenProvider, bedrock
from .vertex import VertexTokenProvider, vertex

__all__ = [
    "AwsCredentialsProvider",
    "BedrockEndpoint",
    "BedrockTokenProvider",
    "Provider",
    "VertexTokenProvider",
    "bedrock",
    "vertex",
]
