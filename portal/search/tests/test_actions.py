"""Keeping the index in step with the catalogue: publishing, unpublishing, deleting, entities, rebuilds."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from portal.agencies.tests.factories import make_agency
from portal.search import actions
from portal.search.models import Kind, SearchDocument, SearchTerm
from portal.search.queries import search
from portal.search.tasks import index_agency, index_service
from portal.services.tests.factories import make_service


def titles(query: str) -> list[str]:
    return [hit.title for hit in search(query).hits]


def snapshot() -> list[tuple]:
    return sorted(
        SearchDocument.objects.values_list("kind", "object_id", "title", "key", "keys", "keywords", "body", "level")
    )


@pytest.mark.django_db
def test_publishing_a_service_makes_it_findable(catalogue):
    make_service(catalogue["sre"], homoclave="SRE-03-001", title="Legalización de documentos")
    assert titles("legalizacion") == ["Legalización de documentos"]


@pytest.mark.django_db
def test_unpublished_services_disappear_from_results(catalogue):
    service = catalogue["passport_renewal"]
    assert "Renovación de pasaporte" in titles("renovacion")
    service.unpublish()
    assert "Renovación de pasaporte" not in titles("renovacion")
    assert not SearchDocument.objects.filter(kind=Kind.SERVICE, object_id=service.id).exists()


@pytest.mark.django_db
def test_a_draft_never_reaches_the_index(catalogue):
    draft = make_service(catalogue["sre"], homoclave="SRE-03-002", title="Apostilla electrónica", publish=False)
    assert titles("apostilla") == []
    service = catalogue["clinic"]
    service.title = "Cambio de consultorio"
    service.save_revision()
    assert titles("consultorio") == []
    assert draft.id not in SearchDocument.objects.values_list("object_id", flat=True)


@pytest.mark.django_db
def test_publishing_a_new_revision_replaces_the_old_text(catalogue):
    service = catalogue["clinic"]
    service.title = "Cambio de consultorio"
    service.save_revision().publish()
    assert titles("consultorio") == ["Cambio de consultorio"]
    assert "Cambio de clínica" not in titles("clinica")


@pytest.mark.django_db
def test_deleted_services_leave_the_index(catalogue):
    service_id = catalogue["pension"].id
    catalogue["pension"].delete()
    assert not SearchDocument.objects.filter(kind=Kind.SERVICE, object_id=service_id).exists()
    assert titles("cesantia") == []


@pytest.mark.django_db
def test_restricted_services_are_not_searchable(catalogue):
    service = catalogue["pension"]
    PageViewRestriction.objects.create(page=service, restriction_type=PageViewRestriction.LOGIN)
    index_service.enqueue(service.id)
    assert titles("cesantia") == []


@pytest.mark.django_db
def test_indexing_twice_leaves_one_document(catalogue):
    service_id = catalogue["clinic"].id
    index_service.enqueue(service_id)
    index_service.enqueue(service_id)
    assert SearchDocument.objects.filter(kind=Kind.SERVICE, object_id=service_id).count() == 1
    assert titles("clinica") == ["Cambio de clínica"]


@pytest.mark.django_db
def test_indexing_a_service_that_no_longer_exists_is_harmless(db):
    actions.do_index_service(987_654)
    actions.do_remove(Kind.SERVICE, 987_654)
    assert not SearchDocument.objects.filter(kind=Kind.SERVICE, object_id=987_654).exists()


@pytest.mark.django_db
def test_new_entities_are_findable_by_name_and_acronym(db):
    make_agency("CONAGUA", name="Comisión Nacional del Agua")
    assert titles("comision agua") == ["Comisión Nacional del Agua"]
    assert titles("conagua")[0] == "Comisión Nacional del Agua"


@pytest.mark.django_db
def test_inactive_entities_leave_the_index(catalogue):
    agency = catalogue["imss"]
    agency.is_active = False
    agency.save()
    assert "Instituto Mexicano del Seguro Social" not in titles("seguro social")
    assert not SearchDocument.objects.filter(kind=Kind.AGENCY, object_id=agency.id).exists()


@pytest.mark.django_db
def test_renaming_an_entity_reaches_its_services(catalogue):
    agency = catalogue["colima"]
    agency.short_name = "Gobierno de Colima"
    agency.save()
    hit = next(hit for hit in search("nacimiento").hits if hit.key == "SEGOBCOL-01-001")
    assert hit.agency_name == "Gobierno de Colima"


@pytest.mark.django_db
def test_index_agency_task_is_idempotent(catalogue):
    index_agency.enqueue(catalogue["sre"].id)
    index_agency.enqueue(catalogue["sre"].id)
    assert SearchDocument.objects.filter(kind=Kind.AGENCY, object_id=catalogue["sre"].id).count() == 1


@pytest.mark.django_db
def test_rebuild_gives_the_same_index_as_incremental_indexing(catalogue):
    before = snapshot()
    orders = {query: titles(query) for query in ("pasaporte", "imss", "tramite", "curp", "renovar")}
    counts = actions.do_rebuild_index()
    assert counts == {
        "service": 7,
        "agency": 4,
        "page": 0,
        "news": 0,
        "petition": 0,
        "consultation": 0,
        "proposal": 0,
        "body": 0,
    }
    assert snapshot() == before
    assert {query: titles(query) for query in orders} == orders


@pytest.mark.django_db
def test_rebuild_drops_what_is_no_longer_live(catalogue):
    SearchDocument.objects.filter(kind=Kind.SERVICE, object_id=catalogue["voter"].id).update(title="Fantasma")
    catalogue["voter"].unpublish()
    SearchDocument.objects.create(kind=Kind.SERVICE, object_id=123_456, title="Fantasma", url="/x/")
    actions.do_rebuild_index()
    assert not SearchDocument.objects.filter(title="Fantasma").exists()
    assert titles("credencial") == []


@pytest.mark.django_db
def test_rebuild_counts_words_exactly(catalogue):
    actions.do_rebuild_index()
    pasaporte = SearchTerm.objects.get(term="pasaporte")
    assert pasaporte.frequency == 2  # the two passport sheets; the SRE says «pasaportes»
    assert SearchTerm.objects.get(term="tramite").display == "trámite"
    assert SearchTerm.objects.get(term="imss").display == "IMSS"
    assert not SearchTerm.objects.filter(term__in=["de", "la", "01"]).exists()


@pytest.mark.django_db
def test_rebuild_costs_a_fixed_number_of_queries(catalogue, django_assert_max_num_queries):
    for number in range(10):
        make_service(catalogue["imss"], homoclave=f"IMSS-05-{number:03d}", title=f"Servicio {number}")
    # 26 for the catalogue and the sites, and one per kind of Participa's items.
    with django_assert_max_num_queries(30):
        counts = actions.do_rebuild_index()
    assert counts["service"] == 17


@pytest.mark.django_db
def test_deleted_entities_leave_the_index(db):
    agency = make_agency("CONAGUA", name="Comisión Nacional del Agua", workspace=False)
    assert SearchDocument.objects.filter(kind=Kind.AGENCY, object_id=agency.id).exists()
    agency_id = agency.id
    agency.delete()
    assert not SearchDocument.objects.filter(kind=Kind.AGENCY, object_id=agency_id).exists()
    assert titles("conagua") == []


def test_indexing_tasks_run_on_a_queue_the_workers_serve(settings):
    for task in (index_service, index_agency):
        assert task.queue_name == "search"
        assert task.queue_name in settings.TASKS["default"]["QUEUES"]


@pytest.mark.django_db
def test_rebuild_command_reports_what_it_indexed(catalogue):
    output = StringIO()
    call_command("rebuild_search_index", stdout=output)
    assert "Índice reconstruido: 7 trámites y 4 instituciones" in output.getvalue()
