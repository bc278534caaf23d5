"""Every model that holds personal data has an exporter for «Descargar mis datos», and closing an account either
erases it or keeps it for a stated reason (docs/accounts.md, «Lo que el portal guarda de usted»).

A model holds personal data when it has a foreign key or one-to-one to the user model, or a field whose name says it
is a person's identifier or contact (``curp``, ``email``, ``phone``, ``recipient``, ``*_curp``…). A new such model
fails here until its app registers it in a ``personal_data.py`` module (portal/accounts/personal_data.py) or the
allow-list below says, in one line, why it needs nothing.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

from portal.accounts import personal_data

PERSONAL_FIELD_NAMES = {"curp", "email", "phone", "mobile", "recipient", "subject_name", "applicant_name"}
PERSONAL_FIELD_SUFFIXES = ("_curp", "_email", "_phone")

STAFF_TOOLS = "staff's editing records in the CMS and admin (who edited, locked, uploaded); not data about a citizen"
STAFF_CONFIG = "configuration staff created for an agency (the creator is recorded for the audit), not about a citizen"
INSTITUTIONAL = "an institution's public contact details (switchboard, shared mailbox), not a person's"

# Models that need neither an exporter nor an eraser, and why.
NEEDS_NOTHING = {
    "oauth2_provider.DeviceGrant": "the device flow is not routed (portal/accounts/oidc/urls.py): no row is written",
    "agencies.Agency": INSTITUTIONAL,
    "agencies.Office": INSTITUTIONAL,
    "services.ServicePage": INSTITUTIONAL,
    "services.CatalogueRootPage": STAFF_TOOLS,
    "services.AgencyCataloguePage": STAFF_TOOLS,
    # Entities' sites: pages Wagtail records edits of (staff tools); the home names the head of the entity, a public
    # office holder, as the law on transparency requires every entity to publish.
    "agency_sites.AgencyHomePage": INSTITUTIONAL,
    "agency_sites.AboutPage": STAFF_TOOLS,
    "agency_sites.ContentPage": STAFF_TOOLS,
    "agency_sites.NewsIndexPage": STAFF_TOOLS,
    "agency_sites.NewsPage": STAFF_TOOLS,
    "agency_sites.ProgrammePage": STAFF_TOOLS,
    "agency_sites.DocumentCollectionPage": STAFF_TOOLS,
    "agency_sites.ContactPage": INSTITUTIONAL,
    "wagtailusers.UserProfile": STAFF_TOOLS,
    "wagtaildocs.Document": STAFF_TOOLS,
    "wagtailimages.Image": STAFF_TOOLS,
    "wagtailadmin.EditingSession": STAFF_TOOLS,
    "wagtailadmin.FormState": STAFF_TOOLS,
    "wagtailcore.APIToken": STAFF_TOOLS,
    "wagtailcore.ModelLogEntry": STAFF_TOOLS,
    "wagtailcore.Revision": STAFF_TOOLS,
    "wagtailcore.UploadedFile": STAFF_TOOLS,
    "wagtailcore.WorkflowState": STAFF_TOOLS,
    "wagtailcore.TaskState": STAFF_TOOLS,
    "wagtailcore.Page": STAFF_TOOLS,
    "wagtailcore.PageLogEntry": STAFF_TOOLS,
    "wagtailcore.Comment": STAFF_TOOLS,
    "wagtailcore.CommentReply": STAFF_TOOLS,
    "wagtailcore.PageSubscription": STAFF_TOOLS,
    "admin.LogEntry": STAFF_TOOLS,
    "oidc.AgencyClient": STAFF_CONFIG,
    "oauth2_provider.Application": STAFF_CONFIG,
    "integrations.AgencyApiKey": STAFF_CONFIG,
    "integrations.AgencyWebhook": STAFF_CONFIG,
    "online_forms.FormDefinition": STAFF_CONFIG,
    # Issue 10's editorial records: who recorded a change of government's shape, who published urgently or retired a
    # page, who reviewed an old address's destination. Staff acting for their institution, part of its audit trail.
    "agencies.AgencyChange": STAFF_TOOLS,
    "agency_sites.PageRetirement": STAFF_TOOLS,
    # Payments' back office: who imported a statement, resolved a difference or closed a day (finance staff).
    "payments.StatementImport": STAFF_TOOLS,
    "payments.ReconciliationException": STAFF_TOOLS,
    "payments.DailyClose": STAFF_TOOLS,
    "agency_sites.UrgentPublication": STAFF_TOOLS,
    "legacy_sites.UrlMapping": STAFF_TOOLS,
    "online_forms.FormVersion": STAFF_CONFIG,
    # Participa's moderators acting for the portal: who set the supports' controls, who invalidated which supports.
    "participation.SupportLimits": STAFF_CONFIG,
    "participation.SupportInvalidation": STAFF_TOOLS,
    # The registry of participation bodies: kept by the entity's staff; its contact address is the body's, not a
    # person's, and its history records which staff member changed what.
    "participation.Body": STAFF_CONFIG,
    "participation.BodyEvent": STAFF_TOOLS,
    # A consultation's history: staff and moderators publishing, moderating and answering; a participant's own
    # comments (and their treatment) are exported as «comentarios_en_consultas».
    "participation.ConsultationEvent": STAFF_TOOLS,
    # The office queue: a ticket names no citizen (its mobile, for «you are next», is dropped when it ends); the
    # clerk who served it and their moves are the office's record of its work.
    "appointments.Ticket": STAFF_TOOLS,
    "appointments.TicketEvent": STAFF_TOOLS,
    "applications.CaseNote": (
        "case workers' internal notes, part of the agency's file (kept with the case), reached through a "
        "transparency request rather than the account; the author is a staff member"
    ),
    "registry.Person": (
        "the national population registry (RENAPO's record), a legal file of its own that the person consults at "
        "/curp/ and corrects at the Registro Civil; the account's section already has the linked CURP"
    ),
}

# Models erased at closure but deliberately not in the download, and why.
NOT_EXPORTED = {
    "oauth2_provider.Grant": "a credential (an authorisation code); the systems with access are exported as consents",
    "oauth2_provider.AccessToken": "a credential; the systems with access are exported as consents",
    "oauth2_provider.RefreshToken": "a credential; the systems with access are exported as consents",
    "oauth2_provider.IDToken": "a credential; the systems with access are exported as consents",
    "oidc.PairwiseSubject": "a random identifier per agency, meaningful only to that agency's system",
}


def _holds_personal_data(model) -> bool:
    user_model = get_user_model()
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is user_model:
            return True
        if field.name in PERSONAL_FIELD_NAMES or field.name.endswith(PERSONAL_FIELD_SUFFIXES):
            return True
    return False


def personal_data_models() -> set[str]:
    return {model._meta.label for model in apps.get_models() if _holds_personal_data(model)}


def test_every_model_with_personal_data_has_an_exporter():
    missing = personal_data_models() - personal_data.exported_models() - set(NEEDS_NOTHING) - set(NOT_EXPORTED)
    assert not missing, f"no exporter (register one in the app's personal_data.py, or say why): {sorted(missing)}"


def test_closing_an_account_erases_or_knowingly_keeps_every_model_with_personal_data():
    handled = personal_data.erased_models() | set(personal_data.kept_models()) | set(NEEDS_NOTHING)
    missing = personal_data_models() - handled
    assert not missing, f"neither erased nor declared kept at account closure: {sorted(missing)}"
    assert all(reason.strip() for reason in personal_data.kept_models().values())


def test_the_registry_and_the_allow_lists_name_real_models_that_hold_personal_data():
    declared = (
        personal_data.exported_models()
        | personal_data.erased_models()
        | set(personal_data.kept_models())
        | set(NEEDS_NOTHING)
        | set(NOT_EXPORTED)
    )
    unknown = {label for label in declared if label not in {m._meta.label for m in apps.get_models()}}
    assert not unknown, f"not installed models: {sorted(unknown)}"
    stale = (set(NEEDS_NOTHING) | set(NOT_EXPORTED)) - personal_data_models()
    assert not stale, f"allow-listed but holding no personal data any more: {sorted(stale)}"


def test_sections_are_discovered_from_the_apps_personal_data_modules():
    names = set(personal_data.exporters())
    assert {"solicitudes", "avisos_enviados", "documentos_emitidos", "funciones_en_instituciones"} <= names
    assert {"solicitudes", "avisos_enviados", "sistemas_conectados"} <= set(personal_data.erasers())
