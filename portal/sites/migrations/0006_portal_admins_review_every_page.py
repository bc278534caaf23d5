"""The portal's administrators (the digital government unit) review and publish any entity's pages: their group, if
it exists already, gets the approvers' page permissions from the root of the page tree, as
``agencies.actions.do_grant_portal_admin`` gives it from now on."""

from django.db import migrations

PORTAL_ADMINS_GROUP = "Administradores del portal"
CODENAMES = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group = Group.objects.filter(name=PORTAL_ADMINS_GROUP).first()
    root = Page.objects.filter(depth=1).order_by("path").first()
    if group is None or root is None:
        return
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=CODENAMES):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("agency_sites", "0005_urgent_publication_and_page_retirement"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
