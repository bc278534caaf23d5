"""Writes of the registry of participation bodies: register and edit a body, add members and end their terms, add
sessions and change their status, publish a session's documents, record agreements and their follow-up. Every channel
(the staff's pages, the demo, later the API) calls these, so the rules and the record are the same everywhere.

Each change runs in one transaction and writes, in it, a ``BodyEvent`` (who by role, when, what, from and to). The
texts are checked by the ``check_*`` functions the forms also run, so a page and any other channel refuse the same
input with the same Spanish words. Who may act was checked by the caller (``access.access_staff_*``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.applications.actions.files import CleanFile, private_storage, store_clean_file
from portal.core import business_days
from portal.participation import search
from portal.participation.actions import check_text

from . import access
from .models import (
    AGENDA_MAX_LENGTH,
    AGREEMENT_CODE_MAX_LENGTH,
    AGREEMENT_TEXT_MAX_LENGTH,
    BODY_NAME_MAX_LENGTH,
    HOW_TO_MAX_LENGTH,
    LEGAL_BASIS_MAX_LENGTH,
    MEMBER_NAME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    PURPOSE_MAX_LENGTH,
    RESPONSIBLE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    UPDATE_NOTE_MAX_LENGTH,
    AgreementStatus,
    Body,
    BodyActorRole,
    BodyAgreement,
    BodyAgreementUpdate,
    BodyEvent,
    BodyEventKind,
    BodyKind,
    BodyMember,
    BodyScope,
    BodySession,
    BodySessionDocument,
    MemberRole,
    MemberSector,
    SessionDocumentKind,
    SessionKind,
    SessionStatus,
)

if TYPE_CHECKING:
    from portal.agencies.models import Agency

logger = logging.getLogger(__name__)
#: A session's document: a PDF of at most 10 MB (checked and cleaned by ``applications``' file checks first).
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
STORAGE_PREFIX = "mecanismos"
# Words of the registry's own addresses (``/participa/mecanismos/<slug>/``): never a body's slug.
RESERVED_SLUGS = frozenset({"gestion", "documentos", "datos", "acuerdos", "nuevo"})
SLUG_BASE_LENGTH = 70
#: A body's public data, as ``check_body``, ``do_create_body`` and ``do_update_body`` take it (plus ``is_active``).
BODY_FIELDS = (
    "name",
    "kind",
    "purpose",
    "legal_basis",
    "legal_basis_url",
    "how_to_take_part",
    "contact_email",
    "scope",
)
_CODE = re.compile(r"^[0-9A-Za-zÁÉÍÓÚÜÑáéíóúüñ][0-9A-Za-zÁÉÍÓÚÜÑáéíóúüñ./\- ]*$")
FINAL_AGREEMENT_STATUSES = (AgreementStatus.DONE, AgreementStatus.CANCELLED)


class BodyRefused(ValidationError):
    """The act is not possible in the present state; the message says why, in Spanish."""


# --- Checks (the same ones the forms show) --------------------------------------------------------------------------


def _optional_text(value: str, *, limit: int, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    return check_text(value, limit=limit, empty="", too_long=too_long)


def check_body_name(value: str) -> str:
    return check_text(
        value,
        limit=BODY_NAME_MAX_LENGTH,
        empty=_("Escriba el nombre del mecanismo."),
        too_long=_("El nombre puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_purpose(value: str) -> str:
    return check_text(
        value,
        limit=PURPOSE_MAX_LENGTH,
        empty=_("Escriba el objeto del mecanismo: para qué existe."),
        too_long=_("El objeto puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_legal_basis(value: str) -> str:
    return check_text(
        value,
        limit=LEGAL_BASIS_MAX_LENGTH,
        empty=_("Escriba el fundamento jurídico: la ley, reglamento o acuerdo que crea el mecanismo."),
        too_long=_("El fundamento jurídico puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_legal_basis_url(value: str) -> str:
    """Optional; an address that starts with http:// or https:// (nothing a browser would run)."""
    value = (value or "").strip()
    if not value:
        return ""
    message = _("Escriba la dirección completa del instrumento jurídico, que empiece con https:// o http://.")
    if len(value) > 500:
        raise ValidationError(_("La dirección puede tener hasta 500 caracteres."), code="max_length")
    try:
        URLValidator(schemes=["http", "https"], message=message)(value)
    except ValidationError:
        raise ValidationError(message, code="invalid_url") from None
    return value


def check_how_to_take_part(value: str) -> str:
    return check_text(
        value,
        limit=HOW_TO_MAX_LENGTH,
        empty=_("Escriba cómo puede participar una persona: convocatorias, requisitos, sesiones abiertas."),
        too_long=_("El texto de cómo participar puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_contact_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    message = _("Escriba un correo de contacto válido, como nombre@institucion.gob.mx.")
    if len(value) > 254:
        raise ValidationError(message, code="invalid_email")
    try:
        EmailValidator(message=message)(value)
    except ValidationError:
        raise ValidationError(message, code="invalid_email") from None
    return value


def _check_choice(value: str, choices: Any, message: str) -> str:
    if value not in choices.values:
        raise ValidationError(message, code="invalid_choice")
    return value


def check_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A body's fields checked; ``ValidationError`` with one Spanish message per wrong field (by field name)."""
    checks: dict[str, Callable[[str], str]] = {
        "name": check_body_name,
        "kind": lambda v: _check_choice(v, BodyKind, _("Elija el tipo de mecanismo.")),
        "purpose": check_purpose,
        "legal_basis": check_legal_basis,
        "legal_basis_url": check_legal_basis_url,
        "how_to_take_part": check_how_to_take_part,
        "contact_email": check_contact_email,
        "scope": lambda v: _check_choice(v, BodyScope, _("Elija el ámbito del mecanismo.")),
    }
    clean: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, check in checks.items():
        try:
            clean[name] = check(fields.get(name, "") or "")
        except ValidationError as error:
            errors[name] = error
    if errors:
        raise ValidationError(errors)
    clean["is_active"] = bool(fields.get("is_active", True))
    return clean


def check_member_name(value: str) -> str:
    return check_text(
        value,
        limit=MEMBER_NAME_MAX_LENGTH,
        empty=_("Escriba el nombre de la persona integrante."),
        too_long=_("El nombre puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_term(term_start: dt.date, term_end: dt.date | None) -> None:
    """A term ends on or after the day it starts."""
    if term_end is not None and term_end < term_start:
        raise ValidationError(
            _("El fin del cargo (%(end)s) no puede ser anterior a su inicio (%(start)s).")
            % {"end": term_end.strftime("%d/%m/%Y"), "start": term_start.strftime("%d/%m/%Y")},
            code="term_order",
        )


def check_place(value: str) -> str:
    return check_text(
        value,
        limit=PLACE_MAX_LENGTH,
        empty=_("Escriba el lugar de la sesión, o «En línea»."),
        too_long=_("El lugar puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_agenda(value: str) -> str:
    return _optional_text(
        value,
        limit=AGENDA_MAX_LENGTH,
        too_long=_("El orden del día puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_document_title(value: str) -> str:
    return check_text(
        value,
        limit=TITLE_MAX_LENGTH,
        empty=_("Escriba el título del documento, por ejemplo «Acta de la primera sesión ordinaria»."),
        too_long=_("El título puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_document_file(clean: CleanFile) -> CleanFile:
    """Only a PDF of at most 10 MB: agendas and minutes are documents, published as they were signed."""
    if clean.content_type != "application/pdf":
        raise ValidationError(
            _("El documento debe ser un PDF; el archivo que eligió es %(kind)s.") % {"kind": clean.extension.upper()},
            code="not_pdf",
        )
    if clean.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("El documento puede pesar hasta 10 MB."), code="too_big")
    return clean


def check_agreement_code(value: str) -> str:
    value = check_text(
        value,
        limit=AGREEMENT_CODE_MAX_LENGTH,
        empty=_("Escriba la clave del acuerdo, por ejemplo CC-2026-03."),
        too_long=_("La clave puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )
    if not _CODE.match(value):
        raise ValidationError(
            _("La clave solo puede tener letras, números, espacios y los signos - / . (por ejemplo CC-2026-03)."),
            code="invalid_code",
        )
    return value


def check_agreement_text(value: str) -> str:
    return check_text(
        value,
        limit=AGREEMENT_TEXT_MAX_LENGTH,
        empty=_("Escriba el texto del acuerdo."),
        too_long=_("El acuerdo puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_responsible(value: str) -> str:
    return check_text(
        value,
        limit=RESPONSIBLE_MAX_LENGTH,
        empty=_("Escriba quién es responsable de cumplir el acuerdo."),
        too_long=_("El responsable puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_update_note(value: str) -> str:
    return check_text(
        value,
        limit=UPDATE_NOTE_MAX_LENGTH,
        empty=_("Escriba qué avance o cambio tuvo el acuerdo."),
        too_long=_("La nota puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


# --- Shared steps ---------------------------------------------------------------------------------------------------


def today() -> dt.date:
    """Today in Mexico City: the calendar the registry's dates are written in."""
    return business_days.today()


def _record(
    body: Body,
    kind: str,
    actor: Any,
    *,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
    when: dt.datetime | None = None,
) -> BodyEvent:
    has_actor = getattr(actor, "pk", None) is not None
    return BodyEvent.objects.create(
        body=body,
        kind=kind,
        actor=actor if has_actor else None,
        actor_role=access.actor_role(actor, body.agency) if has_actor else BodyActorRole.SYSTEM,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
        created_at=when or timezone.now(),
    )


def _lock(body: Body) -> Body:
    """The body under a row lock: sessions' numbers and agreements' codes are drawn under it, one writer at a time."""
    return Body.objects.select_for_update(of=("self",)).select_related("agency").get(pk=body.pk)


def _new_slug(name: str) -> str:
    base = (slugify(name)[:SLUG_BASE_LENGTH].strip("-")) or "mecanismo"
    if base in RESERVED_SLUGS:
        base = f"{base}-mecanismo"
    slug, n = base, 1
    while Body.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Bodies ---------------------------------------------------------------------------------------------------------


def do_create_body(actor: Any, agency: Agency, fields: Mapping[str, Any], *, when: dt.datetime | None = None) -> Body:
    """Register a body of ``agency``; its address (``slug``) comes from its name and never changes afterwards."""
    clean = check_body(fields)
    with transaction.atomic():
        body = Body.objects.create(agency=agency, slug=_new_slug(clean["name"]), **clean)
        if when is not None:
            Body.objects.filter(pk=body.pk).update(created_at=when)
        _record(body, BodyEventKind.CREATED, actor, data={"name": body.name}, when=when)
        search.announce(search.BODY, body.pk)
    return body


def do_update_body(body: Body, actor: Any, fields: Mapping[str, Any]) -> Body:
    """Change a body's public data; the event lists the fields that changed (their old values stay in the history
    only as names: the new text is what is public)."""
    clean = check_body(fields)
    with transaction.atomic():
        locked = _lock(body)
        changed = [name for name, value in clean.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, clean[name])
        locked.save(update_fields=[*changed, "updated_at"])
        states = ("inactive", "active") if locked.is_active else ("active", "inactive")
        from_status, to_status = states if "is_active" in changed else ("", "")
        _record(
            locked,
            BodyEventKind.EDITED,
            actor,
            from_status=from_status,
            to_status=to_status,
            data={"fields": changed},
        )
        search.announce(search.BODY, locked.pk)
    return locked


# --- Members --------------------------------------------------------------------------------------------------------


def do_add_member(
    body: Body,
    actor: Any,
    *,
    name: str,
    role: str,
    sector: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
) -> BodyMember:
    name = check_member_name(name)
    _check_choice(role, MemberRole, _("Elija el cargo en el mecanismo."))
    _check_choice(sector, MemberSector, _("Elija el sector de la persona."))
    check_term(term_start, term_end)
    with transaction.atomic():
        locked = _lock(body)
        member = BodyMember.objects.create(
            body=locked, name=name, role=role, sector=sector, term_start=term_start, term_end=term_end
        )
        _record(
            locked,
            BodyEventKind.MEMBER_ADDED,
            actor,
            data={"member": member.pk, "name": name, "role": role, "term_start": term_start.isoformat()},
        )
    return member


def do_end_term(member: BodyMember, actor: Any, term_end: dt.date) -> BodyMember:
    """End a member's term on ``term_end`` (not before it started); a term already ended is not ended again."""
    with transaction.atomic():
        locked_body = _lock(member.body)
        locked = BodyMember.objects.select_for_update().get(pk=member.pk)
        if locked.term_end is not None:
            raise BodyRefused(
                _("El cargo de esta persona ya terminó el %(day)s.") % {"day": locked.term_end.strftime("%d/%m/%Y")},
                code="already_ended",
            )
        check_term(locked.term_start, term_end)
        locked.term_end = term_end
        locked.save(update_fields=["term_end"])
        _record(
            locked_body,
            BodyEventKind.TERM_ENDED,
            actor,
            data={"member": locked.pk, "name": locked.name, "term_end": term_end.isoformat()},
        )
    return locked


# --- Sessions -------------------------------------------------------------------------------------------------------


def _check_session_status(status: str, date: dt.date) -> None:
    _check_choice(status, SessionStatus, _("Elija el estado de la sesión."))
    if status == SessionStatus.HELD and date > today():
        raise ValidationError(
            _("Una sesión no puede estar celebrada antes de su fecha (%(day)s).") % {"day": date.strftime("%d/%m/%Y")},
            code="held_in_future",
        )


def do_add_session(
    body: Body,
    actor: Any,
    *,
    kind: str,
    date: dt.date,
    place: str,
    agenda: str = "",
    status: str = SessionStatus.SCHEDULED,
) -> BodySession:
    """Add a session; its number is the body's next one (1, 2, 3…), drawn under the body's row lock."""
    _check_choice(kind, SessionKind, _("Elija si la sesión es ordinaria o extraordinaria."))
    place = check_place(place)
    agenda = check_agenda(agenda)
    _check_session_status(status, date)
    with transaction.atomic():
        locked = _lock(body)
        number = (locked.sessions.aggregate(last=Max("number"))["last"] or 0) + 1
        session = BodySession.objects.create(
            body=locked, number=number, kind=kind, date=date, place=place, agenda=agenda, status=status
        )
        _record(
            locked,
            BodyEventKind.SESSION_ADDED,
            actor,
            to_status=status,
            data={"session": number, "date": date.isoformat()},
        )
    return session


def do_set_session_status(session: BodySession, actor: Any, status: str) -> BodySession:
    _check_session_status(status, session.date)
    with transaction.atomic():
        locked_body = _lock(session.body)
        locked = BodySession.objects.select_for_update().get(pk=session.pk)
        if locked.status == status:
            return locked
        from_status = locked.status
        locked.status = status
        locked.save(update_fields=["status"])
        _record(
            locked_body,
            BodyEventKind.SESSION_STATUS,
            actor,
            from_status=from_status,
            to_status=status,
            data={"session": locked.number},
        )
    return locked


def do_add_document(
    session: BodySession, actor: Any, *, kind: str, title: str, clean: CleanFile
) -> BodySessionDocument:
    """Publish a PDF of the session (already checked and cleaned by ``inspect_upload``): kept in the private
    storage, served by the registry's own view. If the transaction fails, the stored file is deleted."""
    _check_choice(kind, SessionDocumentKind, _("Elija el tipo de documento."))
    title = check_document_title(title)
    check_document_file(clean)
    name = ""
    try:
        with transaction.atomic():
            locked_body = _lock(session.body)
            name = store_clean_file(clean, f"{STORAGE_PREFIX}/{locked_body.pk}")
            document = BodySessionDocument.objects.create(
                session=session,
                kind=kind,
                title=title,
                original_name=clean.original_name[:255],
                storage_name=name,
                content_type=clean.content_type,
                size=clean.size,
                sha256=clean.sha256,
                pages=clean.pages,
            )
            _record(
                locked_body,
                BodyEventKind.DOCUMENT_ADDED,
                actor,
                data={"session": session.number, "document": str(document.public_id), "kind": kind},
            )
    except BaseException:
        if name:
            try:
                private_storage().delete(name)
            except OSError:
                logger.warning("event=body_document_cleanup_failed")
        raise
    return document


# --- Agreements -----------------------------------------------------------------------------------------------------


def do_add_agreement(
    session: BodySession,
    actor: Any,
    *,
    code: str,
    text: str,
    responsible: str,
    due_date: dt.date | None = None,
) -> BodyAgreement:
    """Record an agreement of a session, pending; its code is unique within the body."""
    code = check_agreement_code(code)
    text = check_agreement_text(text)
    responsible = check_responsible(responsible)
    with transaction.atomic():
        locked_body = _lock(session.body)
        if BodyAgreement.objects.filter(session__body=locked_body, code__iexact=code).exists():
            raise ValidationError(
                {"code": _("Ya hay un acuerdo con la clave %(code)s en este mecanismo; use otra.") % {"code": code}}
            )
        agreement = BodyAgreement.objects.create(
            session=session, code=code, text=text, responsible=responsible, due_date=due_date
        )
        _record(
            locked_body,
            BodyEventKind.AGREEMENT_ADDED,
            actor,
            to_status=agreement.status,
            data={"agreement": agreement.pk, "code": code, "session": session.number},
        )
    return agreement


def do_update_agreement(
    agreement: BodyAgreement, actor: Any, *, status: str, note: str, date: dt.date | None = None
) -> BodyAgreementUpdate:
    """Record a step of the follow-up: the agreement takes ``status``; the step keeps the status it had before.

    A fulfilled or cancelled agreement is closed: it takes no more steps. The step's day is not in the future nor
    before the session that agreed it.
    """
    _check_choice(status, AgreementStatus, _("Elija el estado del acuerdo."))
    note = check_update_note(note)
    date = date or today()
    if date > today():
        raise ValidationError({"date": _("La fecha del seguimiento no puede ser posterior a hoy.")})
    with transaction.atomic():
        locked_body = _lock(agreement.session.body)
        locked = BodyAgreement.objects.select_for_update().select_related("session").get(pk=agreement.pk)
        if date < locked.session.date:
            raise ValidationError(
                {
                    "date": _("La fecha del seguimiento no puede ser anterior a la sesión (%(day)s).")
                    % {"day": locked.session.date.strftime("%d/%m/%Y")}
                }
            )
        if locked.status in FINAL_AGREEMENT_STATUSES:
            raise BodyRefused(
                _("Este acuerdo ya está «%(status)s»; no admite más seguimiento.")
                % {"status": locked.get_status_display()},
                code="closed",
            )
        from_status = locked.status
        update = BodyAgreementUpdate.objects.create(
            agreement=locked, date=date, from_status=from_status, status=status, note=note
        )
        if from_status != status:
            locked.status = status
            locked.save(update_fields=["status"])
        _record(
            locked_body,
            BodyEventKind.AGREEMENT_UPDATED,
            actor,
            from_status=from_status,
            to_status=status,
            data={"agreement": locked.pk, "code": locked.code, "update": update.pk},
        )
    agreement.status = status
    return update
