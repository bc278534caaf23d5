"""Government entities of every level, their attention offices, and the roles staff hold in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .site_paths import check_site_path_free


class Level(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    STATE = "estatal", _("Estatal")
    MUNICIPAL = "municipal", _("Municipal")


class AgencyKind(models.TextChoices):
    SECRETARIAT = "secretaria", _("Secretaría o dependencia centralizada")
    DECENTRALISED = "descentralizado", _("Organismo descentralizado")
    DECONCENTRATED = "desconcentrado", _("Órgano desconcentrado")
    AUTONOMOUS = "autonomo", _("Organismo autónomo")
    STATE_COMPANY = "empresa", _("Empresa productiva o de participación estatal")
    STATE_GOVERNMENT = "gobierno_estatal", _("Gobierno estatal")
    STATE_AGENCY = "dependencia_estatal", _("Dependencia o entidad estatal")
    MUNICIPALITY = "ayuntamiento", _("Ayuntamiento")


acronym_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,11}$",
    _("Las siglas llevan de 2 a 12 letras mayúsculas o dígitos, sin espacios ni guiones, y empiezan con letra."),
)


class AgencyQuerySet(models.QuerySet):
    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)


# The plugin cannot build ``services`` (ServicePage's reverse relation): a Wagtail page is Any to mypy.
class Agency(models.Model):  # type: ignore[django-manager-missing]
    """A government entity: a secretariat, a decentralised body, a state government, a town hall.

    ``sector`` points at the secretariat that heads a federal entity's sector (IMSS → Secretaría de Salud); the
    head of a sector has none. ``acronym`` is the prefix of its services' homoclaves.
    """

    name = models.CharField(_("nombre"), max_length=200, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=120, blank=True)
    acronym = models.CharField(_("siglas"), max_length=12, unique=True, validators=[acronym_validator])
    slug = models.SlugField(_("identificador en la dirección"), max_length=80, unique=True)
    level = models.CharField(_("orden de gobierno"), max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(_("naturaleza jurídica"), max_length=20, choices=AgencyKind.choices)
    sector = models.ForeignKey(
        "self",
        verbose_name=_("sector (cabeza de sector)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sector_members",
    )
    state = models.ForeignKey(
        "geo.State", verbose_name=_("entidad federativa"), on_delete=models.PROTECT, null=True, blank=True
    )
    municipality = models.ForeignKey(
        "geo.Municipality", verbose_name=_("municipio"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.TextField(_("qué hace"), blank=True)
    website = models.URLField(_("sitio web"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=60, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    is_active = models.BooleanField(_("vigente"), default=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="federal", state__isnull=True, municipality__isnull=True)
                | models.Q(level="estatal", state__isnull=False, municipality__isnull=True)
                | models.Q(level="municipal", state__isnull=False, municipality__isnull=False),
                name="agencies_agency_level_matches_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})"

    def get_absolute_url(self) -> str:
        """The entity's site (``/imss/``), made with its workspace; ``/gobierno/<slug>/`` redirects there."""
        return reverse("wagtail_serve", args=[f"{self.slug}/"])

    def clean(self) -> None:
        super().clean()
        # Checked when the entity is created, with its site (whose address is the slug).
        if self.slug and self._state.adding:
            try:
                check_site_path_free(self.slug)
            except ValidationError as error:
                raise ValidationError({"slug": error}) from None
            # An entity's former address keeps redirecting to its pages (AgencyChange, below).
            if AgencyChange.objects.filter(before_slug=self.slug).exists():
                raise ValidationError(
                    {"slug": _("Esa dirección fue de otra institución y sigue llevando a sus páginas; elija otra.")}
                )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Office(models.Model):
    """An attention centre where people are served in person. Coordinates are WGS84 decimal degrees."""

    agency = models.ForeignKey(Agency, verbose_name=_("institución"), on_delete=models.CASCADE, related_name="offices")
    name = models.CharField(_("nombre"), max_length=200)
    street = models.CharField(_("calle y número"), max_length=200)
    settlement = models.CharField(_("colonia"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("código postal"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", _("El código postal tiene exactamente 5 dígitos."))],
    )
    municipality = models.ForeignKey(
        "geo.Municipality", verbose_name=_("municipio"), on_delete=models.PROTECT, related_name="offices"
    )
    opening_hours = models.CharField(
        _("horario de atención"), max_length=200, help_text=_("Por ejemplo: Lunes a viernes de 8:00 a 15:00 h")
    )
    phone = models.CharField(_("teléfono"), max_length=60, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    latitude = models.DecimalField(
        _("latitud"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(14), MaxValueValidator(33)],
    )
    longitude = models.DecimalField(
        _("longitud"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-119), MaxValueValidator(-86)],
    )
    accessibility = models.CharField(
        _("accesibilidad"), max_length=200, blank=True, help_text=_("Rampas, elevador, baño accesible, intérprete...")
    )
    is_active = models.BooleanField(_("abierta"), default=True)

    class Meta:
        ordering = ["agency__name", "name"]
        verbose_name = _("oficina de atención")
        verbose_name_plural = _("oficinas de atención")
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="agencies_office_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} — {self.agency.acronym}"

    @property
    def timezone(self) -> str:
        return self.municipality.state.timezone

    @property
    def map_url(self) -> str:
        return f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}"


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Aprobador")
    CASE_WORKER = "case_worker", _("Dictaminador")
    OFFICE_CLERK = "office_clerk", _("Personal de ventanilla")
    ENTITY_ADMIN = "entity_admin", _("Administrador de la institución")
    # The focal points («enlaces») gob.mx asks of every entity: each prepares one part of its site and catalogue and
    # sends it to review; none publishes (docs/staff-roles.md).
    CONTENT = "content", _("Enlace de contenidos")
    DIGITAL_COMMUNICATION = "digital_communication", _("Enlace de comunicación digital")
    OPERATIONS = "operations", _("Enlace de operación")
    SOCIAL_NETWORKS = "social_networks", _("Enlace de redes sociales")
    # Answers the petitions citizens address to the entity (right of petition, art. 8; docs/participation.md).
    PETITIONS = "petitions", _("Atención de peticiones")
    # Runs the entity's public consultations, answers the citizen proposals addressed to it and keeps its
    # participation bodies in the registry (docs/participation.md).
    PARTICIPATION = "participation", _("Enlace de participación ciudadana")
    # Works the reports of corruption addressed to the entity's internal control body (docs/reports.md).
    INVESTIGATOR = "investigator", _("Investigación de denuncias (Órgano Interno de Control)")
    # Collects the entity's fees: reconciles statements, works the exceptions queue, refunds, closes the day
    # (docs/payments.md).
    FINANCE = "finance", _("Finanzas: cobros, conciliación y reembolsos")


class StaffRole(models.Model):
    """A role a person holds in one entity. A person may hold several roles in several entities.

    Roles are the source of truth; the Wagtail groups that carry page permissions are derived from them by
    ``agencies.actions.do_sync_staff_groups``.

    ``office`` ties an office clerk to one attention centre of the entity; empty, the clerk may serve at any of the
    entity's offices. Only office clerks have one, and it must be an office of ``agency``
    (``actions.check_role_office``; the database cannot check a condition across two tables).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    office = models.ForeignKey(
        Office,
        verbose_name=_("oficina"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
    )
    granted_at = models.DateTimeField(_("otorgado"), auto_now_add=True)

    class Meta:
        verbose_name = _("rol de personal")
        verbose_name_plural = _("roles de personal")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="agencies_staffrole_unique"),
            models.CheckConstraint(
                condition=models.Q(office__isnull=True) | models.Q(role="office_clerk"),
                name="agencies_staffrole_office_only_for_clerks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency.acronym}"


# --- Changes of structure: renames and mergers (docs/agency-sites.md, «Cambios de estructura») -----------------------


class ChangeKind(models.TextChoices):
    RENAMED = "renamed", _("Cambio de nombre")
    MERGED = "merged", _("Fusión")


class AgencyChange(models.Model):
    """A change in the structure of government, recorded as it was: SEDESOL became BIENESTAR in 2018; an entity was
    absorbed by another. ``before_*`` keep the name, acronym and slug the entity had (its site's old address keeps
    answering with a redirect, and pages published before ``effective`` keep saying under which name they were).

    ``agency`` is the entity after the change (the renamed one, or the one that absorbed ``absorbed``). Written only by
    ``actions.do_rename_agency`` and ``actions.do_merge_agency``.
    """

    kind = models.CharField(_("tipo de cambio"), max_length=10, choices=ChangeKind.choices)
    effective = models.DateField(_("fecha en que surtió efecto"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("institución después del cambio"), on_delete=models.PROTECT, related_name="changes"
    )
    absorbed = models.OneToOneField(
        Agency,
        verbose_name=_("institución absorbida"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merger",
    )
    before_name = models.CharField(_("nombre anterior"), max_length=200)
    before_acronym = models.CharField(_("siglas anteriores"), max_length=12)
    before_slug = models.SlugField(_("dirección anterior"), max_length=80, db_index=True)
    note = models.TextField(_("nota"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registrado"), auto_now_add=True)

    class Meta:
        ordering = ["effective", "pk"]
        verbose_name = _("cambio de estructura")
        verbose_name_plural = _("cambios de estructura")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="renamed", absorbed__isnull=True)
                | models.Q(kind="merged", absorbed__isnull=False),
                name="agencies_agencychange_absorbed_only_in_mergers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.before_acronym} → {self.agency.acronym} ({self.effective})"


class AgencyChangePage(models.Model):
    """Where a page of an entity's site was before a change: ``old_path`` under the old slug (``prensa/nota/``; empty
    for the home). A rename records the home only (its whole subtree follows it: one row, a prefix); a merger records
    every page it moved, which also says which entity had published it."""

    change = models.ForeignKey(AgencyChange, on_delete=models.CASCADE, related_name="pages")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    old_path = models.CharField(_("dirección anterior dentro del sitio"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("página movida por un cambio de estructura")
        verbose_name_plural = _("páginas movidas por cambios de estructura")
        constraints = [
            models.UniqueConstraint(fields=["change", "old_path"], name="agencies_agencychangepage_unique_path"),
        ]

    def __str__(self) -> str:
        return f"/{self.change.before_slug}/{self.old_path} → {self.page_id}"
