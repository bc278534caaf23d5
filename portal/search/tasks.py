"""Search indexing tasks (filled in by the search work)."""

from django_tasks import task


@task(queue_name="search")
def index_service(service_id: int) -> None:
    from . import actions

    actions.do_index_service(service_id)
