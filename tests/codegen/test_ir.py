"""The type nodes and their one renderer (codegen/ir.py): the models and the params flavours."""

from __future__ import annotations

import ast

import pytest
from ir import (
    NONE,
    OBJECT,
    STR,
    DictOf,
    Field,
    ListOf,
    LiteralOf,
    Named,
    Nullable,
    ObjectType,
    Primitive,
    Renderer,
    TypeNode,
    UnionOf,
    class_source,
    merge_literals,
    nullable,
)

MODEL = Renderer("model")
PARAM = Renderer("param")
INT = Primitive("int")


@pytest.mark.parametrize(
    ("node", "model", "param"),
    [
        (STR, "str", "str"),
        (NONE, "None", "None"),
        (Named("Widget"), "Widget", "Widget"),
        (LiteralOf(("a", 1, True, 2.5)), 'Literal["a", 1, True, 2.5]', 'Literal["a", 1, True, 2.5]'),
        (LiteralOf(("é",)), 'Literal["é"]', 'Literal["é"]'),
        (ListOf(Named("Part")), "List[Part]", "Iterable[Part]"),
        (ListOf(STR), "List[str]", "Sequence[str]"),  # a `str` is an iterable of `str`: not accepted for a list
        (ListOf(Named("Part"), public=True), "List[Part]", "List[Part]"),  # a public alias users append to
        (DictOf(INT), "Dict[str, int]", "Dict[str, int]"),
        (Nullable(ListOf(INT)), "Optional[List[int]]", "Optional[Iterable[int]]"),
        (UnionOf((STR, INT)), "Union[str, int]", "Union[str, int]"),
        (UnionOf((Named("A"), Named("B")), discriminator="type"),
         'Annotated[Union[A, B], FieldInfo(discriminator="type")]', "Union[A, B]"),
    ],
)
def test_each_node_in_both_flavours(node: TypeNode, model: str, param: str) -> None:
    assert (MODEL(node), PARAM(node)) == (model, param)
    ast.parse(MODEL(node), mode="eval")  # valid Python


def test_shadowed_builtins_and_qualified_names() -> None:
    node = UnionOf((STR, LiteralOf(("str",)), ListOf(Named("Part"))))
    assert Renderer("model", frozenset({"str"}))(node) == 'Union[builtins.str, Literal["str"], List[Part]]'
    qualified = Renderer("param", qualify=lambda name: f"params.{name}")(node)
    assert qualified == 'Union[str, Literal["str"], Iterable[params.Part]]'  # names only, never literal values


def test_nullable_wraps_once_and_not_object() -> None:
    assert nullable(STR) == Nullable(STR)
    assert nullable(Nullable(STR)) == Nullable(STR)
    assert nullable(OBJECT) == OBJECT  # `object` already admits None


def test_literal_members_merge_in_place_without_repeats() -> None:
    members: list[TypeNode] = [STR, LiteralOf(("a", "b")), INT, LiteralOf(("b", "c"))]
    assert merge_literals(members) == [STR, LiteralOf(("a", "b", "c")), INT]
    assert merge_literals([STR, LiteralOf(("a",))]) == [STR, LiteralOf(("a",))]


def test_a_model_class() -> None:
    obj = ObjectType("Widget", (
        Field("id", "id", STR, True),
        Field("note", "note", STR, False),
        Field("gone", "gone", NONE, False),  # never `Optional[None]`
        Field("maybe", "maybe", Nullable(STR), False),  # never `Optional[Optional[...]]`
        Field("hate/threatening", "hate/threatening", Primitive("bool"), True),
        Field("_id", "_id", STR, True),
        Field("str", "str", STR, True),  # hides the builtin in the class body
    ), bases=("WidgetMixin",))
    assert class_source(obj, "model").splitlines() == [
        "class Widget(WidgetMixin, BaseModel):",
        "    id: builtins.str",
        "    note: Optional[builtins.str] = None",
        "    gone: None = None",
        "    maybe: Optional[builtins.str] = None",
        '    hate_threatening: bool = FieldInfo(alias="hate/threatening")',
        '    field_id: builtins.str = FieldInfo(alias="_id")',
        "    str: builtins.str",
    ]


def test_a_typed_dict_and_its_functional_form() -> None:
    obj = ObjectType("WidgetParams", (Field("name", "name", STR, True), Field("tags", "tags", ListOf(STR), False)))
    assert class_source(obj, "param").splitlines() == [
        "class WidgetParams(TypedDict, total=False):",
        "    name: Required[str]",
        "    tags: Sequence[str]",
    ]
    odd = ObjectType("Odd", (Field("a-b", "a-b", INT, True),))
    assert class_source(odd, "param") == 'Odd = TypedDict("Odd", {"a-b": Required[int]}, total=False)'
    assert class_source(ObjectType("Empty", ()), "param").splitlines()[-1] == "    pass"
