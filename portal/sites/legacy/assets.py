"""Images and documents of an old page, kept in the entity's Wagtail collection (named by its acronym).

A file already there (same content, by Wagtail's file hash) is reused, so importing again adds nothing.
"""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from .fetching import FetchError

if TYPE_CHECKING:
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage

    from .fetching import Source


def entity_collection(acronym: str) -> Collection:
    collection = Collection.objects.filter(name=acronym).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=acronym)
    return collection


def _name_of(url: str, fallback: str) -> str:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or fallback
    return name[-90:]


def _title_of(url: str) -> str:
    name = _name_of(url, "archivo").rsplit(".", 1)[0]
    return name.replace("-", " ").replace("_", " ").strip().capitalize()[:250] or "Archivo"


def save_image(source: Source, url: str, collection: Collection, title: str = "") -> AbstractImage:
    """The image at ``url`` in the collection. Raises ``FetchError`` for an unreadable or non-image file."""
    fetched = source.get(url)
    try:
        with PillowImage.open(io.BytesIO(fetched.body)) as probe:
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FetchError("El archivo no es una imagen válida.") from None
    digest = hashlib.sha1(fetched.body).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1 of the content
    model = get_image_model()
    existing = model.objects.filter(collection=collection, file_hash=digest).first()
    if existing is not None:
        return existing
    image = model(title=(title or _title_of(url))[:250], collection=collection)
    image.file = ImageFile(io.BytesIO(fetched.body), name=_name_of(url, "imagen.png"))
    image.file_size = len(fetched.body)
    image.file_hash = digest
    image.save()
    return image


def save_document(source: Source, url: str, collection: Collection, title: str = "") -> AbstractDocument:
    """The document at ``url`` in the collection. Raises ``FetchError`` when it cannot be read."""
    fetched = source.get(url)
    digest = hashlib.sha1(fetched.body).hexdigest()  # noqa: S324 - as Wagtail's file_hash
    model = get_document_model()
    existing = model.objects.filter(collection=collection, file_hash=digest).first()
    if existing is not None:
        return existing
    document = model(title=(title or _title_of(url))[:250], collection=collection)
    document.file = ContentFile(fetched.body, name=_name_of(url, "documento"))
    document.file_size = len(fetched.body)
    document.file_hash = digest
    document.save()
    return document
