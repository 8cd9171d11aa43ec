"""`BedrockOpenAI` / `AsyncBedrockOpenAI`: the clients configured for Amazon Bedrock with the official
SDK's older keyword names (`aws_region=`, `aws_access_key_id=`, ...). New code can write
`OpenAI(provider=bedrock(...))`; both are the same client."""

from __future__ import annotations

from typing import Any

import httpx2

from .._client import AsyncOpenAI, OpenAI
from .._types import NOT_GIVEN
from ._provider import Provider, TokenProvider
from .bedrock import AwsCredentialsProvider, bedrock

__all__ = ["AsyncBedrockOpenAI", "BedrockOpenAI"]


class _BedrockKeywords:
    """The Bedrock keywords of both clients, turned into `provider=bedrock(...)` for `OpenAI`/`AsyncOpenAI`."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        bedrock_token_provider: TokenProvider | None = None,
        aws_region: str | None = None,
        aws_profile: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        aws_credentials_provider: AwsCredentialsProvider | None = None,
        base_url: str | httpx2.URL | None = None,
        **options: Any,
    ) -> None:
        provider = options.pop("provider", None)
        if not isinstance(provider, Provider):  # a copy made by with_options() passes its provider on
            provider = bedrock(
                region=aws_region, base_url=NOT_GIVEN if base_url is None else base_url,
                api_key=NOT_GIVEN if api_key is None else api_key, token_provider=bedrock_token_provider,
                profile=aws_profile, access_key_id=aws_access_key_id, secret_access_key=aws_secret_access_key,
                session_token=aws_session_token, credential_provider=aws_credentials_provider,
            )
        super().__init__(provider=provider, **options)  # pyright: ignore[reportCallIssue]
        self.aws_region: str | None = provider.region
        """The AWS region in use: `aws_region=`, else the environment's, else the one of a Bedrock base URL."""


class BedrockOpenAI(_BedrockKeywords, OpenAI):
    """`OpenAI` for Amazon Bedrock; the other keywords are `OpenAI`'s."""


class AsyncBedrockOpenAI(_BedrockKeywords, AsyncOpenAI):
    """`AsyncOpenAI` for Amazon Bedrock; the other keywords are `AsyncOpenAI`'s."""
