"""This app's part of a person's data download and of closing their account (docs/accounts.md; discovered by
``portal.accounts.personal_data.autodiscover``).

Reporters have no account here: nothing of a report is linked to anyone's account, so nothing of it is exported or
erased through one. What an account holds here is an **investigator's**: their key pair, the wraps of report keys
made for them, the questions and internal actions they wrote, and their lines in the chain of custody.

Exported: that they have a key (dates only: never key material), how many reports they can read, how many questions
and actions they wrote (counts: the texts are the report's), and their chain of custody lines (folio, what, when; never content: the content is the report's, sealed with its key).

Erased at closure: the key pair and the wraps (with the account closed nobody can unlock them anyway, and the body's
colleagues keep their own wraps). Kept: the questions and notes they wrote are part of the report's file, kept until
the report's retention ends (the author is cleared when the account goes: ``on_delete=SET_NULL``), and the chain of
custody records who did what to each report for as long as the report exists.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.personal_data import declare_kept, register_eraser, register_exporter

from .models import InvestigatorKey, ReportEvent, ReportKeyWrap, ReportMessage, ReportNote

CUSTODY = (
    "the chain of custody of a report (who opened, downloaded, classified, forwarded what, and when), kept with the "
    "report until its retention ends and deleted with it; it records staff acting for their body, never content"
)
FILE = (
    "questions to the reporter and internal actions are part of the report's file, sealed with its key and deleted "
    "with the report at the end of its retention; the author is cleared when the account is deleted"
)


def export_for_account(user: Any) -> dict[str, Any]:
    key = InvestigatorKey.objects.filter(user_id=user.pk).first()
    events = ReportEvent.objects.filter(actor_id=user.pk).select_related("report").order_by("at", "id")
    return {
        "llave_de_investigacion": (
            {"creada": key.created_at.isoformat(), "actualizada": key.updated_at.isoformat()} if key else None
        ),
        "denuncias_que_puede_leer": ReportKeyWrap.objects.filter(investigator_id=user.pk).count(),
        "preguntas_escritas": ReportMessage.objects.filter(author_id=user.pk).count(),
        "actuaciones_registradas": ReportNote.objects.filter(author_id=user.pk).count(),
        "cadena_de_custodia": [
            {"folio": event.report.folio, "evento": str(event.get_kind_display()), "fecha": event.at.isoformat()}
            for event in events
        ],
    }


def erase_for_account(user: Any) -> None:
    ReportKeyWrap.objects.filter(investigator_id=user.pk).delete()
    InvestigatorKey.objects.filter(user_id=user.pk).delete()


register_exporter(
    "denuncias_como_persona_investigadora",
    export_for_account,
    models=[
        "reports.InvestigatorKey",
        "reports.ReportKeyWrap",
        "reports.ReportEvent",
        "reports.ReportMessage",
        "reports.ReportNote",
    ],
)
register_eraser(
    "denuncias_como_persona_investigadora",
    erase_for_account,
    models=["reports.InvestigatorKey", "reports.ReportKeyWrap"],
)
declare_kept("reports.ReportEvent", CUSTODY)
declare_kept("reports.ReportMessage", FILE)
declare_kept("reports.ReportNote", FILE)
