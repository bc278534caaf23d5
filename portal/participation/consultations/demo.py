"""Demo data of consultations for `make run`: called by ``portal/participation/demo.py`` after the petitions.

Two open consultations and one closed and answered (treatments, final text, the response's PDF), through the same
actions as the pages, with past dates where the story needs them. Idempotent: once the demo consultations exist it
does nothing. The entity's demo staff is ``participacion.<siglas>`` (``participation.demo.participation_staff``); the
people who comment are demo accounts without verified contacts, so no notice is queued for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.agencies.queries import agency_by_acronym
from portal.participation.demo import demo_user, participation_staff

from . import actions
from .models import Comment, CommentSupport, Consultation
from .queries import count_supports, today

#: (entity, address, title, kind, summary, sections, questions); the first two open, the last one answered.
CONSULTATIONS: tuple[tuple[str, str, str, str, str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] = (
    (
        "SSA",
        "demo-etiquetado-de-alimentos",
        "Proyecto de norma sobre el etiquetado frontal de alimentos y bebidas",
        "regulation",
        "La Secretaría de Salud propone actualizar los sellos de advertencia en alimentos y bebidas envasados.",
        (
            (
                "Artículo 1. Objeto",
                "Esta norma establece la información de advertencia que deben llevar en la "
                "cara frontal los alimentos y bebidas no alcohólicas envasados.",
            ),
            (
                "Artículo 2. Sellos",
                "Los productos con exceso de azúcares, sodio, grasas saturadas o calorías "
                "llevarán un sello octagonal negro por cada nutrimento en exceso.",
            ),
            (
                "Artículo 3. Leyendas",
                "Los productos con cafeína o edulcorantes llevarán la leyenda «No recomendable "
                "en niños» debajo de los sellos.",
            ),
            (
                "Artículo 4. Tamaño",
                "El tamaño de cada sello será proporcional a la superficie frontal del envase, "
                "con un mínimo de un centímetro de alto.",
            ),
            ("Artículo 5. Vigencia", "Esta norma entrará en vigor noventa días naturales después de su publicación."),
        ),
        ("¿Los sellos actuales le ayudan a elegir?", "¿Qué información falta en las etiquetas?"),
    ),
    (
        "SEP",
        "demo-reglas-becas-educacion-basica",
        "Reglas de operación del programa de becas para la educación básica 2027",
        "programme_rules",
        "La Secretaría de Educación Pública consulta las reglas con las que entregará las becas del próximo año.",
        (
            (
                "Regla 1. Población objetivo",
                "Niñas, niños y adolescentes inscritos en escuelas públicas de "
                "educación básica en localidades de alta marginación.",
            ),
            (
                "Regla 2. Monto",
                "La beca será de mil novecientos pesos bimestrales por familia, durante diez meses del ciclo escolar.",
            ),
            (
                "Regla 3. Registro",
                "Las familias se registrarán en la escuela o en línea, con la CURP de la persona "
                "estudiante y de quien la tiene a su cargo.",
            ),
            (
                "Regla 4. Entrega",
                "La beca se depositará en una tarjeta bancaria a nombre de la madre, el padre o la persona tutora.",
            ),
        ),
        ("¿Qué dificultades tuvo para registrarse?",),
    ),
    (
        "BIENESTAR",
        "demo-lineamientos-comedores-comunitarios",
        "Lineamientos de los comedores comunitarios",
        "policy",
        "La Secretaría de Bienestar consultó los lineamientos de los comedores comunitarios; ya publicó su respuesta.",
        (
            (
                "Lineamiento 1. Objeto",
                "Los comedores comunitarios ofrecen una comida caliente al día a personas en "
                "situación de pobreza alimentaria.",
            ),
            ("Lineamiento 2. Horario", "Los comedores abrirán de lunes a viernes de las 13 a las 16 horas."),
            ("Lineamiento 3. Cuota", "Cada comida tendrá una cuota de recuperación de diez pesos."),
        ),
        ("¿Qué días debería abrir el comedor?",),
    ),
)

COMMENTS = (
    "Estoy de acuerdo con este texto; es claro y necesario.",
    "Propongo que se explique mejor a quién aplica.",
    "Este plazo es muy corto para los pequeños productores.",
    "Falta decir cómo se vigilará el cumplimiento.",
    "Pido que se incluya una versión en lenguas indígenas.",
    "El texto debería considerar a las personas con discapacidad.",
    "Sugiero que se consulte también a las escuelas rurales.",
)
ORGANISATIONS = ("", "", "Red Ciudadana por la Transparencia", "", "Colectivo Mesa Común", "")
#: The answered consultation's final texts (by section order): what the public diff shows.
FINAL_TEXTS = {
    2: "Los comedores abrirán de lunes a sábado de las 13 a las 16 horas.",
    3: "Cada comida tendrá una cuota de recuperación de diez pesos; las personas mayores no pagarán cuota.",
}


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def load_demo(seed: Any) -> None:
    if Consultation.objects.filter(slug__startswith="demo-").exists():
        seed.say(_("Consultas públicas de demostración: ya existen."))
        return
    people = [demo_user(f"participante.{n:02d}", "Persona", f"Participante {n:02d}") for n in range(1, 9)]
    day = today()
    made = 0
    for index, (acronym, slug, title, kind, summary, sections, questions) in enumerate(CONSULTATIONS):
        agency = agency_by_acronym(acronym)
        if agency is None or not agency.is_active:
            continue
        staff = participation_staff(agency)
        answered = index == 2
        opens_on = day - dt.timedelta(days=40 if answered else 7 + index * 3)
        closes_on = day - dt.timedelta(days=5) if answered else day + dt.timedelta(days=20 + index * 10)
        consultation = actions.do_create_consultation(
            agency,
            staff,
            title=title,
            summary=summary,
            kind=kind,
            opens_on=opens_on,
            closes_on=closes_on,
            now=_noon(opens_on - dt.timedelta(days=3)),
        )
        consultation.slug = slug  # stable demo addresses
        consultation.save(update_fields=["slug"])
        for heading, text in sections:
            actions.do_add_section(consultation, heading, text)
        for text in questions:
            actions.do_add_question(consultation, text)
        consultation = actions.do_publish_consultation(consultation, staff, now=_noon(opens_on - dt.timedelta(days=1)))
        comments = _comments(consultation, people, opens_on)
        if answered:
            _answer(consultation, staff, comments)
        made += 1
    seed.say(
        _("Consultas públicas de demostración: %(count)s; personal: participacion.<siglas>@ventanilla.example")
        % {"count": made}
    )


def _comments(consultation: Consultation, people: list[Any], opens_on: dt.date) -> list[Comment]:
    """About a dozen comments per consultation, a passage on some, a few replies and supports."""
    made: list[Comment] = []
    sections = list(consultation.sections.order_by("order"))
    n = 0
    for section in sections:
        for k in range(3):
            when = _noon(opens_on + dt.timedelta(days=(n % 5)))
            words = section.draft_text.split()
            passage = " ".join(words[2:8]) if k == 1 else ""
            comment = actions.do_comment(
                consultation,
                people[n % len(people)],
                COMMENTS[n % len(COMMENTS)],
                section=section,
                passage=passage,
                on_behalf_of=ORGANISATIONS[n % len(ORGANISATIONS)],
                now=when,
            )
            made.append(comment)
            if k == 2:
                made.append(
                    actions.do_comment(
                        consultation,
                        people[(n + 3) % len(people)],
                        _("Coincido con este comentario."),
                        parent=comment,
                        now=when + dt.timedelta(hours=2),
                    )
                )
            n += 1
    for question in consultation.questions.all():
        for k in range(2):
            made.append(
                actions.do_comment(
                    consultation,
                    people[(n + k) % len(people)],
                    COMMENTS[(n + k) % len(COMMENTS)],
                    question=question,
                    now=_noon(opens_on + dt.timedelta(days=1)),
                )
            )
    # Supports: the demo people are not verified accounts (``do_support_comment`` requires it), so the demo writes
    # the rows directly, once per person, and recounts as the action does.
    for i, comment in enumerate(made[::3]):
        for person in people[: 1 + i % 4]:
            if person.pk != comment.author_id:
                CommentSupport.objects.get_or_create(comment=comment, user=person)
        comment.supports_count = count_supports(comment)
        comment.save(update_fields=["supports_count"])
    return made


def _answer(consultation: Consultation, staff: Any, comments: list[Comment]) -> None:
    treatments = (
        ("accepted", _("Se incorpora al texto final.")),
        ("partly", _("Se incorpora en parte: el texto final recoge la idea principal.")),
        ("rejected", _("No se incorpora: excede el alcance de estos lineamientos.")),
    )
    for n, comment in enumerate(comments):
        treatment, reason = treatments[n % len(treatments)]
        actions.do_set_treatment(comment, staff, treatment, reason)
    for section in consultation.sections.all():
        if section.order in FINAL_TEXTS:
            actions.do_set_final_text(section, staff, FINAL_TEXTS[section.order])
    actions.do_publish_response(
        consultation,
        staff,
        _(
            "Gracias a quienes participaron. Con sus comentarios, los comedores abrirán también los sábados y las "
            "personas mayores no pagarán cuota de recuperación."
        ),
    )
