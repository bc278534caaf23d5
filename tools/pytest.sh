#!/usr/bin/env bash
# Run pytest. Exit code 5 ("no tests collected", e.g. a -k filter that matches nothing) is not a failure.
#
# Two workers by default (CI has two cores); PYTEST_WORKERS=0 runs everything in one process. Under xdist the tests
# that flush the database (live server, transaction=True) run in a second pass: a flush deletes what data migrations
# created, and an ordinary test scheduled after one on the same worker would find no Wagtail root page.
set -uo pipefail
cd "$(dirname "$0")/.."

run() {
  .venv/bin/pytest "$@"
  local rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests for this selection"
    rc=0
  fi
  return "$rc"
}

# PYTEST_ONLY="<marker expression>" narrows both passes (CI's SQLite pass uses "not browser").
only="${PYTEST_ONLY:-}"
marks() { if [ -n "$only" ]; then echo "($1) and ($only)"; else echo "$1"; fi; }

workers="${PYTEST_WORKERS:-2}"
if [ "$workers" = "0" ]; then
  if [ -n "$only" ]; then run -m "$only" "$@"; else run "$@"; fi
  exit $?
fi
run -n "$workers" --durations=8 --durations-min=3 -m "$(marks "not transactional")" "$@"
first=$?
run -n "$workers" --durations=15 --durations-min=3 -m "$(marks "transactional")" "$@"
second=$?
[ "$first" -eq 0 ] && [ "$second" -eq 0 ]
