"""StreamField blocks of the service sheet, named after what they are on the sheet."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PesosField(forms.DecimalField):
    """Pesos as people write them: ``1234.50``, ``1,234.50``, ``$ 1,234.50``."""

    # A Decimal or None; django-stubs type DecimalField as an IntegerField, hence no narrower annotation.
    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(",", "").replace("$", "").replace(" ", "").strip()
        return super().to_python(value)


class PesosBlock(blocks.FieldBlock):
    """An amount typed in pesos and stored in integer centavos, so that no sum ever rounds. Up to 999 billion pesos
    by default (a federal programme's budget: the entities' sites). What cannot be read as a number is kept as typed
    until ``clean``, which refuses it in Spanish: never an exception in the admin."""

    max_digits = 16

    def __init__(self, required: bool = True, help_text: StrOrPromise = "", **kwargs: Any) -> None:
        self.field = PesosField(
            required=required,
            min_value=0,
            max_digits=self.max_digits,
            decimal_places=2,
            help_text=help_text,
            error_messages={
                "min_value": _("El monto no puede ser negativo."),
                "invalid": _("Escriba el monto en pesos, con números: por ejemplo 1234.50."),
                "max_digits": _("El monto es demasiado grande."),
                "max_whole_digits": _("El monto es demasiado grande."),
                "max_decimal_places": _("Escriba a lo más dos decimales (centavos)."),
            },
        )
        super().__init__(**kwargs)

    def value_for_form(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return (Decimal(value) / 100).quantize(Decimal("0.01"))
        return value  # as typed: the field says what is wrong with it

    def value_from_form(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        try:
            pesos = self.field.to_python(value)
        except ValidationError:
            return value
        if pesos is None or not pesos.is_finite() or pesos.normalize().as_tuple().exponent < -2:
            return value  # not an amount, or fractions of a centavo («12.345»): the field refuses it as typed
        return int((pesos * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.isdigit():  # centavos written as text by an older loader
            return int(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def get_prep_value(self, value: Any) -> int | None:
        return self.to_python(value)


class CentavosBlock(PesosBlock):
    """A fee of the catalogue: editors type pesos (``1,645.00``); the sheet stores integer centavos."""

    max_digits = 12


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
