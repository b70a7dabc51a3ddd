"""What every table reader shares: the header plan (which columns hold the conversation) and
turning one record into chat messages or an `invalid_format` row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ftflow.config import PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare.records import FieldPlan, FormatProblem, describe_missing, plan_fields, to_messages
from ftflow.tasks.prepare.row_blocks import Builder

if TYPE_CHECKING:
    from ftflow.tasks.prepare.ingest import InputFile


def table_plan(path: str, header: list[str], cfg: PrepareConfig) -> FieldPlan:
    names = [str(h).strip().lower() for h in header]
    twice = sorted({h for h in names if h and names.count(h) > 1})
    if twice:
        where = "; ".join(f"{h!r} in columns {', '.join(str(i + 1) for i, n in enumerate(names) if n == h)}"
                          for h in twice)  # fmt: skip
        raise InputError([f"{path}: the header names a column twice ({where}); rename one so no column is "
                          "silently ignored"])  # fmt: skip
    plan = plan_fields([str(h) for h in header], cfg.columns)
    if plan.ambiguity is not None:
        raise InputError([f"{path}: {plan.ambiguity}"])
    if plan.messages is None and not plan.is_pair:
        raise InputError([f"{path}: " + describe_missing([str(h) for h in header], cfg.columns)])
    return plan


def add_record(builder: Builder, idx: int, row: int, where: str, record: dict[str, Any], plan: FieldPlan,
                cfg: PrepareConfig, error: str | None = None) -> None:  # fmt: skip
    messages = None
    if error is None:
        try:
            messages = to_messages(record, plan, cfg.columns, cfg.system_prompt)
        except FormatProblem as exc:
            error = str(exc)
    builder.add(row, where, record, messages, error)


def read_frame_rows(builder: Builder, idx: int, info: InputFile, columns: list[str], rows: list[dict[str, Any]],
                     cfg: PrepareConfig, locate: Any, part: str = "", skip_blank: bool = False) -> None:  # fmt: skip
    plan = table_plan(f"{info.path} {part}".strip(), columns, cfg)
    for i, record in enumerate(rows):
        if skip_blank and all(isinstance(v, str) and not v.strip() for v in record.values()):
            info.blank_lines += 1  # an empty spreadsheet row, like a blank CSV line
            continue
        row, where = locate(i)
        add_record(builder, idx, row, where, record, plan, cfg)
