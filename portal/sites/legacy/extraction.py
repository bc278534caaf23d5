"""From an old page's HTML to what a new page is made of: title, date, main content as Wagtail rich text and images.

trafilatura finds the main content, the title and the date. Old government sites often list documents or links in
their main content, which trafilatura's boilerplate heuristics tend to flatten into one paragraph; so the content
container it is given (``<main>``, ``#contenido``… without menus, headers and footers) is kept instead when
trafilatura's result lost most of its links or words. Either way the HTML is then reduced to what the sites' rich
text accepts (``blocks.RICH_TEXT_FEATURES``): paragraphs, h2–h4, bold, italic, lists and links.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree

BOILERPLATE_XPATH = (
    "//script|//style|//noscript|//iframe|//form|//nav|//header|//footer|//aside"
    "|//*[re:test(@id, '^(menu|nav|navegacion|header|encabezado|cabecera|footer|pie|sidebar|barra)', 'i')]"
    "|//*[re:test(@class, '(^|\\s)(menu|nav|navbar|breadcrumb|migas|header|footer|sidebar)(\\s|$)', 'i')]"
)
MAIN_XPATH = "//main|//*[@role='main']|//article|//*[re:test(@id, '^(contenido|content|main|principal|cuerpo)$', 'i')]"
REGEXP_NS = {"re": "http://exslt.org/regular-expressions"}
DOCUMENT_EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "zip"})
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})
NEWS_PATH = re.compile(r"/(prensa|noticias|comunicados|boletines|sala-de-prensa|salaprensa)/", re.IGNORECASE)
TITLE_SUFFIX = re.compile(r"\s*[|\-–—:]\s*[^|\-–—:]{2,40}$")

EMPTY_BLOCK = re.compile(r"<(p|h2|h3|h4|li|b|i)>\s*</\1>")
INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i"}
BLOCKS = {"p": "p", "h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4", "li": "li"}
LISTS = {"ul", "ol"}


@dataclass
class Image:
    src: str
    alt: str


@dataclass
class Extracted:
    title: str
    date: dt.date | None
    # The body in order: ("text", rich-text HTML with absolute hrefs) and ("image", Image) parts.
    parts: list[tuple[str, str | Image]] = field(default_factory=list)
    text: str = ""
    links: list[str] = field(default_factory=list)  # every absolute http(s) link of the content, in order
    link_texts: dict[str, str] = field(default_factory=dict)
    used_trafilatura: bool = True

    @property
    def document_links(self) -> list[str]:
        return [link for link in self.links if extension(link) in DOCUMENT_EXTENSIONS]

    @property
    def images(self) -> list[Image]:
        return [part for kind, part in self.parts if kind == "image" and isinstance(part, Image)]

    @property
    def summary(self) -> str:
        """The first sentence or two of the text, for the news' and pages' summary."""
        words = " ".join(self.text.split())
        if len(words) <= 280:
            return words
        cut = words[:280].rsplit(" ", 1)[0]
        return f"{cut}…"


def extension(url: str) -> str:
    path = urlsplit(url).path
    return path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""


def page_kind(url: str, extracted: Extracted) -> str:
    """``news`` for a dated page under a news-ish path, ``documents`` for a page that is mostly links to documents,
    else ``content`` (``sites.actions.DRAFT_PAGE_KINDS``)."""
    if extracted.date is not None and NEWS_PATH.search(urlsplit(url).path):
        return "news"
    documents = len(extracted.document_links)
    if documents >= 2 and documents * 2 >= len(extracted.links):
        return "documents"
    return "content"


def extract(raw_html: str, url: str) -> Extracted:
    """Never raises on bad HTML: lxml repairs what it can; a page with no text gives an empty body."""
    tree = lxml.html.document_fromstring(raw_html or "<html></html>")
    metadata = trafilatura.extract_metadata(raw_html, default_url=url, extensive=False)
    title = _title(tree, metadata.title if metadata else None)
    date = _date(metadata.date if metadata else None)

    for element in tree.xpath(BOILERPLATE_XPATH, namespaces=REGEXP_NS):
        if element.getparent() is not None:
            element.drop_tree()
    containers = tree.xpath(MAIN_XPATH, namespaces=REGEXP_NS)
    container = containers[0] if containers else tree.find("body")
    if container is None:
        container = tree
    container_html = lxml.html.tostring(container, encoding="unicode")
    container_links = _links(container, url)
    container_text = " ".join(container.text_content().split())

    extracted_html = trafilatura.extract(
        f"<html><body>{container_html}</body></html>",
        url=url,
        output_format="html",
        include_links=True,
        include_images=True,
        include_formatting=True,
        include_tables=True,
        favor_recall=True,
    )
    chosen, used = container, False
    if extracted_html:
        candidate = lxml.html.document_fromstring(extracted_html).find("body")
        if candidate is not None:
            text = " ".join(candidate.text_content().split())
            if len(_links(candidate, url)) * 5 >= len(container_links) * 4 and len(text) * 5 >= len(container_text) * 3:
                chosen, used = candidate, True

    converter = _RichText(url, title)
    converter.convert(chosen)
    return Extracted(
        title=title,
        date=date,
        parts=converter.parts(),
        text=" ".join(converter.text_parts),
        links=converter.links,
        link_texts=converter.link_texts,
        used_trafilatura=used,
    )


def _title(tree: lxml.html.HtmlElement, found: str | None) -> str:
    heading = tree.find(".//h1")
    if heading is not None and heading.text_content().strip():
        return " ".join(heading.text_content().split())[:250]
    if found:
        return " ".join(found.split())[:250]
    title = tree.find(".//title")
    text = " ".join(title.text_content().split()) if title is not None else ""
    return TITLE_SUFFIX.sub("", text)[:250] or "Página sin título"


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _links(element: lxml.html.HtmlElement, base: str) -> list[str]:
    links = []
    for anchor in element.iter("a"):
        href = absolute(anchor.get("href"), base)
        if href:
            links.append(href)
    return links


def absolute(href: str | None, base: str) -> str:
    """The link's absolute http(s) address without its fragment, or "" for javascript:, mailto: and the like."""
    if not href:
        return ""
    try:
        joined = urljoin(base, href.strip())
    except ValueError:
        return ""
    parts = urlsplit(joined)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return parts._replace(fragment="").geturl()


class _RichText:
    """Walks the chosen content and writes Wagtail's rich text, splitting it where an image stands alone."""

    def __init__(self, base: str, title: str) -> None:
        self.base = base
        self.title = title
        self.current: list[str] = []
        self.done: list[tuple[str, str | Image]] = []
        self.text_parts: list[str] = []
        self.links: list[str] = []
        self.link_texts: dict[str, str] = {}
        self.skipped_title = False
        self.pending: list[Image] = []

    def parts(self) -> list[tuple[str, str | Image]]:
        self._flush()
        return self.done

    def _flush(self) -> None:
        html = EMPTY_BLOCK.sub("", "".join(self.current)).strip()
        if re.sub(r"<[^>]+>", "", html).strip():
            self.done.append(("text", html))
        self.current = []

    def convert(self, element: lxml.html.HtmlElement) -> None:
        self._children(element, in_block=False)

    def _text(self, text: str | None, in_block: bool) -> None:
        if not text or not text.strip() and not in_block:
            return
        cleaned = re.sub(r"\s+", " ", text)
        if not in_block:
            self.current.append(f"<p>{html_lib.escape(cleaned.strip())}</p>")
        else:
            self.current.append(html_lib.escape(cleaned))
        self.text_parts.append(cleaned.strip())

    def _children(self, element: lxml.html.HtmlElement, in_block: bool) -> None:
        self._text(element.text, in_block)
        for child in element:
            if isinstance(child, etree._Element) and isinstance(child.tag, str):
                self._element(child, in_block)
            self._text(child.tail, in_block)

    def _element(self, element: lxml.html.HtmlElement, in_block: bool) -> None:
        tag = element.tag.lower()
        if tag == "img":
            self._image(element, in_block)
            return
        if tag == "br":
            if in_block:
                self.current.append(" ")
            return
        if tag == "h1" and not self.skipped_title and " ".join(element.text_content().split()) == self.title:
            self.skipped_title = True  # the page's title is its only h1
            return
        if tag in BLOCKS and not in_block:
            if not element.text_content().strip() and not element.findall(".//img"):
                return
            name = BLOCKS[tag]
            self.current.append(f"<{name}>")
            self._children(element, in_block=True)
            self.current.append(f"</{name}>")
            self._close_block()
            return
        if tag in LISTS and not in_block:
            items = [item for item in element if isinstance(item.tag, str) and item.tag.lower() == "li"]
            if not items:
                self._children(element, in_block=False)
                return
            self.current.append(f"<{tag}>")
            for item in items:
                self.current.append("<li>")
                self._children(item, in_block=True)
                self.current.append("</li>")
            self.current.append(f"</{tag}>")
            self._close_block()
            return
        if tag == "a" and in_block:
            href = absolute(element.get("href"), self.base)
            if href:
                self.links.append(href)
                self.link_texts.setdefault(href, " ".join(element.text_content().split())[:250])
                self.current.append(f'<a href="{html_lib.escape(href)}">')
                self._children(element, in_block=True)
                self.current.append("</a>")
            else:
                self._children(element, in_block=True)
            return
        if tag in INLINE and in_block:
            name = INLINE[tag]
            self.current.append(f"<{name}>")
            self._children(element, in_block=True)
            self.current.append(f"</{name}>")
            return
        if not in_block and tag in {"a", "span", "b", "strong", "i", "em", "font", "td", "th", "dd", "dt"}:
            # Loose inline content outside a paragraph becomes one.
            self.current.append("<p>")
            self._element(element, in_block=True)
            self.current.append("</p>")
            self._close_block()
            return
        self._children(element, in_block)

    def _image(self, element: lxml.html.HtmlElement, in_block: bool) -> None:
        src = absolute(element.get("src"), self.base)
        if not src:
            return
        image = Image(src=src, alt=" ".join((element.get("alt") or "").split())[:250])
        if in_block:
            self.pending.append(image)  # placed after the paragraph, list or heading it stands in
        else:
            self._emit_images([image])

    def _emit_images(self, images: list[Image]) -> None:
        self._flush()
        self.done.extend(("image", image) for image in images)

    def _close_block(self) -> None:
        if self.pending:
            self._emit_images(self.pending)
            self.pending = []
