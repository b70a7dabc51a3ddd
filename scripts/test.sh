#!/usr/bin/env bash
# Install everything from scratch (pinned), lint, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh --train  # with the training extra, so CI covers finetune.backend hf-lora
# OCR of scanned documents needs Tesseract with English and Spanish (Debian packages; CI runs as root).
if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx spa; then
    SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends \
        tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa >/dev/null
fi
# The browser test (tests/integration/test_ui_browser.py) drives Debian's chromium through the Prefect
# UI; install it when missing (Playwright's own browser download needs the internet).
if ! command -v chromium >/dev/null; then
    SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
export PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_HOME="${PREFECT_HOME:-$PWD/.prefect-test}"
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="${PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS:-120}"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest --durations=25 "$@"  # the slowest tests, to keep the suite under 15 min
