"""Denuncia's part of ``manage.py seed_demo``: an investigator for the internal control bodies of SABG, IMSS, SAT and
the State of Colima, with their keys, and ten reports in every state, so that ``make run`` shows the back office at
``/oficina/denuncias/``.

A demo loader (``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it. Like
the demo accounts, it runs only in development (``DEBUG``) or with ``--with-accounts``. Investigators
``investigacion.<siglas>@ventanilla.example`` share the demo password (``accounts.demo.DEMO_PASSWORD``); like the
other demo staff they set up their second factor the first time they enter ``/oficina/``.

Reports go through the same actions as the pages (``actions.do_file_report``, ``casework.do_*``,
``actions.do_reporter_reply``), so every seal, wrap and event is what the portal would have made. Their receipts exist
nowhere but in the seed's console output (``seed.say``), so that a developer can try the reporter's follow-up; they
are stored nowhere. Keep the counts small: in development each key and each receipt costs one Argon2id (about
0.45–0.5 s).

Idempotent: the investigators and their keys are made once; the reports once (while no demo body holds a report).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import nacl.public
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.actions import do_add_verified_email
from portal.accounts.demo import DEMO_PASSWORD
from portal.agencies.actions import do_grant_role
from portal.agencies.queries import agency_by_acronym

from . import actions, casework, crypto
from .models import Report, ReportEvent
from .queries import INVESTIGATOR_ROLE

DEMO_AFTER = ("agencies", "accounts")
DEMO_BODIES = ("SABG", "IMSS", "SAT", "GOBCOL")
DEMO_INVESTIGATORS = {
    "SABG": ("Leticia", "Orozco Beltrán"),
    "IMSS": ("Ernesto", "Salgado Ruiz"),
    "SAT": ("Norma", "Villaseñor Tapia"),
    "GOBCOL": ("Iván", "Cárdenas Mejía"),
}


@dataclass(frozen=True)
class DemoReport:
    body: str
    what: str
    person: str = ""
    position: str = ""
    when: str = ""
    where: str = ""
    identified: bool = False
    names_control_staff: bool = False
    # What happens next: "", "ask", "reply", "in_scope", "note", "close", "out_of_scope", "forward", "outside".
    fate: tuple[str, ...] = ()


DEMO_REPORTS = (
    DemoReport(
        "IMSS",
        "En la Unidad de Medicina Familiar 19 un empleado pide 500 pesos para adelantar las citas de especialidad.",
        "Un empleado de archivo clínico",
        "Auxiliar administrativo",
        "Marzo de 2026",
        "UMF 19, Colima",
    ),
    DemoReport(
        "IMSS",
        "Una proveedora de medicamentos entrega cajas con menos piezas de las facturadas y el almacén las recibe.",
        "Responsable del almacén",
        "Jefe de almacén",
        "Desde enero",
        "Almacén delegacional",
        fate=("ask",),
    ),
    DemoReport(
        "IMSS",
        "Se cobran cuotas por entregar incapacidades que deberían ser gratuitas.",
        "Personal de ventanilla",
        "",
        "Cada semana",
        "Hospital General de Zona 1",
        fate=("in_scope", "ask", "reply"),
    ),
    DemoReport(
        "IMSS",
        "El jefe de servicios asigna turnos extra pagados a personas que no se presentan.",
        "Jefe de servicios",
        "Jefe de servicios generales",
        "2025",
        "Colima",
        fate=("in_scope", "note", "close"),
    ),
    DemoReport(
        "SAT",
        "Un verificador me ofreció no multar a mi negocio a cambio de 3,000 pesos.",
        "Verificador",
        "Verificador fiscal",
        "10 de febrero de 2026",
        "Av. Rey Colimán, Colima",
        identified=True,
    ),
    DemoReport(
        "SAT",
        "Mi vecino no paga impuestos de su tienda.",
        fate=("out_of_scope",),
    ),
    DemoReport(
        "SAT",
        "Piden dinero para dar citas en la oficina desconcentrada.",
        "Personal de módulo",
        "",
        "Abril de 2026",
        "Oficina del SAT en Colima",
        fate=("in_scope", "note"),
    ),
    DemoReport(
        "GOBCOL",
        "En una obra federal de la carretera se cobran materiales que no se usaron.",
        "Residente de obra",
        "",
        "2025",
        "Carretera Colima–Manzanillo",
        fate=("forward",),
    ),
    DemoReport(
        "IMSS",
        "Una persona del órgano interno de control del IMSS archiva las quejas a cambio de dinero.",
        "Persona del órgano interno de control",
        "Investigadora",
        "2026",
        "Delegación Colima",
        names_control_staff=True,
    ),
    DemoReport(
        "SABG",
        "Un agente de tránsito municipal pide dinero para no levantar infracciones.",
        "Agente de tránsito",
        "",
        "Mayo de 2026",
        "Villa de Álvarez",
        fate=("outside",),
    ),
)
DEMO_QUESTION = "¿Recuerda la fecha de la entrega y el número de factura? Si tiene una fotografía, agréguela."
DEMO_ANSWER = "Fue la segunda semana de marzo; no tengo fotografía, pero el recibo dice folio 4471."


def load_demo(seed: Any) -> None:
    if not (settings.DEBUG or seed.with_accounts):
        return
    bodies = {acronym: agency for acronym in DEMO_BODIES if (agency := agency_by_acronym(acronym)) is not None}
    if len(bodies) < 2:
        seed.say(_("Denuncias de demostración: faltan las instituciones de demostración."))
        return
    keys = {acronym: _investigator(agency) for acronym, agency in bodies.items()}
    if Report.objects.filter(agency__in=bodies.values()).exists():
        seed.say(_("Denuncias de demostración: ya existen."))
        return
    receipts = []
    for n, demo in enumerate(seed.progress(_("Denuncias de demostración"))(DEMO_REPORTS)):
        agency = bodies.get(demo.body)
        if agency is None:
            continue
        receipts.append(_file(demo, agency, bodies, keys, days_ago=3 * (len(DEMO_REPORTS) - n)))
    seed.say(
        _(
            "Denuncias de demostración: %(count)d; personal investigador: investigacion.<siglas>@ventanilla.example "
            "(%(bodies)s). Recibos para probar la consulta de quien denuncia (no se guardan):"
        )
        % {"count": len(receipts), "bodies": ", ".join(bodies)}
    )
    for folio, receipt in receipts:
        seed.say(f"  {folio}: {crypto.format_receipt(receipt)}")


def _investigator(agency: Any) -> tuple[Any, nacl.public.PrivateKey | None]:
    """The body's demo investigator, with the role and a key sealed by the demo password; their unlocked private key
    (``None`` if someone changed the demo account's password: the demo then leaves their acts undone)."""
    username = f"investigacion.{agency.acronym.lower()}"
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        first_name, last_name = DEMO_INVESTIGATORS.get(agency.acronym, ("Persona", "Investigadora"))
        user = User.objects.create_user(
            username=username,
            email=f"{username}@ventanilla.example",
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
        do_add_verified_email(user, user.email)
    do_grant_role(user, agency, INVESTIGATOR_ROLE)
    if not casework.has_investigator_key(user):
        return user, actions.do_create_investigator_key(user, DEMO_PASSWORD)
    try:
        return user, actions.unlock_investigator_key(user, DEMO_PASSWORD)
    except actions.WrongPassword:
        return user, None


def _file(
    demo: DemoReport,
    agency: Any,
    bodies: dict[str, Any],
    keys: dict[str, tuple[Any, nacl.public.PrivateKey | None]],
    *,
    days_ago: int,
) -> tuple[str, str]:
    content = actions.ReportContent(
        what=demo.what,
        agency_id=agency.pk,
        agency_name=agency.name,
        person=demo.person,
        position=demo.position,
        when=demo.when,
        where=demo.where,
        names_control_staff=demo.names_control_staff,
        identified=demo.identified,
        reporter_name="Rosa Elena Gómez" if demo.identified else "",
        reporter_email="rosa.gomez@example.com" if demo.identified else "",
    )
    filed = actions.do_file_report(content, [], agency=agency)
    report = filed.report
    # Received some days ago, as in a body's real inbox (the filing itself is the actions' own).
    received = timezone.now() - dt.timedelta(days=days_ago)
    Report.objects.filter(pk=report.pk).update(created_at=received)
    ReportEvent.objects.filter(report=report).update(at=received)
    holder = next((acronym for acronym, body in bodies.items() if body.pk == report.agency_id), None)
    user, private_key = keys.get(holder or "", (None, None))
    if demo.fate and user is not None and private_key is not None:
        report_key = actions.unwrap_for_investigator(report, user, private_key)
        if report_key is not None:
            _act(demo, report, user, report_key, filed.receipt, bodies)
    return report.folio, filed.receipt


def _act(demo: DemoReport, report: Report, user: Any, report_key: bytes, receipt: str, bodies: dict[str, Any]) -> None:
    for step in demo.fate:
        report.refresh_from_db()
        if step == "ask":
            casework.do_ask_reporter(report, user, report_key, DEMO_QUESTION)
        elif step == "reply":
            reporter = actions.check_receipt(receipt)
            if reporter is not None:
                actions.do_reporter_reply(reporter, DEMO_ANSWER)
        elif step == "in_scope":
            casework.do_classify_in_scope(report, user)
        elif step == "note":
            casework.do_record_action(report, user, report_key, "Se pidió la bitácora de accesos del área señalada.")
        elif step == "close":
            casework.do_close(
                report, user, report_key, "Se turnó el expediente a la autoridad substanciadora por falta grave."
            )
        elif step == "out_of_scope":
            casework.do_classify_out_of_scope(
                report,
                user,
                report_key,
                "Los hechos no describen un acto de corrupción de una persona servidora pública. Si quiere denunciar "
                "un posible incumplimiento fiscal, puede hacerlo ante el SAT.",
            )
        elif step == "forward" and "SABG" in bodies:
            casework.do_forward_to_body(
                report, user, report_key, bodies["SABG"], "La obra es federal: la investiga la Secretaría."
            )
        elif step == "outside":
            casework.do_forward_outside(
                report,
                user,
                report_key,
                "Órgano Interno de Control del Ayuntamiento de Villa de Álvarez",
                "Los agentes de tránsito son personal municipal. Presente su denuncia ante el Ayuntamiento.",
            )
