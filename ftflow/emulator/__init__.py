"""A local stand-in for the OpenAI API, for development, demos and CI. It is not a model.

It speaks OpenAI's HTTP API in OpenAI's own JSON shapes (files, uploads, fine-tuning jobs
with events and checkpoints, chat completions, moderations, models), so the unmodified
``openai.OpenAI(base_url=..., api_key=...)`` client works against it exactly as against
api.openai.com: the pipeline has one code path, and only ``base_url`` differs.

What it fakes, and how:

- Training does not happen. A job validates its file as OpenAI does, then walks through
  validating_files -> queued -> running -> succeeded on an accelerated clock, with seeded,
  plausible loss curves, checkpoints, a result file and ``trained_tokens`` counted with the
  real tokenizer.
- A "fine-tuned model" answers with the assistant turn of its nearest training example
  (TF-IDF over the user turns); a base model gives a polite generic answer. Good enough to
  show that evaluation can tell a tuned model from its base, nothing more.
- Fault switches (429 with Retry-After, 500, latency, failing jobs) exercise client retries
  and failure handling deterministically.

Start it with ``python -m ftflow.emulator --port 8765 --state-dir .emulator`` or, from
Python, :func:`start_emulator` / :func:`stop_emulator`.
"""

from ftflow.emulator.process import start_emulator, stop_emulator

__all__ = ["start_emulator", "stop_emulator"]
