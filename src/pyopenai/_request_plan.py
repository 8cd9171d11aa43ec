"""The request plan: everything one API call needs to be sent, sent again on a retry, or sent again
for the next page. A plan is data; the client turns it into an HTTP request for each attempt.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

import httpx2

from ._options import check_max_retries
from ._retry_policy import RetryPolicy
from ._types import NOT_GIVEN, NotGiven, Omit, RequestOptions

__all__ = ["FinalRequestOptions", "Mode", "RequestPlan", "body_plan", "plan_from_options"]

# What a call returns: the parsed result, an `APIResponse` with the body read, or one left unread.
Mode = Literal["parse", "raw", "stream"]


@dataclass
class RequestPlan:
    """Everything one API call needs to be sent (and re-sent on retry or for the next page)."""

    method: str
    url: str
    params: Mapping[str, object] | None = None
    headers: Mapping[str, str | Omit] | None = None
    json_data: Mapping[str, object] | None = None
    extra_json: Mapping[str, object] | None = None
    multipart: bool = False
    file_fields: tuple[str, ...] = ()
    # a raw body (bytes, a file object, an iterator of chunks) instead of JSON
    content: bytes | str | Any = None
    content_type: str | None = None
    accept: str | None = None
    security: Literal["api_key", "admin"] | None = None
    max_retries: int | NotGiven = NOT_GIVEN
    retry: RetryPolicy | None = None  # this call's own policy (None: the client's)
    timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN
    deadline: float | NotGiven | None = NOT_GIVEN
    idempotency_key: str | None = None
    follow_redirects: bool | None = None  # None: as the HTTP client does
    # applied to the parsed result (e.g. decoding base64 embeddings the client asked for)
    post_parse: Callable[[Any], Any] | None = None

    def with_params(self, params: Mapping[str, object]) -> RequestPlan:
        plan = copy.copy(self)  # as `dataclasses.replace` would, without its per-field work (one per page)
        plan.params = {**(self.params or {}), **params}
        return plan

    def with_default_headers(self, headers: Mapping[str, str]) -> RequestPlan:
        """This plan with `headers` added under its own (a header the call sets itself wins)."""
        plan = copy.copy(self)
        plan.headers = {**headers, **(self.headers or {})}
        return plan


def _checked_max_retries(value: object) -> int | NotGiven:
    """A per-request `max_retries` is held to the client option's rules (an int, 0 or more)."""
    if isinstance(value, NotGiven):
        return value
    from ._options import check_max_retries

    return check_max_retries(value)


def plan_from_options(method: str, url: str, options: RequestOptions | None, **fields: Any) -> RequestPlan:
    """The plan of a custom request (`client.get/post/...`) from its `options=` dict."""
    options = options or {}
    security = options.get("security") or {}
    if "max_retries" in options:
        check_max_retries(options["max_retries"])  # a bad value fails here, before anything is sent
    return RequestPlan(
        method=method,
        url=url,
        security="admin" if security.get("admin_api_key_auth") else None,
        follow_redirects=options.get("follow_redirects"),
        params=options.get("params"),
        headers=options.get("headers"),
        extra_json=options.get("extra_json"),
        max_retries=_checked_max_retries(options.get("max_retries", NOT_GIVEN)),
        retry=options.get("retry"),
        timeout=options.get("timeout", NOT_GIVEN),
        deadline=options.get("deadline", NOT_GIVEN),
        idempotency_key=options.get("idempotency_key"),
        **fields,
    )


def body_plan(
    method: str,
    path: str,
    options: RequestOptions | None,
    body: object | None,
    files: Mapping[str, Any] | None,
    content: object | None = None,
) -> RequestPlan:
    """The plan of a custom request with a body: JSON, multipart when `files` are given, or raw `content`."""
    if content is not None and (body is not None or files is not None):
        raise TypeError(f"Pass either content= or {'body=' if body is not None else 'files='}, not both")
    if isinstance(body, (bytes, bytearray)):
        warnings.warn(
            "Passing raw bytes as body= is deprecated: pass them as content= instead", DeprecationWarning, stacklevel=3
        )
        body, content = None, body
    if content is not None:
        return plan_from_options(method, path, options, content=content)
    if files:
        return plan_from_options(
            method, path, options, json_data={**cast("Mapping[str, object]", body or {}), **files}, multipart=True,
            file_fields=tuple(files),
        )
    return plan_from_options(method, path, options, json_data=cast("Mapping[str, object] | None", body))


class FinalRequestOptions:
    """Makes a `RequestPlan` from the official SDK's option names (`json_data=`, `files=`,
    `security={"admin_api_key_auth": True}`, `post_parser=`), for code and tests written against
    its private request type: `client._build_request(FinalRequestOptions(method="get", url="/x"))`.
    Keywords with no meaning here (its streaming flags) are accepted and ignored."""

    def __new__(
        cls,
        *,
        method: str,
        url: str,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str | Omit] | None = None,
        json_data: object | None = None,
        extra_json: Mapping[str, object] | None = None,
        files: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        content: object | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        follow_redirects: bool | None = None,
        security: Mapping[str, bool] | None = None,
        post_parser: Callable[[Any], Any] | NotGiven = NOT_GIVEN,
        **_unused: object,
    ) -> RequestPlan:
        body = cast("Mapping[str, object] | None", json_data)
        file_map = dict(files) if files else {}
        return RequestPlan(
            method=method,
            url=url,
            params=params,
            headers=headers,
            json_data={**(body or {}), **file_map} if file_map else body,
            extra_json=extra_json,
            multipart=bool(file_map),
            file_fields=tuple(file_map),
            content=content,
            security="admin" if (security or {}).get("admin_api_key_auth") else None,
            max_retries=max_retries,
            timeout=timeout,
            idempotency_key=idempotency_key,
            follow_redirects=follow_redirects,
            post_parse=None if isinstance(post_parser, NotGiven) else post_parser,
        )

    @classmethod
    def construct(cls, **fields: Any) -> RequestPlan:
        """The official type is a pydantic model; `construct` is its unchecked constructor."""
        return FinalRequestOptions(**fields)
