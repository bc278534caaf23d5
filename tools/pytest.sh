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
# On PostgreSQL the second pass reuses the test databases the first one made (and left as migrated: its tests roll
# back), instead of migrating them again: ~30 s per worker. The first pass always makes them anew (--create-db), so a
# database that an earlier second pass flushed is never reused.
first_db=() second_db=()
case "${DATABASE_URL:-}" in
  postgres*) first_db=(--reuse-db --create-db) second_db=(--reuse-db) ;;
esac
run -n "$workers" --durations=8 --durations-min=3 "${first_db[@]}" -m "$(marks "not transactional")" "$@"
first=$?
run -n "$workers" --durations=15 --durations-min=3 "${second_db[@]}" -m "$(marks "transactional")" "$@"
second=$?
[ "$first" -eq 0 ] && [ "$second" -eq 0 ]
