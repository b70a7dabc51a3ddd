"""Forked workers: results in order, errors surface, small work stays in this process."""

import itertools
import os

import numpy as np
import pyarrow as pa
import pytest

from ftflow.tasks.prepare import parallel
from ftflow.tasks.prepare.textcol import replace_rows, take_rows

BIG = np.arange(1_000_000)  # inherited by the children, never pickled on the way in


def test_fork_map_returns_results_in_order_from_children():
    parent = os.getpid()
    results = parallel.fork_map(lambda k: (k, int(BIG[k * 1000]), os.getpid()), [0, 1, 2])
    assert [(k, v) for k, v, _ in results] == [(0, 0), (1, 1000), (2, 2000)]
    assert all(pid != parent for _, _, pid in results)


def test_a_single_job_runs_in_this_process():
    assert parallel.fork_run([os.getpid]) == [os.getpid()]


def test_a_failing_child_raises_with_its_traceback():
    def job(k: int) -> int:
        if k == 1:
            raise ValueError("bad part")
        return k

    with pytest.raises(RuntimeError, match="ValueError: bad part"):
        parallel.fork_map(job, [0, 1])


def test_started_jobs_run_while_this_process_works():
    pending = parallel.fork_start([lambda: 1, lambda: 2])
    assert sum(range(10)) == 45
    assert pending.results() == [1, 2]


def test_split_even_balances_weight_and_covers_every_row():
    weights = np.array([5, 1, 1, 1, 1, 1, 5, 1, 1, 3], dtype=float)
    spans = parallel.split_even(weights, 2)
    assert spans[0][0] == 0
    assert spans[-1][1] == len(weights)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    sums = [weights[lo:hi].sum() for lo, hi in spans]
    assert max(sums) - min(sums) <= 5
    assert parallel.split_even(np.ones(0), 2) == [(0, 0)]


def test_workers_only_for_enough_work(monkeypatch):
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    assert parallel.workers_for(10) == 1
    assert parallel.workers_for(1_000_000) == 2
    assert parallel.workers_for(100, minimum=10) == 2


def test_take_rows_gathers_across_chunks_in_any_order():
    chunked = pa.chunked_array([pa.array(list("abc")), pa.array(list("de")), pa.array(["f"])])
    for rows in ([0, 1, 2, 3, 4, 5], [5, 0, 3, 1], [4], [], [2, 2, 5, 5, 0]):
        assert take_rows(chunked, np.array(rows, dtype=np.int64)).to_pylist() == [chunked[i].as_py() for i in rows]


def test_replace_rows_keeps_the_others():
    arr = pa.array(["a", "b", "c", "d"], type=pa.large_string())
    mask = np.array([False, True, False, True])
    assert replace_rows(arr, mask, ["B", "D"]).to_pylist() == ["a", "B", "c", "D"]


def test_big_results_come_back_whole_and_writable():
    def job(k: int) -> tuple[np.ndarray, pa.Array, dict[int, str]]:
        return np.arange(k, k + 300_000), pa.array([f"text {i}" for i in range(k, k + 50_000)]), {k: "x"}

    for k, (numbers, texts, small) in enumerate(parallel.fork_map(job, [0, 1])):
        assert numbers[0] == k
        assert len(numbers) == 300_000
        numbers[0] = -1  # an ordinary array: writable
        assert texts[49_999].as_py() == f"text {k + 49_999}"
        assert small == {k: "x"}
