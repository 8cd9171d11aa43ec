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


def _provider(
    options: dict[str, Any], api_key: str | None, token_provider: TokenProvider | None, aws_region: str | None,
    aws_profile: str | None, aws_access_key_id: str | None, aws_secret_access_key: str | None,
    aws_session_token: str | None, aws_credentials_provider: AwsCredentialsProvider | None,
    base_url: str | httpx2.URL | None,
) -> Provider:
    given = options.pop("provider", None)
    if isinstance(given, Provider):  # a copy made by with_options(): the same provider
        return given
    return bedrock(
        region=aws_region, base_url=NOT_GIVEN if base_url is None else base_url,
        api_key=NOT_GIVEN if api_key is None else api_key, token_provider=token_provider, profile=aws_profile,
        access_key_id=aws_access_key_id, secret_access_key=aws_secret_access_key, session_token=aws_session_token,
        credential_provider=aws_credentials_provider,
    )


class BedrockOpenAI(OpenAI):
    """`OpenAI` for Amazon Bedrock; the other keywords are `OpenAI`'s."""

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
        provider = _provider(options, api_key, bedrock_token_provider, aws_region, aws_profile, aws_access_key_id,
                             aws_secret_access_key, aws_session_token, aws_credentials_provider, base_url)
        super().__init__(provider=provider, **options)


class AsyncBedrockOpenAI(AsyncOpenAI):
    """`AsyncOpenAI` for Amazon Bedrock; the other keywords are `AsyncOpenAI`'s."""

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
        provider = _provider(options, api_key, bedrock_token_provider, aws_region, aws_profile, aws_access_key_id,
                             aws_secret_access_key, aws_session_token, aws_credentials_provider, base_url)
        super().__init__(provider=provider, **options)
