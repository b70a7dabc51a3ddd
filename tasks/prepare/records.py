"""Turn one input record (a JSON object or a table row) into chat messages.

Shared by every input format so that a CSV row, a Parquet row and a JSONL line follow
the same rules. The checks are those of OpenAI's cookbook data-preparation notebook
plus the fine-tuning server's rules; a failing record is quarantined as
`invalid_format` with the check's name and what was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson

from ftflow.config import ColumnMap

ROLES = ("system", "user", "assistant")
MESSAGE_KEYS = frozenset({"role", "content", "name", "weight"})

# Single-turn column names, detected case-insensitively, in order of preference.
QUESTION_NAMES = ("question", "prompt", "instruction", "input", "user", "query")
# Alpaca-style data: `instruction` plus an optional `input` that gives it context.
CONTEXT_NAMES = ("input", "context")
ANSWER_NAMES = ("answer", "completion", "output", "response", "assistant", "reply")
SYSTEM_NAMES = ("system", "system_prompt")
# Question columns that are never anything else ("user" is often a user id, "input" an Alpaca context).
STRONG_QUESTION_NAMES = ("question", "prompt", "instruction", "query", "input")

_ROLE_SET = frozenset(ROLES)
_new_message = tuple.__new__  # Message(...) without the named tuple's Python-level __new__
_PLAIN_KEYS = frozenset({"role", "content"})
# JSONL lines mostly share one schema: plan each distinct key tuple once (bounded).
_PLAN_CACHE: dict[tuple[Any, ...], FieldPlan] = {}
_PLAN_CACHE_SIZE = 256


class Message(NamedTuple):
    """One chat message; a named tuple because a million rows make millions of them."""

    role: str
    content: str
    weight: int | None = None  # 0/1 on assistant messages; None when absent
    name: str | None = None


class FormatProblem(Exception):
    """A record breaks the chat format; the message starts with the cookbook check's name."""


@dataclass(frozen=True)
class FieldPlan:
    """Which keys of a record to read, decided once per file from its columns."""

    messages: str | None = None
    question: str | None = None
    answer: str | None = None
    system: str | None = None
    context: str | None = None  # appended to the question (Alpaca's `input`)
    ambiguity: str | None = None  # several columns could be the question or the answer: say which

    @property
    def is_pair(self) -> bool:
        return self.question is not None and self.answer is not None


def plan_fields(keys: list[str], columns: ColumnMap) -> FieldPlan:
    """Find the messages column or the question/answer pair among `keys`."""
    by_lower = {k.lower().strip(): k for k in reversed(keys)}

    def pick(configured: str | None, names: tuple[str, ...]) -> str | None:
        if configured is not None:
            return by_lower.get(configured.lower())
        return next((by_lower[n] for n in names if n in by_lower), None)

    messages = pick(columns.messages, ("messages",))
    question = pick(columns.question, QUESTION_NAMES)
    context = None
    if question is not None and question.lower().strip() == "instruction":
        context = next((by_lower[n] for n in CONTEXT_NAMES if n in by_lower), None)
    return FieldPlan(
        messages=messages,
        question=question,
        answer=pick(columns.answer, ANSWER_NAMES),
        system=pick(columns.system, SYSTEM_NAMES),
        context=context,
        ambiguity=None if messages is not None else _ambiguity(by_lower, columns, context),
    )


def _ambiguity(by_lower: dict[str, str], columns: ColumnMap, context: str | None) -> str | None:
    """Why the pair columns are ambiguous (two answer columns, or two question columns of two
    pairs), or None. Only automatic detection can be ambiguous: configured columns are not."""
    answers = [by_lower[n] for n in ANSWER_NAMES if n in by_lower] if columns.answer is None else []
    questions = [by_lower[n] for n in STRONG_QUESTION_NAMES if n in by_lower and by_lower[n] != context]
    questions = questions if columns.question is None else []
    if len(answers) > 1 or len(questions) > 1:
        return (f"several columns could be the question or the answer ({', '.join(questions + answers)}); name the "
                "ones to use under prepare.columns (question, answer) so no pair is chosen silently")  # fmt: skip
    return None


def describe_missing(keys: list[str], columns: ColumnMap) -> str:
    configured = {k: v for k, v in columns.model_dump().items() if v}
    hint = f" (configured columns: {configured})" if configured else ""
    shown = [k if len(k) <= 40 else k[:40] + "…" for k in sorted(keys)[:20]]
    more = f" and {len(keys) - 20} more" if len(keys) > 20 else ""
    return (
        f"no `messages` field and no question/answer pair{hint}; found {shown}{more}. "
        "Name the columns in the config under `prepare.columns`"
    )


def to_messages(record: Any, plan: FieldPlan | None, columns: ColumnMap, system_prompt: str | None) -> list[Message]:
    """Messages of one record, or FormatProblem naming the failed check."""
    if not isinstance(record, Mapping):
        raise FormatProblem(f"data_type: expected a JSON object, got {type(record).__name__}")
    if plan is None:  # JSONL: every line may have its own schema
        plan = _cached_plan(record, columns)
    if plan.ambiguity is not None:
        raise FormatProblem("ambiguous_columns: " + plan.ambiguity)
    if plan.messages is not None and plan.messages in record:
        raw = record[plan.messages]
        if isinstance(raw, str):  # a JSON string in a CSV cell
            try:
                raw = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise FormatProblem(f"missing_messages_list: `{plan.messages}` is not valid JSON ({exc})") from None
        return _check_messages(raw)
    if plan.is_pair and plan.question in record and plan.answer in record:
        return _pair(record, plan, system_prompt)
    raise FormatProblem("missing_messages_list: " + describe_missing([str(k) for k in record], columns))


def _cached_plan(record: Mapping[str, Any], columns: ColumnMap) -> FieldPlan:
    key = (*record, None, columns.messages, columns.question, columns.answer, columns.system)
    plan = _PLAN_CACHE.get(key)
    if plan is None:
        if len(_PLAN_CACHE) >= _PLAN_CACHE_SIZE:
            _PLAN_CACHE.clear()
        plan = _PLAN_CACHE[key] = plan_fields([str(k) for k in record], columns)
    return plan


def _text(value: Any, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from a table
        return ""
    if isinstance(value, str):
        return value
    raise FormatProblem(f"missing_content: `{field}` must be text, got {type(value).__name__}")


def _pair(record: Mapping[str, Any], plan: FieldPlan, system_prompt: str | None) -> list[Message]:
    messages = []
    system = _text(record.get(plan.system), plan.system) if plan.system else ""
    if system or system_prompt:
        messages.append(Message("system", system or system_prompt or ""))
    question = _text(record[plan.question], plan.question or "")
    context = _text(record.get(plan.context), plan.context) if plan.context else ""
    messages.append(Message("user", f"{question}\n\n{context}" if context.strip() else question))
    messages.append(Message("assistant", _text(record[plan.answer], plan.answer or "")))
    return messages


def _check_messages(raw: Any) -> list[Message]:
    if not isinstance(raw, list) or not raw:
        raise FormatProblem("missing_messages_list: `messages` must be a non-empty list")
    out: list[Message] = []
    trained = False
    for i, m in enumerate(raw, 1):
        # Fast path for the usual {"role": ..., "content": "..."}: it passes every check below.
        if type(m) is dict and m.keys() == _PLAIN_KEYS:
            role, content = m["role"], m["content"]
            if type(role) is str and role in _ROLE_SET and type(content) is str:
                out.append(_new_message(Message, (role, content, None, None)))
                trained = trained or role == "assistant"
                continue
        msg = _check_message(i, m)
        out.append(msg)
        trained = trained or (msg.role == "assistant" and msg.weight != 0)
    if not trained:
        if not any(m.role == "assistant" for m in out):
            raise FormatProblem("example_missing_assistant_message: no assistant message")
        raise FormatProblem("example_missing_assistant_message: every assistant message has weight 0")
    return out


def _check_message(i: int, m: Any) -> Message:
    """Every check on message `i`, in the cookbook's order; the first failing one is raised."""
    if not isinstance(m, Mapping):
        raise FormatProblem(f"data_type: message {i} is {type(m).__name__}, not an object")
    if "role" not in m or "content" not in m:
        missing = [k for k in ("role", "content") if k not in m]
        raise FormatProblem(f"message_missing_key: message {i} has no {' or '.join(missing)}")
    extra = sorted(set(m) - MESSAGE_KEYS)
    if extra:
        raise FormatProblem(f"message_unrecognized_key: message {i} has {', '.join(extra)}")
    role = m["role"]
    if role not in ROLES:
        raise FormatProblem(f"unrecognized_role: message {i} has role {role!r}")
    content = m["content"]
    if not isinstance(content, str):
        kind = "null" if content is None else type(content).__name__
        raise FormatProblem(f"missing_content: message {i} content is {kind}, not text")
    weight = m.get("weight")
    if weight is not None:
        if role != "assistant":
            raise FormatProblem(f"invalid_weight: message {i} ({role}) has a weight; only assistant messages may")
        if weight not in (0, 1) or isinstance(weight, bool):
            raise FormatProblem(f"invalid_weight: message {i} weight must be 0 or 1, got {weight!r}")
    name = m.get("name")
    if name is not None and not isinstance(name, str):
        raise FormatProblem(f"data_type: message {i} name must be text")
    return Message(role, content, None if weight is None else int(weight), name)
