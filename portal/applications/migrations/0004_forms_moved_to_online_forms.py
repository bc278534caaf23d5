"""Form definitions and their versions moved to ``portal.online_forms`` (state only: the tables stay as they are,
with their names; ``online_forms/0001`` took them over). A case's ``form_version`` now names the new app's model."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0003_agency_systems_moved_to_integrations'),
        ('online_forms', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='formdefinition',
                    name='agency',
                ),
                migrations.RemoveField(
                    model_name='formdefinition',
                    name='live_version',
                ),
                migrations.RemoveField(
                    model_name='formdefinition',
                    name='service',
                ),
                migrations.RemoveField(
                    model_name='formdefinition',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='formversion',
                    name='definition',
                ),
                migrations.RemoveField(
                    model_name='formversion',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='formversion',
                    name='published_by',
                ),
                migrations.AlterField(
                    model_name='application',
                    name='form_version',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='online_forms.formversion', verbose_name='versión del formulario'),
                ),
                migrations.DeleteModel(
                    name='FormDefinition',
                ),
                migrations.DeleteModel(
                    name='FormVersion',
                ),
            ],
            database_operations=[],
        ),
    ]
