#!/usr/bin/env bash
# Run pytest; exit code 5 ("no tests collected", e.g. a -k filter that matches nothing) is not a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
# Two workers by default (CI has two cores); PYTEST_WORKERS=0 runs in one process, e.g. for a debugger.
workers="${PYTEST_WORKERS:-2}"
if [ "$workers" != "0" ]; then set -- -n "$workers" --dist loadfile "$@"; fi
.venv/bin/pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests for this selection"
  rc=0
fi
exit "$rc"
