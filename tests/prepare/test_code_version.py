"""The prepare cache key includes the code version: a changed prepare source file (a fixed bug) is a
new key even when the package version stays the same; where the partitions run is not in it."""

import pytest

from ftflow.config import PrepareConfig
from ftflow.tasks.prepare import code_version as cv


def _tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return ((root, "*.py"),)


def test_the_source_digest_follows_every_source_file(tmp_path):
    roots = _tree(tmp_path / "prepare", {"stage.py": "x = 1\n", "checks/dedup.py": "y = 2\n"})
    before = cv.source_digest(roots)
    assert cv.source_digest(roots) == before  # stable
    (tmp_path / "prepare" / "__pycache__").mkdir()
    (tmp_path / "prepare" / "__pycache__" / "stage.cpython-311.py").write_text("compiled")
    (tmp_path / "prepare" / "notes.txt").write_text("not source")
    assert cv.source_digest(roots) == before  # caches and other files do not count
    (tmp_path / "prepare" / "checks" / "dedup.py").write_text("y = 3\n")  # the bug fix, one nested file
    fixed = cv.source_digest(roots)
    assert fixed != before
    (tmp_path / "prepare" / "checks" / "dedup.py").rename(tmp_path / "prepare" / "checks" / "dedup2.py")
    assert cv.source_digest(roots) != fixed  # a renamed module too


def test_the_code_version_is_the_package_version_and_this_checkouts_sources():
    assert cv.code_version() == f"{cv.package_version()}+{cv.source_digest()[:16]}"
    assert cv.package_version() != "0+unknown"  # the installed (editable) ftflow's version


def test_the_prepare_cache_key_changes_with_the_code_not_with_the_engine(tmp_path, monkeypatch):
    steps = pytest.importorskip("ftflow.flows.steps")
    data = tmp_path / "faq.jsonl"
    data.write_text('{"question": "q", "answer": "a"}\n')

    def key(cfg, version="0.1.0+aaaa"):
        monkeypatch.setattr(steps, "code_version", lambda: version)
        return steps._content_key(None, {"inputs": [str(data)], "cfg": cfg, "storage": "s3://b/p", "name": "faq"})

    base = key(PrepareConfig())
    assert key(PrepareConfig()) == base
    assert key(PrepareConfig(), "0.1.0+bbbb") != base  # same version number, fixed source: a new key
    assert key(PrepareConfig(), "0.2.0+aaaa") != base
    assert key(PrepareConfig(executor="inline")) == base  # the engine does not change the dataset
    assert key(PrepareConfig(dask_address="tcp://10.0.0.5:8786")) == base
    assert key(PrepareConfig(model="gpt-4o-2024-08-06")) != base  # a setting that does
