"""Promotion you can undo: the ledger (promote, rollback, who/why, the champion it implies) and
`ftflow models promote|rollback|ledger`, `--json` and piped output of the listing commands."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from ftflow.cli import app
from ftflow.store import Root
from ftflow.tasks.evaluate.ledger import LedgerError, champion_changes, champion_stack, promote, rollback
from ftflow.tasks.evaluate.registry import RegistryEvent, current_champion, read_history, record_event
from ftflow.tasks.evaluate.stage import registry_name  # noqa: F401  (the stage still imports with the ledger)

BASE = "gpt-4o-mini-2024-07-18"
A, B, C = (f"ft:gpt-4o-mini-2024-07-18:org:{s}:{n}" for s, n in (("alpha", "AAAA1111"), ("beta", "BBBB2222"),
                                                                    ("gamma", "CCCC3333")))  # fmt: skip
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def evaluation(model, decision, run_id, reference=BASE, name="support"):
    return RegistryEvent(event_id="", recorded_at="", name=name, dataset_sha256=run_id * 8, dataset_uri="ds",
                         job_id=f"ftjob-{run_id}", model=model, base_model=BASE, reference_role="champion",
                         reference_model=reference, previous_champion=None if reference == BASE else reference,
                         run_id=run_id, run_uri=f"runs/{run_id}/eval", primary="token_f1",
                         metrics={"token_f1": {"candidate": 0.3, "reference": 0.2, "diff": 0.1, "ci_low": 0.05,
                                               "ci_high": 0.15, "n": 100}},
                         decision=decision, reasons=["evaluated"])  # fmt: skip


@pytest.fixture
def root(tmp_path):
    """A registry where A was promoted, then B beat A, and C was evaluated but rejected."""
    r = Root(tmp_path)
    record_event(r, evaluation(A, "promoted", "r1"), now=T0)
    record_event(r, evaluation(B, "promoted", "r2", reference=A), now=T0 + timedelta(hours=1))
    record_event(r, evaluation(C, "rejected", "r3", reference=B), now=T0 + timedelta(hours=2))
    return r


def later(hours):
    return T0 + timedelta(hours=hours)


def test_rollback_returns_to_the_previous_champion_with_who_and_why(root):
    assert current_champion(root, "support").model == B
    entry = rollback(root, "support", by="alice", reason="B answers in the wrong language", now=later(3))
    assert (entry.kind, entry.model, entry.previous_champion) == ("rollback", A, B)
    assert (entry.by, entry.reasons) == ("alice", ["B answers in the wrong language"])
    assert entry.run_id == "r1"  # the evidence: A's own evaluation
    assert current_champion(root, "support").model == A
    stored = json.loads(root.get(root.registry(f"events/{entry.event_id}.json")))
    assert stored["by"] == "alice"
    assert stored["kind"] == "rollback"


def test_rollback_past_the_first_champion_is_one_clear_error(root):
    rollback(root, "support", by="alice", reason="bad", now=later(3))
    with pytest.raises(LedgerError, match=r"nothing to roll back to: the only champion 'support' has had is .*alpha"):
        rollback(root, "support", by="alice", reason="again", now=later(4))
    with pytest.raises(LedgerError, match="'billing' has no champion"):
        rollback(root, "billing", by="alice", reason="x")
    assert current_champion(root, "support").model == A
    assert len(read_history(root)) == 4  # the refused rollbacks wrote nothing


def test_promote_by_hand_then_rollback_undoes_it(root):
    entry = promote(root, "support", C, by="bob", reason="C is better on the new tickets", now=later(3))
    assert (entry.kind, entry.model, entry.previous_champion, entry.by) == ("promotion", C, B, "bob")
    assert (entry.run_id, entry.decision) == ("r3", "promoted")
    assert current_champion(root, "support").model == C
    back = rollback(root, "support", by="carol", reason="undo", now=later(4))
    assert (back.model, back.previous_champion) == (B, C)
    back2 = rollback(root, "support", by="carol", reason="further", now=later(5))
    assert (back2.model, back2.previous_champion) == (A, B)
    history = read_history(root)
    assert champion_stack(history, "support") == [A]
    assert [(c.kind, c.model, c.by) for c in champion_changes(history, "support")] == [
        ("evaluation", A, None), ("evaluation", B, None), ("promotion", C, "bob"), ("rollback", B, "carol"),
        ("rollback", A, "carol"),
    ]  # fmt: skip


def test_an_evaluated_promotion_after_a_rollback_is_on_top_of_the_stack(root):
    rollback(root, "support", by="alice", reason="bad", now=later(3))
    record_event(root, evaluation(C, "promoted", "r4", reference=A), now=later(4))
    assert current_champion(root, "support").model == C
    assert rollback(root, "support", by="alice", reason="x", now=later(5)).model == A


def test_promote_refuses_unknown_models_names_current_champion_and_missing_reason(root):
    with pytest.raises(LedgerError, match=r"never been evaluated under 'support'.*ftflow evaluate"):
        promote(root, "support", "ft:gpt-4o-mini:org:nope:1", by="x", reason="y")
    with pytest.raises(LedgerError, match="no registry name 'billing'"):
        promote(root, "billing", A, by="x", reason="y")
    with pytest.raises(LedgerError, match="already is the champion"):
        promote(root, "support", B, by="x", reason="y")
    with pytest.raises(LedgerError, match="--reason"):
        promote(root, "support", A, by="x", reason="  ")
    with pytest.raises(LedgerError, match="--reason"):
        rollback(root, "support", by="x", reason="")
    assert len(read_history(root)) == 3


def test_who_defaults_to_the_os_user(root, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "dana")
    assert rollback(root, "support", reason="r").by == "dana"


# --- the CLI ---------------------------------------------------------------------------------------


def invoke(*args, env=None):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80", "PREFECT_API_URL": "", **(env or {})})


def test_cli_promote_and_rollback_record_and_print(root):
    dest = root.root
    r = invoke("models", "promote", "support", C, "--reason", "better on billing", "--by", "bob", "--dest", dest)
    assert r.exit_code == 0, r.output
    assert f"support: promoted {C} (was {B}), by bob: better on billing" in r.output
    assert "no event was sent" in r.output  # no Prefect API here; the ledger entry is written anyway
    r = invoke("models", "rollback", "support", "--reason", "complaints", "--dest", dest, "--json")
    assert r.exit_code == 0, r.output
    entry = json.loads(r.stdout)
    assert (entry["kind"], entry["model"], entry["previous_champion"]) == ("rollback", B, C)
    assert current_champion(root, "support").model == B


def test_cli_rollback_with_nothing_to_roll_back_exits_2_with_one_line(tmp_path):
    r = invoke("models", "rollback", "support", "--reason", "x", "--dest", str(tmp_path))
    assert r.exit_code == 2
    assert "error: nothing to roll back to: 'support' has no champion" in r.output
    assert "Traceback" not in r.output


def test_cli_reason_is_required(root):
    r = invoke("models", "rollback", "support", "--dest", root.root)
    assert r.exit_code == 2
    assert "--reason" in r.output


def test_models_json_parses_and_names_the_champion(root):
    rollback(root, "support", by="alice", reason="bad", now=later(3))
    r = invoke("models", "--dest", root.root, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["champions"] == {"support": A}
    assert [e["kind"] for e in data["events"]] == ["evaluation"] * 3 + ["rollback"]
    assert data["events"][-1]["by"] == "alice"


def test_piped_listing_keeps_every_id_whole_on_one_line(root):
    """`ftflow models | grep <model id>` finds the row even on an 80-column terminal."""
    r = invoke("models", "--dest", root.root)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["recorded (UTC)", "name"]
    for model, run in ((A, "r1"), (B, "r2"), (C, "r3")):
        (row,) = [line for line in lines if "\t" in line and line.split("\t")[4].startswith(model)]
        fields = row.split("\t")
        assert len(fields) == 9  # … decision, shuts down
        assert fields[3] == f"ftjob-{run}"
    assert f"champion of support: {B} (since" in r.stdout


def test_ledger_listing_json_and_piped(root):
    promote(root, "support", C, by="bob", reason="better\tnow", now=later(3))
    r = invoke("models", "ledger", "support", "--dest", root.root, "--json")
    assert [(c["kind"], c["model"], c["by"]) for c in json.loads(r.stdout)] == [
        ("evaluation", A, None), ("evaluation", B, None), ("promotion", C, "bob")]  # fmt: skip
    r = invoke("models", "ledger", "support", "--dest", root.root)
    (row,) = [line for line in r.stdout.splitlines() if line.split("\t")[1] == "promotion"]
    assert row.split("\t")[2:6] == [C, B, "bob", "better now"]
