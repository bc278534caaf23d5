# Joins the parts of Participa, each built from 0004 at the same time (bodies, consultations, proposals) and the
# petitions' own 0005-0006.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0005_bodies'),
        ('participation', '0005_consultations'),
        ('participation', '0006_proposals_notification_templates'),
        ('participation', '0006_seed_moderation_notification_templates'),
    ]

    operations = [
    ]
