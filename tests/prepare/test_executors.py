"""The executor seam: every per-partition function of prepare is portable (module-level, its
data passed in), so the forked, spawned and inline engines write the same dataset."""

import pytest

from ftflow.config import PrepareConfig
from ftflow.tasks.prepare import executors, parallel
from ftflow.tasks.prepare.readers import jsonl as jsonl_reader
from ftflow.tasks.prepare.stage import prepare_dataset


@pytest.fixture
def many_partitions(monkeypatch):
    """Small inputs still cut into several partitions, so each engine really runs them apart."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 50)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(jsonl_reader, "MIN_PARALLEL_BYTES", 1)


@pytest.mark.slow
def test_fork_spawn_and_inline_write_the_same_dataset(labelled, tmp_path, many_partitions):
    src = str(labelled / "examples.jsonl")
    results = {}
    for name in ("fork", "spawn", "inline"):
        results[name] = prepare_dataset([src], tmp_path / name, PrepareConfig(executor=name))
    shas = {name: r.dataset_sha256 for name, r in results.items()}
    assert len(set(shas.values())) == 1, shas
    counts = {name: r.manifest.counts.per_reason for name, r in results.items()}
    assert counts["fork"] == counts["spawn"] == counts["inline"]
    assert sum(counts["fork"].values()) > 0  # the labelled defects were found by every engine


def test_an_injected_executor_wins_over_the_config(labelled, tmp_path, many_partitions):
    seen = []

    class Recording(executors.InlineExecutor):
        def start(self, fn, shared, parts):
            seen.append(fn.__name__)
            return super().start(fn, shared, parts)

    prepare_dataset([str(labelled / "examples.jsonl")], tmp_path / "out", PrepareConfig(executor="fork"),
                    executor=Recording())  # fmt: skip
    assert {"_parse_span", "_normalize_span", "_span_features", "_write_files"} <= set(seen)


def test_partition_functions_must_be_module_level():
    for executor in (executors.InlineExecutor(), executors.ForkExecutor(), executors.SpawnExecutor()):
        with pytest.raises(TypeError, match="module-level"):
            executor.map(lambda shared, part: part, None, [1, 2])


def test_unknown_executor_names_the_choices():
    with pytest.raises(ValueError, match="fork, spawn, inline, dask"):
        executors.make("ray")
