"""The pages of each entity's own website, at ``/<slug>/`` (``/imss/``, ``/sre/``, ``/colima/``).

The tree is ``default site root → AgencyHomePage (one per entity) → its pages``; the home page is made by
``actions.do_set_up_agency_site`` and registered with ``agencies.workspace``, so the entity's groups get their page
permissions and review workflow on it, and so on everything its editors put under it. The home page is also the
entity's directory entry: ``/gobierno/<slug>/`` answers with a permanent redirect to it (one place, not two pages
saying different things).

Every page below a home records the entity it was published under (``agency``), so the news of all entities can be
listed and filtered in one query, and a page keeps saying who published it when government changes shape.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks import PageChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import GroupApprovalTask, Page
from wagtail.search import index

from . import blocks
from .page_cache import NEWS_TAG, CachedSitePageMixin
from .permissions import FixedSitePagePermissionTester
from .publication import PublicationChecksMixin
from .review import OwnChangeRefused, is_last_editor

if TYPE_CHECKING:
    from django.http import HttpRequest


NEWS_PER_PAGE = 10


class AgencyHomePage(
    CachedSitePageMixin, PublicationChecksMixin, Page
):  # A page with problems is not published (publication.py).
    """An entity's home: what it does, who heads it, its main services, its latest news and its offices."""

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="site_home"
    )
    mission = models.TextField(
        _("misión"), blank=True, help_text=_("Qué hace la institución, en una o dos frases que cualquiera entienda.")
    )
    head_name = models.CharField(_("nombre de la persona titular"), max_length=200, blank=True)
    head_position = models.CharField(
        _("cargo de la persona titular"), max_length=200, blank=True, help_text=_("Por ejemplo: Director General")
    )
    highlighted_services = StreamField(
        [("service", PageChooserBlock(page_type="services.ServicePage", label=_("Trámite")))],
        verbose_name=_("trámites destacados"),
        blank=True,
        max_num=6,
        help_text=_("Hasta seis trámites del catálogo que más buscan las personas."),
    )
    body = StreamField(blocks.BodyBlock(), verbose_name=_("contenido adicional"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "agency_sites.ContentPage",
        "agency_sites.AboutPage",
        "agency_sites.NewsIndexPage",
        "agency_sites.ProgrammePage",
        "agency_sites.DocumentCollectionPage",
        "agency_sites.ContactPage",
    ]
    # Made by ``actions.do_set_up_agency_site`` for the entity's workspace, never by hand; its slug is the entity's.
    is_creatable = False

    content_panels = [
        FieldPanel("title", read_only=True),
        FieldPanel("mission"),
        MultiFieldPanel([FieldPanel("head_name"), FieldPanel("head_position")], heading=_("Persona titular")),
        FieldPanel("highlighted_services"),
        FieldPanel("body"),
    ]
    promote_panels = [FieldPanel("seo_title"), FieldPanel("search_description")]
    search_fields = [*Page.search_fields, index.SearchField("mission")]

    class Meta:
        verbose_name = _("inicio del sitio de una institución")

    def permissions_for_user(self, user: Any) -> FixedSitePagePermissionTester:
        return FixedSitePagePermissionTester(user, self)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # Not at the top: queries imports this module's pages.
        from .queries import home_context

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


class SitePage(
    CachedSitePageMixin, PublicationChecksMixin, Page
):  # A page with problems is not published (publication.py).
    """A page under an entity's home. ``agency`` is the entity it was published under, kept by ``save``."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("publicada por"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    agency_id: int | None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.path and not self.agency_id:
            home = AgencyHomePage.objects.ancestor_of(self).only("agency_id").first()
            if home is None:
                raise ValidationError(_("Esta página solo puede publicarse dentro del sitio de una institución."))
            self.agency_id = home.agency_id
        super().save(*args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # Not at the top: queries imports this module's pages.
        from .queries import site_page_context

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(site_page_context(self, request))
        return context


class ContentPage(SitePage):
    """A general page made of design-system blocks: guides, explanations, announcements."""

    summary = models.TextField(
        _("resumen"), max_length=400, blank=True, help_text=_("Una o dos frases bajo el título.")
    )
    body = StreamField(blocks.BodyBlock(), verbose_name=_("contenido"))

    show_in_menus_default = True
    parent_page_types = ["agency_sites.AgencyHomePage", "agency_sites.ContentPage"]
    # A list of programmes or of document collections is a content page whose children they are.
    subpage_types = ["agency_sites.ContentPage", "agency_sites.ProgrammePage", "agency_sites.DocumentCollectionPage"]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = _("página de contenido")


class AboutPage(SitePage):
    """«¿Qué hacemos?»: the entity's functions and the legal framework that gives them."""

    summary = models.TextField(_("resumen"), max_length=400, blank=True)
    functions = RichTextField(_("funciones"), features=blocks.SECTION_RICH_TEXT_FEATURES)
    legal_framework = StreamField(
        [("instrument", blocks.LegalInstrumentBlock())], verbose_name=_("marco jurídico"), blank=True
    )
    body = StreamField(blocks.BodyBlock(), verbose_name=_("contenido adicional"), blank=True)

    show_in_menus_default = True
    parent_page_types = ["agency_sites.AgencyHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("functions"),
        FieldPanel("legal_framework"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("functions")]

    class Meta:
        verbose_name = _("¿Qué hacemos?")

    @property
    def legal_instruments(self) -> list[dict[str, Any]]:
        """The legal framework in the hierarchy of norms (the Constitution first), each with its kind's name."""
        labels = dict(blocks.LEGAL_KINDS)
        values = sorted(
            (block.value for block in self.legal_framework),
            key=lambda value: blocks.LEGAL_KIND_ORDER.get(value["kind"], len(labels)),
        )
        return [{**value, "kind_label": labels.get(value["kind"], "")} for value in values]


class NewsIndexPage(SitePage):
    """The entity's press room: its news and press releases, newest first (``/<slug>/prensa/``)."""

    show_in_menus_default = True
    parent_page_types = ["agency_sites.AgencyHomePage"]
    subpage_types = ["agency_sites.NewsPage"]
    max_count_per_parent = 1
    # Made with the home page; its address is part of the entity's site and of its feed.
    is_creatable = False
    content_panels = [FieldPanel("title")]
    promote_panels = [FieldPanel("seo_title"), FieldPanel("search_description")]

    class Meta:
        verbose_name = _("sala de prensa")

    def permissions_for_user(self, user: Any) -> FixedSitePagePermissionTester:
        return FixedSitePagePermissionTester(user, self)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # Not at the top: queries imports this module's pages.
        from .queries import press_news, with_publishers

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        news = press_news(agency=self.agency)  # an entity's news are all in its one press room
        context["news_page"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("pagina"))
        with_publishers(context["news_page"].object_list)  # who published the older ones (renames, mergers)
        return context


class NewsKind(models.TextChoices):
    NEWS = "noticia", _("Noticia")
    PRESS_RELEASE = "comunicado", _("Comunicado de prensa")
    NOTICE = "aviso", _("Aviso")


class NewsPage(SitePage):
    """A news item or press release: dated, summarised, classified by the catalogue's topics."""

    invalidates = (NEWS_TAG,)  # /prensa/ and the feeds list every entity's news.

    kind = models.CharField(_("tipo"), max_length=20, choices=NewsKind.choices, default=NewsKind.PRESS_RELEASE)
    date = models.DateField(_("fecha"), default=dt.date.today)
    summary = models.TextField(_("resumen"), max_length=300, help_text=_("Lo esencial en una o dos frases."))
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("imagen principal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    main_image_alt = models.CharField(
        _("texto alternativo de la imagen"),
        max_length=250,
        blank=True,
        help_text=_("Describe lo que la imagen muestra a quien no puede verla. Obligatorio si hay imagen."),
    )
    topics = ParentalManyToManyField("services.Topic", verbose_name=_("temas"), blank=True, related_name="news")
    body = StreamField(blocks.BodyBlock(), verbose_name=_("contenido"))

    parent_page_types = ["agency_sites.NewsIndexPage"]
    subpage_types: list[str] = []
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("date")], heading=_("Publicación")),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("main_image"), FieldPanel("main_image_alt")], heading=_("Imagen principal")),
        FieldPanel("topics"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = _("noticia o comunicado")
        indexes = [models.Index(fields=["date"], name="agency_sites_news_date")]

    def clean(self) -> None:
        super().clean()
        if self.main_image_id and not self.main_image_alt.strip():
            raise ValidationError({"main_image_alt": _("Escriba el texto alternativo de la imagen principal.")})
        if self.date and self.date > timezone.localdate() + dt.timedelta(days=366):
            raise ValidationError({"date": _("La fecha no puede estar a más de un año en el futuro.")})


class ProgrammePage(SitePage):
    """A programme of the entity (a social programme, a subsidy): what it is for, for whom, under which rules of
    operation, with how much money each year, and the catalogue's procedures through which people take part."""

    objective = models.TextField(_("objetivo"), max_length=1000, help_text=_("Qué busca lograr, en una o dos frases."))
    population = models.TextField(
        _("población que atiende"), max_length=1000, help_text=_("A quién va dirigido y quién puede recibirlo.")
    )
    rules_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("reglas de operación (documento)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rules_url = models.URLField(
        _("reglas de operación (dirección)"), blank=True, help_text=_("Por ejemplo, en el DOF.")
    )
    rules_date = models.DateField(_("fecha de publicación de las reglas vigentes"), null=True, blank=True)
    budget = StreamField(
        blocks.BudgetBlock(),
        verbose_name=_("presupuesto por año"),
        blank=True,
        help_text=_("Un monto por año, en pesos."),
    )
    related_services = StreamField(
        [("service", PageChooserBlock(page_type="services.ServicePage", label=_("Trámite")))],
        verbose_name=_("trámites relacionados"),
        blank=True,
    )
    body = StreamField(blocks.BodyBlock(), verbose_name=_("contenido"), blank=True)

    rules_document_id: int | None

    show_in_menus_default = True
    parent_page_types = ["agency_sites.AgencyHomePage", "agency_sites.ContentPage"]
    subpage_types: list[str] = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("objective"),
        FieldPanel("population"),
        MultiFieldPanel(
            [FieldPanel("rules_document"), FieldPanel("rules_url"), FieldPanel("rules_date")],
            heading=_("Reglas de operación"),
        ),
        FieldPanel("budget"),
        FieldPanel("related_services"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("objective"),
        index.SearchField("population"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("programa")

    def clean(self) -> None:
        super().clean()
        if self.rules_document_id and self.rules_url:
            raise ValidationError(
                {"rules_url": _("Elija el documento de las reglas de operación o escriba su dirección, no ambos.")}
            )
        if self.rules_date and not (self.rules_document_id or self.rules_url):
            raise ValidationError({"rules_date": _("Diga también dónde se leen las reglas de operación.")})

    @property
    def rules_href(self) -> str:
        if self.rules_document is not None:
            return str(self.rules_document.url)
        return self.rules_url

    @property
    def budget_by_year(self) -> list[dict[str, int]]:
        """The budget in year order, each amount in centavos."""
        rows = [{"year": int(block.value["year"]), "amount": int(block.value["amount"])} for block in self.budget]
        return sorted(rows, key=lambda row: row["year"])

    @property
    def live_services(self) -> list[Page]:
        return [block.value.specific for block in self.related_services if block.value and block.value.live]


class DocumentCollectionPage(SitePage):
    """«Documentos»: reports, rules, calls, formats and statistics the entity publishes, newest first."""

    summary = models.TextField(_("resumen"), max_length=400, blank=True)
    documents = StreamField([("document", blocks.PublicationBlock())], verbose_name=_("documentos"), blank=True)

    show_in_menus_default = True
    parent_page_types = ["agency_sites.AgencyHomePage", "agency_sites.ContentPage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("documents")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("documents")]

    class Meta:
        verbose_name = _("colección de documentos")

    @property
    def publications(self) -> list[dict[str, Any]]:
        """The documents newest first (the editors' order among those of the same date), each with its files in
        accessible formats first (``blocks.FORMAT_ORDER``) and its kind's name."""
        labels = dict(blocks.DOCUMENT_KINDS)
        items = []
        for block in self.documents:
            value = block.value
            files = sorted(
                (document for document in value["files"] if document is not None),
                key=lambda document: blocks.format_rank(document.file_extension),
            )
            items.append(
                {
                    "id": block.id,
                    "title": value["title"],
                    "date": value["date"],
                    "kind": value["kind"],
                    "kind_label": labels.get(value["kind"], ""),
                    "files": [
                        {
                            "document": document,
                            "format": document.file_extension.upper(),
                            # Read from the file (and kept) when the upload did not record it.
                            "size": document.get_file_size(),
                            "accessible": document.file_extension.lower() in blocks.ACCESSIBLE_FORMATS,
                        }
                        for document in files
                    ],
                }
            )
        items.sort(key=lambda item: item["date"], reverse=True)  # stable: equal dates keep the editors' order
        return items


class ContactPage(SitePage):
    """«Contacto»: how to reach the entity (phone, e-mail, address, hours, social networks) and its offices from the
    directory (never typed twice: they are the ones the home and the catalogue list)."""

    summary = models.TextField(_("resumen"), max_length=400, blank=True)
    phone = models.CharField(_("teléfono"), max_length=60, blank=True, help_text=_("Por ejemplo: 800 623 2323"))
    email = models.EmailField(_("correo electrónico"), blank=True)
    address = models.TextField(_("domicilio"), max_length=400, blank=True)
    opening_hours = models.CharField(
        _("horario de atención"),
        max_length=200,
        blank=True,
        help_text=_("Por ejemplo: lunes a viernes de 8:00 a 20:00"),
    )
    social_links = StreamField([("network", blocks.SocialLinkBlock())], verbose_name=_("redes sociales"), blank=True)
    body = StreamField(blocks.BodyBlock(), verbose_name=_("contenido adicional"), blank=True)

    show_in_menus_default = True
    parent_page_types = ["agency_sites.AgencyHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("address"), FieldPanel("opening_hours")],
            heading=_("Medios de contacto"),
        ),
        FieldPanel("social_links"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("address")]

    class Meta:
        verbose_name = _("contacto")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # Not at the top: queries imports this module's pages.
        from .queries import contact_context

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(contact_context(self))
        return context


# --- Review: the entities' review task (four eyes) -------------------------------------------------------------------
# Kept apart from the page types above: the workflow's rules, not what a page holds (review.py says why this way).

PORTAL_ADMINS_GROUP = "Administradores del portal"  # agencies.access.PORTAL_ADMINS_GROUP: models import no access


class EntityReviewTask(GroupApprovalTask):
    """An entity's review step («Revisión <SIGLAS>»), on its site and its catalogue: its approvers (and the portal's
    administrators, the digital government unit) approve, but never the person who made the change under review:
    «Aprobar» is not offered to them, and refused if they send it anyway."""

    class Meta:
        verbose_name = _("revisión de una institución")
        verbose_name_plural = _("revisiones de las instituciones")

    def _user_in_groups(self, user: Any) -> bool:
        if super()._user_in_groups(user):
            return True
        return bool(user.is_active and user.groups.filter(name=PORTAL_ADMINS_GROUP).exists())

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, Any, bool]]:
        actions: list[tuple[str, Any, bool]] = super().get_actions(obj, user)
        if actions and isinstance(obj, Page) and is_last_editor(obj, user):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state: Any, user: Any, action_name: str, **kwargs: Any) -> Any:
        if action_name == "approve":
            page = task_state.workflow_state.content_object
            if isinstance(page, Page) and is_last_editor(page, user):
                raise OwnChangeRefused(page.pk, str(page.title))
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls) -> str:
        return str(_("Las personas aprobadoras de la institución aprueban, nunca quien hizo el último cambio."))


# --- Urgent publications and retired pages (who, when, why) ----------------------------------------------------------


class UrgentPublication(models.Model):
    """A page the digital government unit published at once, without its entity's review, and why. Flagged until a
    second person of the unit (not the publisher) reviews it (``actions.do_review_urgent_publication``)."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("página"), on_delete=models.CASCADE, related_name="urgent_publications"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name=_("versión"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicó"),
        on_delete=models.PROTECT,
        related_name="urgent_publications",
    )
    published_at = models.DateTimeField(_("publicada"), default=timezone.now)
    reason = models.TextField(_("motivo"), max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisó"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_urgent_publications",
    )
    reviewed_at = models.DateTimeField(_("revisada"), null=True, blank=True)

    class Meta:
        verbose_name = _("publicación urgente")
        verbose_name_plural = _("publicaciones urgentes")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_by__isnull=True) | ~models.Q(reviewed_by=models.F("published_by")),
                name="agency_sites_urgent_reviewed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} · {self.published_at:%Y-%m-%d %H:%M}"


class RetirementKind(models.TextChoices):
    WITHDRAWN = "retirada", _("Retirada: sigue en línea con un aviso")
    MOVED = "movida", _("Movida: su dirección lleva a otra página")
    GONE = "eliminada", _("Eliminada: ya no existe (se guarda una copia archivada)")


class PageRetirement(models.Model):
    """Why a page of an entity's site stopped being an ordinary page (``actions.do_retire_page``): withdrawn (online
    with a notice, out of listings, search and sitemaps), moved (a permanent redirect to ``moved_to``), or gone (410
    at ``path``, with the last published version kept at ``archived_revision``)."""

    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("página"), on_delete=models.CASCADE, related_name="retirement"
    )
    kind = models.CharField(_("qué pasó"), max_length=10, choices=RetirementKind.choices)
    reason = models.TextField(_("motivo"), max_length=1000)
    path = models.CharField(_("dirección que tenía"), max_length=500, db_index=True)
    moved_to = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("nueva página"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    archived_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("copia archivada"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("retiró"), on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(_("retirada"), default=timezone.now)

    class Meta:
        verbose_name = _("página retirada")
        verbose_name_plural = _("páginas retiradas")

    def __str__(self) -> str:
        return f"{self.path} · {self.kind}"
