#!/usr/bin/env bash
# Rewrite constraints.txt from the test venv (run after the test suite passed with new versions).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# The versions the test suite passed with (Python 3.11, Linux): \`pip freeze --exclude-editable\` of the"
  echo "# test venv (.[test]), the workbench itself left out. Used as \`pip install -c constraints.txt ...\` by"
  echo "# scripts/main.sh and scripts/test.sh; regenerate with scripts/freeze_constraints.sh after testing an upgrade."
  .venv/bin/python -m pip freeze --exclude-editable | grep -iv '^workbench[= @]'
} > constraints.txt.new
mv constraints.txt.new constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) pinned packages"
