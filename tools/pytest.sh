#!/usr/bin/env bash
# Run pytest. Exit code 5 ("no tests collected", e.g. a -k filter that matches nothing) is not a failure.
#
# Two workers by default (CI has two cores); PYTEST_WORKERS=0 runs everything in one process. The tests that flush
# the database (live server, transaction=True) must not be followed by an ordinary test on the same worker: a flush
# deletes what data migrations created, and the ordinary test would find no Wagtail root page. conftest.py sorts them
# after every other test and xdist's default distribution (--dist load) hands each worker its tests in that order, so
# one run is enough (it used to be two passes, which started the workers and set up their test databases twice);
# conftest.py fails a test if the order is ever broken.
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

# PYTEST_ONLY="<marker expression>" narrows the run (CI's SQLite run uses "database and not browser").
only="${PYTEST_ONLY:-}"
select=()
if [ -n "$only" ]; then select=(-m "$only"); fi

workers="${PYTEST_WORKERS:-2}"
if [ "$workers" = "0" ]; then
  run "${select[@]}" "$@"
  exit $?
fi
run -n "$workers" --dist load --durations=15 --durations-min=3 "${select[@]}" "$@"
