"""Demo data of bodies for ``make run``: called by ``portal/participation/demo.py`` after the petitions (which runs
only in development or with ``--with-accounts``).

A dozen bodies of the demo entities, every kind represented, with members (some past), two to five sessions each
(the latest sometimes still scheduled), minutes as small PDFs drawn by ``sites.demo_files`` for some sessions, and
agreements in every status with their follow-up. Everything goes through the actions, by the entity's demo
«Enlace de participación ciudadana» (``participation.demo.participation_staff``), so every event is what the portal
would have recorded. Idempotent: a body that already exists (by entity and name) is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from portal.agencies import queries as agency_queries
from portal.applications.actions.files import inspect_upload
from portal.participation.demo import participation_staff
from portal.sites.demo_files import pdf_file

from . import actions
from .models import AgreementStatus, Body, BodyKind, BodyScope, MemberRole, MemberSector

# (entity, name, kind, scope, purpose, legal basis, in office)
BODIES: tuple[tuple[str, str, str, str, str, str, bool], ...] = (
    (
        "SSA",
        "Consejo Consultivo de Salud",
        BodyKind.ADVISORY_COUNCIL,
        BodyScope.NATIONAL,
        "Opinar y proponer sobre las políticas de salud pública, con la voz de la academia y la sociedad civil.",
        "Ley General de Salud, art. 17; Acuerdo por el que se crea el Consejo (DOF 15/03/2021).",
        True,
    ),
    (
        "SSA",
        "Observatorio Ciudadano del Abasto de Medicamentos",
        BodyKind.OBSERVATORY,
        BodyScope.NATIONAL,
        "Dar seguimiento público al abasto de medicamentos en las unidades de salud y publicar sus hallazgos.",
        "Ley General de Desarrollo Social, art. 69; Lineamientos del Observatorio (2023).",
        True,
    ),
    (
        "SEP",
        "Consejo Nacional de Participación Escolar",
        BodyKind.ADVISORY_COUNCIL,
        BodyScope.NATIONAL,
        "Promover la participación de madres, padres y comunidades en la mejora de las escuelas.",
        "Ley General de Educación, arts. 127 a 131.",
        True,
    ),
    (
        "SEP",
        "Grupo de Personas Expertas en Evaluación Educativa",
        BodyKind.EXPERT_GROUP,
        BodyScope.NATIONAL,
        "Revisar los instrumentos de evaluación del aprendizaje y recomendar mejoras.",
        "Acuerdo secretarial 12/05/24 por el que se integra el grupo de trabajo.",
        True,
    ),
    (
        "SEP",
        "Contraloría Social de Becas para el Bienestar",
        BodyKind.SOCIAL_OVERSIGHT,
        BodyScope.STATE,
        "Vigilar que las becas lleguen a quienes tienen derecho y en el tiempo previsto.",
        "Ley General de Desarrollo Social, arts. 69 a 71; Lineamientos de Contraloría Social (DOF 28/10/2016).",
        True,
    ),
    (
        "IMSS",
        "Comité de Personas Usuarias de Clínicas Familiares",
        BodyKind.COMMITTEE,
        BodyScope.MUNICIPAL,
        "Recoger las opiniones de las personas usuarias y proponer mejoras en la atención de las clínicas.",
        "Ley del Seguro Social, art. 251; Reglamento Interior del IMSS.",
        True,
    ),
    (
        "IMSS",
        "Consejo Consultivo de Derechohabientes",
        BodyKind.ADVISORY_COUNCIL,
        BodyScope.NATIONAL,
        "Opinar sobre los servicios y prestaciones del Instituto desde la experiencia de sus derechohabientes.",
        "Ley del Seguro Social, art. 264.",
        True,
    ),
    (
        "BIENESTAR",
        "Contraloría Social de Programas para el Bienestar",
        BodyKind.SOCIAL_OVERSIGHT,
        BodyScope.MUNICIPAL,
        "Vigilar la entrega de los apoyos de los programas sociales en cada municipio.",
        "Ley General de Desarrollo Social, arts. 69 a 71.",
        True,
    ),
    (
        "BIENESTAR",
        "Observatorio Ciudadano de Programas Sociales",
        BodyKind.OBSERVATORY,
        BodyScope.STATE,
        "Analizar los padrones y los resultados de los programas sociales y publicar sus informes.",
        "Ley General de Desarrollo Social, art. 69; Acuerdo de creación (2022).",
        True,
    ),
    (
        "CFE",
        "Comité de Transparencia Tarifaria",
        BodyKind.COMMITTEE,
        BodyScope.NATIONAL,
        "Explicar al público cómo se fijan las tarifas eléctricas y atender sus dudas.",
        "Ley de la Comisión Federal de Electricidad, art. 12.",
        True,
    ),
    (
        "PROFECO",
        "Grupo de Trabajo de Personas Expertas en Consumo Digital",
        BodyKind.EXPERT_GROUP,
        BodyScope.NATIONAL,
        "Proponer criterios de protección para quienes compran en línea.",
        "Ley Federal de Protección al Consumidor, art. 24.",
        True,
    ),
    (
        "GOBCOL",
        "Mesa de Participación Ciudadana de Colima",
        BodyKind.OTHER,
        BodyScope.STATE,
        "Espacio de diálogo entre el gobierno del estado y las organizaciones civiles de Colima.",
        "Ley de Participación Ciudadana del Estado de Colima, art. 40.",
        False,
    ),
)
PEOPLE = (
    "María Elena Robles Guzmán",
    "Jorge Alberto Castañeda Lima",
    "Patricia Núñez Olvera",
    "Ricardo Salazar Peña",
    "Gabriela Torres Ibarra",
    "Héctor Manuel Ortega Ruiz",
    "Lucía Fernández Aguilar",
    "Daniel Herrera Campos",
    "Adriana Morales Vega",
    "Fernando Ríos Delgado",
    "Sofía Ramírez Cortés",
    "Arturo Jiménez Solís",
)
ROLES = (MemberRole.PRESIDENCY, MemberRole.TECHNICAL_SECRETARY, MemberRole.COUNCILLOR, MemberRole.COUNCILLOR)
SECTORS = (MemberSector.GOVERNMENT, MemberSector.CIVIL_SOCIETY, MemberSector.ACADEMIA, MemberSector.PRIVATE)
AGREEMENTS = (
    "Publicar el diagnóstico en el sitio de la institución.",
    "Presentar un informe de avances en la siguiente sesión.",
    "Abrir una convocatoria pública para nuevas personas integrantes.",
    "Enviar a las áreas responsables las recomendaciones aprobadas.",
)
# The follow-up each agreement gets, by its place: (days after the session, status, note) steps.
FOLLOW_UPS: tuple[tuple[tuple[int, str, str], ...], ...] = (
    (),
    ((10, AgreementStatus.IN_PROGRESS, "El área responsable inició los trabajos."),),
    (
        (7, AgreementStatus.IN_PROGRESS, "Se integró un borrador."),
        (21, AgreementStatus.DONE, "Se cumplió y se publicó el resultado."),
    ),
    ((14, AgreementStatus.CANCELLED, "El pleno acordó sustituirlo por otro acuerdo."),),
)


def load_demo(seed: Any) -> None:
    today = actions.today()
    made = 0
    for n, (acronym, name, kind, scope, purpose, legal_basis, active) in enumerate(BODIES):
        agency = agency_queries.agency_by_acronym(acronym)
        if agency is None or Body.objects.filter(agency=agency, name=name).exists():
            continue
        _make_body(n, agency, name, kind, scope, purpose, legal_basis, active, today)
        made += 1
    seed.say(
        _("Mecanismos de participación de demostración: %(count)s nuevos; enlaces: participacion.<siglas>")
        % {"count": made}
    )


def _make_body(
    n: int,
    agency: Any,
    name: str,
    kind: str,
    scope: str,
    purpose: str,
    legal_basis: str,
    active: bool,
    today: dt.date,
) -> Body:
    staff = participation_staff(agency)
    body = actions.do_create_body(
        staff,
        agency,
        {
            "name": name,
            "kind": kind,
            "scope": scope,
            "purpose": purpose,
            "legal_basis": legal_basis,
            "legal_basis_url": "https://www.dof.gob.mx/",
            "how_to_take_part": _(
                "Cada año se publica una convocatoria abierta en este portal. Las sesiones ordinarias son "
                "públicas: puede asistir registrándose con el correo de contacto."
            ),
            "contact_email": f"participacion@{agency.acronym.lower()}.gob.mx",
            "is_active": True,
        },
    )
    for m in range(4 + n % 3):
        start = today - dt.timedelta(days=700 - 30 * m)
        ended = m == 3  # one past member each: shown apart on the public page
        actions.do_add_member(
            body,
            staff,
            name=PEOPLE[(n * 3 + m) % len(PEOPLE)],
            role=ROLES[m % len(ROLES)] if not ended else MemberRole.GUEST,
            sector=SECTORS[(n + m) % len(SECTORS)],
            term_start=start,
            term_end=start + dt.timedelta(days=365) if ended else None,
        )
    sessions = 2 + n % 4
    for s in range(sessions):
        date = today - dt.timedelta(days=90 * (sessions - s))
        scheduled = s == sessions - 1 and n % 3 == 0
        if scheduled:
            date = today + dt.timedelta(days=20)
        session = actions.do_add_session(
            body,
            staff,
            kind="extraordinary" if s == 2 else "ordinary",
            date=date,
            place=_("En línea") if s % 2 else _("Sala de juntas de la institución"),
            agenda=_("1. Lista de asistencia y quórum\n2. Seguimiento de acuerdos\n3. Asuntos generales"),
            status="scheduled" if scheduled else "held",
        )
        if scheduled:
            continue
        if (n + s) % 2 == 0:
            title = _("Acta de la sesión %(number)s") % {"number": session.number}
            content = pdf_file(f"{name}: {title}", [str(line) for line in session.agenda.splitlines()])
            clean = inspect_upload(SimpleUploadedFile("acta.pdf", content, content_type="application/pdf"))
            actions.do_add_document(session, staff, kind="minutes", title=title, clean=clean)
        for a in range(2):
            place = (n + s * 2 + a) % len(AGREEMENTS)
            agreement = actions.do_add_agreement(
                session,
                staff,
                code=f"{agency.acronym}-{date.year}-{session.number:02d}-{a + 1}",
                text=AGREEMENTS[place],
                responsible=_("Secretaría técnica"),
                due_date=date + dt.timedelta(days=60),
            )
            for days, status, note in FOLLOW_UPS[place]:
                actions.do_update_agreement(
                    agreement, staff, status=status, note=note, date=min(today, date + dt.timedelta(days=days))
                )
    if not active:
        actions.do_update_body(
            body,
            staff,
            {field: getattr(body, field) for field in actions.BODY_FIELDS} | {"is_active": False},
        )
    return body
