"""Load the 32 states and the 10 municipalities of Colima (the demo state).

Reversible: going back deletes those municipalities (with the postal-code settlements that hang from them, which are
derived data) and the states. Anything else that points at them (an agency, an office) protects them, and the
reverse migration then stops with Django's ProtectedError rather than leaving dangling rows.
"""

from django.db import migrations

from portal.geo.reference import COLIMA_MUNICIPALITIES, STATES, load_reference_geography


def load(apps, schema_editor):
    load_reference_geography(apps.get_model("geo", "State"), apps.get_model("geo", "Municipality"))


def unload(apps, schema_editor):
    codes = [row.inegi_code for row in COLIMA_MUNICIPALITIES]
    apps.get_model("geo", "Settlement").objects.filter(municipality__inegi_code__in=codes).delete()
    apps.get_model("geo", "Municipality").objects.filter(inegi_code__in=codes).delete()
    state_codes = [row.code for row in STATES]
    State = apps.get_model("geo", "State")
    # States that other municipalities (imported from Correos de México) still use stay.
    State.objects.filter(code__in=state_codes, municipalities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
