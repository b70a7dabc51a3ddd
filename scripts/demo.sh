#!/usr/bin/env bash
# The main job, end to end on the bundled sample data, against local services:
# installs everything (pinned), starts the local S3 server and the OpenAI emulator, then
# runs the retrain flow once: prepare -> export -> fine-tune -> evaluate -> promote.
# Safe to run again: the dataset is reused, the job reattached, answers come from the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH" PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.devstack/prefect-home}"
# A busy or slow machine can take longer than Prefect's default 20 s to start its local API.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="${PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS:-120}"
ftflow devstack up
eval "$(ftflow devstack env)"
ftflow run --config configs/demo.yaml
echo "Local services keep running (S3, OpenAI emulator); stop them with: .venv/bin/ftflow devstack down"
