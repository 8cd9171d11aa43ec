"""pyopenai: a light, fast client for the OpenAI API with the official SDK's call surface.

Public names load on first use (`import pyopenai` stays cheap); see `_EXPORTS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._lazy import lazy_exports
from ._types import NOT_GIVEN as NOT_GIVEN
from ._types import NotGiven as NotGiven
from ._types import Omit as Omit
from ._types import omit as omit
from ._version import __title__ as __title__
from ._version import __version__ as __version__

if TYPE_CHECKING:
    import httpx2
    from httpx2 import Timeout as Timeout

    from . import lib as lib
    from . import pagination as pagination
    from . import resources as resources
    from . import testing as testing
    from . import types as types
    from ._aiohttp import DefaultAioHttpClient as DefaultAioHttpClient
    from ._client import AsyncOpenAI as AsyncOpenAI
    from ._client import OpenAI as OpenAI
    from ._compat_alias import install_as_openai as install_as_openai
    from ._default_clients import DEFAULT_CONNECTION_LIMITS as DEFAULT_CONNECTION_LIMITS
    from ._default_clients import DEFAULT_MAX_RETRIES as DEFAULT_MAX_RETRIES
    from ._default_clients import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
    from ._default_clients import DefaultAsyncHttpx2Client as DefaultAsyncHttpx2Client
    from ._default_clients import DefaultAsyncHttpxClient as DefaultAsyncHttpxClient
    from ._default_clients import DefaultHttpx2Client as DefaultHttpx2Client
    from ._default_clients import DefaultHttpxClient as DefaultHttpxClient
    from ._exceptions import APIConnectionError as APIConnectionError
    from ._exceptions import APIError as APIError
    from ._exceptions import APIResponseValidationError as APIResponseValidationError
    from ._exceptions import APIStatusError as APIStatusError
    from ._exceptions import APITimeoutError as APITimeoutError
    from ._exceptions import AuthenticationError as AuthenticationError
    from ._exceptions import BadRequestError as BadRequestError
    from ._exceptions import ConflictError as ConflictError
    from ._exceptions import ContentFilterFinishReasonError as ContentFilterFinishReasonError
    from ._exceptions import InternalServerError as InternalServerError
    from ._exceptions import InvalidWebhookSignatureError as InvalidWebhookSignatureError
    from ._exceptions import LengthFinishReasonError as LengthFinishReasonError
    from ._exceptions import NotFoundError as NotFoundError
    from ._exceptions import OAuthError as OAuthError
    from ._exceptions import OpenAIError as OpenAIError
    from ._exceptions import PermissionDeniedError as PermissionDeniedError
    from ._exceptions import RateLimitError as RateLimitError
    from ._exceptions import SubjectTokenProviderError as SubjectTokenProviderError
    from ._exceptions import UnprocessableEntityError as UnprocessableEntityError
    from ._files import file_from_path as file_from_path
    from ._files import to_file as to_file
    from ._models import BaseModel as BaseModel
    from ._rate_limiter import RateLimiter as RateLimiter
    from ._rate_limits import RateLimits as RateLimits
    from ._residency import DataResidency as DataResidency
    from ._response import APIResponse as APIResponse
    from ._response import AsyncAPIResponse as AsyncAPIResponse
    from ._response import HttpxBinaryResponseContent as HttpxBinaryResponseContent
    from ._retry_policy import RetryAttempt as RetryAttempt
    from ._retry_policy import RetryPolicy as RetryPolicy
    from ._streaming import AsyncStream as AsyncStream
    from ._streaming import Stream as Stream
    from ._telemetry import instrument as instrument
    from ._telemetry import uninstrument as uninstrument
    from ._types import RequestOptions as RequestOptions
    from .lib._tools import pydantic_function_tool as pydantic_function_tool
    from .lib._tools import pydantic_responses_function_tool as pydantic_responses_function_tool
    from .lib.azure import AsyncAzureOpenAI as AsyncAzureOpenAI
    from .lib.azure import AzureOpenAI as AzureOpenAI
    from .lib.realtime import WebSocketConnectionClosedError as WebSocketConnectionClosedError
    from .lib.realtime import WebSocketQueueFullError as WebSocketQueueFullError
    from .lib.streaming.assistants import AssistantEventHandler as AssistantEventHandler
    from .lib.streaming.assistants import AsyncAssistantEventHandler as AsyncAssistantEventHandler
    from .providers._bedrock_clients import AsyncBedrockOpenAI as AsyncBedrockOpenAI
    from .providers._bedrock_clients import BedrockOpenAI as BedrockOpenAI
    from .resources._root import RootWithRawResponse as _RootWithRawResponse
    from .resources._root import RootWithStreamingResponse as _RootWithStreamingResponse
    from .resources.admin import Admin as _Admin
    from .resources.audio import Audio as _Audio
    from .resources.batches import Batches as _Batches
    from .resources.beta import Beta as _Beta
    from .resources.chat import Chat as _Chat
    from .resources.completions import Completions as _Completions
    from .resources.containers import Containers as _Containers
    from .resources.content_provenance_checks import ContentProvenanceChecks as _ContentProvenanceChecks
    from .resources.conversations import Conversations as _Conversations
    from .resources.decisions import Decisions as _Decisions
    from .resources.embeddings import Embeddings as _Embeddings
    from .resources.evals import Evals as _Evals
    from .resources.files import Files as _Files
    from .resources.fine_tuning import FineTuning as _FineTuning
    from .resources.images import Images as _Images
    from .resources.live import Live as _Live
    from .resources.models import Models as _Models
    from .resources.moderations import Moderations as _Moderations
    from .resources.realtime import Realtime as _Realtime
    from .resources.responses import Responses as _Responses
    from .resources.safety import Safety as _Safety
    from .resources.skills import Skills as _Skills
    from .resources.uploads import Uploads as _Uploads
    from .resources.vector_stores import VectorStores as _VectorStores
    from .resources.videos import Videos as _Videos
    from .resources.webhooks import Webhooks as _Webhooks

    # the module-level client's resources (`pyopenai.chat.completions.create(...)`), made on first use;
    # tests/test_package_namespace.py keeps them the same as OpenAI's
    admin: _Admin
    audio: _Audio
    batches: _Batches
    beta: _Beta
    chat: _Chat
    completions: _Completions
    containers: _Containers
    content_provenance_checks: _ContentProvenanceChecks
    conversations: _Conversations
    decisions: _Decisions
    embeddings: _Embeddings
    evals: _Evals
    files: _Files
    fine_tuning: _FineTuning
    images: _Images
    live: _Live
    models: _Models
    moderations: _Moderations
    realtime: _Realtime
    responses: _Responses
    safety: _Safety
    skills: _Skills
    uploads: _Uploads
    vector_stores: _VectorStores
    videos: _Videos
    webhooks: _Webhooks
    with_raw_response: _RootWithRawResponse
    with_streaming_response: _RootWithStreamingResponse

    Client = OpenAI
    AsyncClient = AsyncOpenAI

_EXPORTS: dict[str, str] = {
    "OpenAI": "._client",
    "AsyncOpenAI": "._client",
    "Client": "._client:OpenAI",
    "AsyncClient": "._client:AsyncOpenAI",
    "AzureOpenAI": ".lib.azure",
    "AsyncAzureOpenAI": ".lib.azure",
    "BaseModel": "._models",
    "RateLimits": "._rate_limits",
    "RateLimiter": "._rate_limiter",
    "RetryPolicy": "._retry_policy",
    "RetryAttempt": "._retry_policy",
    "instrument": "._telemetry",
    "uninstrument": "._telemetry",
    "APIResponse": "._response",
    "AsyncAPIResponse": "._response",
    "HttpxBinaryResponseContent": "._response",
    "Stream": "._streaming",
    "AsyncStream": "._streaming",
    "RequestOptions": "._types",
    "Timeout": "httpx2",
    "file_from_path": "._files",
    "pydantic_function_tool": ".lib._tools",
    "pydantic_responses_function_tool": ".lib._tools",
    "WebSocketConnectionClosedError": ".lib.realtime",
    "WebSocketQueueFullError": ".lib.realtime",
    "AssistantEventHandler": ".lib.streaming.assistants",
    "AsyncAssistantEventHandler": ".lib.streaming.assistants",
    "to_file": "._files",
    "install_as_openai": "._compat_alias",
    "types": ".types",
    "pagination": ".pagination",
    "resources": ".resources",
    "lib": ".lib",
    "testing": ".testing",
}
for _name in (
    "DEFAULT_TIMEOUT DEFAULT_MAX_RETRIES DEFAULT_CONNECTION_LIMITS DefaultHttpx2Client DefaultAsyncHttpx2Client "
    "DefaultHttpxClient DefaultAsyncHttpxClient"
).split():
    _EXPORTS[_name] = "._default_clients"
_EXPORTS["DataResidency"] = "._residency"
_EXPORTS["DefaultAioHttpClient"] = "._aiohttp"
_EXPORTS["BedrockOpenAI"] = ".providers._bedrock_clients"
_EXPORTS["AsyncBedrockOpenAI"] = ".providers._bedrock_clients"
for _name in (
    "OpenAIError APIError APIStatusError APIConnectionError APITimeoutError APIResponseValidationError "
    "BadRequestError AuthenticationError PermissionDeniedError NotFoundError ConflictError "
    "UnprocessableEntityError RateLimitError InternalServerError LengthFinishReasonError "
    "ContentFilterFinishReasonError InvalidWebhookSignatureError OAuthError SubjectTokenProviderError"
).split():
    _EXPORTS[_name] = "._exceptions"

not_given = NOT_GIVEN  # the official SDK's newer, lower-case name for the sentinel

# The module-level client's settings (`pyopenai.api_key = "..."`), as in the official SDK.
api_key: str | None = None
organization: str | None = None
project: str | None = None
admin_api_key: str | None = None
webhook_secret: str | None = None
base_url: str | None = None
websocket_base_url: str | None = None
timeout: float | httpx2.Timeout | None = None
max_retries: int | None = None
default_headers: dict[str, str] | None = None
default_query: dict[str, object] | None = None
http_client: Any = None
# "openai" or "azure" (default: OPENAI_API_TYPE, else "openai"); the Azure settings below apply with "azure"
api_type: str | None = None
api_version: str | None = None
azure_endpoint: str | None = None
azure_deployment: str | None = None
azure_ad_token: str | None = None
azure_ad_token_provider: Any = None


if not TYPE_CHECKING:  # checkers see the names imported above, and an unknown name is an error for them

    # the removed v0 module-level API (`openai.Completion.create(...)`): calling it says what to call now;
    # hidden from type checkers and `dir()`, as code should not start using it
    _REMOVED_V0 = frozenset(
        "Audio ChatCompletion Completion Customer Deployment Edit Embedding Engine ErrorObject File FineTune "
        "FineTuningJob Image Model Moderation".split()
    )

    def _module_resource(name: str) -> Any:
        if name in _REMOVED_V0:
            from .lib import _old_api

            return getattr(_old_api, name)
        from ._module_client import module_resource

        resource = module_resource(name)
        if resource is None:
            raise AttributeError(f"module 'pyopenai' has no attribute {name!r}")
        return resource

    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, fallback=_module_resource)
