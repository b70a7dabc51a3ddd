"""Ingest tests: every format, column detection and every kind of bad input.

The product rule under test: bad input gives either an InputError naming the file (and
line or row), or an example whose `format_error` starts with the failed check's name;
never a traceback, never a silently dropped row.
"""

import csv
import hashlib
import io
from pathlib import Path

import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from ftflow.config import ColumnMap, PrepareConfig
from ftflow.errors import InputError
from ftflow.tasks.prepare.ingest import MAX_ORIGINAL_CHARS, ingest, read_inputs

CFG = PrepareConfig()
SYSTEM = "Answer briefly."
WITH_SYSTEM = PrepareConfig(system_prompt=SYSTEM)
MISSING = (
    "no `messages` field and no question/answer pair; found {found}. "
    "Name the columns in the config under `prepare.columns`"
)
BIG = 50 * 1024 * 1024


# --- helpers ------------------------------------------------------------------------------


def put(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def jsonl(*records) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def delimited(rows, delimiter=",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def put_parquet(tmp_path: Path, name: str, table: pa.Table) -> str:
    path = tmp_path / name
    pq.write_table(table, path)
    return str(path)


def put_xlsx(tmp_path: Path, name: str, sheets: dict[str, pd.DataFrame]) -> str:
    path = tmp_path / name
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for sheet, frame in sheets.items():
            frame.to_excel(writer, sheet_name=sheet, index=False)
    return str(path)


def rows(result) -> list[tuple]:
    """(file, row, where, format_error) of every example, in order."""
    return [(int(r.file), int(r.row), r.where, r.format_error) for r in result.examples.itertuples()]


def conversation(result, ex: int) -> list[tuple[str, str]]:
    m = result.messages[result.messages["ex"] == ex]
    return list(zip(m["role"].astype(str), m["content"], strict=True))


def weights(result, ex: int) -> list[int]:
    return [int(w) for w in result.messages.loc[result.messages["ex"] == ex, "weight"]]


def pair(question: str, answer: str, system: str | None = None) -> list[tuple[str, str]]:
    head = [("system", system)] if system else []
    return [*head, ("user", question), ("assistant", answer)]


def check_file(info, path: str, fmt: str, n_rows: int, blank: int = 0) -> None:
    data = Path(path).read_bytes()
    assert (info.path, info.format, info.rows, info.blank_lines) == (path, fmt, n_rows, blank)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.bytes == len(data)


def input_problems(inputs: list[str], cfg: PrepareConfig = CFG) -> list[str]:
    with pytest.raises(InputError) as info:
        ingest(inputs, cfg)
    assert str(info.value) == "\n".join(info.value.problems)
    return info.value.problems


def one_jsonl_error(tmp_path: Path, bad: bytes, cfg: PrepareConfig = CFG) -> str:
    """Put `bad` as line 2 between two good lines; the good ones must still be read."""
    good = {"question": "Good?", "answer": "Yes."}
    path = put(tmp_path, "data.jsonl", jsonl(good) + bad + b"\n" + jsonl(good))
    result = ingest([path], cfg)
    got = rows(result)
    assert [r[:3] for r in got] == [(0, 1, "line 1"), (0, 2, "line 2"), (0, 3, "line 3")]
    assert got[0][3] is None
    assert got[2][3] is None
    assert conversation(result, 2) == pair("Good?", "Yes.")
    assert conversation(result, 1) == []  # a rejected row has no messages
    assert result.files[0].rows == 3
    return got[1][3]


# --- formats ------------------------------------------------------------------------------


def test_csv_pairs_with_system_prompt_and_physical_line_numbers(tmp_path):
    text = 'Question,Answer\nWhat is 2+2?,"4, of course"\nExplain.,"Line one\nLine two"\n\nQuote?,"Say ""hi"""\n'
    path = put(tmp_path, "qa.csv", text)
    result = ingest([path], WITH_SYSTEM)
    assert rows(result) == [
        (0, 2, "line 2", None),
        (0, 3, "line 3", None),
        (0, 6, "line 6", None),
    ]
    assert conversation(result, 0) == pair("What is 2+2?", "4, of course", SYSTEM)
    assert conversation(result, 1) == pair("Explain.", "Line one\nLine two", SYSTEM)
    assert conversation(result, 2) == pair("Quote?", 'Say "hi"', SYSTEM)
    assert weights(result, 0) == [-1, -1, -1]
    assert result.original(0) == {"Question": "What is 2+2?", "Answer": "4, of course"}
    assert len(result.files) == 1
    check_file(result.files[0], path, "csv", 3, blank=1)


def test_csv_with_crlf_line_endings_and_utf8_bom(tmp_path):
    path = put(tmp_path, "qa.csv", "\ufeffquestion,answer\r\nQ1?,A1.\r\n\r\nQ2?,A2.\r\n")
    result = ingest([path], CFG)
    assert rows(result) == [(0, 2, "line 2", None), (0, 4, "line 4", None)]
    assert conversation(result, 0) == pair("Q1?", "A1.")
    assert conversation(result, 1) == pair("Q2?", "A2.")
    check_file(result.files[0], path, "csv", 2, blank=1)


def test_tsv_uses_tabs_even_when_text_has_commas_and_semicolons(tmp_path):
    text = "prompt\tcompletion\nOne, two; three?\tFour, five; six.\nSeven?\tEight.\n"
    path = put(tmp_path, "qa.tsv", text)
    result = ingest([path], WITH_SYSTEM)
    assert rows(result) == [(0, 2, "line 2", None), (0, 3, "line 3", None)]
    assert conversation(result, 0) == pair("One, two; three?", "Four, five; six.", SYSTEM)
    assert conversation(result, 1) == pair("Seven?", "Eight.", SYSTEM)
    check_file(result.files[0], path, "tsv", 2)


@pytest.mark.parametrize("delimiter", [";", "|", "\t"])
def test_csv_delimiter_is_sniffed_from_the_header(tmp_path, delimiter):
    text = delimited([["Question", "Answer"], ["Capital of France?", "Paris, of course."]], delimiter)
    path = put(tmp_path, "qa.csv", text)
    result = ingest([path], CFG)
    assert rows(result) == [(0, 2, "line 2", None)]
    assert conversation(result, 0) == pair("Capital of France?", "Paris, of course.")
    check_file(result.files[0], path, "csv", 1)


def test_jsonl_chat_and_pair_lines_with_weights_names_and_crlf(tmp_path):
    chat = {
        "messages": [
            {"role": "system", "content": "Be kind."},
            {"role": "user", "content": "Hi", "name": "ana"},
            {"role": "assistant", "content": "Draft", "weight": 0},
            {"role": "user", "content": "Again"},
            {"role": "assistant", "content": "Hello!", "weight": 1},
        ]
    }
    data = orjson.dumps(chat) + b"\r\n" + orjson.dumps({"Prompt": "P?", "Completion": "C."}) + b"\r\n"
    path = put(tmp_path, "chat.jsonl", data)
    result = ingest([path], WITH_SYSTEM)
    assert rows(result) == [(0, 1, "line 1", None), (0, 2, "line 2", None)]
    assert conversation(result, 0) == [
        ("system", "Be kind."),
        ("user", "Hi"),
        ("assistant", "Draft"),
        ("user", "Again"),
        ("assistant", "Hello!"),
    ]
    assert weights(result, 0) == [-1, -1, 0, -1, 1]
    names = result.messages.loc[result.messages["ex"] == 0, "name"].tolist()
    assert names == [None, "ana", None, None, None]
    assert conversation(result, 1) == pair("P?", "C.", SYSTEM)  # pairs only get the prompt
    assert result.original(1) == '{"Prompt":"P?","Completion":"C."}'
    check_file(result.files[0], path, "jsonl", 2)


@pytest.mark.parametrize("ext", [".ndjson", ".json", ".JSONL"])
def test_other_jsonl_extensions(tmp_path, ext):
    path = put(tmp_path, "data" + ext, jsonl({"question": "Q?", "answer": "A."}))
    result = ingest([path], CFG)
    assert rows(result) == [(0, 1, "line 1", None)]
    check_file(result.files[0], path, "jsonl", 1)


def test_parquet_pair_columns(tmp_path):
    table = pa.table(
        {
            "id": [10, 11],
            "Question": ["Q1?", "Q2?"],
            "Answer": ["A1.", None],
            "system": ["", "Own."],
        }
    )
    path = put_parquet(tmp_path, "qa.parquet", table)
    result = ingest([path], WITH_SYSTEM)
    assert rows(result) == [(0, 1, "row 1", None), (0, 2, "row 2", None)]
    assert conversation(result, 0) == pair("Q1?", "A1.", SYSTEM)
    assert conversation(result, 1) == pair("Q2?", "", "Own.")  # a null answer reads as ""
    assert result.original(0) == {"id": 10, "Question": "Q1?", "Answer": "A1.", "system": ""}
    check_file(result.files[0], path, "parquet", 2)


def test_parquet_messages_list_of_structs(tmp_path):
    message = pa.struct([("role", pa.string()), ("content", pa.string()), ("weight", pa.int64())])
    conversations = [
        [
            {"role": "user", "content": "Hi", "weight": None},
            {"role": "assistant", "content": "Hello", "weight": None},
        ],
        [
            {"role": "system", "content": "Sys", "weight": None},
            {"role": "user", "content": "A?", "weight": None},
            {"role": "assistant", "content": "Draft", "weight": 0},
            {"role": "user", "content": "B?", "weight": None},
            {"role": "assistant", "content": "B.", "weight": 1},
        ],
        [],
        None,
        [{"role": "user", "content": "Only me", "weight": None}],
    ]
    table = pa.table({"messages": pa.array(conversations, type=pa.list_(message))})
    path = put_parquet(tmp_path, "chat.parquet", table)
    result = ingest([path], WITH_SYSTEM)
    empty = "missing_messages_list: `messages` must be a non-empty list"
    assert rows(result) == [
        (0, 1, "row 1", None),
        (0, 2, "row 2", None),
        (0, 3, "row 3", empty),
        (0, 4, "row 4", empty),
        (0, 5, "row 5", "example_missing_assistant_message: no assistant message"),
    ]
    assert conversation(result, 0) == [("user", "Hi"), ("assistant", "Hello")]
    assert conversation(result, 1)[2] == ("assistant", "Draft")
    assert weights(result, 1) == [-1, -1, 0, -1, 1]
    check_file(result.files[0], path, "parquet", 5)


def test_parquet_wrong_cell_types_are_format_errors(tmp_path):
    table = pa.table({"question": [1, 2], "answer": ["A.", "B."]})
    path = put_parquet(tmp_path, "typed.parquet", table)
    result = ingest([path], CFG)
    error = "missing_content: `question` must be text, got int"
    assert rows(result) == [(0, 1, "row 1", error), (0, 2, "row 2", error)]
    assert result.messages.empty


def test_xlsx_two_sheets_with_sheet_names_and_spreadsheet_rows(tmp_path):
    path = put_xlsx(
        tmp_path,
        "book.xlsx",
        {
            "Geography": pd.DataFrame(
                {
                    "Question": ["Capital of France?", "Capital of Peru?"],
                    "Answer": ["Paris", "Lima"],
                }
            ),
            "Math": pd.DataFrame({"Prompt": ["2+2?", "3*3?"], "Completion": [4, 9]}),
        },
    )
    result = ingest([path], WITH_SYSTEM)
    assert rows(result) == [
        (0, 2, "sheet 'Geography' row 2", None),
        (0, 3, "sheet 'Geography' row 3", None),
        (0, 2, "sheet 'Math' row 2", None),
        (0, 3, "sheet 'Math' row 3", None),
    ]
    assert conversation(result, 0) == pair("Capital of France?", "Paris", SYSTEM)
    assert conversation(result, 1) == pair("Capital of Peru?", "Lima", SYSTEM)
    assert conversation(result, 2) == pair("2+2?", "4", SYSTEM)  # numbers read as text
    assert conversation(result, 3) == pair("3*3?", "9", SYSTEM)
    check_file(result.files[0], path, "xlsx", 4)


def test_several_files_keep_their_own_index_and_numbering(tmp_path):
    a = put(tmp_path, "a.jsonl", jsonl({"question": "Q1?", "answer": "A1."}))
    b = put(tmp_path, "b.csv", "question,answer\nQ2?,A2.\n")
    result = read_inputs([a, b], CFG)
    assert rows(result) == [(0, 1, "line 1", None), (1, 2, "line 2", None)]
    check_file(result.files[0], a, "jsonl", 1)
    check_file(result.files[1], b, "csv", 1)
    assert conversation(result, 1) == pair("Q2?", "A2.")


# --- column detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ("Question", "Answer"),
        ("question", "answer"),
        ("PROMPT", "COMPLETION"),
        ("Input", "Output"),
        ("instruction", "Response"),
        ("User", "Assistant"),
    ],
)
def test_csv_detects_each_synonym_pair(tmp_path, header):
    path = put(tmp_path, "qa.csv", delimited([["id", *header], ["1", "Q?", "A."]]))
    result = ingest([path], CFG)
    assert rows(result) == [(0, 2, "line 2", None)]
    assert conversation(result, 0) == pair("Q?", "A.")


@pytest.mark.parametrize(
    "header",
    [("Question", "Answer"), ("prompt", "completion"), ("INPUT", "OUTPUT"), ("user", "assistant")],
)
def test_jsonl_detects_each_synonym_pair(tmp_path, header):
    path = put(tmp_path, "qa.jsonl", jsonl(dict(zip(header, ["Q?", "A."], strict=True))))
    result = ingest([path], CFG)
    assert rows(result) == [(0, 1, "line 1", None)]
    assert conversation(result, 0) == pair("Q?", "A.")


def test_config_mapped_columns(tmp_path):
    cfg = PrepareConfig(columns=ColumnMap(question="Q text", answer="A text"))
    text = delimited([["ID", "Q text", "A text"], ["1", "Why?", "Because."]])
    path = put(tmp_path, "mapped.csv", text)
    result = ingest([path], cfg)
    assert rows(result) == [(0, 2, "line 2", None)]
    assert conversation(result, 0) == pair("Why?", "Because.")
    # Without the mapping the same file has no usable columns.
    assert input_problems([path]) == [f"{path}: " + MISSING.format(found="['A text', 'ID', 'Q text']")]


def test_config_mapped_columns_that_are_absent_name_the_configuration(tmp_path):
    cfg = PrepareConfig(columns=ColumnMap(question="Q text", answer="A text"))
    path = put(tmp_path, "plain.csv", "question,answer\nQ?,A.\n")
    assert input_problems([path], cfg) == [
        f"{path}: no `messages` field and no question/answer pair (configured columns: "
        "{'question': 'Q text', 'answer': 'A text'}); found ['answer', 'question']. "
        "Name the columns in the config under `prepare.columns`"
    ]


def test_csv_messages_column_holding_json(tmp_path):
    good = orjson.dumps([{"role": "user", "content": "Hi, there"}, {"role": "assistant", "content": "Hello"}]).decode()
    text = delimited([["id", "Messages"], ["1", good], ["2", "[{not json"], ["3", "{}"]])
    path = put(tmp_path, "chat.csv", text)
    result = ingest([path], WITH_SYSTEM)
    got = rows(result)
    assert got[0] == (0, 2, "line 2", None)
    assert conversation(result, 0) == [("user", "Hi, there"), ("assistant", "Hello")]
    assert got[1][:3] == (0, 3, "line 3")
    assert got[1][3].startswith("missing_messages_list: `Messages` is not valid JSON (")
    assert got[2] == (
        0,
        4,
        "line 4",
        "missing_messages_list: `messages` must be a non-empty list",
    )


# --- bad rows (format_error) --------------------------------------------------------------


def test_malformed_json_lines_do_not_stop_the_file(tmp_path):
    good = jsonl({"question": "Q?", "answer": "A."})
    data = good + b'{"question": "Q?", "answer": }\n' + good + b"not json at all\n" + good
    path = put(tmp_path, "broken.jsonl", data)
    result = ingest([path], CFG)
    got = rows(result)
    assert [r[:3] for r in got] == [(0, n, f"line {n}") for n in range(1, 6)]
    assert [r[3] is None for r in got] == [True, False, True, False, True]
    for error in (got[1][3], got[3][3]):
        assert error.startswith("invalid_json: ")
        assert "line 1 column" in error
    assert result.original(1) == '{"question": "Q?", "answer": }'
    assert [conversation(result, ex) for ex in (0, 2, 4)] == [pair("Q?", "A.")] * 3
    check_file(result.files[0], path, "jsonl", 5)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"messages": [{"role": "user", "content": 5}, {"role": "assistant", "content": "A"}]},
            "missing_content: message 1 content is int, not text",
        ),
        (
            {
                "messages": [
                    {"role": "user", "content": ["a"]},
                    {"role": "assistant", "content": "A"},
                ]
            },
            "missing_content: message 1 content is list, not text",
        ),
        (
            {"messages": {"role": "user", "content": "Q"}},
            "missing_messages_list: `messages` must be a non-empty list",
        ),
        ({"messages": []}, "missing_messages_list: `messages` must be a non-empty list"),
        (
            {
                "messages": [
                    {"role": "user", "content": "Q"},
                    {"role": "assistant", "content": "A", "weight": 2},
                ]
            },
            "invalid_weight: message 2 weight must be 0 or 1, got 2",
        ),
        (
            {
                "messages": [
                    {"role": "user", "content": "Q", "weight": 1},
                    {"role": "assistant", "content": "A"},
                ]
            },
            "invalid_weight: message 1 (user) has a weight; only assistant messages may",
        ),
        (
            {"messages": [{"role": "user", "content": "Q"}, {"role": "bot", "content": "A"}]},
            "unrecognized_role: message 2 has role 'bot'",
        ),
        (
            {
                "messages": [
                    {"role": "user", "content": "Q", "lang": "en"},
                    {"role": "assistant", "content": "A"},
                ]
            },
            "message_unrecognized_key: message 1 has lang",
        ),
        (
            {"messages": [{"role": "user", "content": "Q"}, {"role": "assistant"}]},
            "message_missing_key: message 2 has no content",
        ),
        (
            {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q"}]},
            "example_missing_assistant_message: no assistant message",
        ),
        (
            {
                "messages": [
                    {"role": "user", "content": "Q"},
                    {"role": "assistant", "content": "A", "weight": 0},
                ]
            },
            "example_missing_assistant_message: every assistant message has weight 0",
        ),
        ({"question": 12, "answer": "A"}, "missing_content: `question` must be text, got int"),
        (["question", "answer"], "data_type: expected a JSON object, got list"),
        ("just a string", "data_type: expected a JSON object, got str"),
        (
            {"id": 3, "text": "hello"},
            "missing_messages_list: " + MISSING.format(found="['id', 'text']"),
        ),
    ],
)
def test_each_bad_jsonl_record_gets_its_check_name(tmp_path, record, expected):
    assert one_jsonl_error(tmp_path, orjson.dumps(record)) == expected


def test_mixed_schemas_in_one_jsonl_file(tmp_path):
    data = jsonl(
        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo"}]},
        {"question": "Q?", "answer": "A."},
        {"title": "x", "body": "y", "Tags": []},
        {"prompt": "P?", "completion": "C."},
    )
    path = put(tmp_path, "mixed.jsonl", data)
    result = ingest([path], CFG)
    assert rows(result) == [
        (0, 1, "line 1", None),
        (0, 2, "line 2", None),
        (
            0,
            3,
            "line 3",
            "missing_messages_list: " + MISSING.format(found="['Tags', 'body', 'title']"),
        ),
        (0, 4, "line 4", None),
    ]
    assert conversation(result, 0) == [("user", "Hi"), ("assistant", "Yo")]
    assert conversation(result, 1) == pair("Q?", "A.")
    assert conversation(result, 3) == pair("P?", "C.")


def test_nul_byte_inside_a_jsonl_line(tmp_path):
    bad = b'{"question": "a\x00b", "answer": "A."}'
    assert one_jsonl_error(tmp_path, bad) == f"invalid_json: NUL byte at column {bad.index(0) + 1}"


def test_escaped_nul_in_json_is_valid_text(tmp_path):
    path = put(tmp_path, "esc.jsonl", b'{"question": "a\\u0000b", "answer": "A."}\n')
    result = ingest([path], CFG)
    assert rows(result) == [(0, 1, "line 1", None)]
    assert conversation(result, 0) == pair("a\x00b", "A.")


def test_non_utf8_byte_in_a_jsonl_line(tmp_path):
    """With prepare.encoding given, a byte it cannot decode quarantines its line (unset, the file's
    encoding is detected: tests/faults)."""
    bad = '{"question": "Café?", "answer": "Oui."}'.encode("cp1252")
    column = bad.index(b"\xe9") + 1
    cfg = PrepareConfig(encoding="utf-8")
    assert one_jsonl_error(tmp_path, bad, cfg) == (f"invalid_json: not valid utf-8: byte 0xe9 at column {column}")


def test_cp1252_jsonl_is_detected_when_no_encoding_is_given(tmp_path):
    good = {"question": "Good?", "answer": "Yes."}
    bad = '{"question": "Café?", "answer": "Oui, très bien."}'.encode("cp1252")
    result = ingest([put(tmp_path, "data.jsonl", jsonl(good) + bad + b"\n")], CFG)
    assert [r[3] for r in rows(result)] == [None, None]
    assert conversation(result, 1) == pair("Café?", "Oui, très bien.")
    assert (result.files[0].encoding, result.files[0].encoding_detected) == ("cp1252", True)


def test_cp1252_jsonl_reads_with_the_configured_encoding(tmp_path):
    data = '{"question": "Café?", "answer": "Oui, très."}\n'.encode("cp1252")
    path = put(tmp_path, "win.jsonl", data)
    result = ingest([path], PrepareConfig(encoding="cp1252"))
    assert rows(result) == [(0, 1, "line 1", None)]
    assert conversation(result, 0) == pair("Café?", "Oui, très.")


def test_non_utf8_byte_in_a_csv_row_and_cp1252_config(tmp_path):
    data = "question,answer\nHi?,Hello.\nCafé?,Oui.\nBye?,Bye.\n".encode("cp1252")
    path = put(tmp_path, "win.csv", data)
    result = ingest([path], PrepareConfig(encoding="utf-8"))
    assert rows(result) == [
        (0, 2, "line 2", None),
        (0, 3, "line 3", "invalid_row: not valid utf-8: byte 0xe9 at column 4 of a field"),
        (0, 4, "line 4", None),
    ]
    assert conversation(result, 1) == []
    assert conversation(result, 2) == pair("Bye?", "Bye.")

    clean = ingest([path], PrepareConfig(encoding="cp1252"))
    assert rows(clean) == [(0, n, f"line {n}", None) for n in (2, 3, 4)]
    assert conversation(clean, 1) == pair("Café?", "Oui.")
    check_file(clean.files[0], path, "csv", 3)


def test_nul_byte_inside_a_csv_field(tmp_path):
    text = "question,answer\nA normal question?,A normal answer.\nQ?,bad\x00answer\n"
    path = put(tmp_path, "nul.csv", text)
    result = ingest([path], CFG)
    assert rows(result) == [
        (0, 2, "line 2", None),
        (0, 3, "line 3", "invalid_row: NUL byte in a field"),
    ]


def test_csv_rows_with_too_many_or_too_few_fields(tmp_path):
    text = "question,answer\nQ1?,A1.\nQ2?,A2.,extra\nQ3?\nQ4?,A4.\n"
    path = put(tmp_path, "ragged.csv", text)
    result = ingest([path], CFG)
    assert rows(result) == [
        (0, 2, "line 2", None),
        (0, 3, "line 3", "invalid_row: 3 fields where the header has 2"),
        (0, 4, "line 4", "invalid_row: 1 fields where the header has 2"),
        (0, 5, "line 5", None),
    ]
    assert conversation(result, 3) == pair("Q4?", "A4.")
    check_file(result.files[0], path, "csv", 4)


def test_csv_quote_never_closed_is_an_error_at_its_line(tmp_path):
    # Read on, the open quote would swallow the rest of the file into one field: the file is
    # refused at the line where the quote opens instead, naming the cause.
    path = put(tmp_path, "quote.csv", 'question,answer\nQ1?,A1.\n"What, then\nQ3?,A3.\n')
    [problem] = input_problems([path])
    assert problem.startswith(f"{path} line 3: unexpected end of data; a quote opened")


def test_deeply_nested_json_line_is_a_format_error(tmp_path):
    bad = b'{"question": ' + b"[" * 5000 + b"]" * 5000 + b', "answer": "A"}'
    assert one_jsonl_error(tmp_path, bad).startswith("invalid_json: ")


def test_jsonl_line_of_50_mb_valid_json_is_a_row(tmp_path):
    answer = "x" * BIG
    data = orjson.dumps({"question": "Long?", "answer": answer}) + b"\n"
    path = put(tmp_path, "big.jsonl", data + jsonl({"question": "Short?", "answer": "Yes."}))
    del data
    result = ingest([path], CFG)
    assert rows(result) == [(0, 1, "line 1", None), (0, 2, "line 2", None)]
    contents = result.messages.loc[result.messages["ex"] == 0, "content"].tolist()
    assert contents[0] == "Long?"
    assert contents[1] == answer
    original = result.original(0)
    assert original.startswith('{"question":"Long?"')
    assert len(original) < MAX_ORIGINAL_CHARS + 100
    assert original.endswith(" more characters]")
    check_file(result.files[0], path, "jsonl", 2)


def test_jsonl_line_of_50_mb_invalid_json_is_a_format_error(tmp_path):
    data = b'{"question": "Long?", "answer": "' + b"x" * BIG + b"\n"  # string never closed
    path = put(tmp_path, "big.jsonl", data + jsonl({"question": "Short?", "answer": "Yes."}))
    del data
    result = ingest([path], CFG)
    got = rows(result)
    assert [r[:3] for r in got] == [(0, 1, "line 1"), (0, 2, "line 2")]
    assert got[0][3].startswith("invalid_json: ")
    assert len(got[0][3]) < 300  # the error names the problem, it does not copy the line
    assert got[1][3] is None
    assert conversation(result, 0) == []
    assert len(result.original(0)) < MAX_ORIGINAL_CHARS + 100


def test_csv_field_of_50_mb_is_a_row(tmp_path):
    path = put(tmp_path, "big.csv", b"question,answer\nLong?," + b"y" * BIG + b"\nQ?,A.\n")
    result = ingest([path], CFG)
    assert rows(result) == [(0, 2, "line 2", None), (0, 3, "line 3", None)]
    assert len(conversation(result, 0)[1][1]) == BIG


# --- blank lines and counts ---------------------------------------------------------------


def test_blank_lines_in_jsonl_are_counted_not_rows(tmp_path):
    good = orjson.dumps({"question": "Q?", "answer": "A."})
    data = b"\n" + good + b"\n\n   \n\t\r\n" + good + b"\n{oops\n\n"
    path = put(tmp_path, "blanks.jsonl", data)
    result = ingest([path], CFG)
    got = rows(result)
    assert [r[:3] for r in got] == [(0, 2, "line 2"), (0, 6, "line 6"), (0, 7, "line 7")]
    assert [r[3] is None for r in got] == [True, True, False]
    check_file(result.files[0], path, "jsonl", 3, blank=5)  # lines 1, 3, 4, 5, 8


def test_blank_lines_in_csv_are_counted_not_rows(tmp_path):
    text = 'question,answer\n\nQ1?,A1.\n   \n,\nQ2?,"two\n\nlines"\n\nQ3?,A3.\n\n'
    path = put(tmp_path, "blanks.csv", text)
    result = ingest([path], CFG)
    assert rows(result) == [
        (0, 3, "line 3", None),
        (0, 6, "line 6", None),
        (0, 10, "line 10", None),
    ]
    assert conversation(result, 1) == pair("Q2?", "two\n\nlines")
    check_file(result.files[0], path, "csv", 3, blank=5)


def test_counts_reconcile_with_lines_that_have_content(tmp_path):
    lines = [orjson.dumps({"question": f"Q{i}?", "answer": f"A{i}."}) if i % 3 else b"{bad json" for i in range(40)]
    data = b"\n".join(line + (b"\n" if i % 5 == 0 else b"") for i, line in enumerate(lines))
    a = put(tmp_path, "a.jsonl", data + b"\n")
    csv_rows = [["question", "answer"]] + [[f"Q{i}?", f"A{i}."] for i in range(25)]
    b = put(tmp_path, "b.csv", delimited(csv_rows) + "\n\n")
    result = ingest([a, b], CFG)
    content_lines = [n for n, line in enumerate(Path(a).read_bytes().split(b"\n"), 1) if line.strip()]
    assert len(content_lines) == 40
    a_rows = result.examples[result.examples["file"] == 0]
    assert a_rows["row"].tolist() == content_lines
    assert int(a_rows["format_error"].notna().sum()) == 14
    assert len(result.examples) == 40 + 25 == sum(f.rows for f in result.files)
    assert (result.files[0].blank_lines, result.files[1].blank_lines) == (8, 2)
    assert result.examples.loc[result.examples["file"] == 1, "row"].tolist() == list(range(2, 27))
    ok = result.examples.index[result.examples["format_error"].isna()]
    assert sorted(set(result.messages["ex"])) == ok.tolist()
    assert len(result.messages) == 2 * len(ok)


# --- unreadable files (InputError) --------------------------------------------------------


def test_missing_columns_names_the_file_and_lists_found_columns(tmp_path):
    a = put(tmp_path, "a.csv", "id,text,label\n1,hello,x\n")
    b = put(tmp_path, "b.tsv", "Title\tBody\nt\tb\n")
    c = put_parquet(tmp_path, "c.parquet", pa.table({"text": ["x"], "score": [1]}))
    d = put_xlsx(tmp_path, "d.xlsx", {"Sheet1": pd.DataFrame({"Frage": ["x"], "Antwort": ["y"]})})
    assert input_problems([a, b, c, d]) == [
        f"{a}: " + MISSING.format(found="['id', 'label', 'text']"),
        f"{b}: " + MISSING.format(found="['Body', 'Title']"),
        f"{c}: " + MISSING.format(found="['score', 'text']"),
        f"{d} sheet 'Sheet1': " + MISSING.format(found="['Antwort', 'Frage']"),
    ]


@pytest.mark.parametrize("name", ["e.csv", "e.tsv", "e.jsonl", "e.parquet", "e.xlsx"])
def test_empty_file(tmp_path, name):
    path = put(tmp_path, name, b"")
    assert input_problems([path]) == [f"{path}: file is empty"]


@pytest.mark.parametrize("name", ["w.csv", "w.jsonl", "w.tsv"])
def test_whitespace_only_file(tmp_path, name):
    path = put(tmp_path, name, b" \n\t \r\n\n   ")
    assert input_problems([path]) == [f"{path}: file is empty"]


def test_csv_with_only_a_bom_is_empty(tmp_path):
    path = put(tmp_path, "bom.csv", "\ufeff")
    assert input_problems([path]) == [f"{path}: file is empty"]


@pytest.mark.parametrize("text", ["question,answer\n", "question,answer", "question,answer\n\n , \n\n"])
def test_header_only_csv(tmp_path, text):
    path = put(tmp_path, "header.csv", text)
    assert input_problems([path]) == [f"{path}: has a header but no data rows"]


def test_header_only_parquet_and_xlsx(tmp_path):
    p = put_parquet(
        tmp_path,
        "h.parquet",
        pa.table({"question": pa.array([], pa.string()), "answer": pa.array([], pa.string())}),
    )
    x = put_xlsx(tmp_path, "h.xlsx", {"S": pd.DataFrame({"question": [], "answer": []})})
    assert input_problems([p, x]) == [
        f"{p}: has a header but no data rows",
        f"{x}: has a header but no data rows",
    ]


def test_utf16_and_binary_files(tmp_path):
    text = "question,answer\nQ1?,A1.\nQ2?,A2.\n"
    with_bom = put(tmp_path, "bom16.csv", text.encode("utf-16"))
    jsonl_bom = put(tmp_path, "bom16.jsonl", jsonl({"question": "Q", "answer": "A"}).decode().encode("utf-16"))
    no_bom = put(tmp_path, "le16.csv", text.encode("utf-16-le"))
    nul = put(tmp_path, "nul.jsonl", b"\x00" * 500 + b'{"question": "Q", "answer": "A"}\n')
    assert input_problems([with_bom, jsonl_bom, no_bom, nul]) == [
        f"{with_bom}: file is UTF-16 encoded; save it as UTF-8",
        f"{jsonl_bom}: file is UTF-16 encoded; save it as UTF-8",
        f"{no_bom}: binary file (many NUL bytes), not CSV text",
        f"{nul}: binary file (many NUL bytes), not JSONL text",
    ]


def test_corrupt_parquet_and_xlsx(tmp_path):
    p = put(tmp_path, "bad.parquet", "question,answer\nQ,A\n")
    x = put(tmp_path, "bad.xlsx", "question,answer\nQ,A\n")
    problems = input_problems([p, x])
    assert len(problems) == 2
    assert problems[0].startswith(f"{p}: not a readable Parquet file (")
    assert problems[1].startswith(f"{x}: not a readable XLSX file (")


def test_missing_path_and_glob_matching_nothing(tmp_path):
    missing = str(tmp_path / "nope.csv")
    pattern = str(tmp_path / "*.jsonl")
    assert input_problems([missing, pattern]) == [
        f"{missing}: no such file",
        f"{pattern}: matches no input files (.csv, .docx, .htm, .html, .jpeg, .jpg, .json, .jsonl, .markdown, .md, .ndjson, .parquet, .pdf, .png, .pptx, .tif, .tiff, .tsv, .txt, .xlsx)",
    ]


def test_directory_without_supported_files(tmp_path):
    put(tmp_path, "d/readme.rtf", "hello")
    d = str(tmp_path / "d")
    assert input_problems([d]) == [
        f"{d}: matches no input files (.csv, .docx, .htm, .html, .jpeg, .jpg, .json, .jsonl, .markdown, .md, .ndjson, .parquet, .pdf, .png, .pptx, .tif, .tiff, .tsv, .txt, .xlsx)"
    ]


def test_unsupported_extension(tmp_path):
    path = put(tmp_path, "notes.rtf", "question,answer\nQ,A\n")
    assert input_problems([path]) == [
        f"{path}: unsupported file type; use CSV, TSV, JSONL, Parquet, XLSX, or a document (PDF, DOCX, PPTX, HTML, Markdown, text, PNG/JPEG/TIFF scans)"
    ]


def test_several_bad_files_give_one_error_listing_all(tmp_path):
    good = put(tmp_path, "good.jsonl", jsonl({"question": "Q", "answer": "A"}))
    empty = put(tmp_path, "empty.csv", "")
    header = put(tmp_path, "header.csv", "question,answer\n")
    columns = put(tmp_path, "cols.tsv", "a\tb\n1\t2\n")
    binary = put(tmp_path, "bin.jsonl", b"\x00\x01" * 100)
    other = put(tmp_path, "x.doc", "hello")
    missing = str(tmp_path / "gone.parquet")
    problems = input_problems([good, empty, header, columns, binary, other, missing])
    # Every problem at once: paths that do not exist first, then each file that cannot be read.
    assert problems == [
        f"{missing}: no such file",
        f"{empty}: file is empty",
        f"{header}: has a header but no data rows",
        f"{columns}: " + MISSING.format(found="['a', 'b']"),
        f"{binary}: binary file (many NUL bytes), not JSONL text",
        f"{other}: unsupported file type; use CSV, TSV, JSONL, Parquet, XLSX, or a document (PDF, DOCX, PPTX, HTML, Markdown, text, PNG/JPEG/TIFF scans)",
    ]


# --- expanding inputs ---------------------------------------------------------------------


def test_directories_and_globs_expand_in_a_stable_order_without_repeats(tmp_path):
    b = put(tmp_path, "d/b.csv", "question,answer\nQb,Ab\n")
    a = put(tmp_path, "d/sub/a.jsonl", jsonl({"question": "Qa", "answer": "Aa"}))
    put(tmp_path, "d/readme.rtf", "ignored in a directory")
    c = put(tmp_path, "c.tsv", "question\tanswer\nQc\tAc\n")
    result = ingest([str(tmp_path / "d"), str(tmp_path / "*.tsv"), b, c], CFG)
    assert [f.path for f in result.files] == [b, a, c]
    assert [conversation(result, ex)[0][1] for ex in range(3)] == ["Qb", "Qa", "Qc"]


# --- fixed bugs (found by these tests) ---------------------------------------------------------------------------


def test_directory_holding_a_partitioned_parquet_dataset(tmp_path):
    (tmp_path / "d" / "events.parquet").mkdir(parents=True)
    put_parquet(tmp_path, "d/events.parquet/part-0.parquet", pa.table({"question": ["Q"], "answer": ["A"]}))
    result = ingest([str(tmp_path / "d")], CFG)
    assert [f.path for f in result.files] == [str(tmp_path / "d/events.parquet/part-0.parquet")]


@pytest.mark.parametrize(
    ("name", "data"),
    [("a.csv", b"question,answer\nQ,A\n"), ("a.jsonl", jsonl({"question": "Q", "answer": "A"}))],
)
def test_unknown_encoding_is_a_config_error(tmp_path, name, data):
    with pytest.raises(ValidationError, match="unknown text encoding 'no-such-codec'"):
        PrepareConfig(encoding="no-such-codec")


def test_jsonl_with_utf8_bom(tmp_path):
    path = put(tmp_path, "bom.jsonl", b"\xef\xbb\xbf" + jsonl({"question": "Q", "answer": "A"}))
    result = ingest([path], CFG)
    assert rows(result) == [(0, 1, "line 1", None)]


def test_semicolon_csv_whose_header_has_quoted_commas(tmp_path):
    text = 'question;answer;"notes, remarks, etc"\nQ?;A, yes.;n\n'
    path = put(tmp_path, "semi.csv", text)
    result = ingest([path], CFG)
    assert conversation(result, 0) == pair("Q?", "A, yes.")


def test_undecodable_cp1252_byte_is_located_correctly(tmp_path):
    # 0x90 is undefined in cp1252; it is the 2nd byte of the field "\xc1\x90x".
    path = put(tmp_path, "win.csv", b"question,answer\nq,\xc1\x90x\n")
    result = ingest([path], PrepareConfig(encoding="cp1252"))
    assert rows(result) == [(0, 2, "line 2", "invalid_row: not valid cp1252: byte 0x90 at column 2 of a field")]


def test_blank_xlsx_row_is_counted_not_a_row(tmp_path):
    frame = pd.DataFrame({"question": ["Q1", None, "Q3"], "answer": ["A1", None, "A3"]})
    path = put_xlsx(tmp_path, "gap.xlsx", {"S": frame})
    result = ingest([path], CFG)
    assert rows(result) == [(0, 2, "sheet 'S' row 2", None), (0, 4, "sheet 'S' row 4", None)]
    assert (result.files[0].rows, result.files[0].blank_lines) == (2, 1)


def test_xlsx_missing_columns_error_names_the_sheet(tmp_path):
    path = put_xlsx(
        tmp_path,
        "book.xlsx",
        {
            "Data": pd.DataFrame({"question": ["Q"], "answer": ["A"]}),
            "Notes": pd.DataFrame({"note": ["made by hand"]}),
        },
    )
    with pytest.raises(InputError, match="'Notes'"):
        ingest([path], CFG)


# --- big JSONL files: parsed in parts by forked workers -----------------------------------


@pytest.mark.parametrize("window", [32 << 20, 300, 50])  # one window; several lines each; longer lines than it
def test_jsonl_parsed_in_parts_equals_one_part(tmp_path, monkeypatch, window):
    """Parts in forked processes, each read a window at a time: the same rows, lines and originals."""
    from ftflow.tasks.prepare import parallel
    from ftflow.tasks.prepare.readers import jsonl as ingest_jsonl
    from ftflow.tasks.prepare.readers import jsonl_arrow

    lines = [
        orjson.dumps({"messages": [{"role": "user", "content": f"Q{i}?"}, {"role": "assistant", "content": f"A{i}."}]})
        for i in range(40)
    ]
    lines[3] = b'{"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A.", "weight": 1}]}'
    lines[7] = (
        b'{"messages": [{"role": "user", "name": "ann", "content": "Q?"}, {"role": "assistant", "content": "A."}]}'
    )
    lines[11] = b'{"messages": [{"role": "bot", "content": "x"}]}'
    lines[19] = b'{"question": "Q?", "answer": }'
    lines[23] = b""
    lines[29] = b"   "
    data = b"\xef\xbb\xbf" + b"\r\n".join(lines[:20]) + b"\n" + b"\n".join(lines[20:]) + b"\n"
    path = put(tmp_path, "big.jsonl", data)

    one = ingest([path], CFG)
    monkeypatch.setattr(ingest_jsonl, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(ingest_jsonl, "WINDOW_BYTES", window)
    monkeypatch.setattr(jsonl_arrow, "BLOCK_LINES", 3)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 3)
    assert len(ingest_jsonl._cut_points(path, len(data), 3)) == 4
    parts = ingest([path], CFG)

    pd.testing.assert_frame_equal(parts.examples, one.examples)
    pd.testing.assert_frame_equal(parts.messages, one.messages)
    assert parts.files == one.files
    assert parts.files[0].sha256 == hashlib.sha256(data).hexdigest()
    assert parts.files[0].blank_lines == 2
    text = data.decode("utf-8-sig").split("\n")
    for i, row in enumerate(parts.examples["row"]):
        assert parts.original(i) == one.original(i) == text[row - 1].removesuffix("\r")
    assert parts.examples.loc[parts.examples["row"] == 12, "format_error"].item().startswith("unrecognized_role")
    assert parts.messages.loc[parts.messages["name"].notna(), "name"].tolist() == ["ann"]
    assert parts.messages["weight"].tolist().count(1) == 1


def test_blank_big_jsonl_is_an_empty_file(tmp_path, monkeypatch):
    from ftflow.tasks.prepare import parallel
    from ftflow.tasks.prepare.readers import jsonl as ingest_jsonl

    monkeypatch.setattr(ingest_jsonl, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    path = put(tmp_path, "blank.jsonl", " \n" * 40_000)
    with pytest.raises(InputError, match="file is empty"):
        ingest([path], CFG)


def _chat_line_variants(rng) -> bytes:
    """A chat line, often valid, often broken in a way Arrow can still read (or not)."""
    role = rng.choice(["user", "assistant", "system", "bot", "Assistant", None])
    content = rng.choice(["A.", "", "tab\\tand \\u00e9 \\ud83d\\ude00", None, 5, "x" * 50])
    message = {"role": role, "content": content}
    if rng.random() < 0.2:
        message["weight"] = rng.choice([0, 1, 2, -1, None, 1.0, True])
    if rng.random() < 0.1:
        message["name"] = rng.choice(["ann", None, 3])
    if rng.random() < 0.05:
        message["extra"] = 1
    if rng.random() < 0.05:
        del message["role"]
    answer = {"role": "assistant", "content": "The answer."}
    messages = rng.choice([[message, answer], [message], [answer, message], [], None, [None, answer], "[]"])
    record: dict = {"messages": messages}
    if rng.random() < 0.03:
        record = {"Messages": messages}
    if rng.random() < 0.03:
        record["id"] = 7
    line = orjson.dumps(record)
    r = rng.random()
    if r < 0.01:
        line += line  # two documents on one line
    elif r < 0.02:
        line = line[:-3]  # cut off
    elif r < 0.03:
        line = line.replace(b'"content"', b'"content":"dup","content"', 1)
    elif r < 0.04:
        line = line.replace(b'"The answer."', b"NaN")
    return line


def test_arrow_read_lines_equal_the_line_parser(tmp_path, monkeypatch):
    import random

    from ftflow.tasks.prepare.readers import jsonl_arrow

    rng = random.Random(4)
    plain = orjson.dumps({"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A."}]})
    lines = []
    for block in range(40):
        weird = block % 3  # blocks of plain lines, of Arrow-readable oddities, of anything
        for _ in range(25):
            if weird == 0 or rng.random() < 0.5:
                lines.append(plain)
            else:
                line = _chat_line_variants(rng)
                lines.append(line)
    path = put(tmp_path, "mixed.jsonl", b"\n".join(lines) + b"\n")
    monkeypatch.setattr(jsonl_arrow, "BLOCK_LINES", 25)
    fast = ingest([path], CFG)
    monkeypatch.setattr(jsonl_arrow, "applies", lambda cfg, utf8: False)
    slow = ingest([path], CFG)
    pd.testing.assert_frame_equal(fast.examples, slow.examples)
    pd.testing.assert_frame_equal(fast.messages, slow.messages)
    assert fast.examples["format_error"].notna().sum() > 50  # the oddities really are there


def test_arrow_checks_each_row_like_the_line_parser(tmp_path, monkeypatch):
    """Oddities that Arrow reads fine (same types throughout) are left to the line parser row by row."""
    import itertools

    from ftflow.tasks.prepare.readers import jsonl_arrow

    answer = {"role": "assistant", "content": "A."}
    messages = [
        [{"role": r, "content": c}, answer]
        for r, c in itertools.product(["user", "bot", "Assistant", None], ["Q?", "", None])
    ]
    messages += [[{"role": "assistant", "content": "A.", "weight": w}] for w in (0, 1, 2, -1, None)]
    messages += [[{"role": "user", "content": "Q?", "weight": 1}, answer], [{"role": "user", "content": "Q?"}]]
    messages += [[{"role": "user", "content": "Q?", "name": n}, answer] for n in ("ann", None)]
    messages += [[{"role": "assistant", "content": "A.", "weight": None, "name": None}]]
    messages += [[], None, [None, answer], [{"content": "no role"}, answer]]
    records = [{"messages": m} for m in messages] + [{}]
    lines = [orjson.dumps(r) for r in records]
    only_nulls = [orjson.dumps({"messages": [{"role": "assistant", "content": "A.", "weight": None, "name": None}]})]
    assert jsonl_arrow.read_block(only_nulls * 2).ok.all()  # weight and name typed null
    block = jsonl_arrow.read_block(lines)
    assert block is not None  # Arrow read them all...
    assert 0 < block.ok.sum() < len(lines)  # ...and took only the plainly valid ones
    path = put(tmp_path, "odd.jsonl", b"\n".join(lines) + b"\n")
    fast = ingest([path], CFG)
    monkeypatch.setattr(jsonl_arrow, "applies", lambda cfg, utf8: False)
    slow = ingest([path], CFG)
    pd.testing.assert_frame_equal(fast.examples, slow.examples)
    pd.testing.assert_frame_equal(fast.messages, slow.messages)


def test_windows_cover_the_span_and_end_at_line_ends(monkeypatch):
    from ftflow.tasks.prepare.readers import jsonl as ingest_jsonl

    data = b"a\n" + b"x" * 30 + b"\nbb\n\nccc"
    monkeypatch.setattr(ingest_jsonl, "WINDOW_BYTES", 4)
    windows = list(ingest_jsonl._windows(data, 2, len(data)))
    assert b"".join(w for _, w in windows) == data[2:]
    assert [pos for pos, _ in windows] == [2, 33, 37]  # "x"*30 line: a longer window
    assert all(w.endswith(b"\n") for _, w in windows[:-1])
