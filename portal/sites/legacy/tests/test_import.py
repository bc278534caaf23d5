"""Importing the sample old site (served on 127.0.0.1, never the internet) into PROFECO's site, as drafts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from portal.agencies.tests.factories import make_agency
from portal.sites.legacy.fetching import CrawlLimits
from portal.sites.legacy.importer import Request, import_legacy_site
from portal.sites.legacy.models import ImportRun, MappingStatus, Outcome, UrlMapping
from portal.sites.legacy.sample_server import SAMPLE_ACCESS_LOG, SAMPLE_HOST, SAMPLE_WWW, serve_sample_site
from portal.sites.models import ContentPage, DocumentCollectionPage, NewsPage
from portal.sites.tests.factories import home_of, press_room_of


@pytest.fixture
def profeco(db):
    return make_agency("PROFECO", name="Procuraduría Federal del Consumidor")


@pytest.fixture(scope="module")
def sample_site():
    with serve_sample_site() as base:
        yield base


def import_sitemap(agency, base: str, **options) -> ImportRun:
    log = SAMPLE_ACCESS_LOG.read_text(encoding="utf-8").splitlines()
    return import_legacy_site(
        agency, Request(sitemap=f"{base}/sitemap.xml", host=SAMPLE_HOST, access_log=log, timeout=2, **options)
    )


def mapping(agency, path: str) -> UrlMapping:
    return UrlMapping.objects.get(site__agency=agency, old_path=path)


def test_sitemap_import_makes_drafts_of_each_kind_in_the_entitys_site(profeco, sample_site):
    run = import_sitemap(profeco, sample_site)

    assert run.found == 20 and run.finished_at is not None
    news = NewsPage.objects.get(agency=profeco, title="Verificación de básculas en mercados")
    assert news.get_parent().pk == press_room_of(profeco).pk
    assert news.date == dt.date(2019, 10, 3) and not news.live and news.get_latest_revision() is not None
    assert "básculas en mercados públicos" in str(news.body)
    # The menus, header and footer of the old template are gone.
    assert "Defendiendo tus derechos" not in str(news.body) and "Políticas de privacidad" not in str(news.body)

    documents = DocumentCollectionPage.objects.get(agency=profeco, title="Documentos")
    assert [item.value["title"] for item in documents.documents] == [
        "Formato de queja",
        "Informe anual 2018",
        "Precios de la canasta básica, diciembre de 2019",
        "Guía para el registro de contratos",
    ]
    assert get_document_model().objects.filter(collection__name="PROFECO").count() == 4

    complaint = ContentPage.objects.get(agency=profeco, title="Presentar una queja")
    assert complaint.get_parent().pk == home_of(profeco).pk and not complaint.live
    live = Page.objects.descendant_of(home_of(profeco)).live()
    assert list(live.values_list("pk", flat=True)) == [press_room_of(profeco).pk]  # nothing imported is published


def test_the_old_home_leads_to_the_entitys_home_and_pages_keep_their_old_address(profeco, sample_site):
    import_sitemap(profeco, sample_site)
    assert mapping(profeco, "/").target_page_id == home_of(profeco).pk
    complaint = mapping(profeco, "/servicios/quejas.html")
    assert complaint.status == MappingStatus.REDIRECT and complaint.target_page.title == "Presentar una queja"
    assert "identificación oficial" in complaint.archived_text.lower()
    pdf = mapping(profeco, "/documentos/formato-queja.pdf")
    form = get_document_model().objects.get(file__contains="formato-queja")
    assert pdf.status == MappingStatus.REDIRECT and pdf.target_path == form.url


def test_links_between_old_pages_become_links_to_the_new_pages(profeco, sample_site):
    import_sitemap(profeco, sample_site)
    complaint = ContentPage.objects.get(agency=profeco, title="Presentar una queja")
    online = mapping(profeco, "/servicios/conciliaexpress.html").target_page_id
    body = str(complaint.get_latest_revision_as_object().body.raw_data)
    assert f'<a linktype="page" id="{online}">' in body
    assert '<a linktype="document" id="' in body  # the complaint form, now a document of the collection


def test_images_are_in_the_entitys_collection_and_those_without_alt_are_reported(profeco, sample_site):
    run = import_sitemap(profeco, sample_site)
    titles = set(get_image_model().objects.filter(collection__name="PROFECO").values_list("title", flat=True))
    assert "Útiles escolares sobre una mesa" in titles
    row = run.rows.get(url__endswith="/prensa/2019/comunicado-021.html")
    assert row.images_without_alt == 1
    assert run.rows.get(url__endswith="/prensa/2019/comunicado-014.html").images_without_alt == 0


def test_broken_links_and_unreachable_pages_are_reported_and_the_run_goes_on(profeco, sample_site):
    run = import_sitemap(profeco, sample_site)
    gone = run.rows.get(url__endswith="/pagina-eliminada.html")
    assert gone.outcome == Outcome.FAILED and gone.reason == "El servidor respondió 404."
    row = run.rows.get(url__endswith="/prensa/2019/comunicado-027.html")
    assert row.broken_links == ["http://www.profeco.gob.mx/prensa/2019/comunicado-099.html"]
    assert run.imported == 18


def test_a_latin1_page_without_charset_is_read_with_its_accents(profeco, sample_site):
    import_sitemap(profeco, sample_site)
    page = ContentPage.objects.get(agency=profeco, title="Historia de la Procuraduría")
    assert "nació en 1976" in str(page.body)


def test_malformed_html_is_read(profeco, sample_site):
    import_sitemap(profeco, sample_site)
    page = ContentPage.objects.get(agency=profeco, title="Aviso de suspensión de plazos")
    assert "en el orden en que se recibieron" in str(page.body)


def test_running_again_updates_the_same_pages_instead_of_duplicating_them(profeco, sample_site):
    import_sitemap(profeco, sample_site)
    pages = Page.objects.count()
    revisions = ContentPage.objects.get(agency=profeco, title="Presentar una queja").revisions.count()
    images = get_image_model().objects.count()

    again = import_sitemap(profeco, sample_site)

    assert Page.objects.count() == pages
    assert get_image_model().objects.count() == images
    assert again.updated == 18 and again.imported == 0
    assert ContentPage.objects.get(agency=profeco, title="Presentar una queja").revisions.count() > revisions


def test_the_most_visited_addresses_are_imported_first(profeco, sample_site):
    run = import_sitemap(profeco, sample_site)
    urls = list(run.rows.order_by("pk").values_list("url", flat=True))
    assert [url.removeprefix("http://www.profeco.gob.mx") for url in urls[:3]] == [
        "/servicios/quejas.html",  # 40 visits
        "/index.html",  # 25, with those of «/»
        "/noticias/precios-canasta.html",  # 25
    ]
    assert mapping(profeco, "/servicios/quejas.html").visits == 40
    assert mapping(profeco, "/tramites/antiguo.php?id=7").status == MappingStatus.UNRESOLVED


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/bucle-a.html", "La dirección redirige en un bucle."),
        ("/lento.html", "El servidor no respondió a tiempo."),
        ("/enorme.html", "La respuesta es demasiado grande (más de 1048576 bytes)."),
        ("/datos.html", "No es una página HTML (application/json)."),
    ],
)
def test_bad_answers_of_the_old_server_are_recorded_per_page(profeco, sample_site, path, reason):
    run = import_legacy_site(
        profeco,
        Request(start=f"{sample_site}{path}", host=SAMPLE_HOST, timeout=1, max_bytes=1024 * 1024),
    )
    row = run.rows.get()
    assert row.reason == reason and row.outcome in (Outcome.FAILED, Outcome.SKIPPED)
    assert run.found == 1 and run.imported == 0


def test_an_unreachable_server_is_recorded_not_raised(profeco):
    run = import_legacy_site(profeco, Request(start="http://127.0.0.1:9/", host=SAMPLE_HOST, timeout=1))
    assert run.rows.get().reason == "No se pudo conectar con el servidor."


def test_crawling_reads_each_page_once_within_the_limits(profeco, sample_site):
    run = import_legacy_site(
        profeco,
        Request(start=f"{sample_site}/mapa.html", host=SAMPLE_HOST, limits=CrawlLimits(max_pages=6, max_depth=1)),
    )
    urls = list(run.rows.values_list("url", flat=True))
    assert len(urls) == 6 and len(set(urls)) == 6
    assert sum(url.endswith("/mapa.html") for url in urls) == 1


def test_a_folder_copy_is_imported_under_the_old_host_name(profeco):
    run = import_legacy_site(profeco, Request(folder=str(SAMPLE_WWW), host=SAMPLE_HOST))
    assert run.imported == 18
    assert UrlMapping.objects.get(old_path="/historia.html").site.hosts == [SAMPLE_HOST]


def test_the_command_prints_a_summary_in_spanish(profeco, sample_site):
    out = io.StringIO()
    call_command(
        "import_legacy_site",
        "PROFECO",
        "--sitemap",
        f"{sample_site}/sitemap.xml",
        "--host",
        SAMPLE_HOST,
        "--access-log",
        str(SAMPLE_ACCESS_LOG),
        stdout=out,
    )
    assert "Importación de PROFECO terminada: 20 páginas encontradas, 18 importadas" in out.getvalue()
    assert "imágenes sin texto alternativo" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["NOEXISTE", "--folder", str(SAMPLE_WWW)], "No hay una institución con las siglas «NOEXISTE»."),
        (["PROFECO", "--start", "ftp://www.profeco.gob.mx/"], "Solo se leen direcciones http y https"),
        (["PROFECO", "--folder", "/no/existe", "--host", SAMPLE_HOST], "No existe la carpeta"),
        (["PROFECO", "--folder", str(SAMPLE_WWW)], "Indique el nombre de dominio anterior"),
    ],
)
def test_the_command_refuses_bad_input_with_a_message(profeco, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_legacy_site", *arguments, stdout=io.StringIO())
