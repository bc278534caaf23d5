"""The site-wide search index: one row per thing that can be found, whatever app it comes from.

A ``SearchDocument`` is a denormalised copy of what a result shows and what it is found by, so that a page of results
is one query whatever kind of thing it lists. Services, government entities and the pages and news of the entities'
sites are indexed today; participation items join by adding a ``Kind`` and a builder in ``documents.py``.

Full text lives beside the rows, per database (``backends.py``): on PostgreSQL in ``search_vector`` (a weighted
tsvector with a GIN index, built with the ``spanish_unaccent`` configuration); on SQLite in the FTS5 table
``search_fts`` whose rowid is the document's id. Both are created by migration ``0002``, each only on its database.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SERVICE = "service", _("Trámite o servicio")
    AGENCY = "agency", _("Institución")
    PAGE = "page", _("Página de una institución")
    NEWS = "news", _("Noticia")
    # Participa's public items (``portal.participation.search``).
    PETITION = "petition", _("Petición pública")
    CONSULTATION = "consultation", _("Consulta pública")
    PROPOSAL = "proposal", _("Propuesta ciudadana")
    BODY = "body", _("Mecanismo de participación")


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    # The exact key a person may type to go straight to this document: a homoclave or an acronym, upper case.
    key = models.CharField(max_length=40, blank=True)
    # Searchable texts, by weight: title and keys (A), keywords (B), body (C).
    keys = models.CharField(max_length=300, blank=True)
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    summary = models.CharField(max_length=400, blank=True)
    url = models.CharField(max_length=500)
    # Multiplies the text score: popular services and entities come first among equally good matches.
    weight = models.FloatField(default=1.0)
    # Facets.
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, blank=True, db_index=True)
    # Ids of ``services.Topic``, space-separated: read with every match to count the topic facet in Python, which
    # saves a join per search; the index is a denormalised copy anyway, rewritten whenever its source changes.
    topic_ids = models.CharField(max_length=300, blank=True)
    # PostgreSQL only; NULL on SQLite, where the FTS5 table holds the text.
    search_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique_object")]
        indexes = [models.Index(fields=["kind", "key"], name="search_document_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchTerm(models.Model):
    """The index's vocabulary, for «¿Quiso decir …?»: every word of the documents, folded, with the form to show.

    Rebuilt exactly by ``do_rebuild_index``; single-document indexing only adds words, so a word whose last document
    went away lingers until the next rebuild — harmless, because a suggestion is offered only if it finds more.
    """

    term = models.CharField(max_length=60, unique=True)
    display = models.CharField(max_length=60)
    frequency = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.term
