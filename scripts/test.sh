#!/usr/bin/env bash
# Set up (a .venv with the workbench and its test tools; Debian's chromium for
# the browser tests), run ruff, mypy and scripts/check_layout.py, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: Debian's chromium is not installed; browser tests will be skipped" >&2
  fi
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e ".[test]"
# Static checks first: lint, types, module/function sizes and stage layering.
.venv/bin/ruff check workbench tests benchmarks scripts
.venv/bin/mypy
.venv/bin/python scripts/check_layout.py
exec .venv/bin/python -m pytest -q "$@"
