"""Unit tests of ftflow.tasks.prepare.records: column detection and the chat-format checks of one record."""

import math

import pytest

from ftflow.config import ColumnMap
from ftflow.tasks.prepare.records import (
    FieldPlan,
    FormatProblem,
    Message,
    describe_missing,
    plan_fields,
    to_messages,
)

NO_COLUMNS = ColumnMap()


def chat(*messages, **extra):
    return {"messages": list(messages), **extra}


def user(content="Where is the station?", **extra):
    return {"role": "user", "content": content, **extra}


def assistant(content="Two streets north of the square.", **extra):
    return {"role": "assistant", "content": content, **extra}


def problem(record, plan=None, columns=NO_COLUMNS, system_prompt=None):
    with pytest.raises(FormatProblem) as info:
        to_messages(record, plan, columns, system_prompt)
    return str(info.value)


# --- plan_fields: column detection --------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "question", "answer"),
    [
        (["question", "answer"], "question", "answer"),
        (["Question", "Answer"], "Question", "Answer"),
        (["QUESTION", "ANSWER"], "QUESTION", "ANSWER"),
        (["prompt", "completion"], "prompt", "completion"),
        (["Prompt", "Completion"], "Prompt", "Completion"),
        (["input", "output"], "input", "output"),
        (["Input", "Output"], "Input", "Output"),
        (["instruction", "response"], "instruction", "response"),
        (["Instruction", "Response"], "Instruction", "Response"),
        (["user", "assistant"], "user", "assistant"),
        (["User", "Assistant"], "User", "Assistant"),
        (["query", "reply"], "query", "reply"),
        (["id", " Question ", "Answer\t", "notes"], " Question ", "Answer\t"),
    ],
)
def test_plan_fields_detects_each_pair_case_insensitively(keys, question, answer):
    plan = plan_fields(keys, NO_COLUMNS)
    assert plan == FieldPlan(messages=None, question=question, answer=answer, system=None)
    assert plan.is_pair


def test_plan_fields_prefers_names_in_documented_order():
    plan = plan_fields(["prompt", "completion", "question", "answer"], NO_COLUMNS)
    assert (plan.question, plan.answer) == ("question", "answer")
    plan = plan_fields(["response", "output"], NO_COLUMNS)
    assert plan.answer == "output"


def test_plan_fields_takes_the_first_of_two_headers_differing_only_in_case():
    plan = plan_fields(["Question", "question", "answer"], NO_COLUMNS)
    assert plan.question == "Question"


def test_plan_fields_detects_messages_and_system_columns():
    assert plan_fields(["Messages"], NO_COLUMNS) == FieldPlan(messages="Messages")
    plan = plan_fields(["System_Prompt", "question", "answer"], NO_COLUMNS)
    assert plan.system == "System_Prompt"
    assert plan_fields(["system", "system_prompt"], NO_COLUMNS).system == "system"


def test_plan_fields_finds_nothing_in_unrelated_columns():
    plan = plan_fields(["id", "text", "label"], NO_COLUMNS)
    assert plan == FieldPlan()
    assert not plan.is_pair
    assert not plan_fields(["question", "text"], NO_COLUMNS).is_pair
    assert not plan_fields([], NO_COLUMNS).is_pair


def test_plan_fields_uses_configured_columns_case_insensitively_over_detection():
    columns = ColumnMap(question="q text", answer="A TEXT", system="Persona")
    plan = plan_fields(["question", "answer", "Q Text", "A text", "persona"], columns)
    assert plan == FieldPlan(messages=None, question="Q Text", answer="A text", system="persona")


def test_plan_fields_does_not_fall_back_to_detection_when_a_configured_column_is_absent():
    plan = plan_fields(["question", "answer"], ColumnMap(question="Q text", answer="A text"))
    assert plan == FieldPlan()
    # Only the configured field is pinned; the others are still detected.
    plan = plan_fields(["Q text", "answer"], ColumnMap(question="Q text"))
    assert (plan.question, plan.answer) == ("Q text", "answer")
    plan = plan_fields(["body", "messages"], ColumnMap(messages="body"))
    assert plan.messages == "body"


def test_describe_missing_lists_found_keys_sorted_and_configured_columns():
    assert describe_missing(["zeta", "Alpha", "id"], NO_COLUMNS) == (
        "no `messages` field and no question/answer pair; found ['Alpha', 'id', 'zeta']. "
        "Name the columns in the config under `prepare.columns`"
    )
    text = describe_missing(["question"], ColumnMap(question="Q text", answer="A text"))
    assert text == (
        "no `messages` field and no question/answer pair (configured columns: "
        "{'question': 'Q text', 'answer': 'A text'}); found ['question']. "
        "Name the columns in the config under `prepare.columns`"
    )


# --- to_messages: single-turn pairs -------------------------------------------------------


def test_pair_becomes_user_and_assistant_with_the_configured_system_prompt():
    record = {"question": "Q?", "answer": "A.", "id": 7}
    assert to_messages(record, None, NO_COLUMNS, "Be brief.") == [
        Message("system", "Be brief."),
        Message("user", "Q?"),
        Message("assistant", "A."),
    ]
    assert to_messages(record, None, NO_COLUMNS, None) == [
        Message("user", "Q?"),
        Message("assistant", "A."),
    ]


def test_pair_with_a_system_column_uses_it_and_falls_back_to_the_prompt_when_empty():
    plan = plan_fields(["system", "prompt", "completion"], NO_COLUMNS)
    own = {"system": "You are a pirate.", "prompt": "Hi", "completion": "Arr."}
    assert to_messages(own, plan, NO_COLUMNS, "Be brief.")[0] == Message("system", "You are a pirate.")
    empty = {"system": "", "prompt": "Hi", "completion": "Hello."}
    assert to_messages(empty, plan, NO_COLUMNS, "Be brief.")[0] == Message("system", "Be brief.")
    assert to_messages(empty, plan, NO_COLUMNS, None) == [
        Message("user", "Hi"),
        Message("assistant", "Hello."),
    ]


def test_pair_with_configured_columns():
    columns = ColumnMap(question="Q text", answer="A text")
    record = {"Q text": "Why?", "A text": "Because.", "question": "ignored", "answer": "ignored"}
    assert to_messages(record, None, columns, None) == [
        Message("user", "Why?"),
        Message("assistant", "Because."),
    ]


def test_pair_null_and_nan_cells_read_as_empty_text():
    plan = plan_fields(["question", "answer"], NO_COLUMNS)
    assert to_messages({"question": None, "answer": math.nan}, plan, NO_COLUMNS, None) == [
        Message("user", ""),
        Message("assistant", ""),
    ]


@pytest.mark.parametrize(("value", "kind"), [(42, "int"), (1.5, "float"), (["a"], "list"), ({"a": 1}, "dict")])
def test_pair_with_non_text_cell_is_missing_content(value, kind):
    assert problem({"question": "Q?", "answer": value}) == (f"missing_content: `answer` must be text, got {kind}")
    assert problem({"question": value, "answer": "A."}) == (f"missing_content: `question` must be text, got {kind}")


def test_record_with_only_half_a_pair_lists_its_keys():
    assert problem({"question": "Q?", "id": 1}) == (
        "missing_messages_list: no `messages` field and no question/answer pair; "
        "found ['id', 'question']. Name the columns in the config under `prepare.columns`"
    )


def test_table_plan_with_pair_but_record_missing_the_answer_key():
    plan = plan_fields(["question", "answer"], NO_COLUMNS)
    assert problem({"question": "Q?"}, plan).startswith("missing_messages_list: ")


# --- to_messages: chat records ------------------------------------------------------------


def test_chat_record_keeps_roles_weights_and_names_and_gets_no_system_prompt():
    record = chat(
        {"role": "system", "content": "Be kind."},
        user(name="ana"),
        assistant("Draft.", weight=0),
        user("And?"),
        assistant("Final.", weight=1),
    )
    assert to_messages(record, None, NO_COLUMNS, "Be brief.") == [
        Message("system", "Be kind."),
        Message("user", "Where is the station?", None, "ana"),
        Message("assistant", "Draft.", 0),
        Message("user", "And?"),
        Message("assistant", "Final.", 1),
    ]


def test_messages_win_over_a_pair_in_the_same_record():
    record = chat(user("From messages"), assistant(), question="Q?", answer="A.")
    assert to_messages(record, None, NO_COLUMNS, None)[0] == Message("user", "From messages")


def test_messages_column_holding_a_json_string_is_parsed():
    plan = plan_fields(["Messages"], NO_COLUMNS)
    text = '[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]'
    assert to_messages({"Messages": text}, plan, NO_COLUMNS, None) == [
        Message("user", "Hi"),
        Message("assistant", "Hello."),
    ]


def test_messages_column_holding_invalid_json_is_missing_messages_list():
    plan = plan_fields(["messages"], NO_COLUMNS)
    text = problem({"messages": '[{"role": "user",'}, plan)
    assert text.startswith("missing_messages_list: `messages` is not valid JSON (")


def test_weight_null_is_absent_and_float_one_is_accepted():
    record = chat(user(), assistant("A.", weight=None), user("B?"), assistant("B.", weight=1.0))
    out = to_messages(record, None, NO_COLUMNS, None)
    assert [m.weight for m in out] == [None, None, None, 1]
    assert isinstance(out[3].weight, int)


@pytest.mark.parametrize("record", [[], "text", 3, None, ["messages"]])
def test_record_that_is_not_an_object_is_data_type(record):
    assert problem(record) == f"data_type: expected a JSON object, got {type(record).__name__}"


@pytest.mark.parametrize("value", [None, [], {}, {"role": "user"}, "null", '"text"', 5])
def test_messages_not_a_non_empty_list(value):
    assert problem({"messages": value}) == ("missing_messages_list: `messages` must be a non-empty list")


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ([user(), "hello"], "data_type: message 2 is str, not an object"),
        ([user(), None], "data_type: message 2 is NoneType, not an object"),
        ([{"content": "x"}, assistant()], "message_missing_key: message 1 has no role"),
        ([user(), {"role": "assistant"}], "message_missing_key: message 2 has no content"),
        ([{}, assistant()], "message_missing_key: message 1 has no role or content"),
        ([user(foo=1), assistant()], "message_unrecognized_key: message 1 has foo"),
        (
            [user(), assistant(tool_calls=[], audio=None)],
            "message_unrecognized_key: message 2 has audio, tool_calls",
        ),
        ([user(), {"role": "bot", "content": "x"}], "unrecognized_role: message 2 has role 'bot'"),
        (
            [{"role": "User", "content": "x"}, assistant()],
            "unrecognized_role: message 1 has role 'User'",
        ),
        (
            [{"role": "tool", "content": "x"}, assistant()],
            "unrecognized_role: message 1 has role 'tool'",
        ),
        ([user(), assistant(5)], "missing_content: message 2 content is int, not text"),
        ([user(1.5), assistant()], "missing_content: message 1 content is float, not text"),
        (
            [user([{"type": "text", "text": "hi"}]), assistant()],
            "missing_content: message 1 content is list, not text",
        ),
        ([user(), assistant(None)], "missing_content: message 2 content is null, not text"),
        ([user(), assistant({"t": 1})], "missing_content: message 2 content is dict, not text"),
        (
            [user(weight=1), assistant()],
            "invalid_weight: message 1 (user) has a weight; only assistant messages may",
        ),
        (
            [{"role": "system", "content": "s", "weight": 0}, user(), assistant()],
            "invalid_weight: message 1 (system) has a weight; only assistant messages may",
        ),
        ([user(), assistant(weight=2)], "invalid_weight: message 2 weight must be 0 or 1, got 2"),
        ([user(), assistant(weight=-1)], "invalid_weight: message 2 weight must be 0 or 1, got -1"),
        (
            [user(), assistant(weight=0.5)],
            "invalid_weight: message 2 weight must be 0 or 1, got 0.5",
        ),
        (
            [user(), assistant(weight=True)],
            "invalid_weight: message 2 weight must be 0 or 1, got True",
        ),
        (
            [user(), assistant(weight="1")],
            "invalid_weight: message 2 weight must be 0 or 1, got '1'",
        ),
        ([user(name=3), assistant()], "data_type: message 1 name must be text"),
        ([user()], "example_missing_assistant_message: no assistant message"),
        (
            [{"role": "system", "content": "s"}, user(), user("again")],
            "example_missing_assistant_message: no assistant message",
        ),
        (
            [user(), assistant(weight=0), user("b"), assistant("c", weight=0)],
            "example_missing_assistant_message: every assistant message has weight 0",
        ),
    ],
)
def test_each_broken_chat_record_names_its_check(messages, expected):
    assert problem({"messages": messages}) == expected


def test_one_trained_assistant_message_is_enough():
    record = chat(user(), assistant("a", weight=0), user("b"), assistant("c"))
    assert [m.weight for m in to_messages(record, None, NO_COLUMNS, None)] == [None, 0, None, None]


def test_first_failing_message_is_reported():
    record = chat(user(5), {"role": "bot", "content": "x"})
    assert problem(record) == "missing_content: message 1 content is int, not text"


def test_alpaca_instruction_is_not_silently_dropped():
    record = {"instruction": "Translate to French.", "input": "hello", "output": "bonjour"}
    contents = [m.content for m in to_messages(record, None, NO_COLUMNS, None)]
    assert any("Translate to French." in c for c in contents)
