"""The check registry: every rule is one registered unit, the suites in expectations/ and the
registry agree, and a check added from outside flows through features, gate and quarantine."""

import json
import shutil

import pandas as pd
import pytest

from ftflow.config import PrepareConfig, QualityConfig
from ftflow.tasks.prepare import checks, quality, stage
from ftflow.tasks.prepare.stage import prepare_dataset


def _suite_expectations():
    out = {}
    for path in sorted(quality.EXPECTATIONS_DIR.glob("*.json")):
        for exp in json.loads(path.read_text())["expectations"]:
            out.setdefault(exp["meta"]["reason"], []).append((path.stem, exp["kwargs"]["column"]))
    return out


def test_every_check_has_exactly_one_expectation_on_its_column_and_vice_versa():
    registered = checks.registered()
    in_suites = _suite_expectations()
    assert set(in_suites) == set(registered)
    for reason, check in registered.items():
        assert in_suites[reason] == [(check.suite, check.column)], reason


def test_reasons_and_columns_come_from_the_registry():
    assert checks.reasons() == quality.REASONS
    assert quality.REASONS[:3] == ("empty", "too_short", "truncated")
    assert set(quality.FEATURE_COLUMNS) == {c.column for c in checks.registered().values()}


def test_enabled_suites_and_parameters_follow_the_config():
    cfg = PrepareConfig(quality=QualityConfig(min_answer_chars=77))
    assert checks.enabled_suites(cfg) == ["quality"]
    assert checks.enabled_suites(PrepareConfig(quality=QualityConfig(pii="quarantine"))) == ["quality", "pii"]
    params = checks.suite_parameters(cfg)
    assert params["min_answer_chars"] == 77
    assert params["max_example_tokens"] > 60_000


def test_a_suite_naming_an_unregistered_reason_or_the_wrong_column_is_refused(tmp_path):
    (tmp_path / "bad.json").write_text(
        json.dumps(
            {
                "name": "bad",
                "expectations": [
                    {"type": "expect_column_values_to_be_null", "kwargs": {"column": "x"}, "meta": {"reason": "nope"}}
                ],
            }
        )
    )
    with pytest.raises(ValueError, match="registered check"):
        quality.load_suite("bad", tmp_path)
    (tmp_path / "bad.json").write_text(
        json.dumps(
            {
                "name": "bad",
                "expectations": [
                    {"type": "expect_column_values_to_be_null", "kwargs": {"column": "x"}, "meta": {"reason": "empty"}}
                ],
            }
        )
    )
    with pytest.raises(ValueError, match="must validate column 'empty_messages'"):
        quality.load_suite("bad", tmp_path)  # fmt: skip


def test_a_new_check_is_one_unit_plus_its_expectation(tmp_path, monkeypatch):
    """A rule no built-in computes: answers that mention a competitor's name."""

    def mentions(ing, cfg):
        msgs = ing.messages
        answers = msgs[msgs["role"].astype(str) == "assistant"]
        hit = answers["content"].astype(str).str.contains("AcmeCare", regex=False)
        per_example = hit.groupby(answers["ex"]).any().reindex(range(len(ing.examples)), fill_value=False)
        return pd.Series(["AcmeCare"] * len(per_example)).where(per_example.to_numpy(), None)

    check = checks.Check(reason="competitor", column="competitor", compute=mentions,
                         explain=lambda d: f"mentions {d.value('competitor')}")  # fmt: skip
    monkeypatch.setattr(checks, "CHECKS", {**checks.registered(), "competitor": check})
    suites = tmp_path / "expectations"
    shutil.copytree(quality.EXPECTATIONS_DIR, suites)
    suite = json.loads((suites / "quality.json").read_text())
    suite["expectations"].append({"type": "expect_column_values_to_be_null", "kwargs": {"column": "competitor"},
                                  "meta": {"reason": "competitor"}})  # fmt: skip
    (suites / "quality.json").write_text(json.dumps(suite))
    monkeypatch.setattr(quality, "EXPECTATIONS_DIR", suites)
    # The gate runs in this process, which holds the test's registry (a real check is code both see).
    monkeypatch.setattr(stage, "gate_process_start", lambda: None)

    rows = []
    for i in range(20):
        brand = "AcmeCare" if i in (4, 9) else "our clinic"
        rows.append(
            {
                "question": f"Where do I park for appointment {i} on level {i % 5}?",
                "answer": f"Visitors park in garage {i}; {brand} validates tickets at the front desk on level {i}.",
            }
        )
    src = tmp_path / "faq.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = prepare_dataset([str(src)], tmp_path / "out", PrepareConfig(executor="inline"))
    quarantined = [json.loads(x) for x in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()]
    flagged = {q["row"]: q["details"]["competitor"] for q in quarantined if "competitor" in q["reasons"]}
    assert flagged == {5: "mentions AcmeCare", 10: "mentions AcmeCare"}
    assert result.manifest.counts.per_reason["competitor"] == 2
