"""The sample old site (``sample_site/www``) served on 127.0.0.1 on a free port: for the tests, the demo and the bench.

Never the internet. Besides the files, a few addresses behave as bad old servers do, so the importer's handling of
them is tested for real: a redirect loop, a page slower than any timeout, a response larger than any limit, and
a JSON answer where a page was expected.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent / "sample_site"
SAMPLE_WWW = SAMPLE_DIR / "www"
SAMPLE_ACCESS_LOG = SAMPLE_DIR / "access.log"
SAMPLE_HOST = "www.profeco.gob.mx"
SLOW_SECONDS = 3.0
HUGE_BYTES = 3 * 1024 * 1024


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        """Quiet: the tests' output is theirs."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/bucle-a.html":
            return self._redirect("/bucle-b.html")
        if path == "/bucle-b.html":
            return self._redirect("/bucle-a.html")
        if path == "/lento.html":
            time.sleep(SLOW_SECONDS)
            return self._send(b"<html><body><p>Tarde.</p></body></html>", "text/html")
        if path == "/enorme.html":
            return self._send(b"<html><body>" + b"<p>relleno</p>" * (HUGE_BYTES // 14) + b"</body></html>", "text/html")
        if path == "/datos.html":
            return self._send(b'{"no": "es una pagina"}', "application/json")
        return super().do_GET()

    def guess_type(self, path: str | object) -> str:
        # Old servers send HTML without a charset: the importer must find it (or guess latin-1) by itself.
        guessed = super().guess_type(path)  # type: ignore[arg-type]
        return "text/html" if guessed.startswith("text/html") else guessed

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, body: bytes, content_type: str) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the importer stopped reading: that is what a size limit or a timeout does


@contextmanager
def serve_sample_site(directory: Path = SAMPLE_WWW) -> Iterator[str]:
    """``http://127.0.0.1:<port>`` while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="sample-legacy-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
