"""API keys, webhooks and their deliveries moved to ``portal.integrations`` (state only: the tables stay as they are,
with their names, and ``integrations/0001`` takes them over)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0002_applicant_curp_confirmed'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='apiidempotencyrecord',
                    name='api_key',
                ),
                migrations.RemoveField(
                    model_name='agencywebhook',
                    name='agency',
                ),
                migrations.RemoveField(
                    model_name='agencywebhook',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='webhookdelivery',
                    name='webhook',
                ),
                migrations.RemoveField(
                    model_name='webhookdelivery',
                    name='application',
                ),
                migrations.DeleteModel(
                    name='AgencyApiKey',
                ),
                migrations.DeleteModel(
                    name='ApiIdempotencyRecord',
                ),
                migrations.DeleteModel(
                    name='AgencyWebhook',
                ),
                migrations.DeleteModel(
                    name='WebhookDelivery',
                ),
            ],
            database_operations=[],
        ),
    ]
