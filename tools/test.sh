#!/usr/bin/env bash
# `make test`: the checks (`make checks`: ruff, import contracts, mypy, migrations, translations) and the whole pytest
# run at the same time, instead of one after the other.
#
# The checks take ~40 s of one core; the pytest run leaves a core idle for about as long at its start (one xdist worker
# migrates the test database while the other waits for it, testing/databases.py). So the checks run beside it, at a
# lower priority (nice) so that they take what the tests leave rather than slow them. Their output is kept in a file
# and printed when both are done (or at once if they fail); the exit code fails if either failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
log=var/checks.log
(
  if nice -n 10 make --no-print-directory checks >"$log" 2>&1; then
    exit 0
  fi
  printf '\n== make checks failed (the tests go on):\n' >&2
  cat "$log" >&2
  exit 1
) &
checks=$!
tools/pytest.sh "$@"
tests=$?
wait "$checks"
checked=$?
if [ "$checked" -eq 0 ]; then
  printf '\n== make checks\n'
  cat "$log"
fi
printf '\n== make test: checks %s, tests %s\n' \
  "$([ "$checked" -eq 0 ] && echo passed || echo FAILED)" "$([ "$tests" -eq 0 ] && echo passed || echo FAILED)"
[ "$checked" -eq 0 ] && [ "$tests" -eq 0 ]
