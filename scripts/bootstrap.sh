#!/usr/bin/env bash
# Create .venv with the exact pinned dependencies. Safe to run again: it only
# reinstalls when the lock file or pyproject.toml changed since the last run.
#   ./scripts/bootstrap.sh           the default, light install (requirements.lock)
#   ./scripts/bootstrap.sh --train   also the `train` extra for finetune.backend hf-lora
#                                    (requirements-train.lock: torch CPU build, transformers,
#                                    peft, trl, accelerate, datasets; ~200 MB download)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
lock=requirements.lock
check="import ftflow, prefect, great_expectations, tiktoken, openai, boto3"
sync_opts=()
for arg in "$@"; do
    case "$arg" in
        --train) lock=requirements-train.lock ;;
        *) echo "bootstrap.sh: unknown option $arg (known: --train)" >&2; exit 2 ;;
    esac
done
if [ "$lock" = requirements-train.lock ]; then
    check="$check, torch, transformers, peft, trl, accelerate, datasets"
    # The lock pins torch's CPU build (+cpu), which PyPI does not carry: take it from
    # FTFLOW_TORCH_FIND_LINKS, else from the copy this kind of machine keeps on disk,
    # else from PyTorch's own CPU wheel page.
    links=${FTFLOW_TORCH_FIND_LINKS:-}
    if [ -z "$links" ]; then
        if compgen -G "/opt/wheels/torch-*+cpu-*.whl" >/dev/null; then
            links=/opt/wheels
        else
            links=https://download.pytorch.org/whl/cpu/torch/
        fi
    fi
    sync_opts+=(--find-links "$links")
fi
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
stamp=.venv/.ftflow-installed
want=$( (echo "$lock"; cat "$lock" pyproject.toml) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install --quiet "uv==0.13.8"
    .venv/bin/uv pip sync --quiet --python .venv/bin/python "${sync_opts[@]}" "$lock" 2>&1 | grep -v "is ignored" >&2 || true
    .venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e . 2>&1 | grep -v "is ignored" >&2 || true
    .venv/bin/python -c "$check"
    echo "$want" > "$stamp"
fi
