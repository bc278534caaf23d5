#!/usr/bin/env bash
# Serve the portal with granian (tools/run.sh calls this; the slow-client test starts it as it is).
# ASGI, so request bodies are read in the event loop with a deadline (portal/core/asgi_guard.py): a client that sends
# slowly holds a coroutine, not a worker thread. Headers must arrive within GRANIAN_HTTP1_HEADER_READ_TIMEOUT.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WORKERS="${WEB_WORKERS:-2}"
exec .venv/bin/granian --interface asginl config.asgi:application \
  --host "$HOST" --port "$PORT" --workers "$WORKERS" --no-ws \
  --http1-header-read-timeout "${GRANIAN_HTTP1_HEADER_READ_TIMEOUT:-10000}" --log-level warning
