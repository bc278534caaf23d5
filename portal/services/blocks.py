"""StreamField blocks of the service sheet, named after what they are on the sheet."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CentavosBlock(blocks.FieldBlock):
    """Editors type pesos (``1,645.00``); the sheet stores integer centavos so no sum ever rounds."""

    def __init__(self, required: bool = True, help_text: StrOrPromise = "", **kwargs) -> None:
        self.field = forms.DecimalField(
            required=required, min_value=0, max_digits=12, decimal_places=2, help_text=help_text
        )
        super().__init__(**kwargs)

    def value_for_form(self, value):
        if value in (None, ""):
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))

    def value_from_form(self, value):
        if value in (None, ""):
            return None
        return int((Decimal(value) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    def to_python(self, value):
        return None if value in (None, "") else int(value)

    def get_prep_value(self, value):
        return None if value in (None, "") else int(value)


class RequirementBlock(blocks.StructBlock):
    document = blocks.CharBlock(label=_("Documento o requisito"), max_length=300)
    presentation = blocks.ChoiceBlock(
        label=_("Presentación"),
        choices=[
            ("original", _("Original")),
            ("copia", _("Copia")),
            ("original_y_copia", _("Original y copia")),
            ("original_para_cotejo", _("Original para cotejo")),
            ("digital", _("Archivo digital")),
            ("dato", _("Dato que se proporciona")),
        ],
        default="original",
    )
    copies = blocks.IntegerBlock(label=_("Número de copias"), required=False, min_value=0, max_value=20)
    conditions = blocks.TextBlock(label=_("Condiciones o aclaraciones"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Requisito")


class LegalBasisBlock(blocks.StructBlock):
    law = blocks.CharBlock(label=_("Ordenamiento"), max_length=300)
    articles = blocks.CharBlock(label=_("Artículos y fracciones"), max_length=300, required=False)
    url = blocks.URLBlock(label=_("Enlace al texto oficial"), required=False)

    class Meta:
        icon = "doc-empty"
        label = _("Fundamento jurídico")


class FeeBlock(blocks.StructBlock):
    concept = blocks.CharBlock(label=_("Concepto"), max_length=300)
    amount = CentavosBlock(label=_("Monto en pesos"))

    class Meta:
        icon = "tag"
        label = _("Costo")


class DocumentFormatBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Nombre del formato"), max_length=300)
    document = DocumentChooserBlock(label=_("Archivo"))

    class Meta:
        icon = "doc-full-inverse"
        label = _("Formato (archivo)")


class LinkFormatBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Nombre del formato"), max_length=300)
    url = blocks.URLBlock(label=_("Dirección"))

    class Meta:
        icon = "link"
        label = _("Formato (enlace)")


STEP_BLOCKS = [("step", blocks.TextBlock(label=_("Paso"), icon="list-ol"))]
CASE_BLOCKS = [("case", blocks.TextBlock(label=_("Caso"), icon="help"))]
REQUIREMENT_BLOCKS = [("requirement", RequirementBlock())]
LEGAL_BASIS_BLOCKS = [("legal_basis", LegalBasisBlock())]
FEE_BLOCKS = [("fee", FeeBlock())]
FORMAT_BLOCKS = [("document", DocumentFormatBlock()), ("link", LinkFormatBlock())]
