"""Builders of entities' site pages for tests: published through revisions, as the admin does."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.sites.models import AboutPage, AgencyHomePage, ContentPage, NewsIndexPage, NewsPage


def home_of(agency) -> AgencyHomePage:
    return AgencyHomePage.objects.get(agency=agency)


def press_room_of(agency) -> NewsIndexPage:
    return NewsIndexPage.objects.child_of(home_of(agency)).get()


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def make_news(agency, title: str = "Nueva clínica en Colima", *, date: dt.date | None = None, topics=(), **fields):
    page = NewsPage(
        title=title,
        summary=fields.pop("summary", f"Resumen de «{title}»."),
        date=date or dt.date(2026, 11, 20),
        body=json.dumps([{"type": "text", "value": "<p>El texto de la noticia.</p>"}]),
        **fields,
    )
    press_room_of(agency).add_child(instance=page)
    page.topics.set(topics)
    return publish(page)


def make_content_page(parent, title: str = "Incapacidades", body: list | None = None, **fields) -> ContentPage:
    page = ContentPage(title=title, body=json.dumps(body or [{"type": "text", "value": "<p>Texto.</p>"}]), **fields)
    parent.add_child(instance=page)
    return publish(page)


def make_about_page(agency, **fields) -> AboutPage:
    page = AboutPage(
        title=fields.pop("title", "¿Qué hacemos?"),
        slug=fields.pop("slug", "que-hacemos"),
        functions=fields.pop("functions", "<p>Presta servicios de salud.</p>"),
        **fields,
    )
    home_of(agency).add_child(instance=page)
    return publish(page)


def make_image(agency, title: str = "Foto", size=(64, 36)):
    """A small PNG in the entity's collection."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (105, 28, 50)).save(buffer, format="PNG")
    collection = Collection.objects.get(name=agency.acronym)
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.png"), collection=collection
    )
