"""One emulator subprocess for the whole session, driven by the real openai SDK."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openai import OpenAI

from ftflow.emulator import start_emulator, stop_emulator
from tests.emulator.support import EMULATOR_ARGS, Emulator, jsonl, training_rows, wait_for


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    state = tmp_path_factory.mktemp("emulator")
    base_url, proc = start_emulator(state, args=EMULATOR_ARGS)
    emu = Emulator(state, base_url, proc, int(base_url.rsplit(":", 1)[1].split("/")[0]))
    try:
        yield emu
    finally:
        stop_emulator(emu.proc)


@pytest.fixture
def client(emulator: Emulator) -> OpenAI:
    return emulator.client()


@pytest.fixture
def faults(emulator: Emulator) -> Iterator[Emulator]:
    """Gives the emulator; clears every fault switch afterwards, whatever the test did."""
    yield emulator
    emulator.admin("faults", {"reset": True})


@pytest.fixture(scope="session")
def tuned(emulator: Emulator) -> dict[str, Any]:
    """One finished job on the QA data, shared by the chat, model and restart tests."""
    client = emulator.client()
    train = client.files.create(file=("train.jsonl", jsonl(training_rows())), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=train.id,
                                         suffix="support", seed=42)  # fmt: skip
    job, _ = wait_for(client, job.id)
    assert job.status == "succeeded", job.error
    return {"job": job, "file": train}
