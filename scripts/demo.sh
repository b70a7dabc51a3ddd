#!/usr/bin/env bash
# The main job, end to end on the bundled sample data, against local services:
# installs everything (pinned), starts the local S3 server, prepares the sample and
# publishes the dataset version to S3. Safe to run again (the export is idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH" PREFECT_SERVER_ANALYTICS_ENABLED=false
ftflow devstack up
eval "$(ftflow devstack env)"
ftflow prepare sample_data/patient_faq.csv sample_data/patient_chats.jsonl \
    --system "You are the patient support assistant of St. Aldric's Hospital. Be accurate, kind and brief." \
    --out "s3://$FTFLOW_BUCKET/demo" --name patient-support
echo "Local services keep running; stop them with: .venv/bin/ftflow devstack down"
