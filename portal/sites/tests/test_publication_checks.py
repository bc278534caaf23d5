"""The checks that keep a page of an entity's site from being published (``sites.publication_checks``)."""

from __future__ import annotations

import datetime as dt
import json
import string
import unicodedata

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from wagtail.documents import get_document_model

from portal.agencies.tests.factories import make_agency
from portal.sites.models import AboutPage, AgencyHomePage, ContentPage, NewsPage
from portal.sites.publication_checks import (
    VAGUE_LINK_TEXTS,
    PageState,
    heading_slips,
    is_vague_link_text,
    normalise_link_text,
    page_problems,
)

from .factories import home_of, make_content_page, make_image


class FakeTargets:
    """Pages 1 (live), 2 (draft), 3 (expired) and document 10 exist; nothing else does."""

    def pages(self, ids):
        known = {1: PageState(True, False), 2: PageState(False, False), 3: PageState(False, True)}
        return {pk: known[pk] for pk in ids if pk in known}

    def documents(self, ids):
        return {pk for pk in ids if pk == 10}


def content(*blocks) -> ContentPage:
    return ContentPage(
        title="Incapacidades", body=json.dumps([{"type": kind, "value": value} for kind, value in blocks])
    )


def problems_of(page) -> list[str]:
    return [str(problem) for problem in page_problems(page, FakeTargets())]


def link(text, page=None, url="https://www.gob.mx/"):
    return {"text": text, "page": page, "url": "" if page else url}


# --- Link text --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Aquí", "¡Haz clic AQUÍ!", "  leer   más… ", "Más información.", "CLICK HERE", "aqui"]
)
def test_vague_link_texts_are_recognised_whatever_their_case_accents_and_punctuation(text):
    assert is_vague_link_text(text)


@pytest.mark.parametrize("text", ["Consulta tu clínica", "Aquí está tu clínica", "Más trámites del IMSS", ""])
def test_link_texts_that_say_where_they_lead_pass(text):
    assert not is_vague_link_text(text)


def test_every_listed_text_is_vague_and_the_list_has_no_duplicates():
    normalised = [normalise_link_text(text) for text in VAGUE_LINK_TEXTS]
    assert len(set(normalised)) == len(normalised)
    assert all(is_vague_link_text(text) for text in VAGUE_LINK_TEXTS)


@given(st.text())
def test_normalising_is_idempotent(text):
    once = normalise_link_text(text)
    assert normalise_link_text(once) == once


@given(st.text())
def test_normalised_text_has_no_capitals_accents_punctuation_or_extra_spaces(text):
    result = normalise_link_text(text)
    assert result == result.strip() and "  " not in result
    assert all(char.isalnum() or char == " " for char in result)
    assert not any(unicodedata.combining(char) for char in result)
    assert result == result.casefold()


PUNCTUATION = st.text(alphabet=string.punctuation + " ¡¿…«»\t\n", max_size=5)


@given(st.sampled_from(VAGUE_LINK_TEXTS), PUNCTUATION, PUNCTUATION, st.booleans())
def test_a_vague_text_stays_vague_with_punctuation_spaces_case_or_without_accents(text, before, after, upper):
    decorated = before + (text.upper() if upper else text) + after
    assert is_vague_link_text(decorated)
    without_accents = "".join(
        char for char in unicodedata.normalize("NFD", decorated) if not unicodedata.combining(char)
    )
    assert is_vague_link_text(without_accents)


@given(st.sampled_from(VAGUE_LINK_TEXTS), st.text(alphabet=string.ascii_letters, min_size=3, max_size=12))
def test_a_vague_text_with_a_real_destination_is_not_vague(text, destination):
    longer = f"{text} sobre {destination}"
    assert not is_vague_link_text(longer)


# --- Heading walk -------------------------------------------------------------------------------------------------------


@st.composite
def outlines(draw):
    """A parent level and an outline under it that never skips a level (every step: any level up, or one down)."""
    top = draw(st.integers(min_value=1, max_value=3))
    levels: list[int] = []
    previous = top
    for _index in range(draw(st.integers(min_value=0, max_value=12))):
        level = draw(st.integers(min_value=top + 1, max_value=previous + 1))
        levels.append(level)
        previous = level
    return top, levels


@given(outlines())
def test_an_outline_that_goes_down_one_level_at_a_time_has_no_slips(outline):
    top, levels = outline
    assert heading_slips(levels, top) == []


@given(outlines(), st.data())
def test_a_jump_of_two_or_more_levels_is_reported_where_it_happens(outline, data):
    top, levels = outline
    position = data.draw(st.integers(min_value=0, max_value=len(levels)))
    previous = levels[position - 1] if position else top
    jump = data.draw(st.integers(min_value=previous + 2, max_value=previous + 4))
    broken = [*levels[:position], jump, *levels[position:]]
    slips = heading_slips(broken, top)
    assert slips and slips[0].index == position and slips[0].previous == previous


@given(st.lists(st.integers(min_value=1, max_value=6), max_size=15), st.integers(min_value=1, max_value=3))
def test_slips_of_a_prefix_are_the_slips_of_the_whole_up_to_it(levels, top):
    whole = heading_slips(levels, top)
    for end in range(len(levels) + 1):
        assert heading_slips(levels[:end], top) == [slip for slip in whole if slip.index < end]


@given(st.lists(st.integers(min_value=1, max_value=6), max_size=15), st.integers(min_value=1, max_value=3))
def test_slips_do_not_depend_on_where_the_outline_starts(levels, top):
    shifted = heading_slips([level + 2 for level in levels], top + 2)
    assert [slip.index for slip in shifted] == [slip.index for slip in heading_slips(levels, top)]


@given(st.lists(st.integers(min_value=1, max_value=6), max_size=15))
def test_a_heading_at_or_above_the_parent_level_is_always_a_slip(levels):
    slipped = {slip.index for slip in heading_slips(levels, 2)}
    assert {index for index, level in enumerate(levels) if level <= 2} <= slipped


# --- Pages ------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_without_problems_has_none():
    page = content(
        ("heading", {"text": "Requisitos", "level": "h2"}),
        ("text", '<h3>Documentos</h3><p>Lleva tu <a linktype="page" id="1">cartilla</a>.</p>'),
        ("heading", {"text": "Dónde", "level": "h2"}),
        ("call_to_action", {"link": link("Consulta tu clínica", page=1)}),
        ("document", {"document": 10, "title": ""}),
    )
    assert problems_of(page) == []


@pytest.mark.django_db
def test_vague_links_are_named_with_the_block_where_they_are():
    page = content(
        ("heading", {"text": "Requisitos", "level": "h2"}),
        ("inset_text", {"text": "<p>Antes de ir.</p>"}),
        ("text", '<p>Para más detalles, <a href="https://www.imss.gob.mx/">aquí</a>.</p>'),
        ("call_to_action", {"link": link("Leer más")}),
        ("related_links", {"heading": "Relacionado", "links": [link("Citas"), link("Ver más…")]}),
    )
    assert problems_of(page) == [
        'Contenido, bloque 3 (Texto): el enlace "aquí" no dice a dónde lleva',
        'Contenido, bloque 4 (Llamado a la acción): el enlace "Leer más" no dice a dónde lleva',
        'Contenido, bloque 5 (Enlaces relacionados), Enlaces 2: el enlace "Ver más…" no dice a dónde lleva',
    ]


@pytest.mark.django_db
def test_images_without_alternative_text_in_blocks_and_rich_text():
    page = content(
        ("image", {"image": 5, "alt": "   ", "caption": ""}),
        ("image", {"image": 6, "alt": "Fachada de la clínica 19", "caption": ""}),
        ("text", '<p>Mapa:</p><embed embedtype="image" id="7" alt="" format="fullwidth"/>'),
    )
    assert problems_of(page) == [
        "Contenido, bloque 1 (Imagen): la imagen no tiene texto alternativo",
        "Contenido, bloque 3 (Texto): una imagen no tiene texto alternativo",
    ]


@pytest.mark.django_db
def test_a_news_main_image_needs_its_alternative_text():
    news = NewsPage(title="Nueva clínica", summary="Abre.", body="[]", main_image_id=5, main_image_alt=" ")
    assert problems_of(news) == ["Imagen principal: la imagen no tiene texto alternativo"]
    news.main_image_alt = "La nueva clínica"
    assert problems_of(news) == []


@pytest.mark.django_db
def test_headings_may_not_skip_levels_across_blocks_and_rich_text():
    page = content(
        ("heading", {"text": "Requisitos", "level": "h3"}),
        ("heading", {"text": "Documentos", "level": "h2"}),
        ("text", "<h4>Originales</h4><p>…</p>"),
        ("heading", {"text": "Dónde", "level": "h2"}),
        ("text", "<h3>En línea</h3><h4>Con e.firma</h4>"),
        ("related_links", {"heading": "Relacionado", "links": [link("Citas")]}),
        ("text", "<h4>Notas</h4>"),
    )
    assert problems_of(page) == [
        "Contenido, bloque 1 (Encabezado): el encabezado «Requisitos» es de nivel 3, pero el primero debe ser de nivel 2",
        "Contenido, bloque 3 (Texto): el encabezado «Originales» salta del nivel 2 al 4: falta un nivel 3",
        "Contenido, bloque 7 (Texto): el encabezado «Notas» salta del nivel 2 al 4: falta un nivel 3",
    ]


@pytest.mark.django_db
def test_about_page_functions_start_at_level_three_under_the_template_heading():
    about = AboutPage(title="¿Qué hacemos?", functions="<h3>Salud</h3><h4>Clínicas</h4><h3>Pensiones</h3>", body="[]")
    assert problems_of(about) == []
    about.functions = "<h4>Clínicas</h4><h2>Pensiones</h2>"
    assert problems_of(about) == [
        "Funciones: el encabezado «Clínicas» es de nivel 4, pero el primero debe ser de nivel 3",
        "Funciones: el encabezado «Pensiones» no puede ser de nivel 2 aquí: el más alto permitido es el 3",
    ]


@pytest.mark.django_db
def test_links_to_missing_unpublished_or_expired_pages_and_missing_documents():
    page = content(
        (
            "text",
            '<p><a linktype="page" id="99">Citas</a>, <a linktype="page" id="2">Borrador</a>,'
            ' <a linktype="page" id="3">Campaña 2025</a>, <a linktype="document" id="11">Formato</a>.</p>',
        ),
        ("call_to_action", {"link": link("Pide tu cita", page=2)}),
        ("document", {"document": 12, "title": "Formato"}),
    )
    assert problems_of(page) == [
        'Contenido, bloque 1 (Texto): el enlace "Citas" lleva a una página que ya no existe',
        'Contenido, bloque 1 (Texto): el enlace "Borrador" lleva a una página que no está publicada',
        'Contenido, bloque 1 (Texto): el enlace "Campaña 2025" lleva a una página que ya caducó',
        'Contenido, bloque 1 (Texto): el enlace "Formato" lleva a un documento que ya no existe',
        'Contenido, bloque 2 (Llamado a la acción): el enlace "Pide tu cita" lleva a una página que no está publicada',
        "Contenido, bloque 3 (Documento): el documento elegido ya no existe",
    ]


@pytest.mark.django_db
def test_the_home_highlighted_services_must_be_published():
    home = AgencyHomePage(title="IMSS", highlighted_services=json.dumps([{"type": "service", "value": 99}]), body="[]")
    assert problems_of(home) == ["Trámites destacados, bloque 1 (Trámite): la página elegida ya no existe"]


# --- Against the database ---------------------------------------------------------------------------------------------


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


def test_link_targets_are_read_from_the_database(imss):
    home = home_of(imss)
    live = make_content_page(home, "Incapacidades")
    expired = make_content_page(home, "Campaña", slug="campana")
    expired.expire_at = timezone.now() - dt.timedelta(minutes=1)
    expired.save()
    draft = ContentPage(title="Borrador", live=False, body=json.dumps([{"type": "text", "value": "<p>Texto.</p>"}]))
    home.add_child(instance=draft)
    document = get_document_model().objects.create(title="Formato")
    make_image(imss)
    page = content(
        (
            "text",
            f'<p><a linktype="page" id="{live.pk}">Incapacidades</a> <a linktype="page" id="{expired.pk}">Campaña</a>'
            f' <a linktype="page" id="{draft.pk}">Borrador</a> <a linktype="document" id="{document.pk}">Formato</a>'
            f' <a linktype="document" id="{document.pk + 1}">Otro formato</a></p>',
        )
    )
    assert [problem.what for problem in page_problems(page)] == [
        'el enlace "Campaña" lleva a una página que ya caducó',
        'el enlace "Borrador" lleva a una página que no está publicada',
        'el enlace "Otro formato" lleva a un documento que ya no existe',
    ]
