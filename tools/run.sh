#!/usr/bin/env bash
# Serve the portal with granian and run the task worker, the scheduler and the sandbox payment provider beside it;
# stop them all together.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WORKERS="${WEB_WORKERS:-2}"

# Without Redis the processes share rate limits through a table in the database (idempotent; make migrate does it too).
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py db_worker --queue-name '*' --no-reload -v0 &
worker=$!
.venv/bin/python manage.py run_scheduler &
scheduler=$!
# The sandbox payment provider (docs/payments-providers.md): its payments survive a restart in var/.
SANDBOX_PORT="${PAYMENTS_SANDBOX_PORT:-8010}"
export PAYMENTS_SANDBOX_URL="${PAYMENTS_SANDBOX_URL:-http://127.0.0.1:${SANDBOX_PORT}}"
mkdir -p var
.venv/bin/python -m portal.payments.sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" --state var/payments-sandbox.json &
sandbox=$!
trap 'kill "$worker" "$scheduler" "$sandbox" 2>/dev/null || true' EXIT INT TERM

echo
echo "  Ventanilla está en  http://${HOST}:${PORT}/"
echo "  Administración:     http://${HOST}:${PORT}/admin/   (cuentas de demostración en el README)"
echo "  Pasarela de pruebas: http://127.0.0.1:${SANDBOX_PORT}/   (no se cobra dinero real)"
echo
# granian through ASGI, reading request bodies with a deadline (tools/serve.sh, portal/core/asgi_guard.py).
HOST="$HOST" PORT="$PORT" WEB_WORKERS="$WORKERS" tools/serve.sh
