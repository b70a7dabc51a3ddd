#!/usr/bin/env bash
# Create .venv with the exact pinned dependencies. Safe to run again: it only
# reinstalls when requirements.lock or pyproject.toml changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
stamp=.venv/.ftflow-installed
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install --quiet "uv==0.13.8"
    .venv/bin/uv pip sync --quiet --python .venv/bin/python requirements.lock 2>&1 | grep -v "is ignored" >&2 || true
    .venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e . 2>&1 | grep -v "is ignored" >&2 || true
    .venv/bin/python -c "import ftflow, prefect, great_expectations, tiktoken, openai, boto3" 
    echo "$want" > "$stamp"
fi
