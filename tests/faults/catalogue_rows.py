"""The malformed-input kinds whose rows are read: encodings, row-level problems, output folders."""

from __future__ import annotations

import codecs

from tests.faults.cases import (
    ACCENTED,
    PNG,
    Case,
    _over_old_dataset,
    _parquet_bytes,
    _same_file_twice,
    _twice_via_symlink,
    chat,
    csv_text,
    good_jsonl,
    jsonl_bytes,
    simple,
    with_bad_lines,
)
from tests.faults.catalogue_checks import GOOD_CSV, LATIN, ROWS, _msg, encoding, quarantined, rows_read

ROW_CASES: list[Case] = [
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
        "lone_surrogate",
        "JSON escape of a lone surrogate (`\\ud800`)",
        simple("s.jsonl", with_bad_lines(_msg('{"role": "assistant", "content": "bad \\ud800 answer"}'))),
        0,
        check=quarantined(1, "invalid_format", "no low surrogate"),
        group="rows",
    ),
    Case(
        "bom_jsonl",
        "UTF-8 JSONL with a BOM",
        simple("b.jsonl", codecs.BOM_UTF8 + good_jsonl()),
        0,
        check=rows_read(30),
        group="rows",
    ),
    Case(
        "tsv_commas",
        "TSV whose texts hold commas and quotes",
        simple("t.tsv", csv_text([{**r, "answer": r["answer"] + ', "quoted", fine.'} for r in ROWS], delimiter="\t")),
        0,
        check=rows_read(30),
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
