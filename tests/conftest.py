import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def labelled(tmp_path_factory) -> Path:
    """1,500 generated examples with injected, labelled defects (benchmarks/generate.py)."""
    out = tmp_path_factory.mktemp("labelled")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "1500", str(out), "--seed", "5"],
                   check=True, capture_output=True)  # fmt: skip
    return out


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect server (SQLite) for every test that runs a flow (~10 s)."""
    import os

    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def fresh_credentials():
    """No credentials block in force and none cached, before and after the test (the block
    names are process-wide, set by the CLI and the flows)."""
    from ftflow import credentials
    from ftflow.config import CredentialsConfig

    credentials.configure(CredentialsConfig())
    credentials.clear_cache()
    yield
    credentials.configure(CredentialsConfig())
    credentials.clear_cache()


@pytest.fixture(scope="session")
def hf_dataset(tmp_path_factory) -> Path:
    """The sample data prepared once, for the hf-lora tests."""
    from tests.hf_tiny import prepared_sample

    return prepared_sample(tmp_path_factory.mktemp("hf-dataset"))


@pytest.fixture(scope="session")
def tiny_base(hf_dataset: Path, tmp_path_factory) -> Path:
    """A tiny Qwen2-shaped chat model built offline from the dataset's text (no hub)."""
    pytest.importorskip("trl", reason="the train extra is not installed")
    from tests.hf_tiny import build_tiny_model

    return build_tiny_model([hf_dataset / "train.jsonl"], tmp_path_factory.mktemp("tiny-base"))
