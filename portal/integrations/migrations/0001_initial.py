"""The agency systems' models, taken over from ``portal.applications`` (``applications/0003``) in the migrations'
state only: their tables already exist under their old names (``applications_*``, kept by ``Meta.db_table``).

Rows that named the old place are moved along: the content types (with the permissions and log entries that point to
them) and the queued webhook tasks, whose task path changed with the module.
"""

import django.db.models.deletion
import django.utils.timezone
import portal.integrations.models
import uuid
from django.conf import settings
from django.db import migrations, models


MODELS = ("agencyapikey", "apiidempotencyrecord", "agencywebhook", "webhookdelivery")
TASK_PATHS = {"portal.applications.tasks.deliver_webhook": "portal.integrations.tasks.deliver_webhook"}


def take_over_rows(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="integrations", model=model).exists():
            content_type.objects.filter(app_label="applications", model=model).update(app_label="integrations")
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in TASK_PATHS.items():
        task_result.objects.filter(task_path=old).update(task_path=new)


def give_back_rows(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="applications", model=model).exists():
            content_type.objects.filter(app_label="integrations", model=model).update(app_label="applications")
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in TASK_PATHS.items():
        task_result.objects.filter(task_path=new).update(task_path=old)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agencies', '0002_staffrole_office'),
        ('applications', '0003_agency_systems_moved_to_integrations'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_tasks_database', '__first__'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AgencyApiKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='Para reconocerla: el sistema que la usa, por ejemplo «SIAC».', max_length=100, verbose_name='nombre')),
                        ('prefix', models.CharField(max_length=8, unique=True, verbose_name='prefijo')),
                        ('secret_digest', models.CharField(max_length=64)),
                        ('scope', models.CharField(choices=[('read', 'Solo lectura'), ('write', 'Lectura y cambios de estado')], default='read', max_length=8, verbose_name='permisos')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='creada')),
                        ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='último uso')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revocada')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_keys', to='agencies.agency', verbose_name='institución')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='creada por')),
                        ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revocada por')),
                    ],
                    options={
                        'verbose_name': 'clave de API',
                        'verbose_name_plural': 'claves de API',
                        'db_table': 'applications_agencyapikey',
                        'ordering': ['agency', '-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='AgencyWebhook',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.URLField(max_length=500, verbose_name='dirección')),
                        ('secret', models.CharField(max_length=64)),
                        ('previous_secret', models.CharField(blank=True, max_length=64)),
                        ('previous_secret_expires_at', models.DateTimeField(blank=True, null=True)),
                        ('events', models.JSONField(default=portal.integrations.models.default_webhook_events, verbose_name='eventos')),
                        ('is_active', models.BooleanField(default=True, verbose_name='activo')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='creado')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='actualizado')),
                        ('secret_rotated_at', models.DateTimeField(blank=True, null=True, verbose_name='secreto cambiado')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhooks', to='agencies.agency', verbose_name='institución')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='creado por')),
                    ],
                    options={
                        'verbose_name': 'webhook',
                        'verbose_name_plural': 'webhooks',
                        'db_table': 'applications_agencywebhook',
                        'ordering': ['agency', 'created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ApiIdempotencyRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=200)),
                        ('request_digest', models.CharField(max_length=64)),
                        ('response_status', models.PositiveSmallIntegerField()),
                        ('response_body', models.JSONField()),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('api_key', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='idempotency_records', to='integrations.agencyapikey')),
                    ],
                    options={
                        'db_table': 'applications_apiidempotencyrecord',
                        'constraints': [models.UniqueConstraint(fields=('api_key', 'key'), name='applications_api_idempotency_once')],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('event', models.CharField(choices=[('application.submitted', 'Solicitud recibida')], max_length=64, verbose_name='evento')),
                        ('payload', models.JSONField()),
                        ('status', models.CharField(choices=[('pending', 'Pendiente'), ('delivered', 'Entregada'), ('failed', 'Fallida')], default='pending', max_length=12, verbose_name='estado')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='intentos')),
                        ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='próximo intento')),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='último intento')),
                        ('last_status_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='última respuesta HTTP')),
                        ('last_error', models.CharField(blank=True, max_length=500, verbose_name='último error')),
                        ('last_response', models.CharField(blank=True, max_length=500, verbose_name='última respuesta')),
                        ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='entregada')),
                        ('task_id', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='creada')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='applications.application', verbose_name='solicitud')),
                        ('webhook', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='integrations.agencywebhook', verbose_name='webhook')),
                    ],
                    options={
                        'verbose_name': 'entrega de webhook',
                        'verbose_name_plural': 'entregas de webhook',
                        'db_table': 'applications_webhookdelivery',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='applications_webhook_due_idx')],
                        'constraints': [models.UniqueConstraint(fields=('webhook', 'event', 'application'), name='applications_webhook_delivery_once'), models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'delivered', 'failed'])), name='applications_webhook_delivery_status')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(take_over_rows, give_back_rows),
    ]
