"""Builders of entities' site pages for tests: published through revisions, as the admin does."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.sites.models import (
    AboutPage,
    AgencyHomePage,
    ContactPage,
    ContentPage,
    DocumentCollectionPage,
    NewsIndexPage,
    NewsPage,
    ProgrammePage,
)


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


def make_document(agency, title: str = "Informe", extension: str = "pdf", data: bytes = b"%PDF-1.4 demo"):
    """A small document in the entity's collection."""
    collection = Collection.objects.get(name=agency.acronym)
    return get_document_model().objects.create(
        title=title, file=ContentFile(data, name=f"{title}.{extension}"), collection=collection
    )


def make_programme(parent, title: str = "Pensión para el Bienestar", *, budget=(), services=(), **fields):
    """``budget``: (year, centavos) pairs; ``services``: catalogue pages."""
    page = ProgrammePage(
        title=title,
        objective=fields.pop("objective", "Mejorar el ingreso de las personas mayores."),
        population=fields.pop("population", "Personas de 65 años o más."),
        budget=json.dumps([{"type": "year", "value": {"year": year, "amount": amount}} for year, amount in budget]),
        related_services=json.dumps([{"type": "service", "value": service.pk} for service in services]),
        **fields,
    )
    parent.add_child(instance=page)
    return publish(page)


def make_document_collection(parent, title: str = "Documentos", *, documents=(), **fields):
    """``documents``: (title, date, kind, [document, ...]) tuples."""
    page = DocumentCollectionPage(
        title=title,
        documents=json.dumps(
            [
                {
                    "type": "document",
                    "value": {
                        "title": name,
                        "date": date.isoformat(),
                        "kind": kind,
                        "files": [document.pk for document in files],
                    },
                }
                for name, date, kind, files in documents
            ]
        ),
        **fields,
    )
    parent.add_child(instance=page)
    return publish(page)


def make_contact_page(agency, title: str = "Contacto", **fields) -> ContactPage:
    page = ContactPage(title=title, slug=fields.pop("slug", "contacto"), **fields)
    home_of(agency).add_child(instance=page)
    return publish(page)
