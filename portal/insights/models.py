"""What page analytics keeps (docs/insights.md): no cookie, no IP address, no user agent, nothing that names a person.

- ``PageEvent``: one page seen, as the middleware saw it, to the minute; the visitor is a key that means something only
  on its day (``DailySalt``). Raw events live ``INSIGHTS_RAW_EVENT_DAYS`` days.
- ``DailySalt``: the secret of one day (America/Mexico_City); deleted once its day is over, so a key of an earlier day
  can no longer be recomputed from anything, nor linked to the same visitor's key of another day.
- ``SearchEvent``: a search made, with the same day's visitor key, so the aggregation can tell what the visitor saw
  next; ``DailySearches`` and ``DailySearchDestinations`` are its figures kept for good.
- ``DailyPageVisits`` and ``DailyAudience``: the figures kept for good, made from the raw events by
  ``aggregation.do_aggregate_day``; they are the base the service KPIs and ``/estadisticas/`` build on.
- ``PageFeedback`` and ``SatisfactionResponse``: answers to «¿Te sirvió esta página?» and to the satisfaction survey
  of a case, comments screened for personal data (docs/insights.md, «Comentarios y satisfacción»).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Device(models.TextChoices):
    MOBILE = "mobile", _("Celular")
    TABLET = "tablet", _("Tableta")
    DESKTOP = "desktop", _("Computadora")


class PageEvent(models.Model):
    """A page a person saw: a GET answered 200 with HTML (``middleware``)."""

    at = models.DateTimeField(_("minuto"), db_index=True)
    host = models.CharField(_("sitio"), max_length=255)
    path = models.CharField(_("página"), max_length=500)
    device = models.CharField(_("dispositivo"), max_length=8, choices=Device.choices)
    referrer_host = models.CharField(_("sitio de procedencia"), max_length=255, blank=True)
    language = models.CharField(_("idioma"), max_length=16, blank=True)
    visitor = models.CharField(_("visitante del día"), max_length=16)

    class Meta:
        verbose_name = _("página vista")
        verbose_name_plural = _("páginas vistas")
        # What a visitor saw after a search (``aggregation.do_aggregate_searches``).
        indexes = [models.Index(fields=["visitor", "at"], name="insights_pageevent_visitor_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.host}{self.path}"


class DailySalt(models.Model):
    """The random secret the visitor keys of one local day are made with; one row per day, made on first use."""

    day = models.DateField(primary_key=True)
    secret = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)


class DailyPageVisits(models.Model):
    """Visits of one page on one day, by device and external referrer, with the entity and service it belongs to."""

    day = models.DateField(_("día"))
    host = models.CharField(_("sitio"), max_length=255)
    path = models.CharField(_("página"), max_length=500)
    device = models.CharField(_("dispositivo"), max_length=8, choices=Device.choices)
    referrer_host = models.CharField(_("sitio de procedencia"), max_length=255, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    service = models.ForeignKey(
        "services.ServicePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    visits = models.PositiveIntegerField(_("visitas"))
    visitors = models.PositiveIntegerField(_("visitantes distintos"))

    class Meta:
        verbose_name = _("visitas de una página en un día")
        verbose_name_plural = _("visitas de páginas por día")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "host", "path", "device", "referrer_host"], name="insights_dailypagevisits_unique"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "day"], name="insights_dpv_agency_day"),
            models.Index(fields=["service", "day"], name="insights_dpv_service_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.host}{self.path}: {self.visits}"


class DailyAudience(models.Model):
    """Distinct visitors of one day, for the whole portal (no entity) or for one entity's pages.

    Kept apart from the pages' rows because visitors do not add up across pages: a person who saw three pages is one
    visitor of the day. Across days they are summed (a key lives one day): «visitantes» of a period are visitor-days.
    """

    day = models.DateField(_("día"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    visits = models.PositiveIntegerField(_("visitas"))
    visitors = models.PositiveIntegerField(_("visitantes distintos"))
    mobile_visitors = models.PositiveIntegerField(_("visitantes en celular"), default=0)
    tablet_visitors = models.PositiveIntegerField(_("visitantes en tableta"), default=0)
    desktop_visitors = models.PositiveIntegerField(_("visitantes en computadora"), default=0)

    class Meta:
        verbose_name = _("audiencia de un día")
        verbose_name_plural = _("audiencias por día")
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(agency__isnull=True), name="insights_dailyaudience_portal_unique"
            ),
            models.UniqueConstraint(
                fields=["day", "agency"],
                condition=models.Q(agency__isnull=False),
                name="insights_dailyaudience_agency_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id or 'portal'}: {self.visitors}"


class SearchEvent(models.Model):
    """A search a person made on ``/busqueda/`` (its first page of results), recorded with the page it came on.

    What was typed is kept cleaned and in lower case (``query``) and folded (``key``: «Trámite» and «tramite» are one
    search), both empty when it looked like personal data (``withheld``: a CURP, an RFC, an e-mail address, a phone or
    any long number; ``searches.screen``). Raw search events live as long as raw page events.
    """

    at = models.DateTimeField(_("minuto"), db_index=True)
    host = models.CharField(_("sitio"), max_length=255)
    visitor = models.CharField(_("visitante del día"), max_length=16)
    query = models.CharField(_("búsqueda"), max_length=100, blank=True)
    key = models.CharField(_("búsqueda sin acentos"), max_length=100, blank=True)
    results = models.PositiveIntegerField(_("resultados"))
    scope = models.CharField(_("institución elegida"), max_length=100, blank=True)
    withheld = models.BooleanField(_("retenida por parecer un dato personal"), default=False)
    language = models.CharField(_("idioma"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("búsqueda hecha")
        verbose_name_plural = _("búsquedas hechas")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.key!r}: {self.results}"


class DailySearches(models.Model):
    """One search (by its folded text) on one day: how often, by how many visitors, how often it found nothing and
    how often it led nowhere (the visitor saw no other page in the next ``INSIGHTS_SEARCH_FOLLOW_MINUTES``).

    ``agency`` is the entity the person chose in the search's filter, if any. Searches withheld as personal data are
    counted in a row with an empty ``key``.
    """

    day = models.DateField(_("día"))
    key = models.CharField(_("búsqueda sin acentos"), max_length=100, blank=True)
    query = models.CharField(_("búsqueda"), max_length=100, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    searches = models.PositiveIntegerField(_("búsquedas"))
    visitors = models.PositiveIntegerField(_("visitantes distintos"))
    no_results = models.PositiveIntegerField(_("sin resultados"))
    led_nowhere = models.PositiveIntegerField(_("sin seguir a ninguna página"))

    class Meta:
        verbose_name = _("búsquedas de un día")
        verbose_name_plural = _("búsquedas por día")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "key"], condition=models.Q(agency__isnull=True), name="insights_ds_portal_unique"
            ),
            models.UniqueConstraint(
                fields=["day", "key", "agency"],
                condition=models.Q(agency__isnull=False),
                name="insights_ds_agency_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["day"], name="insights_ds_day"),
            models.Index(fields=["agency", "day"], name="insights_ds_agency_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.key!r}: {self.searches}"


class DailySearchDestinations(models.Model):
    """Where one search took people on one day: the first page (not another search) they saw after it, and the entity
    and service that page belongs to. An entity's editors read here what citizens call its services."""

    day = models.DateField(_("día"))
    key = models.CharField(_("búsqueda sin acentos"), max_length=100)
    query = models.CharField(_("búsqueda"), max_length=100)
    host = models.CharField(_("sitio"), max_length=255)
    path = models.CharField(_("página"), max_length=500)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    service = models.ForeignKey(
        "services.ServicePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    searches = models.PositiveIntegerField(_("búsquedas"))

    class Meta:
        verbose_name = _("destino de una búsqueda en un día")
        verbose_name_plural = _("destinos de búsquedas por día")
        constraints = [
            models.UniqueConstraint(fields=["day", "key", "host", "path"], name="insights_dsd_unique"),
        ]
        indexes = [
            models.Index(fields=["day"], name="insights_dsd_day"),
            models.Index(fields=["agency", "day"], name="insights_dsd_agency_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.key!r} → {self.path}: {self.searches}"


class ServiceKpi(models.Model):
    """One service's case figures over a period: a local month (``months`` = 1) or the 12 months ending with
    ``month`` (``months`` = 12, the running «últimos 12 meses»), written by ``kpis.do_compute_kpis``.

    The counts are stored as they are, unsuppressed: the small-count rule is applied when they are published
    (``kpis.publishable``), so a change of the rule never needs a recomputation.
    """

    service = models.ForeignKey("services.ServicePage", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("mes"), help_text=_("El primer día del (último) mes del periodo."))
    months = models.PositiveSmallIntegerField(_("meses del periodo"), default=1)
    submitted_online = models.PositiveIntegerField(_("enviadas en línea"), default=0)
    submitted_counter = models.PositiveIntegerField(_("recibidas en ventanilla"), default=0)
    submitted_api = models.PositiveIntegerField(_("recibidas por sistema de la institución"), default=0)
    started_online = models.PositiveIntegerField(_("iniciadas en línea"), default=0)
    completed_online = models.PositiveIntegerField(_("de ellas, enviadas"), default=0)
    complete_minutes_median = models.FloatField(_("mediana de minutos para completar"), null=True, blank=True)
    resolved = models.PositiveIntegerField(_("resueltas"), default=0)
    resolved_with_deadline = models.PositiveIntegerField(_("resueltas con plazo legal"), default=0)
    resolved_in_time = models.PositiveIntegerField(_("resueltas en plazo"), default=0)
    resolve_days_median = models.FloatField(_("mediana de días para resolver"), null=True, blank=True)
    computed_at = models.DateTimeField(_("calculado"), auto_now=True)

    class Meta:
        verbose_name = _("indicadores de un trámite")
        verbose_name_plural = _("indicadores de trámites")
        constraints = [
            models.UniqueConstraint(fields=["service", "month", "months"], name="insights_servicekpi_unique"),
        ]
        indexes = [models.Index(fields=["month", "months"], name="insights_servicekpi_month")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.month:%Y-%m} ({self.months})"

    @property
    def submitted(self) -> int:
        return self.submitted_online + self.submitted_counter + self.submitted_api


class CostChannel(models.TextChoices):
    ONLINE = "online", _("En línea")
    COUNTER = "counter", _("En ventanilla")
    API = "api", _("Sistema de la institución")


class ServiceCost(models.Model):
    """What running a service through one channel cost its entity in a year, as the entity reports it; the cost per
    transaction is this over the cases of that channel (``kpis.cost_per_transaction``). Without a row the figure is
    «sin datos», never an estimate."""

    service = models.ForeignKey(
        "services.ServicePage", verbose_name=_("trámite"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("año"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    channel = models.CharField(_("canal"), max_length=10, choices=CostChannel.choices)
    yearly_cost_centavos = models.PositiveBigIntegerField(
        _("costo anual de operación (centavos)"),
        help_text=_("Personal, sistemas, oficinas y materiales dedicados a este canal del trámite, en centavos."),
    )
    source = models.CharField(
        _("fuente"), max_length=300, help_text=_("De dónde sale la cifra, p. ej. «Presupuesto 2026, partida 3311».")
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("costo de operación de un trámite")
        verbose_name_plural = _("costos de operación de trámites")
        constraints = [
            models.UniqueConstraint(fields=["service", "year", "channel"], name="insights_servicecost_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.year} {self.channel}"


#: The longest comment a person may leave (page feedback and the satisfaction survey).
COMMENT_MAX_LENGTH = 1200


class PageFeedback(models.Model):
    """One answer to «¿Te sirvió esta página?», with its optional comment (screened: ``screening``).

    Nothing that names a person: the minute, the page as the figures keep it (``middleware.recorded_path``), the
    entity and service it belongs to, the answer and the language. No address, no user agent, no account."""

    at = models.DateTimeField(_("minuto"), db_index=True)
    host = models.CharField(_("sitio"), max_length=255)
    path = models.CharField(_("página"), max_length=500)
    language = models.CharField(_("idioma"), max_length=16, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    service = models.ForeignKey(
        "services.ServicePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    useful = models.BooleanField(_("le sirvió"))
    comment = models.TextField(_("comentario"), max_length=COMMENT_MAX_LENGTH, blank=True)
    redacted = models.BooleanField(_("se eliminaron datos personales"), default=False)
    handled_at = models.DateTimeField(_("atendido"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinión sobre una página")
        verbose_name_plural = _("opiniones sobre páginas")
        indexes = [models.Index(fields=["agency", "at"], name="insights_pagefeedback_agency")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.host}{self.path}: {'sí' if self.useful else 'no'}"


class SurveyMoment(models.TextChoices):
    SUBMITTED = "submitted", _("Al enviar la solicitud")
    RESOLVED = "resolved", _("Al resolverse la solicitud")


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Muy satisfecho")
    SATISFIED = 4, _("Satisfecho")
    NEUTRAL = 3, _("Ni satisfecho ni insatisfecho")
    DISSATISFIED = 2, _("Insatisfecho")
    VERY_DISSATISFIED = 1, _("Muy insatisfecho")


class SatisfactionResponse(models.Model):
    """One answer to «¿qué tan satisfecho quedó con este servicio?», once per case and moment.

    ``case_key`` is a keyed hash of the case (``feedback.case_key``), not the case: it keeps the answer one per case
    and moment without a column that leads back to the case or its applicant. Only the day is kept, not the minute,
    so the answer cannot be matched to a case by the time it was sent either."""

    day = models.DateField(_("día"), db_index=True)
    moment = models.CharField(_("momento"), max_length=10, choices=SurveyMoment.choices)
    rating = models.PositiveSmallIntegerField(_("satisfacción"), choices=Rating.choices)
    comment = models.TextField(_("comentario"), max_length=COMMENT_MAX_LENGTH, blank=True)
    redacted = models.BooleanField(_("se eliminaron datos personales"), default=False)
    language = models.CharField(_("idioma"), max_length=16, blank=True)
    channel = models.CharField(_("canal"), max_length=10)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    service = models.ForeignKey(
        "services.ServicePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    case_key = models.CharField(_("clave de la solicitud"), max_length=64)

    class Meta:
        verbose_name = _("respuesta de satisfacción")
        verbose_name_plural = _("respuestas de satisfacción")
        constraints = [
            models.UniqueConstraint(fields=["case_key", "moment"], name="insights_satisfaction_once_per_case"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="insights_satisfaction_rating_1_5"
            ),
        ]
        indexes = [
            models.Index(fields=["service", "day"], name="insights_satisfaction_service"),
            models.Index(fields=["agency", "day"], name="insights_satisfaction_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.service_id} {self.moment}: {self.rating}"
