"""Pure naming helpers: case conversion, singular forms, identifiers.

Irregular words come from the config (`naming.singular`), never from code.
"""

from __future__ import annotations

import keyword
import re

_ACRONYM_SPLIT = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_SPLIT = re.compile(r"([a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """`ChatCompletionMessageParam` -> `chat_completion_message_param`; `AdminAPIKey` -> `admin_api_key`."""
    s = _ACRONYM_SPLIT.sub(r"\1_\2", name)
    s = _CAMEL_SPLIT.sub(r"\1_\2", s)
    s = re.sub(r"[^A-Za-z0-9]+", "_", s)
    return s.strip("_").lower()


def pascal(text: str, acronyms: dict[str, str] | None = None) -> str:
    """`file_search_call.results` -> `FileSearchCallResults`; keeps inner capitals (`inputAudio` -> `InputAudio`);
    words found in `acronyms` are spelled as given (`{"url": "URL"}`: `image_url` -> `ImageURL`)."""
    parts = re.split(r"[^A-Za-z0-9]+", str(text))
    table = acronyms or {}
    out = "".join(table.get(p) or p[:1].upper() + p[1:] for p in parts if p)
    if not out:
        return "Value"
    if out[0].isdigit():
        out = "_" + out
    return out


class Singularizer:
    def __init__(self, irregular: dict[str, str] | None = None) -> None:
        self.irregular = dict(irregular or {})

    def __call__(self, word: str) -> str:
        """Singular of the last `_`-separated word: `file_batches` -> `file_batch`."""
        head, _, last = word.rpartition("_")
        if word in self.irregular:
            return self.irregular[word]
        if last in self.irregular:
            single = self.irregular[last]
        elif last.endswith("ies") and len(last) > 4:
            single = last[:-3] + "y"
        elif last.endswith(("sses", "ches", "shes", "xes")):
            single = last[:-2]
        elif last.endswith("ss") or last.endswith("us") or last.endswith("is"):
            single = last
        elif last.endswith("s") and len(last) > 1:
            single = last[:-1]
        else:
            single = last
        return f"{head}_{single}" if head else single


RESERVED_FIELD_NAMES = frozenset(
    {
        # attributes of the runtime BaseModel that a field must not shadow
        "copy", "construct", "model_dump", "model_dump_json", "model_validate", "model_validate_json",
        "model_construct", "model_copy", "model_fields", "model_fields_set", "model_extra",
        "to_dict", "to_json", "construct_from", "schema", "json", "dict",
    }
)


def identifier(name: str, *, reserved: frozenset[str] = frozenset()) -> str:
    """A Python identifier for a JSON key (`hate/threatening` -> `hate_threatening`, `from` -> `from_`)."""
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not ident or ident[0].isdigit():
        ident = "_" + ident
    if keyword.iskeyword(ident) or ident in reserved:
        ident += "_"
    return ident


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)
