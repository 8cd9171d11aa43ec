"""Exercise every client with real secrets and print everything a program might print or log.

    python secrets_probe.py BASE_URL

Reprs and strs of clients, copies, responses, requests and errors; errors formatted with their
chained causes by `traceback.format_exception`; logs at DEBUG through `OPENAI_LOG` (stderr), the
root logger (stderr) and a custom logger (stdout). The test runs this and searches the output for
the secrets, which appear below and nowhere else.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from typing import Any

API_KEY = "sk-proj-SECRETapikey0123456789"
ADMIN_KEY = "sk-admin-SECRETadminkey98765"
AZURE_KEY = "SECRETazurekey00112233445566"
AZURE_TOKEN = "eyJSECRETazureADtoken.payload.sig"
PROVIDED_TOKEN = "sk-SECRETfromprovider4242"
WEBHOOK_SECRET = "whsec_U0VDUkVUd2ViaG9va3NlY3JldA=="
SECRETS = [API_KEY, ADMIN_KEY, AZURE_KEY, AZURE_TOKEN, PROVIDED_TOKEN, WEBHOOK_SECRET]


class PrintLogger:
    """A custom logger (the `logger=` option) that prints every record to stdout."""

    def _log(self, msg: str, *args: object) -> None:
        print("CUSTOM", msg % args)

    debug = info = warning = error = _log


def show(label: str, value: Any) -> None:
    print(f"{label}: repr={value!r} str={value}")


def show_error(err: BaseException) -> None:
    print("".join(traceback.format_exception(err)))  # the error, its causes and contexts, every frame
    show("error", err)
    show("error.__dict__", {k: v for k, v in vars(err).items()})
    request = getattr(err, "request", None)
    if request is not None:
        show("error.request", request)
        show("error.request.headers", request.headers)
        show("error.request.url", request.url)
    response = getattr(err, "response", None)
    if response is not None:
        show("error.response", response)
        show("error.response.headers", response.headers)


def attempt(label: str, fn: Any) -> None:
    try:
        result = fn()
        show(label, result)
    except Exception as err:
        print(f"--- {label} raised")
        show_error(err)


def sync_scenarios(base_url: str, root: str) -> None:
    from pyopenai import AzureOpenAI, OpenAI

    client = OpenAI(api_key=API_KEY, admin_api_key=ADMIN_KEY, webhook_secret=WEBHOOK_SECRET, base_url=base_url,
                    timeout=2.0, max_retries=1, logger=PrintLogger(), log_level="debug")
    copy = client.with_options(timeout=1.0, deadline=3.0)
    for label, value in [("client", client), ("copy", copy), ("client.base_url", client.base_url),
                         ("client.timeout", client.timeout), ("client.default_headers", client.default_headers)]:
        show(label, value)
    attempt("models.retrieve", lambda: client.models.retrieve("ok"))
    attempt("retried then ok", lambda: client.models.retrieve("flaky"))
    attempt("401", lambda: client.models.retrieve("unauthorized"))
    attempt("reset", lambda: client.models.retrieve("reset"))
    attempt("timeout", lambda: client.with_options(timeout=0.2).models.retrieve("stall"))
    attempt("deadline", lambda: copy.with_options(deadline=0.2).models.retrieve("stall"))
    attempt("invalid json", lambda: client.models.retrieve("garbage"))
    attempt("admin", lambda: client.admin.organization.users.list())
    raw = client.models.with_raw_response.retrieve("ok")
    show("raw", raw)
    show("raw.http_request", raw.http_request)
    show("raw.headers", raw.headers)
    with client.models.with_streaming_response.retrieve("ok") as streamed:
        show("streamed", streamed)
    attempt("stream", lambda: list(client.chat.completions.create(model="m", messages=[], stream=True)))

    provided = OpenAI(api_key=lambda: PROVIDED_TOKEN, base_url=base_url, max_retries=0, logger=PrintLogger(),
                      log_level="debug")
    show("provided", provided)
    attempt("provided 401", lambda: provided.models.retrieve("unauthorized"))

    credentials: list[tuple[str, dict[str, Any]]] = [
        ("azure key", {"api_key": AZURE_KEY}), ("azure token", {"azure_ad_token": AZURE_TOKEN}),
        ("azure provider", {"azure_ad_token_provider": lambda: AZURE_TOKEN}),
    ]
    for kind, options in credentials:
        azure = AzureOpenAI(azure_endpoint=root, api_version="2024-10-21", azure_deployment="dep", max_retries=0,
                            logger=PrintLogger(), log_level="debug", **options)
        show(kind, azure)
        show(kind + " copy", azure.with_options(timeout=5.0))
        attempt(kind + " ok", lambda azure=azure: azure.chat.completions.create(model="m", messages=[]))
        attempt(kind + " 401", lambda azure=azure: azure.models.retrieve("unauthorized"))
        attempt(kind + " reset", lambda azure=azure: azure.models.retrieve("reset"))


async def async_scenarios(base_url: str) -> None:
    from pyopenai import AsyncOpenAI

    async with AsyncOpenAI(api_key=API_KEY, base_url=base_url, max_retries=1, timeout=2.0) as client:
        show("async client", client)
        for name in ("ok", "unauthorized", "reset", "garbage"):
            try:
                show("async " + name, await client.models.retrieve(name))
            except Exception as err:
                print(f"--- async {name} raised")
                show_error(err)


def main() -> None:
    base_url = sys.argv[1]
    root = base_url.removesuffix("/v1")
    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr,
                        format="ROOT %(name)s %(levelname)s %(message)s")  # every library's logs, all levels
    sync_scenarios(base_url, root)
    asyncio.run(async_scenarios(base_url))
    print("probe done")


if __name__ == "__main__":
    main()
