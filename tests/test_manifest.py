"""The typed manifest: what prepare writes is what every later stage reads, field by field."""

import json
import re

import pytest

from ftflow.config import PrepareConfig
from ftflow.manifest import Manifest, load
from ftflow.tasks.prepare.dataset import read_manifest
from ftflow.tasks.prepare.stage import prepare_dataset


@pytest.fixture(scope="module")
def prepared(labelled, tmp_path_factory):
    out = tmp_path_factory.mktemp("manifest")
    return prepare_dataset([str(labelled / "examples.jsonl")], out, PrepareConfig(executor="inline"))


def test_written_manifest_reads_back_equal_and_typed(prepared):
    back = read_manifest(prepared.out_dir)
    assert back == prepared.manifest
    assert back.ok
    assert back.counts.rows_read == back.counts.rows_kept + back.counts.rows_quarantined
    assert back.counts.train + back.counts.validation + back.counts.test == back.counts.rows_kept
    assert back.tokens.train.total == back.cost_estimate.billed_tokens_per_epoch
    assert back.lines("train.jsonl") == back.counts.train
    assert len(back.training_sha256) == 64


def test_unknown_fields_survive_a_round_trip(prepared):
    raw = json.loads((prepared.out_dir / "manifest.json").read_text())
    raw["lineage"] = {"added_by": "a newer writer"}
    raw["counts"]["per_language"] = {"en": 3}
    again = load(json.dumps(raw), "m.json")
    assert again.model_dump(mode="json")["lineage"] == {"added_by": "a newer writer"}
    assert again.counts.model_dump()["per_language"] == {"en": 3}


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda m: m.pop("counts"), "counts"),
        (lambda m: m["counts"].update(rows_kept="many"), "counts.rows_kept"),
        (lambda m: m.update(status="maybe"), "status"),
        (lambda m: m["outputs"]["train.jsonl"].pop("sha256"), "outputs.train.jsonl.sha256"),
    ],
)
def test_a_broken_manifest_is_one_line_naming_the_field(prepared, edit, field):
    raw = json.loads((prepared.out_dir / "manifest.json").read_text())
    edit(raw)
    with pytest.raises(ValueError, match="^m\\.json: not a valid manifest: " + re.escape(field) + ": ") as err:
        load(json.dumps(raw), "m.json")
    assert "\n" not in str(err.value)


def test_manifest_type_is_the_one_everyone_gets(prepared):
    assert isinstance(prepared.manifest, Manifest)
