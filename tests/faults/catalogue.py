"""The malformed-input kinds (tests/faults/cases.py has the builders and the data)."""

from __future__ import annotations

import codecs
from typing import Any

from tests.faults.cases import (
    ACCENTED,
    PNG,
    Built,
    Case,
    _broken_symlink,
    _fifo,
    _frozen,
    _gz,
    _input_at,
    _out_at,
    _out_is_file,
    _over_old_dataset,
    _parquet_bytes,
    _root,
    _same_file_twice,
    _several_bad,
    _symlink_loop,
    _twice_via_symlink,
    _unreadable,
    _xlsx_bytes,
    _zip_bytes,
    chat,
    csv_text,
    good_jsonl,
    jsonl_bytes,
    qa_rows,
    simple,
    with_bad_lines,
)

Manifest = dict[str, Any] | None


def quarantined(n: int, reason: str | None = None, detail: str | None = None):
    """The run quarantined exactly n rows (for `reason`), one of them with `detail` in its details."""

    def check(built: Built, m: Manifest) -> None:
        assert m is not None
        assert m["counts"]["rows_quarantined"] == n, m["counts"]
        if reason:
            assert m["counts"]["per_reason"].get(reason) == n, m["counts"]["per_reason"]
        if detail:
            text = (built.out / "quarantine.jsonl").read_text()
            assert detail in text, text[:2000]

    return check


def encoding(name: str, detected: bool = True):
    def check(built: Built, m: Manifest) -> None:
        assert m is not None
        got = [(f["encoding"], f["encoding_detected"]) for f in m["inputs"]]
        assert got == [(name, detected)], got
        assert m["counts"]["rows_quarantined"] == 0, m["counts"]

    return check


def rows_read(n: int):
    def check(built: Built, m: Manifest) -> None:
        assert m is not None
        assert m["counts"]["rows_read"] == n, m["counts"]
        assert len(m["inputs"]) == 1, [f["path"] for f in m["inputs"]]

    return check


def all_of(*checks):
    def check(built: Built, m: Manifest) -> None:
        for c in checks:
            c(built, m)

    return check


ROWS = qa_rows(30)
GOOD_CSV = csv_text(ROWS)
LATIN = csv_text(ACCENTED)
MSG = '{"messages": [{"role": "user", "content": "Hi there, a question?"}, %s]}'


def _msg(assistant: str) -> bytes:
    return (MSG % assistant).encode()


CASES: list[Case] = [
    # --- files and paths: one clear line, exit 2 -------------------------------------------
    Case(
        "missing_file",
        "input path that does not exist",
        lambda t: _input_at(str(t / "nope.jsonl"))(t),
        2,
        r"nope\.jsonl: no such file",
        group="path",
    ),
    Case("symlink_loop", "symlink loop", _symlink_loop, 2, r"symlink loop", group="path"),
    Case("broken_symlink", "symlink to a deleted file", _broken_symlink, 2, r"broken symlink", group="path"),
    Case("fifo", "a named pipe called data.jsonl", _fifo, 2, r"not a regular file", group="path"),
    Case(
        "unreadable_file",
        "file without read permission",
        _unreadable,
        2,
        r"Permission denied|cannot read",
        group="path",
        skip_reason=_root,
    ),
    Case(
        "empty_dir",
        "folder with no supported file",
        lambda t: (t / "in").mkdir() or _input_at(str(t / "in"))(t),
        2,
        r"matches no input files",
        group="path",
    ),
    Case(
        "glob_nothing",
        "glob matching nothing",
        lambda t: _input_at(str(t / "*.jsonl"))(t),
        2,
        r"matches no input files",
        group="path",
    ),
    Case(
        "s3_input_no_bucket",
        "s3:// input with no bucket",
        _input_at("s3:///data.jsonl"),
        2,
        r"S3 URI has no bucket",
        group="path",
    ),
    Case("out_is_file", "--out naming an existing file", _out_is_file, 2, r"output path is a file", group="path"),
    Case(
        "out_in_proc",
        "--out under /proc",
        _out_at("/proc/ftflow-out"),
        2,
        r"cannot write the output directory",
        group="path",
    ),
    Case(
        "out_in_sys",
        "--out under /sys",
        _out_at("/sys/ftflow-out"),
        2,
        r"cannot write the output directory",
        group="path",
    ),
    Case(
        "out_s3_no_bucket",
        "--out s3:// with no bucket (before any work)",
        _out_at("s3:///prefix"),
        2,
        r"S3 URI has no bucket",
        group="path",
    ),
    Case(
        "frozen_test_missing",
        "split.frozen_test that does not exist",
        _frozen("missing"),
        2,
        r"frozen_test .*: no such file",
        group="path",
    ),
    Case(
        "frozen_test_no_test_jsonl",
        "split.frozen_test: a folder without test.jsonl",
        _frozen("dir"),
        2,
        r"has no test\.jsonl",
        group="path",
    ),
    Case(
        "frozen_test_csv",
        "split.frozen_test: a CSV file",
        _frozen("csv"),
        2,
        r"line 1: not a chat example",
        group="path",
    ),
    Case(
        "several_bad_files",
        "empty + PNG + .txt + missing, at once",
        _several_bad,
        2,
        r"empty\.csv: file is empty",
        group="path",
    ),
    # --- what a file really is -------------------------------------------------------------
    Case("empty_csv", "empty CSV", simple("e.csv", ""), 2, r"file is empty"),
    Case("empty_jsonl", "empty JSONL", simple("e.jsonl", ""), 2, r"file is empty"),
    Case("whitespace_jsonl", "JSONL of blank lines", simple("w.jsonl", "\n  \n\t\n"), 2, r"file is empty|blank"),
    Case("header_only", "CSV header without rows", simple("h.csv", "question,answer\n"), 2, r"no data rows"),
    Case(
        "no_usable_columns",
        "CSV without question/answer columns",
        simple("x.csv", "foo,bar\n1,2\n"),
        2,
        r"no `messages` field and no question/answer pair",
    ),
    Case(
        "long_header_names",
        "CSV whose header is 1 KB of junk",
        simple("x.csv", "x" * 1000 + ",y\n1,2\n"),
        2,
        r"no `messages` field",
    ),
    Case("unsupported_ext", "a .txt file", simple("notes.txt", "question: hi"), 2, r"unsupported file type"),
    Case("png_as_csv", "PNG image saved as .csv", simple("img.csv", PNG), 2, r"binary file \(a PNG image\)"),
    Case(
        "zip_as_csv",
        "ZIP archive saved as .csv",
        simple("a.csv", lambda t: _zip_bytes()),
        2,
        r"binary file \(a ZIP archive",
    ),
    Case(
        "xlsx_as_csv",
        "XLSX workbook saved as .csv",
        simple("book.csv", lambda t: _xlsx_bytes(ROWS)),
        2,
        r"ZIP archive \(an \.xlsx",
    ),
    Case(
        "gzip_jsonl", "gzip-compressed JSONL named .jsonl", simple("d.jsonl", _gz(good_jsonl())), 2, r"gzip-compressed"
    ),
    Case("pdf_as_csv", "PDF saved as .csv", simple("d.csv", b"%PDF-1.7\n" + bytes(range(256)) * 8), 2, r"PDF"),
    Case(
        "parquet_as_jsonl",
        "Parquet file named .jsonl",
        simple("d.jsonl", lambda t: _parquet_bytes({"question": ["a"], "answer": ["b"]})),
        2,
        r"a Parquet file",
    ),
    Case("random_bytes", "random binary bytes as .jsonl", simple("r.jsonl", bytes(range(256)) * 64), 2, r"binary file"),
    Case(
        "utf16_csv",
        "UTF-16 CSV (with BOM)",
        simple("u.csv", codecs.BOM_UTF16_LE + GOOD_CSV.encode("utf-16-le")),
        2,
        r"UTF-16",
    ),
    Case("corrupt_parquet", "text saved as .parquet", simple("d.parquet", GOOD_CSV), 2, r"not a readable Parquet file"),
    Case("corrupt_xlsx", "text saved as .xlsx", simple("d.xlsx", GOOD_CSV), 2, r"not a readable XLSX file"),
    Case(
        "xlsx_missing_sheet",
        "XLSX with a configured sheet that is absent",
        simple("b.xlsx", lambda t: _xlsx_bytes(ROWS), cfg="prepare:\n  sheets: [Answers]\n"),
        2,
        r"no sheet named 'Answers'",
    ),
    Case(
        "jsonl_holding_array",
        "a JSON array saved as .jsonl",
        simple("a.jsonl", lambda t: jsonl_bytes([[chat(r) for r in ROWS]])),
        2,
        r"holds one JSON array of 30 items",
    ),
    Case(
        "pretty_object_jsonl",
        "one pretty-printed object in .jsonl",
        simple("p.jsonl", '{\n  "question": "q",\n  "answer": "a"\n}\n'),
        2,
        r"one JSON value over several lines",
    ),
    Case("empty_json_array", "`[]` in a .json file", simple("e.json", "[]"), 2, r"empty JSON array"),
    # --- columns and quoting -----------------------------------------------------------------
    Case(
        "duplicate_header",
        "header `question,answer,answer`",
        simple("d.csv", "question,answer,answer\n" + "".join(f"q{i},a{i},b{i}\n" for i in range(12))),
        2,
        r"names a column twice \('answer' in columns 2, 3\)",
    ),
    Case(
        "unclosed_quote",
        "unclosed quote (would swallow the next rows)",
        simple("q.csv", GOOD_CSV.replace("\nQuestion 5:", '\n"Question 5:', 1)),
        2,
        r"line 7: .*quote",
    ),
    Case(
        "quote_mid_field",
        'quote closed mid-field (`"x"y,z`)',
        simple("q.csv", GOOD_CSV + '"Question x"y,answer\n'),
        2,
        r"line 32: ',' expected after",
    ),
    Case(
        "ambiguous_pairs",
        "both prompt/completion and question/answer columns",
        simple(
            "a.csv",
            csv_text(
                [{**r, "prompt": r["question"], "completion": r["answer"]} for r in ROWS],
                ("prompt", "completion", "question", "answer"),
            ),
        ),
        2,
        r"several columns could be the question or the answer",
    ),
    # --- config ----------------------------------------------------------------------------
    Case(
        "yes_as_number",
        "`max_rejected_share: yes`",
        simple("d.jsonl", good_jsonl(), cfg="prepare:\n  quality: {max_rejected_share: yes}\n"),
        2,
        r"max_rejected_share: .*expected a number",
        group="config",
    ),
    Case(
        "model_trailing_space",
        "model name with a trailing space",
        simple("d.jsonl", good_jsonl(), more=["--model", "gpt-4o-mini-2024-07-18 "]),
        2,
        r"contains spaces",
        group="config",
    ),
    Case(
        "unknown_model",
        "unknown model",
        simple("d.jsonl", good_jsonl(), more=["--model", "llama-3"]),
        2,
        r"unknown model 'llama-3'",
        group="config",
    ),
    Case(
        "bad_yaml",
        "config file that is not YAML",
        simple("d.jsonl", good_jsonl(), cfg="prepare: [unclosed\n"),
        2,
        r"not valid yaml",
        group="config",
    ),
    Case(
        "unknown_key",
        "misspelt config key",
        simple("d.jsonl", good_jsonl(), cfg="prepare:\n  modle: x\n"),
        2,
        r"prepare\.modle: Extra inputs are not permitted",
        group="config",
    ),
    Case(
        "split_sum",
        "split ratios not adding to 1",
        simple("d.jsonl", good_jsonl(), cfg="prepare:\n  split: {train: 0.9, validation: 0.2, test: 0.1}\n"),
        2,
        r"add up to 1",
        group="config",
    ),
    Case(
        "unknown_encoding",
        "prepare.encoding no-such-codec",
        simple("d.jsonl", good_jsonl(), cfg="prepare:\n  encoding: no-such-codec\n"),
        2,
        r"unknown text encoding",
        group="config",
    ),
    Case(
        "missing_config",
        "--config that does not exist",
        simple("d.jsonl", good_jsonl(), more=["--config", "/nonexistent/ftflow.yaml"]),
        2,
        r"cannot read config",
        group="config",
    ),
    # --- encodings: detected, recorded, nothing lost ------------------------------------------
    Case(
        "latin1_csv",
        "Latin-1 CSV",
        simple("l.csv", LATIN.encode("latin-1")),
        0,
        check=encoding("cp1252"),
        group="encoding",
    ),
    Case(
        "cp1252_csv",
        "cp1252 CSV with curly quotes and dashes",
        simple("w.csv", LATIN.replace("Très", "“Très” – ").encode("cp1252")),
        0,
        check=encoding("cp1252"),
        group="encoding",
    ),
    Case(
        "latin1_jsonl",
        "Latin-1 JSONL",
        simple("l.jsonl", jsonl_bytes([chat(r) for r in ACCENTED]).decode().encode("latin-1")),
        0,
        check=encoding("cp1252"),
        group="encoding",
    ),
    Case(
        "latin1_one_row",
        "one-row Latin-1 CSV",
        simple("o.csv", csv_text(ACCENTED[:1]).encode("latin-1")),
        3,
        r"only 1 examples left",
        group="encoding",
    ),
    Case(
        "cp1251_csv",
        "Cyrillic cp1251 CSV",
        simple(
            "r.csv",
            csv_text(
                [
                    {
                        "question": f"Вопрос {i}: что делать при температуре {r['question'][:20]}?",
                        "answer": f"Ответ {i}: пить воду и отдыхать, {r['answer']}",
                    }
                    for i, r in enumerate(ROWS)
                ]
            ).encode("cp1251"),
        ),
        0,
        check=encoding("cp1251"),
        group="encoding",
    ),
    Case(
        "utf8_bom_csv",
        "UTF-8 CSV with a BOM",
        simple("b.csv", codecs.BOM_UTF8 + GOOD_CSV.encode()),
        0,
        check=encoding("utf-8"),
        group="encoding",
    ),
    Case(
        "explicit_utf8_bad_bytes",
        "prepare.encoding utf-8, two Latin-1 lines",
        simple(
            "m.jsonl",
            with_bad_lines(
                _msg(
                    '{"role": "assistant", "content": "Caf\xe9 tr\xe8s bien, merci beaucoup '
                    'pour la question, voici la réponse."}'
                )
                .decode()
                .encode("latin-1"),
                _msg('{"role": "assistant", "content": "Na\xefve answer with more words in it, long enough to pass."}')
                .decode()
                .encode("latin-1"),
            ),
            cfg="prepare:\n  encoding: utf-8\n",
        ),
        0,
        check=quarantined(2, "invalid_format", "not valid utf-8: byte 0xe9"),
        group="encoding",
    ),
    Case(
        "explicit_utf8_bad_csv",
        "prepare.encoding utf-8, Latin-1 CSV rows",
        simple(
            "m.csv",
            (GOOD_CSV + "Caf\xe9?,Tr\xe8s bien merci beaucoup pour la question pos\xe9e ici.\n").encode("latin-1"),
            cfg="prepare:\n  encoding: utf-8\n",
        ),
        0,
        check=quarantined(1, "invalid_format", "Caf\\\\xe9?"),
        group="encoding",
    ),
    # --- rows: quarantined with a reason, counts reconcile ---------------------------------------
    Case(
        "json_array_file",
        "a JSON array of records in .json",
        simple("a.json", lambda t: jsonl_bytes([[chat(r) for r in ROWS]])),
        0,
        check=rows_read(30),
        group="rows",
    ),
    Case(
        "ragged_row",
        "CSV row with an extra field",
        simple("r.csv", GOOD_CSV + "Extra?,An answer long enough to be kept by the quality gate,surplus field\n"),
        0,
        check=quarantined(1, "invalid_format", '"(fields beyond the header)":["surplus field"]'),
        group="rows",
    ),
    Case(
        "short_row",
        "CSV row with a missing field",
        simple("s.csv", GOOD_CSV + "Only a question here?\n"),
        0,
        check=quarantined(1, "invalid_format", "1 fields where the header has 2"),
        group="rows",
    ),
    Case(
        "invalid_json_line",
        "JSONL line that is not JSON",
        simple("j.jsonl", with_bad_lines(b'{"messages": [')),
        0,
        check=quarantined(1, "invalid_format", "invalid_json"),
        group="rows",
    ),
    Case(
        "nul_in_line",
        "NUL byte inside a JSONL line",
        simple("n.jsonl", with_bad_lines(b'{"a": "\x00"}')),
        0,
        check=quarantined(1, "invalid_format", "NUL byte"),
        group="rows",
    ),
    Case(
        "line_is_array",
        "JSONL line holding an array",
        simple("a.jsonl", with_bad_lines(b"[1, 2, 3]")),
        0,
        check=quarantined(1, "invalid_format", "data_type: expected a JSON object, got list"),
        group="rows",
    ),
    Case(
        "wrong_role",
        "message role `bot`",
        simple("r.jsonl", with_bad_lines(_msg('{"role": "bot", "content": "x"}'))),
        0,
        check=quarantined(1, "invalid_format", "unrecognized_role"),
        group="rows",
    ),
    Case(
        "null_content",
        "message content null",
        simple("c.jsonl", with_bad_lines(_msg('{"role": "assistant", "content": null}'))),
        0,
        check=quarantined(1, "invalid_format", "missing_content"),
        group="rows",
    ),
    Case(
        "bad_weight",
        "assistant weight 2",
        simple(
            "w.jsonl",
            with_bad_lines(
                _msg(
                    '{"role": "assistant", "content": "An answer of some length to keep '
                    'it from being too short.", "weight": 2}'
                )
            ),
        ),
        0,
        check=quarantined(1, "invalid_format", "invalid_weight"),
        group="rows",
    ),
    Case(
        "no_assistant",
        "conversation without an assistant message",
        simple("n.jsonl", with_bad_lines(_msg('{"role": "user", "content": "again?"}'))),
        0,
        check=quarantined(1, "invalid_format", "example_missing_assistant_message"),
        group="rows",
    ),
    Case(
        "extra_message_key",
        "message with an unknown key",
        simple("k.jsonl", with_bad_lines(_msg('{"role": "assistant", "content": "x", "mood": "happy"}'))),
        0,
        check=quarantined(1, "invalid_format", "message_unrecognized_key"),
        group="rows",
    ),
    Case(
        "empty_messages",
        "`messages: []`",
        simple("e.jsonl", with_bad_lines(b'{"messages": []}')),
        0,
        check=quarantined(1, "invalid_format", "missing_messages_list"),
        group="rows",
    ),
    Case(
        "deep_nesting",
        "JSON nested 5,000 levels deep",
        simple("d.jsonl", with_bad_lines(b'{"question": ' + b"[" * 5000 + b"]" * 5000 + b', "answer": "A"}')),
        0,
        check=quarantined(1, "invalid_format", "invalid_json"),
        group="rows",
    ),
    Case(
        "blank_lines",
        "JSONL with blank lines between rows",
        simple("b.jsonl", good_jsonl().replace(b"\n", b"\n\n   \n")),
        0,
        check=rows_read(30),
        group="rows",
    ),
    Case(
        "crlf_csv",
        "CSV with Windows line ends",
        simple("c.csv", GOOD_CSV.replace("\n", "\r\n")),
        0,
        check=rows_read(30),
        group="rows",
    ),
    Case(
        "semicolon_csv",
        "semicolon-separated CSV",
        simple("s.csv", csv_text(ROWS, delimiter=";")),
        0,
        check=rows_read(30),
        group="rows",
    ),
    Case(
        "same_file_via_symlink",
        "one file given twice through a symlink",
        _twice_via_symlink,
        0,
        check=rows_read(30),
        group="rows",
    ),
    Case(
        "same_file_three_ways",
        "one file as path, again, and via its folder",
        _same_file_twice,
        0,
        check=rows_read(30),
        group="rows",
    ),
    Case(
        "int_parquet_columns",
        "Parquet with integer question/answer columns",
        simple("i.parquet", lambda t: _parquet_bytes({"question": list(range(20)), "answer": list(range(20))})),
        3,
        r"First invalid_format row: .*row 1: missing_content: `question` must be text, got int",
        group="rows",
    ),
    Case(
        "all_too_short",
        "every answer under min_answer_chars",
        simple("s.csv", csv_text([{"question": r["question"], "answer": "Yes."} for r in ROWS])),
        3,
        r"30 of 30 rows rejected .*too_short: 30",
        group="rows",
    ),
    Case(
        "all_duplicates",
        "the same row 30 times",
        simple("d.csv", csv_text([ROWS[0]] * 30)),
        3,
        r"29 of 30 rows rejected .*duplicate: 29",
        group="rows",
    ),
    Case(
        "too_few_rows",
        "5 good rows (OpenAI needs 10)",
        simple("f.csv", csv_text(ROWS[:5])),
        3,
        r"only 5 examples left",
        group="rows",
    ),
    # --- output folders: the manifest always describes the files beside it ------------------------
    Case(
        "refused_over_old_dataset",
        "a refused run into a folder holding a good dataset",
        _over_old_dataset(jsonl_bytes([chat({"question": r["question"], "answer": "No."}) for r in ROWS])),
        3,
        r"quality gate",
        group="output",
    ),
    Case(
        "failed_over_old_dataset",
        "a failing input into a folder holding a good dataset",
        _over_old_dataset(PNG),
        2,
        r"binary file",
        manifest=False,
        group="output",
    ),
    Case(
        "latin1_over_old_dataset",
        "a Latin-1 input into a folder holding a good dataset",
        _over_old_dataset(jsonl_bytes([chat(r) for r in ACCENTED]).decode().encode("latin-1")),
        0,
        check=encoding("cp1252"),
        group="output",
    ),
]
