#!/usr/bin/env bash
# Set up (a .venv with the workbench installed), ingest the embedded corpus
# in data/raw, and write the per-topic reports into reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e .
.venv/bin/workbench ingest
.venv/bin/workbench summary
.venv/bin/workbench report
echo "open reports/index.html"
