"""What every section of the one typed configuration shares (ftflow/config.py is the entry point)."""

from __future__ import annotations

import typing
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

DATASET_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"  # dataset and registry names (also layout.NAME)

DEFAULT_MODEL = "gpt-4o-mini-2024-07-18"


def check_model_name(value: str | None) -> str | None:
    """A model name as OpenAI spells them: no spaces anywhere (a pasted trailing space would
    otherwise reach the API or be matched loosely by prefix)."""
    if value is not None and (not value or any(c.isspace() for c in value)):
        raise ValueError(f"model name {value!r} is empty or contains spaces")
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_yes_no_for_numbers(cls, value: object, info: ValidationInfo) -> object:
        """YAML reads `yes`/`no`/`on`/`off` as booleans, and pydantic would take them as 1 and 0:
        `max_rejected_share: yes` would silently turn the gate off. A number field wants a number."""
        if isinstance(value, bool) and info.field_name is not None:
            kinds = _leaf_types(cls.model_fields[info.field_name].annotation)
            if bool not in kinds and kinds & {int, float}:
                raise ValueError(f"expected a number, got {str(value).lower()} (a yes/no value)")
        return value


def _leaf_types(annotation: object) -> set[object]:
    """The plain types inside an annotation (`int | Literal['auto'] | None` -> {int, str, NoneType})."""
    args = typing.get_args(annotation)
    if not args:
        return {annotation}
    if typing.get_origin(annotation) is Literal:
        return {type(a) for a in args}
    return set().union(*(_leaf_types(a) for a in args))
