"""Run the malformed-input matrix (tests/faults/catalogue.py) and print it as a Markdown table.

    .venv/bin/python scripts/fault_matrix.py [--write notes/README-faults.md]

Each kind runs `ftflow prepare` in this process with the same checks as
tests/faults/test_malformed.py; the table shows what happened: exit code, the error line (or
what was quarantined) and whether the counts reconciled. With --write, the table replaces the
part of the file between the two `fault-matrix` markers.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEGIN, END = "<!-- fault-matrix:begin -->", "<!-- fault-matrix:end -->"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="Markdown file whose marked table to replace")
    args = parser.parse_args()
    import great_expectations  # noqa: F401  (the gate then runs in this process)

    from tests.faults.catalogue import CASES
    from tests.faults.runner import check_run, run_prepare

    rows = ["| # | kind | input | exit | what the user sees | reconciled |", "|---:|---|---|---:|---|---|"]
    failures = 0
    for i, case in enumerate(CASES, 1):
        skip = case.skip_reason() if case.skip_reason else None
        if skip:
            rows.append(f"| {i} | `{case.kind}` | {case.what} | – | skipped here: {skip} | – |")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            built = case.build(Path(tmp))
            run = run_prepare(built.args)
            try:
                manifest = check_run(run, built.out, case.exit_code, case.message)
                if case.check:
                    case.check(built, manifest)
                verdict = "yes" if manifest is not None else "no manifest (nothing written)"
            except AssertionError as exc:
                failures += 1
                manifest, verdict = None, f"**FAILED**: {str(exc).splitlines()[0][:200]}"
            seen = _seen(run, manifest, tmp)
        rows.append(f"| {i} | `{case.kind}` | {_cell(case.what)} | {run.exit_code} | {_cell(seen)} | {verdict} |")
        print(rows[-1], file=sys.stderr, flush=True)
    table = "\n".join(rows) + "\n"
    if args.write:
        text = args.write.read_text() if args.write.exists() else f"{BEGIN}\n{END}\n"
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        args.write.write_text(text[:start] + "\n" + table + text[end:])
    else:
        print(table)
    print(f"{len(CASES)} kinds, {failures} failed", file=sys.stderr)
    return 1 if failures else 0


def _seen(run, manifest, tmp: str) -> str:
    """The error line (temporary paths shortened), or the manifest's counts for a run that went through."""
    if run.exit_code != 0:
        error = run.stderr[run.stderr.index("error:") :] if "error:" in run.stderr else run.stderr
        return " / ".join(line.strip() for line in error.replace(tmp + "/", "").splitlines() if line.strip())
    c = manifest["counts"] if manifest else {}
    reasons = ", ".join(f"{k} {v}" for k, v in c.get("per_reason", {}).items()) or "none"
    enc = ", ".join(sorted({str(f.get("encoding")) for f in manifest["inputs"]})) if manifest else "?"
    return f"ok: read {c.get('rows_read')}, kept {c.get('rows_kept')}, quarantined {c.get('rows_quarantined')} ({reasons}); encoding {enc}"


def _cell(text: str) -> str:
    text = re.sub(r"\s+", " ", text).replace("|", "\\|")
    return text if len(text) <= 400 else text[:400] + "…"


if __name__ == "__main__":
    raise SystemExit(main())
