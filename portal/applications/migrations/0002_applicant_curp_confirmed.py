from django.db import migrations, models


def mark_confirmed(apps, schema_editor):
    """Cases submitted before the flag: confirmed when the applicant's account still has that CURP confirmed."""
    Application = apps.get_model("applications", "Application")
    Profile = apps.get_model("accounts", "Profile")
    confirmed = {
        (user_id, curp)
        for user_id, curp in Profile.objects.filter(curp_confirmed_at__isnull=False)
        .exclude(curp="")
        .values_list("user_id", "curp")
    }
    cases = Application.objects.exclude(applicant_curp="").filter(applicant__isnull=False)
    ids = [
        pk
        for pk, user_id, curp in cases.values_list("pk", "applicant_id", "applicant_curp")
        if (user_id, curp) in confirmed
    ]
    Application.objects.filter(pk__in=ids).update(applicant_curp_confirmed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_curp_confirmation_and_link_events"),
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="applicant_curp_confirmed",
            field=models.BooleanField(default=False, verbose_name="CURP confirmada como de la persona solicitante"),
        ),
        migrations.RunPython(mark_confirmed, migrations.RunPython.noop),
    ]
