"""What payments add to «Mi expediente» (discovered by ``portal.accounts.dashboard.autodiscover``): the líneas de
captura waiting to be paid, first and in the banner (a reference expires), and the way to «Mis pagos» (/pagos/)."""

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
from portal.core.templatetags.portal import pesos

from . import ledger, queries
from .models import PaymentReference

SHOWN = 5


def _item(reference: PaymentReference) -> DashboardItem:
    url = reverse("payments:reference", args=[reference.public_id])
    return DashboardItem(
        title=reference.concept,
        url=url,
        caption=reference.subject_label or reference.agency.name,
        tag=queries.status_label(reference, queries.PAYABLE),
        tag_colour="yellow",
        details=[
            DashboardDetail(_("Total a pagar"), pesos(reference.amount_centavos)),
            DashboardDetail(_("Vence"), reference.expires_on),
            DashboardDetail(_("Línea de captura"), reference.grouped_reference),
        ],
        # The banner at the top of «Mi expediente» shows an item's links, not its title's.
        links=[
            DashboardLink(
                _("Ver cómo pagar"),
                url,
                hidden_suffix=_("la línea de captura %(reference)s") % {"reference": reference.grouped_reference},
            )
        ],
    )


def sections(user: Any) -> list[DashboardSection]:
    today = ledger.local_day()
    references = list(queries.references_of_payer(user)[:50])
    if not references:
        # Someone who never owed a fee is not told about payments at all.
        return []
    payable = [r for r in references if queries.state_of(r, today=today) == queries.PAYABLE][:SHOWN]
    groups = [
        DashboardGroup(
            _("Pagos pendientes"),
            [_item(reference) for reference in payable],
            intro=_("Páguelos antes de su vencimiento; después tendrá que generar una línea de captura nueva."),
            attention=True,
        )
    ]
    return [
        DashboardSection(
            "pagos",
            _("Pagos"),
            order=18,
            groups=groups,
            empty_text=_("No tiene pagos pendientes."),
            links=[
                DashboardLink(_("Mis pagos"), reverse("payments:mine")),
                DashboardLink(_("Consultar una línea de captura"), reverse("payments:lookup")),
            ],
        )
    ]


register("payments", sections)
