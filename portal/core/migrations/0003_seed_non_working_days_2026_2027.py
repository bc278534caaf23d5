"""The days federal authorities usually declare non-working, for 2026 and 2027.

Each year the agencies publish in the Diario Oficial de la Federación an agreement with the days they will not count
for procedures (LFPA art. 28). Holy Thursday and Friday, 2 November and 12 December appear in it year after year; the
year-end vacation period does too, but its dates change, so it is not seeded. These rows are a starting point that
portal administrators must check against each year's agreement (Wagtail admin → Días inhábiles).

Reversible: going back deletes only the rows this migration created and nobody has edited since.
"""

import datetime

from django.db import migrations

SOURCE = "Acuerdo anual de días inhábiles (DOF): días habituales, confirmar cada año"


def _easter_sunday(year):
    # Meeus/Jones/Butcher; a copy, so that the migration does not change if the application code does.
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _usual_days(year):
    easter = _easter_sunday(year)
    return [
        (easter - datetime.timedelta(days=3), "Jueves Santo"),
        (easter - datetime.timedelta(days=2), "Viernes Santo"),
        (datetime.date(year, 11, 2), "Día de Muertos"),
        (datetime.date(year, 12, 12), "Día de la Virgen de Guadalupe"),
    ]


def seed(apps, schema_editor):
    NonWorkingDay = apps.get_model("core", "NonWorkingDay")
    for year in (2026, 2027):
        for day, description in _usual_days(year):
            NonWorkingDay.objects.get_or_create(date=day, defaults={"description": description, "source": SOURCE})


def unseed(apps, schema_editor):
    NonWorkingDay = apps.get_model("core", "NonWorkingDay")
    for year in (2026, 2027):
        for day, description in _usual_days(year):
            NonWorkingDay.objects.filter(date=day, description=description, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_non_working_day"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
