"""The online forms' models, taken over from ``portal.applications`` in the migrations' state only: their tables
already exist under their old names (``applications_formdefinition``, ``applications_formversion``, kept by
``Meta.db_table``), and ``applications/0004`` lets go of them. The content types (with the permissions and log entries
that point to them) follow.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ("formdefinition", "formversion")


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def take_over_content_types(apps, schema_editor):
    _relabel(apps, "applications", "online_forms")


def give_back_content_types(apps, schema_editor):
    _relabel(apps, "online_forms", "applications")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agencies', '0002_staffrole_office'),
        ('applications', '0003_agency_systems_moved_to_integrations'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('services', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FormDefinition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('working_schema', models.JSONField(blank=True, default=dict, help_text='Lo que los editores cambian; la ciudadanía solo ve la versión publicada.', verbose_name='versión en edición')),
                        ('required_assurance', models.CharField(choices=[('none', 'Sin verificar'), ('basic', 'Básica'), ('verified', 'Verificada')], default='basic', max_length=10, verbose_name='nivel de confianza requerido')),
                        ('accepting', models.BooleanField(default=True, help_text='Desactívelo para dejar de recibir solicitudes nuevas sin perder las que están en curso.', verbose_name='recibe solicitudes en línea')),
                        ('draft_retention_days', models.PositiveSmallIntegerField(default=30, verbose_name='días que se guarda un borrador sin actividad')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='creado')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='actualizado')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='form_definitions', to='agencies.agency', verbose_name='institución')),
                        ('service', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='form_definition', to='services.servicepage', verbose_name='trámite')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actualizado por')),
                    ],
                    options={
                        'verbose_name': 'formulario en línea',
                        'verbose_name_plural': 'formularios en línea',
                        'db_table': 'applications_formdefinition',
                    },
                ),
                migrations.CreateModel(
                    name='FormVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='número de versión')),
                        ('schema', models.JSONField(verbose_name='definición')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='qué cambió')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='guardada')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='publicada')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='guardada por')),
                        ('definition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='online_forms.formdefinition', verbose_name='formulario')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='publicada por')),
                    ],
                    options={
                        'verbose_name': 'versión de formulario',
                        'verbose_name_plural': 'versiones de formulario',
                        'db_table': 'applications_formversion',
                        'ordering': ['definition', '-number'],
                    },
                ),
                migrations.AddField(
                    model_name='formdefinition',
                    name='live_version',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='online_forms.formversion', verbose_name='versión publicada'),
                ),
                migrations.AddConstraint(
                    model_name='formversion',
                    constraint=models.UniqueConstraint(fields=('definition', 'number'), name='applications_formversion_unique_number'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(take_over_content_types, give_back_content_types),
    ]
