"""Writes on the legacy sites' map. The importer, the middleware, the admin and the commands all come here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LegacySite, MappingStatus, SiteRule, UrlMapping

if TYPE_CHECKING:
    from portal.agencies.models import Agency

MAX_NOT_FOUND_PATH = 1000


def normalise_host(host: str) -> str:
    """``WWW.IMSS.gob.mx:443`` and ``www.imss.gob.mx.`` are ``www.imss.gob.mx``."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def check_hosts(hosts: list[str], site: LegacySite | None = None) -> list[str]:
    """The host names, normalised; ``ValidationError`` in Spanish when one is empty, malformed or another site's."""
    cleaned = []
    for host in hosts:
        name = normalise_host(host)
        if not name or "/" in name or " " in name or "." not in name:
            raise ValidationError(
                _("«%(host)s» no es un nombre de dominio (por ejemplo www.profeco.gob.mx).") % {"host": host}
            )
        cleaned.append(name)
    others = LegacySite.objects.exclude(pk=site.pk) if site is not None else LegacySite.objects.all()
    for other in others:
        taken = set(other.hosts) & set(cleaned)
        if taken:
            raise ValidationError(
                _("«%(host)s» ya es de otro sitio anterior (%(site)s).") % {"host": sorted(taken)[0], "site": other}
            )
    return cleaned


@transaction.atomic
def do_register_legacy_site(
    agency: Agency, base_url: str, hosts: list[str], site_rule: str = SiteRule.NONE
) -> LegacySite:
    """The entity's old site at ``base_url`` (found again by it, so a second import reuses it)."""
    site = LegacySite.objects.filter(agency=agency, base_url=base_url).first()
    cleaned = check_hosts(hosts, site)
    if site is None:
        site = LegacySite.objects.create(agency=agency, base_url=base_url, hosts=cleaned, site_rule=site_rule)
    else:
        merged = sorted(set(site.hosts) | set(cleaned))
        if merged != sorted(site.hosts):
            site.hosts = merged
            site.save(update_fields=["hosts"])
    return site


def do_record_visits(site: LegacySite, counts: dict[str, int]) -> None:
    """The access log's counts on each address's row (a row is made, unresolved, for an address not seen before)."""
    for path, count in counts.items():
        mapping, _created = UrlMapping.objects.get_or_create(site=site, old_path=path[:MAX_NOT_FOUND_PATH])
        if mapping.visits != count:
            mapping.visits = count
            mapping.save(update_fields=["visits", "updated_at"])


def do_record_not_found(site: LegacySite, path: str) -> UrlMapping:
    """Someone asked the old host for an address with no destination: counted, so the dashboard shows it."""
    path = path[:MAX_NOT_FOUND_PATH]
    mapping, created = UrlMapping.objects.get_or_create(
        site=site, old_path=path, defaults={"status": MappingStatus.UNRESOLVED, "not_found_hits": 1}
    )
    if not created:
        UrlMapping.objects.filter(pk=mapping.pk).update(not_found_hits=F("not_found_hits") + 1)
        mapping.refresh_from_db(fields=["not_found_hits"])
    return mapping


@transaction.atomic
def do_map(
    mapping: UrlMapping,
    status: str,
    *,
    page_id: int | None = None,
    target_path: str = "",
    user: Any = None,
) -> UrlMapping:
    """Where an old address leads: a page or an address of the portal (redirect), its archived copy (archive), or
    nowhere yet (unresolved). ``user`` is who decided, when a person did."""
    if status == MappingStatus.REDIRECT and not page_id and not target_path:
        raise ValidationError(_("Una redirección necesita una página o una dirección de destino."))
    if target_path and not target_path.startswith("/"):
        raise ValidationError(_("La dirección de destino debe empezar con «/» (una dirección del portal)."))
    mapping.status = status
    mapping.target_page_id = page_id
    mapping.target_path = target_path
    fields = ["status", "target_page", "target_path", "updated_at"]
    if user is not None:
        mapping.reviewed_by = user
        mapping.reviewed_at = timezone.now()
        fields += ["reviewed_by", "reviewed_at"]
    mapping.save(update_fields=fields)
    return mapping


def do_accept_suggestion(mapping: UrlMapping, user: Any) -> UrlMapping:
    if mapping.suggested_page_id is None:
        raise ValidationError(_("Esta dirección no tiene un destino sugerido."))
    return do_map(mapping, MappingStatus.REDIRECT, page_id=mapping.suggested_page_id, user=user)


def do_reject_suggestion(mapping: UrlMapping, user: Any) -> UrlMapping:
    """The suggestion is dropped (and not suggested again: ``suggestions`` skips reviewed rows)."""
    mapping.suggested_page = None
    mapping.suggestion_score = None
    mapping.reviewed_by = user
    mapping.reviewed_at = timezone.now()
    mapping.save(update_fields=["suggested_page", "suggestion_score", "reviewed_by", "reviewed_at", "updated_at"])
    return mapping


def do_mark_done(site: LegacySite, done: bool = True) -> LegacySite:
    site.marked_done = done
    site.save(update_fields=["marked_done"])
    return site


def do_set_site_rule(site: LegacySite, rule: str) -> LegacySite:
    if rule not in SiteRule.values:
        raise ValidationError(_("Regla desconocida."))
    site.site_rule = rule
    site.save(update_fields=["site_rule"])
    return site
