#!/usr/bin/env bash
# make bench: install the load tools if missing, make sure PostgreSQL answers, then run bench/run.py.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else echo "make bench needs: ${need[*]} (sudo apt-get install ${need[*]})"; exit 1; fi
fi
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/ventanilla_bench}"
PGPASSWORD="${PGPASSWORD:-postgres}" pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not answering on 127.0.0.1:5432"; exit 1; }
exec .venv/bin/python bench/run.py "$@"
