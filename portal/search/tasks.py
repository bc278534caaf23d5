"""Indexing tasks. They take ids and are idempotent: run twice, late or after a deletion, the index ends up right."""

from django_tasks import task

from . import actions

QUEUE = "search"


@task(queue_name=QUEUE)
def index_service(service_id: int) -> None:
    """Index a service as it is live now; a service that is no longer live is removed."""
    actions.do_index_service(service_id)


@task(queue_name=QUEUE)
def index_site_page(page_id: int) -> None:
    """Index a page of an entity's site as it is live now; a page no longer live (or gone) is removed."""
    actions.do_index_site_page(page_id)


@task(queue_name=QUEUE)
def index_agency(agency_id: int) -> None:
    """Index an entity and its services; an inactive or deleted entity is removed."""
    actions.do_index_agency(agency_id)


@task(queue_name=QUEUE)
def index_participation(kind: str, object_id: int) -> None:
    """Index one of Participa's items as it is public now; one no longer public (or gone) is removed."""
    actions.do_index_participation(kind, object_id)
