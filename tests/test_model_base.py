"""Response models: lazy, lenient, and behaving like the pydantic models users know."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Annotated, Dict, List, Literal, Union

from pyopenai import BaseModel
from pyopenai._models import Discriminator, construct_type, resolve_all


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int


class Message(BaseModel):
    role: Literal["assistant"]
    content: str | None


class Choice(BaseModel):
    index: int
    message: Message
    finish_reason: Literal["stop", "length"]


class Completion(BaseModel):
    id: str
    choices: List[Choice]
    usage: Usage | None
    metadata: Dict[str, str] | None


class Text(BaseModel):
    type: Literal["text"]
    text: str


class Image(BaseModel):
    type: Literal["image"]
    url: str


Part = Annotated[Union[Text, Image], Discriminator("type")]


class Post(BaseModel):
    parts: List[Part]
    body: Union[str, List[Part]]


class Schema(BaseModel):
    __aliases__ = {"schema_": "schema", "hate_threatening": "hate/threatening"}
    schema_: Dict[str, object] | None
    hate_threatening: bool


COMPLETION = {
    "id": "chatcmpl-1",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1},
    "system_fingerprint": "fp_new_field",
}


def test_nested_values_become_models_on_access() -> None:
    c = Completion.construct_from(json.loads(json.dumps(COMPLETION)))
    assert c.id == "chatcmpl-1"
    assert isinstance(c.choices[0], Choice)
    assert c.choices[0].message.content == "hi"
    assert isinstance(c.usage, Usage) and c.usage.prompt_tokens == 3
    assert c.choices is c.choices  # converted once, then cached


def test_unknown_fields_are_kept_and_readable() -> None:
    c = Completion.construct_from(dict(COMPLETION))
    assert c.system_fingerprint == "fp_new_field"  # pyright: ignore[reportAttributeAccessIssue]
    assert c.model_extra == {"system_fingerprint": "fp_new_field"}
    assert c.to_dict()["system_fingerprint"] == "fp_new_field"


def test_missing_fields_read_as_none_and_wrong_types_pass_through() -> None:
    c = Completion.construct_from({"choices": "not-a-list", "usage": 5})
    assert c.id is None
    assert c.choices == "not-a-list"
    assert c.usage == 5
    assert c.metadata is None


def test_unknown_enum_values_are_tolerated() -> None:
    choice = Choice.construct_from({"index": 0, "message": {}, "finish_reason": "brand_new_reason"})
    assert choice.finish_reason == "brand_new_reason"


def test_discriminated_union_picks_by_tag_and_tolerates_unknown_tags() -> None:
    post = Post.construct_from(
        {
            "parts": [{"type": "text", "text": "a"}, {"type": "image", "url": "u"}, {"type": "video", "url": "v"}],
            "body": [{"type": "image", "url": "x"}],
        }
    )
    assert [type(p).__name__ for p in post.parts] == ["Text", "Image", "Image"]
    assert isinstance(post.body, list) and isinstance(post.body[0], Image)
    assert Post.construct_from({"body": "plain"}).body == "plain"


def test_untagged_union_picks_by_shape() -> None:
    class A(BaseModel):
        alpha: int

    class B(BaseModel):
        beta: int
        gamma: int

    value = construct_type(Union[A, B], {"beta": 1, "gamma": 2})
    assert isinstance(value, B)


def test_aliases_map_python_names_to_api_keys() -> None:
    s = Schema.construct_from({"schema": {"type": "object"}, "hate/threatening": True})
    assert s.schema_ == {"type": "object"}
    assert s.hate_threatening is True
    assert s.model_dump() == {"schema_": {"type": "object"}, "hate_threatening": True}
    assert s.to_dict() == {"schema": {"type": "object"}, "hate/threatening": True}
    assert Schema(schema_={"a": 1}, hate_threatening=False).to_dict() == {"schema": {"a": 1}, "hate/threatening": False}


def test_equality_repr_and_iteration() -> None:
    a = Usage.construct_from({"prompt_tokens": 1, "completion_tokens": 2})
    b = Usage(prompt_tokens=1, completion_tokens=2)
    assert a == b
    assert a != Usage(prompt_tokens=1, completion_tokens=3)
    assert repr(a) == "Usage(prompt_tokens=1, completion_tokens=2)"
    assert dict(a) == {"prompt_tokens": 1, "completion_tokens": 2}


def test_pickle_and_copy_round_trip_keep_request_id() -> None:
    c = Completion.construct_from(json.loads(json.dumps(COMPLETION)))
    object.__setattr__(c, "_request_id", "req_1")
    restored = pickle.loads(pickle.dumps(c))
    assert restored == c and restored._request_id == "req_1"
    assert restored.choices[0].message.content == "hi"
    deep = copy.deepcopy(c)
    deep.choices[0].message.content = "changed"
    assert c.choices[0].message.content == "hi"


def test_to_dict_to_json_and_model_dump() -> None:
    c = Completion.construct_from(json.loads(json.dumps(COMPLETION)))
    assert c.to_dict() == COMPLETION
    assert json.loads(c.to_json()) == COMPLETION
    dumped = c.model_dump()
    assert dumped["metadata"] is None  # declared, absent: None as in pydantic
    assert dumped["choices"][0]["message"] == {"role": "assistant", "content": "hi"}
    assert c.model_dump(exclude_none=True).get("metadata", "absent") == "absent"
    assert json.loads(c.model_dump_json())["id"] == "chatcmpl-1"
    assert c.model_fields_set == {"id", "choices", "usage"}


def test_setting_attributes_updates_the_data() -> None:
    c = Completion.construct_from(json.loads(json.dumps(COMPLETION)))
    c.choices[0].message.content = "edited"
    c.id = "new"
    assert c.to_dict()["choices"][0]["message"]["content"] == "edited"
    assert c.to_dict()["id"] == "new"


def test_model_validate_and_construct() -> None:
    u = Usage.model_validate({"prompt_tokens": 5, "completion_tokens": 6})
    assert u.prompt_tokens == 5
    assert Usage.model_validate_json('{"prompt_tokens": 1}').prompt_tokens == 1
    assert Usage.model_construct(prompt_tokens=2).prompt_tokens == 2
    try:
        Usage.model_validate([1, 2])
    except TypeError as err:
        assert "expects a mapping" in str(err)
    else:  # pragma: no cover
        raise AssertionError("model_validate accepted a list")


def test_annotations_of_test_models_resolve() -> None:
    for cls in (Completion, Choice, Message, Usage, Post, Schema):
        resolve_all(cls)


def test_pydantic_accepts_models_as_field_types() -> None:
    import pydantic

    class Wrapper(pydantic.BaseModel):
        usage: Usage

    w = Wrapper(usage=Usage(prompt_tokens=1, completion_tokens=1))
    assert w.model_dump(mode="json") == {"usage": {"prompt_tokens": 1, "completion_tokens": 1}}
    assert Wrapper.model_validate({"usage": {"prompt_tokens": 4}}).usage.prompt_tokens == 4
