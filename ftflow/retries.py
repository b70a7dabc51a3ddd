"""Which failures are worth retrying, for every Prefect task in the pipeline.

Permanent errors (bad input, a refused quality gate, OpenAI's 4xx validation errors,
wrong credentials) fail at once with their message; transient ones (endpoint down, 5xx,
throttling, dropped connections) are retried with exponential backoff and jitter.
"""

from __future__ import annotations

from typing import Any

from prefect.tasks import exponential_backoff

from ftflow.errors import FtflowError

RETRIES = 3
RETRY_DELAYS = exponential_backoff(backoff_factor=5)  # 5, 10, 20 s
RETRY_JITTER = 0.5  # each delay varies by up to ±50 %, so workers don't retry in lockstep


def is_transient(exc: BaseException | None) -> bool:
    if exc is None:
        return False
    if isinstance(exc, FtflowError):
        return bool(getattr(exc, "transient", False))
    import openai

    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError | ConnectionError | TimeoutError)


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect retry condition: retry only what may pass on a second try."""
    try:
        state.result()
    except BaseException as exc:  # the task's own exception, re-raised by result()
        return is_transient(exc)
    return False


def task_options(timeout_seconds: float, **extra: Any) -> dict[str, Any]:
    """The retry policy every flow-level task shares, plus its own timeout."""
    return {"retries": RETRIES, "retry_delay_seconds": RETRY_DELAYS, "retry_jitter_factor": RETRY_JITTER,
            "retry_condition_fn": retry_transient, "timeout_seconds": timeout_seconds, **extra}  # fmt: skip
