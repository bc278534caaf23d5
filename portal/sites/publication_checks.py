"""What keeps a page of an entity's site from being published: the checks of issue 10 (docs/agency-sites.md).

``page_problems(page)`` walks every StreamField and RichTextField of any page (no page type is named here, so the
types other branches add are checked too) and answers, in Spanish, what is wrong and where:

1. an image without a text alternative (an image block's ``alt``, a ``<field>_alt`` beside an image field such as the
   news' ``main_image_alt``, an image embedded in rich text);
2. a heading that skips a level (the page's h1 is its title; in each field, headings may go down one level at a time
   and may not start below the field's first level, which is h2 unless the field's editor offers only lower ones, as
   the «Funciones» of «¿Qué hacemos?» does under the template's own h2);
3. a link whose words do not say where it leads (``VAGUE_LINK_TEXTS``);
4. a link or chosen page that leads to a page that does not exist, is not published or has expired, or to a document
   that does not exist.

It reads and writes nothing but what it is given, except for one query for the pages and one for the documents the
page links to (``DatabaseTargets``; tests pass their own). Enforcement is ``publication``'s.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bs4 import BeautifulSoup
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail import blocks as wagtail_blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from . import blocks

# Link texts that say nothing of where a link leads (WCAG 2.4.4). Compared after ``normalise_link_text``, so
# «Haz clic AQUÍ.» is «haz clic aqui». One list, published in docs/agency-sites.md and docs/editing.md: keep them equal.
VAGUE_LINK_TEXTS = (
    "aquí",
    "clic aquí",
    "haz clic aquí",
    "da clic aquí",
    "click aquí",
    "pulse aquí",
    "más",
    "leer más",
    "ver más",
    "más información",
    "este enlace",
    "enlace",
    "liga",
    "link",
    "here",
    "click here",
)


def normalise_link_text(text: str) -> str:
    """Lower case, without accents, punctuation or repeated spaces: ``"  ¡Haz clic AQUÍ!  "`` → ``"haz clic aqui"``."""
    # Decomposed before and after case folding: either may produce what the other must see (accents, «ǅ» → «dž»).
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    letters = (char if char.isalnum() else " " for char in decomposed if not unicodedata.category(char).startswith("M"))
    return " ".join("".join(letters).split())


_VAGUE = frozenset(normalise_link_text(text) for text in VAGUE_LINK_TEXTS)


def is_vague_link_text(text: str) -> bool:
    return normalise_link_text(text) in _VAGUE


@dataclass(frozen=True)
class Problem:
    """What is wrong (``what``) and where (``where``: the field, and the block's position in it), in Spanish."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


# --- Headings --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadingSlip:
    """The heading at ``index`` is at ``level`` after ``previous`` (the field's parent level if it is the first)."""

    index: int
    level: int
    previous: int


def heading_slips(levels: Sequence[int], parent: int = 1) -> list[HeadingSlip]:
    """The headings of ``levels`` (in document order) that break the outline under a heading of level ``parent``.

    Each heading must be below the parent (level ≥ parent + 1) and at most one level below the one before it.
    After a slip the walk goes on from the heading as written, so one mistake is reported once.
    """
    slips = []
    previous = parent
    for index, level in enumerate(levels):
        if level <= parent or level > previous + 1:
            slips.append(HeadingSlip(index, level, previous))
        previous = max(level, parent + 1)
    return slips


def _heading_message(text: str, slip: HeadingSlip, parent: int) -> str:
    if slip.level <= parent:
        return _(
            "el encabezado «%(text)s» no puede ser de nivel %(level)s aquí: el más alto permitido es el %(top)s"
        ) % {
            "text": text,
            "level": slip.level,
            "top": parent + 1,
        }
    if slip.previous == parent:
        return _("el encabezado «%(text)s» es de nivel %(level)s, pero el primero debe ser de nivel %(top)s") % {
            "text": text,
            "level": slip.level,
            "top": parent + 1,
        }
    return _("el encabezado «%(text)s» salta del nivel %(previous)s al %(level)s: falta un nivel %(missing)s") % {
        "text": text,
        "level": slip.level,
        "previous": slip.previous,
        "missing": slip.previous + 1,
    }


# Blocks whose template writes a heading of its own (``agency_sites/blocks/…``): (the child with its text, level).
TEMPLATE_HEADINGS: dict[type[wagtail_blocks.Block], tuple[str, int]] = {
    blocks.AccordionSectionBlock: ("heading", 2),
    blocks.RelatedLinksBlock: ("heading", 2),
}


# --- Link targets ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageState:
    live: bool
    expired: bool


class Targets(Protocol):
    """What the pages and documents a page links to are now."""

    def pages(self, ids: Collection[int]) -> Mapping[int, PageState]: ...

    def documents(self, ids: Collection[int]) -> Collection[int]: ...


class DatabaseTargets:
    def pages(self, ids: Collection[int]) -> Mapping[int, PageState]:
        now = timezone.now()
        rows = Page.objects.filter(pk__in=ids).values_list("pk", "live", "expired", "expire_at")
        return {
            pk: PageState(live=live, expired=expired or (expire_at is not None and expire_at <= now))
            for pk, live, expired, expire_at in rows
        }

    def documents(self, ids: Collection[int]) -> Collection[int]:
        return set(get_document_model().objects.filter(pk__in=ids).values_list("pk", flat=True))


# --- The walk --------------------------------------------------------------------------------------------------------


@dataclass
class _Field:
    """What one field holds, in document order."""

    label: str
    parent_heading: int = 1
    headings: list[tuple[str, str, int]] = field(default_factory=list)  # (where, text, level)
    problems: list[Problem] = field(default_factory=list)
    # (where, link text or None for a chosen page or document, "page" or "document", id)
    references: list[tuple[str, str | None, str, int]] = field(default_factory=list)


def _as_id(value: Any) -> int | None:
    if isinstance(value, models.Model):
        return int(value.pk) if value.pk is not None else None
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _link_text(found: _Field, where: str, text: str) -> None:
    if is_vague_link_text(text):
        found.problems.append(Problem(where, _('el enlace "%(text)s" no dice a dónde lleva') % {"text": text.strip()}))


def _walk_rich_text(found: _Field, where: str, html: str) -> None:
    soup = BeautifulSoup(html or "", "html.parser")
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "a", "embed"]):
        name = element.name
        if name == "embed":
            if element.get("embedtype") == "image" and not str(element.get("alt") or "").strip():
                found.problems.append(Problem(where, _("una imagen no tiene texto alternativo")))
            continue
        text = element.get_text(" ", strip=True)
        if name != "a":
            found.headings.append((where, text, int(name[1])))
            continue
        _link_text(found, where, text)
        linktype = element.get("linktype")
        target = _as_id(element.get("id"))
        if linktype in ("page", "document") and target is not None:
            found.references.append((where, text, str(linktype), target))


def _list_items(raw: Any) -> Iterator[Any]:
    for item in raw or []:
        # ListBlock's format since Wagtail 2.16 is [{"type": "item", "value": …, "id": …}]; older data is bare values.
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item["value"]
        else:
            yield item


def _walk_struct(found: _Field, where: str, block: wagtail_blocks.StructBlock, raw: Mapping[str, Any]) -> None:
    children = block.child_blocks
    if type(block) in TEMPLATE_HEADINGS:
        name, level = TEMPLATE_HEADINGS[type(block)]
        found.headings.append((where, str(raw.get(name) or ""), level))
    if isinstance(block, blocks.HeadingBlock):
        written = str(raw.get("level") or "h2").lstrip("h")
        found.headings.append((where, str(raw.get("text") or ""), int(written) if written.isdigit() else 2))
        return
    has_image = any(isinstance(child, ImageChooserBlock) for child in children.values())
    if has_image and "alt" in children and raw.get("image") and not str(raw.get("alt") or "").strip():
        found.problems.append(Problem(where, _("la imagen no tiene texto alternativo")))
    if isinstance(block, blocks.LinkBlock):
        text = str(raw.get("text") or "")
        _link_text(found, where, text)
        target = _as_id(raw.get("page"))
        if target is not None:
            found.references.append((where, text, "page", target))
        return
    for name, child in children.items():
        if name in raw:
            _walk_block(found, where, child, raw[name])


def _walk_block(found: _Field, where: str, block: wagtail_blocks.Block, raw: Any) -> None:
    if isinstance(block, wagtail_blocks.RichTextBlock):
        _walk_rich_text(found, where, str(raw or ""))
    elif isinstance(block, wagtail_blocks.StructBlock):
        if isinstance(raw, Mapping):
            _walk_struct(found, where, block, raw)
    elif isinstance(block, wagtail_blocks.ListBlock):
        for position, item in enumerate(_list_items(raw), start=1):
            _walk_block(found, f"{where}, {block.label} {position}", block.child_block, item)
    elif isinstance(block, wagtail_blocks.StreamBlock):
        _walk_stream(found, where, block, raw)
    elif isinstance(block, (wagtail_blocks.PageChooserBlock, DocumentChooserBlock)):
        kind = "page" if isinstance(block, wagtail_blocks.PageChooserBlock) else "document"
        if (target := _as_id(raw)) is not None:
            found.references.append((where, None, kind, target))


def _walk_stream(found: _Field, prefix: str, block: wagtail_blocks.StreamBlock, raw: Iterable[Any]) -> None:
    for position, child in enumerate(raw or [], start=1):
        if not isinstance(child, Mapping) or child.get("type") not in block.child_blocks:
            continue
        child_block = block.child_blocks[child["type"]]
        where = _("%(field)s, bloque %(position)s (%(block)s)") % {
            "field": prefix,
            "position": position,
            "block": child_block.label,
        }
        _walk_block(found, where, child_block, child.get("value"))


def _first_heading_level(features: Sequence[str] | None) -> int:
    """The field's top heading level: the highest its editor offers (h2 for the default features)."""
    levels = [int(feature[1]) for feature in features or () if len(feature) == 2 and feature[0] == "h"]
    return min(levels) if levels else 2


def _walk_page(page: Page) -> list[_Field]:
    fields = []
    image_model = get_image_model()
    names = {model_field.name for model_field in page._meta.concrete_fields}
    for model_field in page._meta.concrete_fields:
        label = str(capfirst(model_field.verbose_name))
        if isinstance(model_field, StreamField):
            found = _Field(label)
            value = getattr(page, model_field.name)
            _walk_stream(found, label, model_field.stream_block, value.get_prep_value() if value else [])
            fields.append(found)
        elif isinstance(model_field, RichTextField):
            found = _Field(label, parent_heading=_first_heading_level(model_field.features) - 1)
            _walk_rich_text(found, label, getattr(page, model_field.name) or "")
            fields.append(found)
        elif (
            isinstance(model_field, models.ForeignKey)
            and model_field.related_model is image_model
            and f"{model_field.name}_alt" in names
        ):
            has_image = getattr(page, model_field.attname) is not None
            if has_image and not str(getattr(page, f"{model_field.name}_alt") or "").strip():
                fields.append(_Field(label, problems=[Problem(label, _("la imagen no tiene texto alternativo"))]))
    return fields


def _reference_message(text: str | None, kind: str, state: str) -> str:
    messages = {
        ("page", "missing"): (
            _('el enlace "%(text)s" lleva a una página que ya no existe'),
            _("la página elegida ya no existe"),
        ),
        ("page", "draft"): (
            _('el enlace "%(text)s" lleva a una página que no está publicada'),
            _("la página elegida no está publicada"),
        ),
        ("page", "expired"): (
            _('el enlace "%(text)s" lleva a una página que ya caducó'),
            _("la página elegida ya caducó"),
        ),
        ("document", "missing"): (
            _('el enlace "%(text)s" lleva a un documento que ya no existe'),
            _("el documento elegido ya no existe"),
        ),
    }
    with_text, without_text = messages[(kind, state)]
    return with_text % {"text": text} if text else without_text


def _reference_problems(fields: list[_Field], targets: Targets) -> dict[int, list[Problem]]:
    references = [(index, ref) for index, found in enumerate(fields) for ref in found.references]
    if not references:
        return {}
    page_ids = {target for _index, (_where, _text, kind, target) in references if kind == "page"}
    document_ids = {target for _index, (_where, _text, kind, target) in references if kind == "document"}
    pages = targets.pages(page_ids) if page_ids else {}
    documents = targets.documents(document_ids) if document_ids else set()
    problems: dict[int, list[Problem]] = {}
    for index, (where, text, kind, target) in references:
        state = None
        if kind == "document":
            state = None if target in documents else "missing"
        elif (page := pages.get(target)) is None:
            state = "missing"
        elif page.expired:
            state = "expired"
        elif not page.live:
            state = "draft"
        if state:
            problems.setdefault(index, []).append(Problem(where, _reference_message(text, kind, state)))
    return problems


def page_problems(page: Page, targets: Targets | None = None) -> list[Problem]:
    """Everything that keeps ``page`` (its specific instance, as in the revision to publish) from being published."""
    fields = _walk_page(page)
    broken = _reference_problems(fields, targets or DatabaseTargets())
    problems: list[Problem] = []
    for index, found in enumerate(fields):
        # In document order within each field: images and vague links as found, then headings, then broken links.
        problems.extend(found.problems)
        levels = [level for _where, _text, level in found.headings]
        for slip in heading_slips(levels, found.parent_heading):
            where, text, _level = found.headings[slip.index]
            problems.append(Problem(where, _heading_message(text, slip, found.parent_heading)))
        problems.extend(broken.get(index, []))
    return problems
