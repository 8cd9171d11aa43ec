"""The type variable of a turn's parsed output, apart so that the resource mixins import only this."""

from typing import Any

from typing_extensions import TypeVar

# a result without output_type= parses nothing: Any, as the official SDK types it
OutputT = TypeVar("OutputT", default=Any)
