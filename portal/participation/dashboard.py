"""What petitions add to «Mi expediente» (discovered by ``portal.accounts.dashboard.autodiscover``): the person's
latest petitions with their status and due date, and the ways to write one or see them all."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.accounts.dashboard import (
    DashboardDetail,
    DashboardGroup,
    DashboardItem,
    DashboardLink,
    DashboardSection,
    register,
)

from . import access, queries
from .models import Petition

RECENT_PETITIONS = 3


def _item(petition: Petition) -> DashboardItem:
    clock = queries.clock(petition)
    tag: Any = petition.get_status_display()
    colour = "blue"
    if not petition.is_open:
        colour = "green"
    elif clock.overdue:
        tag, colour = _("Plazo vencido"), "red"
    details = [DashboardDetail(_("Institución"), petition.agency.name)]
    if petition.is_open:
        details.append(DashboardDetail(_("Le deben responder a más tardar el"), petition.due_date))
    return DashboardItem(
        title=petition.subject,
        url=reverse("participation:mine_detail", args=[petition.folio]),
        caption=petition.folio,
        tag=tag,
        tag_colour=colour,
        details=details,
    )


def sections(user: Any) -> list[DashboardSection]:
    petitions = list(queries.petitions_of(user)[: RECENT_PETITIONS + 1])
    links = [DashboardLink(_("Escribir una petición"), reverse("participation:new"))]
    if petitions:
        links.insert(0, DashboardLink(_("Ver todas sus peticiones"), reverse("participation:mine_list")))
    if access.check_is_petitions_staff(user):
        links.append(DashboardLink(_("Atender las peticiones de su institución"), reverse("participation:staff_queue")))
    return [
        DashboardSection(
            "peticiones",
            _("Peticiones"),
            order=30,
            groups=[
                DashboardGroup(_("Sus peticiones más recientes"), [_item(p) for p in petitions[:RECENT_PETITIONS]])
            ],
            empty_text=_("Aún no ha escrito peticiones a las instituciones."),
            links=links,
        )
    ]


register("participation", sections)
