"""The malformed-input matrix (tests/faults/catalogue.py): each kind of bad or awkward input
gives its exit code and one clear line, never a traceback, and any folder that ends up with
a manifest reconciles (read = kept + quarantined, hashes and line counts match)."""

from __future__ import annotations

import pytest

from tests.faults.catalogue import CASES
from tests.faults.runner import check_run, run_prepare


@pytest.fixture(scope="module", autouse=True)
def _gate_in_process():
    """Great Expectations imported once here: every case's quality gate then runs in this
    process instead of a child importing it again (seconds per case)."""
    import great_expectations  # noqa: F401


def test_the_matrix_is_wide():
    assert len(CASES) >= 60
    assert len({c.kind for c in CASES}) == len(CASES), "kinds must be unique"


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_malformed_input(case, tmp_path):
    reason = case.skip_reason() if case.skip_reason else None
    if reason:
        pytest.skip(reason)
    built = case.build(tmp_path)
    run = run_prepare(built.args)
    manifest = check_run(run, built.out, case.exit_code, case.message)
    wants_manifest = case.manifest if case.manifest is not None else case.exit_code in (0, 3)
    assert (manifest is not None) == wants_manifest, f"manifest written: {manifest is not None}"
    if manifest is not None:
        assert manifest["status"] == ("ok" if case.exit_code == 0 else "refused")
    if case.exit_code == 3:
        assert "Prepared dataset" not in run.stdout, run.stdout
        assert "Splits:" not in run.stdout, run.stdout
    if case.check:
        case.check(built, manifest)
