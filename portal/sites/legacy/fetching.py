"""Reading an old site: over HTTP(S) from its server or a mirror, or from a folder copy; and finding its pages.

Every failure is a ``FetchError`` with a reason in Spanish for the run's report; nothing here raises anything else
for bad input. Only http and https are fetched; a response larger than the limit is refused without being read in
full; redirect loops, timeouts, non-HTML answers and pages without a declared charset (latin-1, cp1252) are handled.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import lxml.html
import requests
from defusedxml import ElementTree
from django.utils.translation import gettext as _

from .extraction import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS, absolute, extension

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "Ventanilla-migracion/1.0 (+https://www.gob.mx)"
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HTML_TYPES = ("text/html", "application/xhtml+xml")
INDEX_NAMES = ("index.html", "index.htm", "index.php", "default.aspx", "default.asp", "default.htm")


class FetchError(Exception):
    """Why an address could not be read, in Spanish, for the report; ``status`` when the server answered."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    body: bytes
    charset: str

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES

    def text(self) -> str:
        return decode(self.body, self.charset)


def decode(body: bytes, declared: str = "") -> str:
    """The page's text: the declared charset (header, then ``<meta>``), else UTF-8 if it is valid, else cp1252 (the
    superset of latin-1 that old Spanish-language sites wrote without saying so)."""
    candidates = [declared] if declared else []
    if match := META_CHARSET.search(body[:4096]):
        candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates += ["utf-8", "cp1252"]
    for charset in candidates:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("latin-1")


def old_path(url: str) -> str:
    """The key of an old address in the map: its path (``/prensa/index.html`` is ``/prensa/``) and its query."""
    parts = urlsplit(url)
    path = parts.path or "/"
    head, _sep, name = path.rpartition("/")
    if name.lower() in INDEX_NAMES:
        path = f"{head}/"
    return f"{path}?{parts.query}" if parts.query else path


class Source:
    """Where the old site is read from: ``origin`` (scheme and host of the server or mirror), or a ``folder``.

    Addresses on the old host names are read from the origin, so that a sitemap that names ``www.imss.gob.mx`` can
    be read from a mirror; addresses on any other host are never fetched.
    """

    def __init__(
        self,
        *,
        origin: str = "",
        folder: Path | None = None,
        old_hosts: tuple[str, ...] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.origin = origin.rstrip("/")
        self.folder = folder.resolve() if folder else None
        self.hosts = {host.lower() for host in old_hosts}
        if origin:
            self.hosts.add((urlsplit(origin).hostname or "").lower())
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.session = requests.Session()
        self.session.max_redirects = MAX_REDIRECTS
        self.session.headers["User-Agent"] = USER_AGENT

    def is_internal(self, url: str) -> bool:
        return (urlsplit(url).hostname or "").lower() in self.hosts

    def local_url(self, url: str) -> str:
        """The address to read ``url`` from: on the origin, with its path and query."""
        parts = urlsplit(url)
        if not self.origin:
            return url
        origin = urlsplit(self.origin)
        return urlunsplit((origin.scheme, origin.netloc, parts.path or "/", parts.query, ""))

    def get(self, url: str) -> Fetched:
        if not self.is_internal(url):
            raise FetchError(_("Dirección de otro sitio: no se descarga."))
        if self.folder is not None:
            return self._read_file(url)
        return self._fetch(self.local_url(url))

    def _read_file(self, url: str) -> Fetched:
        assert self.folder is not None
        relative = unquote(urlsplit(url).path).lstrip("/")
        candidate = (self.folder / relative).resolve()
        if candidate.is_dir() or not relative:
            candidate = candidate / "index.html"
        if not candidate.is_relative_to(self.folder) or not candidate.is_file():
            raise FetchError(_("No existe el archivo en la copia del sitio."), status=404)
        if candidate.stat().st_size > self.max_bytes:
            raise FetchError(_("El archivo es demasiado grande (más de %(limit)s bytes).") % {"limit": self.max_bytes})
        suffix = candidate.suffix.lower().lstrip(".")
        content_type = "text/html" if suffix in ("html", "htm") else _content_type_of(suffix)
        return Fetched(url=url, content_type=content_type, body=candidate.read_bytes(), charset="")

    def _fetch(self, url: str) -> Fetched:
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(_("Solo se leen direcciones http y https."))
        try:
            response = self.session.get(url, timeout=self.timeout, stream=True)
        except requests.TooManyRedirects:
            raise FetchError(_("La dirección redirige en un bucle.")) from None
        except requests.Timeout:
            raise FetchError(_("El servidor no respondió a tiempo.")) from None
        except (requests.ConnectionError, requests.RequestException):
            raise FetchError(_("No se pudo conectar con el servidor.")) from None
        with response:
            if response.status_code >= 400:
                raise FetchError(
                    _("El servidor respondió %(status)s.") % {"status": response.status_code},
                    status=response.status_code,
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(
                    _("La respuesta es demasiado grande (más de %(limit)s bytes).") % {"limit": self.max_bytes}
                )
            body = bytearray()
            try:
                for chunk in response.iter_content(64 * 1024):
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(
                            _("La respuesta es demasiado grande (más de %(limit)s bytes).") % {"limit": self.max_bytes}
                        )
            except requests.RequestException:
                raise FetchError(_("El servidor cortó la respuesta.")) from None
            content_type = response.headers.get("Content-Type", "")
            mime, _sep, params = content_type.partition(";")
            charset = ""
            if match := re.search(r"charset=([\w.:-]+)", params, re.IGNORECASE):
                charset = match.group(1)
            return Fetched(url=response.url, content_type=mime.strip().lower(), body=bytes(body), charset=charset)


def _content_type_of(suffix: str) -> str:
    if suffix in IMAGE_EXTENSIONS:
        return f"image/{'jpeg' if suffix == 'jpg' else suffix}"
    if suffix == "xml":
        return "application/xml"
    return "application/octet-stream"


# --- Finding the pages ------------------------------------------------------------------------------------------------


def sitemap_urls(source: Source, url: str) -> list[str]:
    """The pages a sitemap lists (one level of sitemap index followed). Raises ``FetchError`` if it is unreadable."""
    fetched = source.get(url)
    try:
        root = ElementTree.fromstring(fetched.body)
    except Exception:  # defusedxml raises several kinds for malformed or hostile XML
        raise FetchError(_("El mapa del sitio no es XML válido.")) from None
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        urls: list[str] = []
        for loc in root.iter(f"{SITEMAP_NS}loc"):
            try:
                urls.extend(sitemap_urls(source, (loc.text or "").strip()))
            except FetchError:
                continue
        return urls
    return [(loc.text or "").strip() for loc in root.iter(f"{SITEMAP_NS}loc") if (loc.text or "").strip()]


def folder_urls(folder: Path, base_url: str) -> list[str]:
    """Every HTML file of a folder copy, as addresses of the old site."""
    root = folder.resolve()
    base = base_url.rstrip("/")
    files = sorted(path for path in root.rglob("*") if path.suffix.lower() in (".html", ".htm") and path.is_file())
    return [f"{base}/{path.relative_to(root).as_posix()}" for path in files]


@dataclass
class CrawlLimits:
    max_pages: int = 500
    max_depth: int = 5
    max_seconds: float = 600.0


def crawl(source: Source, start: str, limits: CrawlLimits) -> Iterator[tuple[str, Fetched | FetchError]]:
    """Breadth first from ``start`` over the old site's own pages, each once (a page linking to itself, or to
    itself with another fragment, is read once), within the limits; yields each address with what was read."""
    started = time.monotonic()
    seen = {old_path(start)}
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    pages = 0
    while queue and pages < limits.max_pages and time.monotonic() - started < limits.max_seconds:
        url, depth = queue.popleft()
        pages += 1
        try:
            fetched = source.get(url)
        except FetchError as error:
            yield url, error
            continue
        yield url, fetched
        if not fetched.is_html or depth >= limits.max_depth:
            continue
        try:
            tree = lxml.html.document_fromstring(fetched.text() or "<html></html>")
        except (ValueError, lxml.etree.ParserError):
            continue
        for anchor in tree.iter("a"):
            link = absolute(anchor.get("href"), url)
            if not link or not source.is_internal(link) or extension(link) in DOCUMENT_EXTENSIONS | IMAGE_EXTENSIONS:
                continue
            key = old_path(link)
            if key not in seen:
                seen.add(key)
                queue.append((link, depth + 1))
