"""The long stages report their progress (ftflow/progress.py) against the real services: the S3
export's bytes as they are sent, the fine-tune poll's status and steps (the openai SDK against the
emulator), and the evaluation's answered requests."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest

from ftflow import progress
from ftflow.chat_runner import AnswerCache, ChatRequest, ChatRunner
from ftflow.config import FinetuneConfig, Pricing
from ftflow.progress import Task
from ftflow.ratelimit import RateLimiter
from ftflow.tasks.publish.export import export_dataset
from ftflow.tasks.train.openai import run_finetune
from tests.integration.test_finetune import make_dataset

pytestmark = pytest.mark.integration


class Recorder:
    """A sink that keeps the tasks it was shown and how often each changed."""

    def __init__(self) -> None:
        self.tasks: list[Task] = []
        self.changes: dict[int, int] = {}
        self.final: list[str] = []

    def opened(self, task: Task) -> None:
        self.tasks.append(task)

    def changed(self, task: Task) -> None:
        self.changes[id(task)] = self.changes.get(id(task), 0) + 1

    def closed(self, task: Task) -> None:
        self.final.append(task.line())


def _only(sink: Recorder, prefix: str) -> Task:
    (task,) = [t for t in sink.tasks if t.description.startswith(prefix)]
    assert task.ended is not None  # closed, so its final line was shown
    return task


def test_export_reports_every_byte_sent_and_every_file_skipped(dataset_factory, dest):
    local = dataset_factory(big_bytes=3_000_000)
    size = sum(p.stat().st_size for p in Path(local).rglob("*") if p.is_file())
    sink = Recorder()
    with progress.use(sink):
        result = export_dataset(local, dest, name="faq")
    task = _only(sink, "export faq")
    assert task.total == size == result.bytes_uploaded
    assert task.completed == size  # the bytes came from the upload's own callbacks, chunk by chunk
    assert task.counts == {"uploaded": len(result.uploaded)}
    assert sink.changes[id(task)] > len(result.uploaded)  # more than one report per file
    assert task.line().startswith(f"export faq: done, {progress.amount(size, 'bytes')} · 7 uploaded (in ")

    again = Recorder()
    with progress.use(again):
        export_dataset(local, dest, name="faq")
    task = _only(again, "export faq")
    assert task.completed == size
    assert task.counts == {"skipped": 7}


def test_finetune_poll_reports_status_and_steps(emulator, tmp_path):
    ds = make_dataset(tmp_path, seed=12, n=120)
    sink = Recorder()
    with progress.use(sink):
        outcome = run_finetune(ds, FinetuneConfig(suffix="progress", seed=4, poll_interval_s=0.2), Pricing(),
                               client=openai.OpenAI(max_retries=8), log=lambda _: None)  # fmt: skip
    assert outcome.status == "succeeded"
    task = _only(sink, f"fine-tune {outcome.job_id}")
    assert task.status == "succeeded"
    assert (task.total or 0) > 0  # the job's total steps, from its metrics events
    assert task.completed == task.total
    assert task.counts == {"tokens": outcome.trained_tokens}
    assert task.line().startswith(f"fine-tune {outcome.job_id}: done, succeeded, ")


def test_evaluation_requests_are_counted_as_they_are_answered(emulator):
    runner = ChatRunner(openai.OpenAI(), RateLimiter(6000, 10_000_000), AnswerCache(None, "answers"), concurrency=4,
                        log=lambda _: None)  # fmt: skip
    settings = {"temperature": 0, "seed": 1, "max_tokens": 32}
    requests = [ChatRequest("gpt-4o-mini-2024-07-18", [{"role": "user", "content": f"question {i}"}], settings)
                for i in range(12)]  # fmt: skip
    sink = Recorder()
    with progress.use(sink):
        answers = runner.run(requests, label="answers")
        runner.run(requests, label="again")  # all cached: nothing to request, nothing tracked
    assert all(a.ok for a in answers)
    task = _only(sink, "answers")
    assert (task.completed, task.total, task.unit) == (12, 12, "requests")
    assert task.counts == {"retries": 0, "failed": 0}
    assert sink.changes[id(task)] == 12
    assert [t.description for t in sink.tasks] == ["answers"]
