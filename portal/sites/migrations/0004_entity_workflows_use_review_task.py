"""The entities' existing review tasks («Aprobación <SIGLAS>» in «Revisión <SIGLAS>») become ``EntityReviewTask``s in
place: same row, groups and reviews in progress; only the last editor can no longer approve their own change."""

from django.db import migrations


def forwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    EntityReviewTask = apps.get_model("agency_sites", "EntityReviewTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_ids = set(
        Workflow.objects.filter(name__startswith="Revisión ").values_list("workflow_tasks__task_id", flat=True)
    )
    for task in GroupApprovalTask.objects.filter(pk__in=task_ids - {None}):
        if EntityReviewTask.objects.filter(pk=task.pk).exists():
            continue
        # The subclass's own row only (raw: the parents' rows exist), then the task's type (what .specific reads).
        EntityReviewTask(groupapprovaltask_ptr_id=task.pk).save_base(raw=True, force_insert=True)
        content_type, _created = ContentType.objects.get_or_create(app_label="agency_sites", model="entityreviewtask")
        Task.objects.filter(pk=task.pk).update(content_type=content_type)


class Migration(migrations.Migration):
    dependencies = [
        ("agency_sites", "0003_entity_review_task"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
