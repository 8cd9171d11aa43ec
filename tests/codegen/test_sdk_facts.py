"""Reading a release's calls: a body the method builds at run time still gives its keys and its
params class, so the overlay gives the method its real parameters."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sdk_facts import SdkOperation, read_operations

RESOURCE = """
    from ...types.gadgets import gadget_create_params
    from ...types.gadgets.gadget import Gadget

    class Gadgets(SyncAPIResource):
        def create(self, *, name: str, size: int | Omit = omit, stream: bool | Omit = omit, extra_headers=None):
            context = prepare_gadget_create(self, {"name": name, "size": size, "stream": stream}, hooks=None)
            return self._post(
                "/gadgets",
                body=maybe_transform(
                    context.body,
                    gadget_create_params.GadgetCreateParamsStreaming
                    if stream
                    else gadget_create_params.GadgetCreateParamsNonStreaming,
                ),
                cast_to=Gadget,
            )

        def rename(self, gadget_id: str, *, name: str, extra_headers=None):
            options = {"trace": True}  # a dict that is not the body's
            return self._post(f"/gadgets/{gadget_id}/rename", body=maybe_transform({"name": name}, None), cast_to=Gadget)
"""


def operations(tmp_path: Path) -> dict[str, SdkOperation]:
    path = tmp_path / "openai" / "resources" / "gadgets" / "gadgets.py"
    path.parent.mkdir(parents=True)
    path.write_text(textwrap.dedent(RESOURCE), encoding="utf-8")
    return {op.method: op for op in read_operations(tmp_path / "openai")}


def test_a_body_built_by_a_runtime_hook_has_the_keys_of_the_dict_handed_to_it(tmp_path: Path) -> None:
    ops = operations(tmp_path)
    create = ops["create"]
    assert create.body_keys == ["name", "size", "stream"]
    # the class chosen by `stream`: its module is the params module, and the method's own
    # arguments say how `stream` is typed
    assert create.params_class == ("types.gadgets.gadget_create_params", "GadgetCreateParamsNonStreaming")
    assert create.params_by_stream


def test_a_literal_body_is_read_as_before(tmp_path: Path) -> None:
    rename = operations(tmp_path)["rename"]
    assert rename.body_keys == ["name"]
    assert not rename.params_by_stream
