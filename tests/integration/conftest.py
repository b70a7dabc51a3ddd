"""A real SeaweedFS S3 server for the integration tests, started once per session on free
ports in a temp dir, with the standard AWS variables pointing at it."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ftflow import devstack

_ISOLATE = ["AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN", "AWS_MAX_ATTEMPTS",
            "AWS_RETRY_MODE", "FTFLOW_S3_SSE", "FTFLOW_S3_SSE_KMS_KEY_ID", "FTFLOW_LINKS_URL"]  # fmt: skip


@pytest.fixture(scope="session")
def s3_state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("devstack")


@pytest.fixture(scope="session")
def s3_server(s3_state_dir: Path) -> Iterator[devstack.S3Service]:
    """SeaweedFS on free ports; AWS_* set for this process (restored afterwards)."""
    svc = devstack.start_s3(s3_state_dir, port=0, timeout=60)
    try:
        with pytest.MonkeyPatch.context() as mp:
            for key in _ISOLATE:
                mp.delenv(key, raising=False)
            # Keep a developer's ~/.aws out of the tests.
            mp.setenv("AWS_CONFIG_FILE", str(s3_state_dir / "aws-config"))
            mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(s3_state_dir / "aws-credentials"))
            for key, value in svc.env.items():
                mp.setenv(key, value)
            yield svc
    finally:
        devstack.stop_all(s3_state_dir)


@pytest.fixture
def dest(s3_server: devstack.S3Service) -> str:
    """A fresh destination root per test, inside the server's one bucket (a new bucket
    costs SeaweedFS a volume allocation, about a second)."""
    return f"s3://{s3_server.bucket}/t-{uuid.uuid4().hex[:10]}"


def make_dataset(root: Path, variant: str = "a", *, big_bytes: int = 0, train_rows: int = 8) -> Path:
    """A small prepared-dataset directory with a correct manifest, as `prepare` writes it."""
    root.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, dict[str, object]] = {}
    for split, rows in [("train", train_rows), ("validation", 2), ("test", 2), ("quarantine", 1)]:
        lines = [
            json.dumps({"messages": [{"role": "user", "content": f"{split} q{i} {variant}"},
                                     {"role": "assistant", "content": f"answer {i}"}]})
            for i in range(rows)
        ]  # fmt: skip
        data = ("\n".join(lines) + "\n").encode()
        if split == "train" and big_bytes:
            data += b"x" * big_bytes  # size only matters for throughput checks
        (root / f"{split}.jsonl").write_bytes(data)
        outputs[f"{split}.jsonl"] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "lines": rows}
    docs = root / "data_docs" / "validations"
    docs.mkdir(parents=True, exist_ok=True)
    (root / "data_docs" / "index.html").write_text(f"<html>docs {variant}</html>")
    (docs / "train.html").write_text(f"<html>train {variant}</html>")
    content = "".join(f"{n}:{m['sha256']}\n" for n, m in sorted(outputs.items()))
    manifest = {
        "status": "ok",
        "dataset_sha256": hashlib.sha256(content.encode()).hexdigest(),
        "inputs": [{"path": f"faq-{variant}.jsonl", "format": "jsonl", "rows_read": 13, "rows_kept": 12,
                    "rows_quarantined": 1}],
        "counts": {"rows_read": 13, "rows_kept": 12, "rows_quarantined": 1, "train": 8, "validation": 2, "test": 2,
                   "per_reason": {"duplicate": 1}},
        "pii": {"mode": "redact"},
        "tokens": {"model": "gpt-4o-mini-2024-07-18", "encoding": "o200k_base", "example_token_limit": 65536},
        "cost_estimate": {"model": "gpt-4o-mini-2024-07-18", "epochs": 3, "billed_tokens_per_epoch": 200,
                          "billed_tokens": 600, "usd_per_1m_tokens": 3.0, "usd": 0.0018, "prices_as_of": "2025-06-01"},
        "outputs": outputs,
    }  # fmt: skip
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return root


@pytest.fixture
def dataset_factory(tmp_path: Path) -> Callable[..., Path]:
    """``make(variant="a", big_bytes=0)``: a dataset dir; different variants, different hashes."""

    def make(variant: str = "a", *, big_bytes: int = 0) -> Path:
        return make_dataset(tmp_path / f"dataset-{variant}", variant, big_bytes=big_bytes)

    return make


@pytest.fixture
def dataset(dataset_factory: Callable[..., Path]) -> Path:
    return dataset_factory()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The local OpenAI-compatible emulator on a free port, fast clock; OPENAI_* set for this process."""
    from ftflow.emulator import start_emulator, stop_emulator

    base_url, proc = start_emulator(
        tmp_path_factory.mktemp("emulator"), args=["--seconds-per-step", "0.005", "--phase-seconds", "0.1"]
    )
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("OPENAI_BASE_URL", base_url)
            mp.setenv("OPENAI_API_KEY", "sk-emulator")
            mp.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
            yield base_url
    finally:
        stop_emulator(proc)


def set_faults(base_url: str, **switches: object) -> None:
    """Change the emulator's fault switches (POST /_emulator/faults)."""
    import httpx

    root = base_url.rsplit("/v1", 1)[0]
    httpx.post(f"{root}/_emulator/faults", json=switches, timeout=10).raise_for_status()


def fault_stats(base_url: str) -> dict[str, int]:
    """How many requests and injected faults the emulator has counted."""
    import httpx

    root = base_url.rsplit("/v1", 1)[0]
    return httpx.get(f"{root}/_emulator/faults", timeout=10).json()["stats"]
