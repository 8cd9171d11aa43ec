"""The official SDK's module path for its Amazon Bedrock clients (`from openai.lib.bedrock import
BedrockOpenAI`); they live in `pyopenai.providers`, with the rest of the Bedrock support."""

from ..providers._bedrock_clients import AsyncBedrockOpenAI, BedrockOpenAI
from ..providers.bedrock import BedrockTokenProvider

__all__ = ["AsyncBedrockOpenAI", "BedrockOpenAI", "BedrockTokenProvider"]
