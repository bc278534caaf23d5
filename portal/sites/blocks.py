"""The blocks of an entity's pages, named after the design-system components they render (docs/agency-sites.md).

Editors compose pages from the same components the rest of the portal is built with, so an agency's page looks and
behaves like the portal (accessible, without JavaScript, printable) whatever its editors put in it. Rich text allows
headings from level 2 down (the page's title is the only level 1) and no inline styles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock, TypedTableBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

# Programme budgets are typed in pesos like the catalogue's fees (migration 0002 names it here).
from portal.services.blocks import PesosBlock as PesosBlock

if TYPE_CHECKING:
    pass

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
# Under a heading of the page's own (the «Funciones» of «¿Qué hacemos?»): sub-headings start at level 3.
SECTION_RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class LinkValue(blocks.StructValue):
    def href(self) -> str:
        page = self.get("page")
        if not page:
            return str(self.get("url") or "")
        # Here: queries imports the pages, which import these blocks.
        from .queries import page_address  # noqa: PLC0415

        return page_address(page)


class LinkBlock(blocks.StructBlock):
    """A link to a page of the portal or to an address, with the words a person reads (never «aquí»)."""

    text = blocks.CharBlock(label=_("Texto del enlace"), max_length=150)
    page = blocks.PageChooserBlock(label=_("Página del portal"), required=False)
    url = blocks.URLBlock(label=_("O bien, dirección"), required=False)

    class Meta:
        icon = "link"
        label = _("Enlace")
        value_class = LinkValue

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Elija una página del portal o escriba una dirección, no ambas."))
                }
            )
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texto"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Nivel"), choices=[("h2", _("Título de sección (h2)")), ("h3", _("Subtítulo (h3)"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Encabezado")
        template = "agency_sites/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    """An image with the text alternative that people who cannot see it read: required, not optional."""

    image = ImageChooserBlock(label=_("Imagen"))
    alt = blocks.CharBlock(
        label=_("Texto alternativo"),
        max_length=250,
        help_text=_("Describe lo que la imagen muestra a quien no puede verla. Obligatorio."),
    )
    caption = blocks.CharBlock(label=_("Pie de foto"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Imagen")
        template = "agency_sites/blocks/image.html"


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Texto"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "openquote"
        label = _("Texto destacado")
        template = "agency_sites/blocks/inset_text.html"


class WarningTextBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Advertencia"), max_length=400)

    class Meta:
        icon = "warning"
        label = _("Advertencia")
        template = "agency_sites/blocks/warning_text.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(label=_("Resumen que se pulsa"), max_length=150)
    text = blocks.RichTextBlock(label=_("Contenido"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        label = _("Detalles desplegables")
        template = "agency_sites/blocks/details.html"


class AccordionSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Encabezado de la sección"), max_length=150)
    summary = blocks.CharBlock(label=_("Resumen"), required=False, max_length=250)
    text = blocks.RichTextBlock(label=_("Contenido"), features=SHORT_RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    sections = blocks.ListBlock(AccordionSectionBlock(), label=_("Secciones"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Acordeón")
        template = "agency_sites/blocks/accordion.html"


class TableContentBlock(TypedTableBlock):
    """A table with a caption and column headings (read aloud by screen readers), cells typed as text or numbers."""

    text = blocks.CharBlock(label=_("Texto"), max_length=300)
    number = blocks.DecimalBlock(label=_("Número"), decimal_places=2)

    class Meta:
        icon = "table"
        label = _("Tabla")
        template = "agency_sites/blocks/table.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not (value.caption or "").strip():
            # The caption names the table for screen readers and for its scrolling region on a phone.
            raise TypedTableBlockValidationError(non_block_errors=[_("Escriba el título de la tabla (su leyenda).")])
        return value


class CallToActionBlock(blocks.StructBlock):
    link = LinkBlock(label=_("Botón"))

    class Meta:
        icon = "arrow-right"
        label = _("Llamado a la acción")
        template = "agency_sites/blocks/call_to_action.html"


class RelatedLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Encabezado"), max_length=100, default=_("Relacionado"))
    links = blocks.ListBlock(LinkBlock(), label=_("Enlaces"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Enlaces relacionados")
        template = "agency_sites/blocks/related_links.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Documento"))
    title = blocks.CharBlock(
        label=_("Título"), max_length=250, required=False, help_text=_("Si se deja vacío, el del documento.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Documento")
        template = "agency_sites/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = blocks.RichTextBlock(label=_("Texto"), features=RICH_TEXT_FEATURES, template="agency_sites/blocks/text.html")
    image = ImageBlock()
    inset_text = InsetTextBlock()
    warning_text = WarningTextBlock()
    details = DetailsBlock()
    accordion = AccordionBlock()
    table = TableContentBlock()
    call_to_action = CallToActionBlock()
    related_links = RelatedLinksBlock()
    document = DocumentLinkBlock()


LEGAL_KINDS = [
    ("constitucion", _("Constitución")),
    ("ley", _("Ley")),
    ("codigo", _("Código")),
    ("reglamento", _("Reglamento")),
    ("decreto", _("Decreto")),
    ("acuerdo", _("Acuerdo")),
    ("norma", _("Norma Oficial Mexicana")),
    ("lineamientos", _("Lineamientos")),
]
# The legal framework is read in the hierarchy of norms: the Constitution first, then laws, codes, regulations...
LEGAL_KIND_ORDER = {kind: position for position, (kind, _label) in enumerate(LEGAL_KINDS)}


class LegalInstrumentBlock(blocks.StructBlock):
    """One law, regulation or agreement of the entity's legal framework, as the Diario Oficial names it."""

    kind = blocks.ChoiceBlock(label=_("Tipo"), choices=LEGAL_KINDS)
    name = blocks.CharBlock(label=_("Nombre"), max_length=300)
    url = blocks.URLBlock(label=_("Dirección del texto vigente"), required=False)
    last_reform = blocks.DateBlock(label=_("Última reforma publicada"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Instrumento jurídico")


# --- Programmes: their budget by year ------------------------------------------------------------------------------

BUDGET_FIRST_YEAR, BUDGET_LAST_YEAR = 1990, 2100


class YearBlock(blocks.IntegerBlock):
    """A fiscal year between 1990 and 2100, refused in words an editor understands (not Django's generic ones)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=BUDGET_FIRST_YEAR, max_value=BUDGET_LAST_YEAR, **kwargs)
        message = _("Escriba un año entre %(first)d y %(last)d.") % {
            "first": BUDGET_FIRST_YEAR,
            "last": BUDGET_LAST_YEAR,
        }
        self.field.error_messages.update({"min_value": message, "max_value": message, "invalid": message})


class BudgetYearBlock(blocks.StructBlock):
    year = YearBlock(label=_("Año"))
    amount = PesosBlock(label=_("Monto en pesos"), help_text=_("Por ejemplo: 1234.50"))

    class Meta:
        icon = "tag"
        label = _("Presupuesto de un año")


class BudgetBlock(blocks.StreamBlock):
    """The programme's budget, one amount per year: two amounts for the same year are refused."""

    year = BudgetYearBlock()

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        seen: dict[int, int] = {}
        errors: dict[int, ValidationError] = {}
        for index, child in enumerate(value):
            year = child.value.get("year")
            if year in seen:
                errors[index] = ValidationError(_("Ya hay un monto para el año %(year)d.") % {"year": year})
            seen.setdefault(year, index)
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value


# --- Document collections ------------------------------------------------------------------------------------------

DOCUMENT_KINDS = [
    ("informe", _("Informe")),
    ("norma", _("Norma")),
    ("convocatoria", _("Convocatoria")),
    ("formato", _("Formato")),
    ("estadistica", _("Estadística")),
    ("presentacion", _("Presentación")),
    ("otro", _("Otro")),
]
# Open, accessible formats first: a page a screen reader reads as it is, then editable open formats, then the rest;
# PDF (often a scan, rarely tagged) after them. Unknown extensions go last, in the editors' order.
FORMAT_ORDER = {
    "html": 0,
    "htm": 0,
    "odt": 1,
    "ods": 1,
    "odp": 1,
    "csv": 1,
    "txt": 1,
    "json": 1,
    "xml": 1,
    "docx": 2,
    "xlsx": 2,
    "pptx": 2,
    "epub": 2,
    "pdf": 3,
}
ACCESSIBLE_FORMATS = frozenset(extension for extension, rank in FORMAT_ORDER.items() if rank < FORMAT_ORDER["pdf"])


def format_rank(extension: str) -> int:
    return FORMAT_ORDER.get(extension.lower().lstrip("."), len(FORMAT_ORDER))


class PublicationBlock(blocks.StructBlock):
    """One document of a collection: a report, a rule, a call... in one or several formats of the same content."""

    title = blocks.CharBlock(label=_("Título"), max_length=250)
    date = blocks.DateBlock(label=_("Fecha"))
    kind = blocks.ChoiceBlock(label=_("Tipo"), choices=DOCUMENT_KINDS, default="informe")
    files = blocks.ListBlock(
        DocumentChooserBlock(label=_("Archivo")),
        label=_("Archivos"),
        min_num=1,
        help_text=_(
            "El mismo documento en uno o varios formatos. Si hay una versión accesible (HTML, ODT, CSV), "
            "súbala también: se lista primero."
        ),
    )

    class Meta:
        icon = "doc-full"
        label = _("Documento")


# --- Contact -------------------------------------------------------------------------------------------------------

SOCIAL_NETWORKS = [
    ("facebook", "Facebook"),
    ("x", "X (Twitter)"),
    ("instagram", "Instagram"),
    ("youtube", "YouTube"),
    ("tiktok", "TikTok"),
    ("linkedin", "LinkedIn"),
    ("whatsapp", "WhatsApp"),
    ("otra", _("Otra")),
]


class SocialLinkValue(blocks.StructValue):
    def network_label(self) -> str:
        return str(dict(SOCIAL_NETWORKS).get(self.get("network"), ""))


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(label=_("Red social"), choices=SOCIAL_NETWORKS)
    account = blocks.CharBlock(
        label=_("Cuenta"), max_length=100, help_text=_("Como la gente la busca, por ejemplo: @Tu_IMSS")
    )
    url = blocks.URLBlock(label=_("Dirección"))

    class Meta:
        icon = "link"
        label = _("Red social")
        value_class = SocialLinkValue
