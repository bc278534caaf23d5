"""``python -m portal.payments.sandbox --port 8010 [--host 127.0.0.1] [--state FILE]`` (docs/payments-providers.md)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from .notifier import DEFAULT_RETRY_DELAYS
from .server import build


def _delays(text: str) -> tuple[float, ...]:
    try:
        delays = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError("una lista de segundos separados por comas, como 2,4,8") from error
    if any(delay < 0 for delay in delays):
        raise argparse.ArgumentTypeError("los segundos no pueden ser negativos")
    return delays


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m portal.payments.sandbox",
        description="Pasarela de pruebas de Ventanilla: no se cobra dinero real.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--state", type=Path, help="archivo JSON donde guardar los pagos entre reinicios")
    parser.add_argument("--api-key", default=os.environ.get("PAYMENTS_SANDBOX_API_KEY", "sandbox-api-key"))
    parser.add_argument(
        "--webhook-secret",
        default=os.environ.get("PAYMENTS_SANDBOX_WEBHOOK_SECRET", "sandbox-webhook-secret"),
        help="secreto con el que se firman las notificaciones (Sandbox-Signature)",
    )
    parser.add_argument(
        "--public-url", default="", help="dirección con la que se llega a la pasarela, si no es host:port"
    )
    parser.add_argument(
        "--retry-delays",
        type=_delays,
        default=DEFAULT_RETRY_DELAYS,
        help="segundos entre reintentos de una notificación no entregada (por omisión 2,4,8,16,30)",
    )
    parser.add_argument("--notification-timeout", type=float, default=5.0)
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if options.verbose else logging.WARNING, stream=sys.stderr)

    server = build(
        host=options.host,
        port=options.port,
        api_key=options.api_key,
        webhook_secret=options.webhook_secret,
        state=options.state,
        public_url=options.public_url,
        retry_delays=options.retry_delays,
        notification_timeout=options.notification_timeout,
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"Pasarela de pruebas en {server.store.base_url}/ (no se cobra dinero real)", file=sys.stderr, flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
