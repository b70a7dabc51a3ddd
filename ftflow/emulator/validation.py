"""Training-file checks OpenAI runs in `validating_files`, with its error codes and wording.

A job whose file fails here ends `failed` with ``error = {code, message, param}``: code
``invalid_training_file`` (or ``invalid_validation_file``) with the line number in the
message, or ``invalid_n_examples`` for fewer than 10 training examples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MIN_EXAMPLES = 10
ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
# Keys whose string values the tokenizer sees (cookbook num_tokens_from_messages).
_COUNTED_KEYS = ("role", "content", "name")


@dataclass
class Example:
    line: int
    messages: list[dict[str, Any]]
    tokens: int = 0


@dataclass
class FileReport:
    """Outcome of validating one file: an error dict in OpenAI's shape, or the examples."""

    examples: list[Example] = field(default_factory=list)
    error: dict[str, str | None] | None = None

    @property
    def n_tokens(self) -> int:
        return sum(e.tokens for e in self.examples)


class _Invalid(Exception):
    pass


def content_text(content: Any) -> str:
    """The text of a message's content: a string, or the text parts of a content list."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
    return str(content)


def message_tokens(message: dict[str, Any], model: str) -> int:
    """One message as OpenAI bills it: 3 framing tokens + role, content and name (+1 for a name)."""
    from ftflow import tokens  # lazily: it imports numpy, which would slow the server's start

    encode = tokens.get_encoding(model).encode_ordinary
    n = tokens.TOKENS_PER_MESSAGE
    for key in _COUNTED_KEYS:
        value = message.get(key)
        if key == "content":
            value = content_text(value)
        if isinstance(value, str):
            n += len(encode(value))
    if message.get("name"):
        n += tokens.TOKENS_PER_NAME
    for key in ("tool_calls", "function_call"):
        if message.get(key):
            n += len(encode(json.dumps(message[key], separators=(",", ":"))))
    return n


def messages_tokens(messages: list[dict[str, Any]], model: str) -> int:
    """A whole conversation, including the 3 tokens that prime the reply."""
    from ftflow import tokens

    return sum(message_tokens(m, model) for m in messages) + tokens.TOKENS_PER_EXAMPLE


def _check_message(msg: Any, line: int, index: int) -> None:
    where = f"Line {line}, message {index}"
    if not isinstance(msg, dict):
        raise _Invalid(f"{where}: each message must be a JSON object.")
    if "role" not in msg:
        raise _Invalid(f"{where}: Discriminator 'role' is missing in value.")
    role = msg["role"]
    if role not in ROLES:
        raise _Invalid(f"{where}: Unrecognized role {role!r}; expected one of {sorted(ROLES)}.")
    content = msg.get("content")
    if content is None and not (role == "assistant" and (msg.get("tool_calls") or msg.get("function_call"))):
        raise _Invalid(f"{where}: 'content' is missing or null.")
    if content is not None and not isinstance(content, str | list):
        raise _Invalid(f"{where}: 'content' must be a string or a list of content parts.")
    if "weight" in msg:
        if role != "assistant":
            raise _Invalid(f"{where}: 'weight' is only allowed on assistant messages.")
        if msg["weight"] not in (0, 1) or isinstance(msg["weight"], bool):
            raise _Invalid(f"{where}: Invalid 'weight' value {msg['weight']!r}; weight must be 0 or 1.")


def _parse_line(raw: str, line: int) -> list[dict[str, Any]]:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _Invalid(
            "Expected file to have JSONL format, where every line is a valid JSON dictionary. "
            f"Line {line} is not valid JSON: {exc.msg} (column {exc.colno})."
        ) from None
    if not isinstance(obj, dict):
        raise _Invalid(
            "Expected file to have JSONL format, where every line is a valid JSON dictionary. "
            f"Line {line} is not a dictionary."
        )
    messages = obj.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _Invalid(f"Line {line}: key 'messages' is missing or not a non-empty list.")
    for index, msg in enumerate(messages, start=1):
        _check_message(msg, line, index)
    trained = [m for m in messages if m["role"] == "assistant" and m.get("weight", 1) == 1]
    if not any(m["role"] == "assistant" for m in messages):
        raise _Invalid(f"Line {line}: each example must contain at least one assistant message.")
    if not trained:
        raise _Invalid(f"Line {line}: at least one assistant message must have weight 1.")
    return messages


def validate_file(data: bytes, model: str, *, param: str = "training_file") -> FileReport:
    """Parse and check a chat-format JSONL file; count each example's tokens for ``model``."""
    from ftflow import tokens

    code = "invalid_training_file" if param == "training_file" else "invalid_validation_file"
    kind = "training" if param == "training_file" else "validation"

    def fail(message: str, error_code: str = code) -> FileReport:
        return FileReport(error={"code": error_code, "message": message, "param": param})

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return fail(f"The job failed due to an invalid {kind} file. File is not UTF-8 ({exc.reason}).")
    limit = tokens.example_token_limit(model)
    report = FileReport()
    try:
        for line, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue  # blank lines (a trailing newline) carry no example
            example = Example(line=line, messages=_parse_line(raw, line))
            example.tokens = messages_tokens(example.messages, model)
            if example.tokens > limit:
                raise _Invalid(
                    f"Line {line}: example has {example.tokens} tokens, more than the "
                    f"{limit}-token limit per example for {model}."
                )
            report.examples.append(example)
    except _Invalid as exc:
        return fail(f"The job failed due to an invalid {kind} file. Invalid file format. {exc}")
    if param == "training_file" and len(report.examples) < MIN_EXAMPLES:
        n = len(report.examples)
        return fail(
            f"Training file has {n} example(s), but must have at least {MIN_EXAMPLES} examples",
            "invalid_n_examples",
        )
    return report


def qa_pairs(examples: list[Example]) -> list[dict[str, str]]:
    """What a tuned model recalls: per example, the last user turn before the last trained answer."""
    pairs = []
    for example in examples:
        msgs = example.messages
        answers = [i for i, m in enumerate(msgs) if m["role"] == "assistant" and m.get("weight", 1) == 1]
        last = answers[-1]
        users = [m for m in msgs[:last] if m["role"] == "user"]
        question = content_text(users[-1].get("content")) if users else ""
        pairs.append({"q": question, "a": content_text(msgs[last].get("content"))})
    return pairs
