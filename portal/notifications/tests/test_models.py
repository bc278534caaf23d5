"""Templates refuse to be saved when they would fail or send blanks with the event's sample data."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError

from portal.notifications.models import Notification, NotificationTemplate

seed = importlib.import_module("portal.notifications.migrations.0002_seed_default_templates")


def template(**fields) -> NotificationTemplate:
    values = {"event": "application.submitted", "channel": "email", "language": "es", "subject": "Folio {{ folio }}"}
    values.update(fields)
    values.setdefault("body", "Recibimos {{ folio }}.")
    return NotificationTemplate(**values)


def test_every_seeded_template_is_valid_and_its_sms_fits_the_limit():
    assert {(t["event"], t["channel"]) for t in seed.TEMPLATES} == {
        (event, channel)
        for event in (
            "account.verification_code",
            "application.submitted",
            "application.information_requested",
            "application.resolved",
        )
        for channel in ("email", "sms")
    }
    for values in seed.TEMPLATES:
        candidate = NotificationTemplate(language="es", **values)
        candidate.clean()
        if candidate.channel == "sms":
            assert candidate.sample_sms_info().segments <= candidate.max_segments


def test_an_unknown_variable_cannot_be_saved():
    with pytest.raises(ValidationError) as error:
        template(body="Hola {{ nombre_completo }}").clean()
    assert "nombre_completo" in str(error.value.message_dict["body"])


def test_a_template_that_renders_empty_cannot_be_saved():
    with pytest.raises(ValidationError) as error:
        template(body="{% if not folio %}{{ folio }}{% endif %}").clean()
    assert "vacío" in str(error.value.message_dict["body"])


def test_an_email_needs_a_subject_and_an_sms_has_none():
    with pytest.raises(ValidationError) as error:
        template(subject=" ").clean()
    assert "asunto" in str(error.value.message_dict["subject"])
    with pytest.raises(ValidationError) as error:
        template(channel="sms", subject="Asunto", html_body="<p>x</p>").clean()
    assert set(error.value.message_dict) == {"subject", "html_body"}


def test_an_sms_longer_than_its_maximum_with_sample_data_is_refused_with_the_count():
    long_text = "Su solicitud {{ folio }} de {{ service_name }} ante {{ agency_name }} " * 3
    with pytest.raises(ValidationError) as error:
        template(channel="sms", subject="", body=long_text, max_segments=1).clean()
    message = str(error.value.message_dict["body"])
    # The sample agency name has an «í», so the whole message is UCS-2: 67 characters per part.
    assert "5 segmentos" in message and "UCS-2" in message
    template(channel="sms", subject="", body=long_text, max_segments=5).clean()


def test_the_sample_sms_shows_its_encoding_and_segments():
    info = template(channel="sms", subject="", body="Código {{ folio }}").sample_sms_info()
    assert (info.encoding, info.segments, info.units) == ("ucs2", 1, len("Código SRE-2025-000123"))


@pytest.mark.django_db
def test_seeding_is_reversible_and_keeps_edited_templates(default_templates):
    from django.apps import apps

    edited = NotificationTemplate.objects.get(event="application.resolved", channel="email")
    edited.body = "Texto editado {{ folio }}"
    edited.save()
    seeded_here = NotificationTemplate.objects.filter(event__in={template["event"] for template in seed.TEMPLATES})
    seed.unseed(apps, None)
    assert list(seeded_here.values_list("event", "channel")) == [("application.resolved", "email")]
    seed.seed(apps, None)
    assert seeded_here.count() == len(seed.TEMPLATES) == 8
    assert NotificationTemplate.objects.get(pk=edited.pk).body == "Texto editado {{ folio }}"


def test_staff_see_a_masked_address():
    assert Notification(recipient="maria.lopez@example.org").masked_recipient == "m•••@example.org"
    assert Notification(recipient="+525512345678").masked_recipient == "+52•••78"
