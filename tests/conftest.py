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
