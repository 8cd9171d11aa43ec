"""The pre-1.0 module-level API (`openai.Completion.create(...)`): reading it works, calling it raises
an `OpenAIError` that names the client call to use instead."""

from __future__ import annotations

import pytest

import pyopenai
from pyopenai.lib._old_api import APIRemovedInV1


# type checkers do not see these names (as with the official package): read them with getattr
@pytest.mark.parametrize(("symbol", "method", "instead"), [
    ("Completion", "create", "client.completions.create"),
    ("ChatCompletion", "create", "client.chat.completions"),
    ("ChatCompletion", "acreate", "client.chat.completions"),
    ("Embedding", "create", "client.embeddings.create"),
    ("Image", None, "client.images"),
])
def test_calling_a_removed_v0_name_says_what_to_call_instead(symbol: str, method: str | None, instead: str) -> None:
    removed = getattr(pyopenai, symbol)
    target = removed if method is None else getattr(removed, method)
    with pytest.raises(APIRemovedInV1) as info:
        target(model="gpt-4o", prompt="hi")
    assert isinstance(info.value, pyopenai.OpenAIError)
    message = str(info.value)
    assert f"openai.{symbol}" in message and instead in message and "discussions/742" in message


def test_every_name_the_package_lists_can_be_read() -> None:
    for name in dir(pyopenai):
        getattr(pyopenai, name)  # the removed names too: only a call raises
    with pytest.raises(AttributeError):
        pyopenai.NoSuchThing  # noqa: B018  # pyright: ignore[reportAttributeAccessIssue]
