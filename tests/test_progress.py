"""Progress a person can follow (ftflow/progress.py): the figures with an injected clock, the
throttled plain lines, the no-op default, the CLI's sinks and the Prefect run-log sink."""

import io
import logging
import threading

import pytest
from rich.console import Console

from ftflow import cli_progress, progress
from ftflow.progress import LineSink, Task


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """A sink that keeps what it is told."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def opened(self, task: Task) -> None:
        self.events.append(("opened", task.description))

    def changed(self, task: Task) -> None:
        self.events.append(("changed", task.line()))

    def closed(self, task: Task) -> None:
        self.events.append(("closed", task.line()))


def test_rate_and_eta_come_from_the_clock():
    clock = Clock()
    task = Task(None, "ingest", total=1000, unit="rows", clock=clock)
    assert task.rate() is None
    assert task.eta() is None
    clock.now += 4
    task.advance(200, files=1)
    assert task.rate() == 50.0
    assert task.eta() == 16.0  # 800 rows left at 50 rows/s
    assert task.line() == "ingest: 200/1,000 rows · 1 file (50 rows/s, ETA 16s)"
    clock.now += 16
    task.advance(800, files=2)
    assert task.eta() == 0.0
    task.close()
    clock.now += 100  # a closed task's figures no longer move
    assert task.elapsed == 20.0
    assert task.line() == "ingest: done, 1,000 rows · 3 files (in 20s, 50 rows/s)"


def test_bytes_side_counts_status_and_unknown_total():
    clock = Clock()
    task = Task(None, "export data", total=None, unit="bytes", clock=clock)
    clock.now += 2
    task.advance(3_000_000, uploaded=1)
    assert task.line() == "export data: 3.0 MB · 1 uploaded (1.5 MB/s, 2.0s elapsed)"
    job = Task(None, "fine-tune ftjob-1", unit="steps", clock=clock)
    clock.now += 75
    job.update(status="running", completed=30, total=90)
    assert job.line() == "fine-tune ftjob-1: running, 30/90 steps (0.4 steps/s, ETA 2m30s)"
    assert progress.duration(7300) == "2h01m"
    assert progress.amount(1, "retries") == "1 retry"
    assert progress.amount(2_500_000_000, "bytes") == "2.5 GB"


def test_advance_from_many_threads_loses_nothing():
    task = Task(None, "answers", total=8000, unit="requests")

    def work():
        for _ in range(1000):
            task.advance(1, rows=2)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert task.completed == 8000
    assert task.counts == {"rows": 16000}


def test_nobody_watching_is_a_no_op():
    assert progress.current() is None
    task = progress.track("ingest", total=10)
    assert task is progress.NULL
    task.advance(5, rows=5)
    task.update(status="running", completed=3)
    task.close()
    assert task.completed == 0
    assert task.counts == {}
    assert task.status == ""


def test_use_makes_a_sink_current_for_the_block_only():
    sink = Recorder()
    with progress.use(sink), progress.track("ingest", total=2) as task:
        task.advance()
    assert progress.current() is None
    assert [e[0] for e in sink.events] == ["opened", "changed", "closed"]
    assert sink.events[-1][1].startswith("ingest: done, 1/2 rows (in ")


def test_install_is_the_default_and_use_overrides_it():
    default, inner = Recorder(), Recorder()
    progress.install(default)
    try:
        progress.track("a").close()
        with progress.use(inner):
            progress.track("b").close()
        # another thread (a worker pool's) sees the installed default, not this context's sink
        seen = []
        with progress.use(inner):
            t = threading.Thread(target=lambda: seen.append(progress.current()))
            t.start()
            t.join()
        assert seen == [default]
    finally:
        progress.install(None)
    assert [d for _, d in default.events if _ == "opened"] == ["a"]
    assert [d for _, d in inner.events if _ == "opened"] == ["b"]


def test_plain_lines_are_throttled_to_the_interval_and_the_final_line_always_comes():
    clock, lines = Clock(), []
    sink = LineSink(lines.append, interval_s=10, clock=clock)
    task = Task(sink, "ingest", total=100, clock=clock)
    for _ in range(9):  # 9 s of advances: too soon for a line
        clock.now += 1
        task.advance(1)
    assert lines == []
    clock.now += 1
    task.advance(1)  # 10 s after the start: one line
    assert lines == ["ingest: 10/100 rows (1.0 rows/s, ETA 1m30s)"]
    for _ in range(9):
        clock.now += 1
        task.advance(1)
    assert len(lines) == 1
    clock.now += 1
    task.advance(1)
    assert len(lines) == 2
    assert lines[-1].startswith("ingest: 20/100 rows")
    task.close()  # well within the interval: the final line still comes
    assert len(lines) == 3
    assert lines[-1] == "ingest: done, 20/100 rows (in 20s, 1.0 rows/s)"


def test_cli_without_a_terminal_gets_plain_lines_on_its_console():
    buffer = io.StringIO()
    console = Console(file=buffer, width=200)
    sink = cli_progress.stderr_sink(console, interval_s=0.001)  # pytest's stderr is not a terminal
    assert isinstance(sink, LineSink)
    task = Task(sink, "export [data]", total=2_000_000, unit="bytes")  # brackets are not rich markup
    task.advance(1_000_000, uploaded=1)
    task.close()
    text = buffer.getvalue()
    assert "\x1b[" not in text  # no colour codes, no cursor movement
    assert text.splitlines()[-1].startswith("export [data]: done, 1.0 MB/2.0 MB · 1 uploaded (in ")


def test_cli_on_a_terminal_gets_bars_and_keeps_each_final_line(capsys):
    buffer = io.StringIO()
    console = Console(file=buffer, width=160, force_terminal=True)
    sink = cli_progress.RichSink(console)
    task = Task(sink, "ingest", total=4, unit="rows")
    assert sink.bars.live.is_started
    print('{"json": "for stdout"}')  # while the bars run, stdout is not taken over by them
    assert capsys.readouterr().out == '{"json": "for stdout"}\n'
    task.advance(2)
    (shown,) = sink.bars.tasks
    assert shown.completed == 2
    assert shown.total == 4
    assert "2/4 rows" in shown.fields["figures"]
    task.close()
    assert not sink.bars.live.is_started  # nothing open: the live display is gone
    assert "ingest: done, 2/4 rows" in buffer.getvalue()


def test_run_log_sink_writes_to_the_run_logger_at_the_interval():
    from prefect.exceptions import MissingContextError

    from ftflow.flows.progress import run_log_sink

    class FakeLogger:
        def __init__(self) -> None:
            self.lines: list[str] = []

        def info(self, line: str) -> None:
            self.lines.append(line)

    flow_logger, task_logger = FakeLogger(), FakeLogger()
    where = {"logger": flow_logger}

    def get_run_logger():
        if where["logger"] is None:
            raise MissingContextError("no run here")
        return where["logger"]

    clock = Clock()
    sink = run_log_sink(15, logger=get_run_logger)
    sink.clock = clock
    task = Task(sink, "answers", total=300, unit="requests", clock=clock)
    where["logger"] = task_logger  # inside a task run: its logger
    for _ in range(60):  # one request a second for a minute: a line every 15 s
        clock.now += 1
        task.advance(1)
    assert task_logger.lines == [f"answers: {n}/300 requests (1.0 requests/s, ETA {m})"
                                 for n, m in ((15, "4m45s"), (30, "4m30s"), (45, "4m15s"), (60, "4m00s"))]  # fmt: skip
    where["logger"] = None  # a thread Prefect does not know (an upload's worker): the flow's logger
    task.close()
    assert flow_logger.lines == ["answers: done, 60/300 requests (in 1m00s, 1.0 requests/s)"]


def test_progress_log_interval_is_configured_and_bounded():
    from pydantic import ValidationError

    from ftflow.config import PipelineConfig

    assert PipelineConfig().progress.log_every_s == progress.DEFAULT_INTERVAL_S
    assert PipelineConfig.model_validate({"progress": {"log_every_s": 30}}).progress.log_every_s == 30
    with pytest.raises(ValidationError):
        PipelineConfig.model_validate({"progress": {"log_every_s": 0}})


def test_ingest_reports_bytes_rows_and_files(tmp_path):
    from ftflow.config import PrepareConfig
    from ftflow.tasks.prepare.ingest import read_inputs

    a = tmp_path / "a.jsonl"
    line = '{"messages": [{"role": "user", "content": "q{i}"}, {"role": "assistant", "content": "a"}]}\n'
    a.write_text("".join(line.replace("{i}", str(i)) for i in range(7)))
    b = tmp_path / "b.csv"
    b.write_text("question,answer\nq1,a1\nq2,a2\n")
    sink = Recorder()
    with progress.use(sink):
        read_inputs([str(a), str(b)], PrepareConfig())
    size = a.stat().st_size + b.stat().st_size
    kind, final = sink.events[-1]
    assert kind == "closed"
    assert final.startswith(f"ingest: done, {progress.amount(size, 'bytes')} · 9 rows · 2 files (in ")
    assert [k for k, _ in sink.events] == ["opened", "changed", "changed", "closed"]  # one change per file


def test_logging_adapter_is_a_logger_for_the_sink():
    """Prefect's run loggers are LoggerAdapters: `info` with one string is all the sink uses."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger("ftflow-progress-test")
    logger.addHandler(Keep())
    logger.setLevel(logging.INFO)
    sink = LineSink(logging.LoggerAdapter(logger, {}).info, interval_s=0)
    Task(sink, "x", total=1).close()
    assert records == ["x: done, 0/1 row (in 0.0s)"]
