#!/usr/bin/env bash
# The pinned requirements against known vulnerabilities (pip-audit, PyPI's advisory data). A finding fails.
# Where the advisory service cannot be reached (an offline build machine), it says so plainly and how many
# packages went unaudited, instead of reporting a clean result it never checked.
set -uo pipefail
cd "$(dirname "$0")/.."
output=$(.venv/bin/pip-audit -r requirements.txt --progress-spinner off 2>&1)
status=$?
unaudited=$(grep -c "could not be audited" <<<"$output" || true)
if [ $status -ne 0 ]; then
  echo "$output"
  exit 1
fi
if [ "$unaudited" -gt 0 ]; then
  echo "pip-audit: NOT AUDITED: ${unaudited} packages, the advisory service is unreachable from this machine"
else
  echo "$output"
fi
