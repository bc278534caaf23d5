"""The national catalogue of procedures and services (trámites y servicios).

Each service sheet is a Wagtail page so that agencies get drafts, review, revisions, comparison and scheduled
publishing from the CMS. The tree is ``CatalogueRootPage → AgencyCataloguePage (one per agency) → ServicePage``;
page permissions and the review workflow are granted on each agency's catalogue page, which is what keeps one
agency's editors out of another's services. The catalogue is not under a Wagtail site root: its public address is
``/tramites/<homoclave>/``, served by ``services.views``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry
from wagtail.search import index

from portal.agencies.models import Office

from . import blocks, readability
from .homoclave import normalize_homoclave, parse_homoclave, validate_homoclave
from .permissions import AgencyCataloguePagePermissionTester, ServicePagePermissionTester


class Topic(models.Model):
    """A theme people browse by (Salud, Educación, Identidad...)."""

    name = models.CharField(_("nombre"), max_length=100, unique=True)
    slug = models.SlugField(_("identificador"), max_length=100, unique=True)
    description = models.CharField(_("descripción"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("orden"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temas")

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    """A moment of life that calls for several procedures at once (tener un bebé, abrir una empresa...)."""

    name = models.CharField(_("nombre"), max_length=100, unique=True)
    slug = models.SlugField(_("identificador"), max_length=100, unique=True)
    description = models.CharField(_("descripción"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("orden"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("hecho de vida")
        verbose_name_plural = _("hechos de vida")

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    PERSON = "persona", _("Personas físicas")
    BUSINESS = "empresa", _("Personas morales")
    BOTH = "ambas", _("Personas físicas y morales")


class SilenceRule(models.TextChoices):
    AFFIRMATIVE = "afirmativa", _("Afirmativa ficta: si no hay respuesta en el plazo, se entiende aprobado")
    NEGATIVE = "negativa", _("Negativa ficta: si no hay respuesta en el plazo, se entiende negado")
    NOT_APPLICABLE = "no_aplica", _("No aplica: la resolución es inmediata")


class Digitization(models.IntegerChoices):
    INFORMATION = 1, _("Información en línea")
    FORMAT = 2, _("Formato descargable")
    ONLINE_APPLICATION = 3, _("Solicitud en línea")
    ONLINE_PAYMENT = 4, _("Solicitud y pago en línea")
    FULLY_ONLINE = 5, _("Totalmente en línea, con resolución digital")


class CatalogueRootPage(Page):
    """The single root under which every agency's catalogue hangs. Not routable on its own."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["services.AgencyCataloguePage"]
    max_count = 1

    class Meta:
        verbose_name = _("catálogo nacional")

    def get_url_parts(self, request=None):
        return _portal_url_parts(reverse("services:catalogue"), request)


class AgencyCataloguePage(Page):
    """One agency's part of the catalogue: where its editors work and its review workflow applies."""

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="catalogue_page"
    )

    parent_page_types = ["services.CatalogueRootPage"]
    subpage_types = ["services.ServicePage"]
    # Made by ``actions.do_set_up_agency_catalogue`` for ``agencies.actions.do_set_up_agency_workspace``, which hangs
    # the entity's groups and workflow on it, never by hand; and its agency never changes, or another entity's staff would inherit its services.
    is_creatable = False
    content_panels = [FieldPanel("title"), FieldPanel("agency", read_only=True)]

    class Meta:
        verbose_name = _("catálogo de una institución")

    def permissions_for_user(self, user):
        return AgencyCataloguePagePermissionTester(user, self)

    def get_url_parts(self, request=None):
        return _portal_url_parts(self.agency.get_absolute_url(), request)


def _portal_url_parts(path: str, request=None):
    """URL parts on the default site, for pages whose public address is a portal view rather than the page tree."""
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).only("id", "hostname", "port").first()
    if site is None:
        return None
    return site.id, site.root_url, path


class ServicePageForm(WagtailAdminPageForm):
    """Ties a sheet to the agency of the catalogue it is created in, whatever the form posts.

    It also offers only that agency's offices, and accepts only documents the editor may choose (their agency's
    collection), so that a forged post cannot attach another agency's files or offices.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "readability_reason" in self.fields:
            self.fields["readability_reason"].help_text = self._readability_help()
        agency = self._agency()
        if "offices" in self.fields and agency is not None:
            current = [office.pk for office in self.instance.offices.all()] if self.instance.pk else []
            self.fields["offices"].queryset = Office.objects.filter(models.Q(agency=agency) | models.Q(pk__in=current))

    def _agency(self):
        parent = self.parent_page.specific if self.parent_page else None
        return getattr(parent, "agency", None) or getattr(self.instance, "agency", None)

    def clean(self):
        cleaned = super().clean()
        agency = self._agency()
        if agency is None:
            raise ValidationError(_("Los trámites se crean dentro del catálogo de una institución."))
        self.instance.agency = agency
        homoclave = cleaned.get("homoclave")
        if homoclave:
            try:
                parsed = parse_homoclave(homoclave)
            except ValidationError as error:
                self.add_error("homoclave", error)
            else:
                cleaned["homoclave"] = str(parsed)
                # A sheet keeps the homoclave it was given: after a merger or a rename, its prefix is the former
                # entity's acronym (docs/agency-sites.md, «Cambios de estructura»).
                kept = bool(self.instance.pk and normalize_homoclave(self.instance.homoclave or "") == str(parsed))
                if parsed.acronym != agency.acronym and not kept:
                    self.add_error(
                        "homoclave",
                        _("La homoclave debe empezar con las siglas de la institución: %(acronym)s-")
                        % {"acronym": agency.acronym},
                    )
        self._check_documents(cleaned.get("formats"))
        self._check_readability(cleaned)
        return cleaned

    def _readability_help(self) -> str:
        """The editor sees the sheet's score, its level and the fields it lacks above the reason's box."""
        score, missing = readability.of_page(self.instance) if self.instance.pk else (None, [])
        parts = [
            _("Legibilidad mínima para publicar sin explicar: %(minimum)s (escala INFLESZ, «normal»).")
            % {"minimum": f"{settings.SERVICES_READABILITY_MIN:g}"}
        ]
        if score is not None:
            parts.append(
                _("Legibilidad de la última versión guardada: %(score)s, %(level)s.")
                % {"score": "—" if score.score is None else f"{score.score:g}", "level": score.level}
            )
        if missing:
            parts.append(_("Campos recomendados sin llenar: %(fields)s.") % {"fields": ", ".join(missing)})
        return " ".join(parts)

    def _check_readability(self, cleaned: dict) -> None:
        """Publishing, or sending for approval, a sheet that reads hard needs a reason, written by the editor: the
        draft is saved either way (Wagtail saves only valid forms, so a refused one keeps what was typed in the
        browser, with the message beside the box)."""
        if not any(action in self.data for action in ("action-publish", "action-submit")):
            return
        score = readability.readability(readability.sheet_text(cleaned.get))
        if score.below_threshold and not (cleaned.get("readability_reason") or "").strip():
            self.add_error(
                "readability_reason",
                _(
                    "El texto de la ficha tiene una legibilidad de %(score)s (%(level)s); el mínimo es %(minimum)s. "
                    "Use frases más cortas y palabras comunes, o explique aquí por qué debe publicarse así."
                )
                % {
                    "score": f"{score.score:g}",
                    "level": score.level,
                    "minimum": f"{settings.SERVICES_READABILITY_MIN:g}",
                },
            )

    def _check_documents(self, formats) -> None:
        """Reject documents newly attached from collections the editor may not choose from, next to each block."""
        if not formats or self.for_user is None:
            return

        before = {
            block.value["document"].pk
            for block in (self.instance.formats if self.instance.pk else [])
            if block.block_type == "document" and block.value["document"] is not None
        }
        added = {
            index: block.value["document"]
            for index, block in enumerate(formats)
            if block.block_type == "document"
            and block.value["document"] is not None
            and block.value["document"].pk not in before
        }
        if not added:
            return
        allowed = set(
            policy_registry.get_by_type(get_document_model())
            .instances_user_has_any_permission_for(self.for_user, ["choose"])
            .filter(pk__in=[document.pk for document in added.values()])
            .values_list("pk", flat=True)
        )
        errors = {
            index: StructBlockValidationError(
                block_errors={
                    "document": ValidationError(
                        _("El archivo «%(title)s» no está en la colección de su institución; súbalo a esa colección.")
                        % {"title": document.title}
                    )
                }
            )
            for index, document in added.items()
            if document.pk not in allowed
        }
        if errors:
            self.add_error("formats", StreamBlockValidationError(block_errors=errors))


class ServicePageQuerySet(models.QuerySet):
    pass


class ServicePage(Page):
    """A service sheet (ficha) with every field of the national registry of procedures."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("institución"),
        on_delete=models.PROTECT,
        related_name="services",
        editable=False,
    )
    agency_id: int  # Declared for mypy, which cannot infer it on a Wagtail page (Any to it).
    homoclave = models.CharField(
        _("homoclave"),
        max_length=20,
        unique=True,
        validators=[validate_homoclave],
        help_text=_("Clave del Registro Nacional de Trámites y Servicios: SIGLAS-NN-NNN, p. ej. IMSS-02-008."),
    )
    description = models.TextField(
        _("descripción en lenguaje claro"), help_text=_("Qué obtiene la persona y para qué le sirve.")
    )
    audience = models.CharField(
        _("quién lo solicita"), max_length=10, choices=Audience.choices, default=Audience.PERSON
    )
    cases = StreamField(blocks.CASE_BLOCKS, verbose_name=_("casos en que debe realizarse"), blank=True)
    legal_basis = StreamField(blocks.LEGAL_BASIS_BLOCKS, verbose_name=_("fundamento jurídico"), blank=True)
    requirements = StreamField(blocks.REQUIREMENT_BLOCKS, verbose_name=_("requisitos"), blank=True)
    formats = StreamField(blocks.FORMAT_BLOCKS, verbose_name=_("formatos"), blank=True)
    steps = StreamField(blocks.STEP_BLOCKS, verbose_name=_("pasos"), blank=True)
    online_url = models.URLField(_("dirección para hacerlo en línea"), blank=True, max_length=500)
    in_person = models.BooleanField(_("se hace en oficina"), default=True)
    phone_channel = models.CharField(_("atención telefónica"), max_length=120, blank=True)
    fees = StreamField(blocks.FEE_BLOCKS, verbose_name=_("costos"), blank=True, help_text=_("Sin costos = gratuito."))
    payment_info = models.TextField(_("cómo y dónde pagar"), blank=True)
    resolution_days = models.PositiveSmallIntegerField(
        _("plazo máximo de resolución (días hábiles)"),
        validators=[MaxValueValidator(365)],
        help_text=_("0 si se resuelve en el momento."),
    )
    silence_rule = models.CharField(
        _("si la autoridad no responde en el plazo"), max_length=12, choices=SilenceRule.choices
    )
    validity = models.CharField(_("vigencia del resultado"), max_length=200, blank=True)
    result = models.CharField(_("qué se obtiene"), max_length=300, blank=True)
    offices = ParentalManyToManyField("agencies.Office", verbose_name=_("oficinas donde se realiza"), blank=True)
    contact = models.TextField(_("dudas e información"), blank=True)
    complaints = models.TextField(_("quejas y denuncias"), blank=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("temas"), blank=True, related_name="services")
    life_events = ParentalManyToManyField(
        LifeEvent, verbose_name=_("hechos de vida"), blank=True, related_name="services"
    )
    digitization = models.PositiveSmallIntegerField(
        _("nivel de digitalización"), choices=Digitization.choices, default=Digitization.INFORMATION
    )
    annual_volume = models.PositiveIntegerField(
        _("solicitudes al año"), default=0, help_text=_("Volumen anual estimado; alimenta las cifras de costo.")
    )
    citizen_minutes = models.PositiveIntegerField(
        _("tiempo promedio de la persona (minutos)"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Incluye traslados, filas y esperas; alimenta las cifras del costo económico."),
    )
    readability_reason = models.TextField(
        _("por qué se publica aunque su lectura sea difícil"),
        blank=True,
        max_length=1000,
        help_text=_("Solo si el texto de la ficha queda por debajo del mínimo de legibilidad."),
    )
    keywords = models.CharField(
        _("palabras con que la gente lo busca"),
        max_length=500,
        blank=True,
        help_text=_("Separadas por comas: «partida de nacimiento, acta»."),
    )
    # Derived on save from the fields above, so that the catalogue filters with plain indexed columns.
    is_free = models.BooleanField(default=True, editable=False, db_index=True)
    channel_online = models.BooleanField(default=False, editable=False, db_index=True)
    channel_in_person = models.BooleanField(default=False, editable=False, db_index=True)
    channel_phone = models.BooleanField(default=False, editable=False, db_index=True)
    #: Szigriszt-Pazos of what a person reads (``readability``); None for a text too short to measure.
    readability_score = models.FloatField(_("legibilidad"), null=True, blank=True, editable=False)

    base_form_class = ServicePageForm
    parent_page_types = ["services.AgencyCataloguePage"]
    subpage_types: list[str] = []
    template = "services/service_detail.html"

    content_panels = [
        FieldPanel("title", heading=_("Nombre del trámite o servicio")),
        FieldRowPanel([FieldPanel("homoclave"), FieldPanel("audience")]),
        FieldPanel("description"),
        FieldPanel("result"),
        FieldPanel("cases"),
        FieldPanel("requirements"),
        FieldPanel("steps"),
        FieldPanel("formats"),
        FieldPanel("readability_reason"),
    ]
    conditions_panels = [
        MultiFieldPanel(
            [FieldPanel("fees"), FieldPanel("payment_info")],
            heading=_("Costo"),
        ),
        MultiFieldPanel(
            [FieldPanel("resolution_days"), FieldPanel("silence_rule"), FieldPanel("validity")],
            heading=_("Plazo y vigencia"),
        ),
        FieldPanel("legal_basis"),
    ]
    channels_panels = [
        FieldPanel("online_url"),
        FieldPanel("in_person"),
        FieldPanel("offices"),
        FieldPanel("phone_channel"),
        FieldPanel("contact"),
        FieldPanel("complaints"),
    ]
    classification_panels = [
        FieldPanel("topics"),
        FieldPanel("life_events"),
        FieldPanel("digitization"),
        FieldRowPanel([FieldPanel("annual_volume"), FieldPanel("citizen_minutes")]),
        FieldPanel("keywords"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Ficha")),
            ObjectList(conditions_panels, heading=_("Costo, plazo y fundamento")),
            ObjectList(channels_panels, heading=_("Canales y oficinas")),
            ObjectList(classification_panels, heading=_("Clasificación")),
            ObjectList(Page.promote_panels, heading=_("Dirección")),
            ObjectList(Page.settings_panels, heading=_("Publicación")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("homoclave"),
        index.SearchField("description"),
        index.SearchField("keywords"),
        index.FilterField("agency"),
    ]

    class Meta:
        verbose_name = _("trámite o servicio")
        verbose_name_plural = _("trámites y servicios")

    def __str__(self) -> str:
        return f"{self.title} ({self.homoclave})"

    def permissions_for_user(self, user):
        return ServicePagePermissionTester(user, self)

    def can_move_to(self, parent) -> bool:
        """A sheet stays in its own agency's catalogue: its homoclave carries that agency's acronym."""
        return super().can_move_to(parent) and getattr(parent.specific, "agency_id", None) == self.agency_id

    def clean(self) -> None:
        super().clean()
        if self.homoclave:
            self.homoclave = normalize_homoclave(self.homoclave)

    def save(self, *args, **kwargs):
        if not self.agency_id and self.depth and self.path:
            parent = self.get_parent()
            if parent is not None:
                self.agency_id = parent.specific.agency_id
        self.refresh_derived_fields()
        return super().save(*args, **kwargs)

    def refresh_derived_fields(self) -> None:
        """Keep the filter columns in step with the sheet; they are never edited by hand."""
        # Free means no fee at all: a fee row of amount 0 is a cost that varies (a tax rate), not a free service.
        self.is_free = len(self.fees) == 0
        self.channel_online = bool(self.online_url)
        self.channel_in_person = bool(self.in_person)
        self.channel_phone = bool(self.phone_channel)
        self.readability_score = readability.of_page(self)[0].score

    @property
    def lowest_fee_centavos(self) -> int:
        """The least a person may pay. A sheet's fees are alternatives, one per case (a passport for 3 or for 6
        years), so they are never added up. 0 when the service is free or every fee varies (a tax rate)."""
        return min((fee.value["amount"] for fee in self.fees if fee.value["amount"]), default=0)

    @property
    def has_alternative_fees(self) -> bool:
        return len(self.fees) > 1

    @cached_property
    def fee_list(self) -> list[dict]:
        return [{"concept": fee.value["concept"], "amount_centavos": fee.value["amount"] or 0} for fee in self.fees]

    def legal_basis_text(self) -> str:
        """The sheet's first legal basis as one line («Ley Federal de Derechos, artículo 20»): what a fee synced from
        the sheet is charged under until an editor names its own article."""
        for block in self.legal_basis:
            law, articles = block.value["law"], block.value.get("articles") or ""
            return f"{law}, {articles}"[:300] if articles else law[:300]
        return ""

    def get_url_parts(self, request=None):
        return _portal_url_parts(reverse("services:detail", kwargs={"homoclave": self.homoclave}), request)

    def get_context(self, request, *args, **kwargs):
        # Not at the top: queries imports this module's pages.
        from .queries import service_sheet_context

        context = super().get_context(request, *args, **kwargs)
        context.update(service_sheet_context(self))
        return context
