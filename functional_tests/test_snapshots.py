"""The copy of the demo data that later browser tests get back is the data the builder wrote, and the database keeps
working after it: new rows get fresh ids instead of colliding with the copied ones."""

from __future__ import annotations

from django.core.management import call_command

from portal.services.models import ServicePage, Topic
from portal.services.tests.factories import make_topic

from .data import PASSPORT_HOMOCLAVE, build_demo_catalogue, ensure_cms_baseline
from .snapshots import Snapshot, table_counts


def test_a_restored_snapshot_holds_every_row_the_builder_wrote_and_takes_new_ones(transactional_db):
    ensure_cms_baseline()
    demo = build_demo_catalogue()
    built = table_counts()
    snapshot = Snapshot.take()

    call_command("flush", interactive=False, verbosity=0)
    ensure_cms_baseline()
    assert not ServicePage.objects.exists()

    snapshot.restore()
    assert table_counts() == built
    passport = ServicePage.objects.get(homoclave=PASSPORT_HOMOCLAVE)
    assert passport.pk == demo.passport.pk
    assert passport.live
    assert sorted(passport.topics.values_list("slug", flat=True)) == ["identidad"]

    topic = make_topic("Medio ambiente", "medio-ambiente")
    assert topic.pk > max(t.pk for t in demo.topics.values())
    assert Topic.objects.count() == len(demo.topics) + 1
