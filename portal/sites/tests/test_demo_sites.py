"""The sites' demo loader (``portal.sites.demo``) on the ten entities of the demo sites.

The entities, their services and a first load of their sites are built once per module (``testing.db``): about ten
seconds on PostgreSQL that eight tests would otherwise each pay twice over (the catalogue, then the load). Each test's
changes are rolled back; the seed of that first load (its output and details) is handed to each test as
``loaded``. A test that needs the catalogue without the sites is in ``test_demo_sites_missing_entity.py``.
"""

import json
from collections.abc import Iterator

import pytest
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision

from portal.agencies.models import Agency, AgencyChange, AgencyChangePage
from portal.sites import demo
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
from testing.db import built_for_the_module

from .demo_world import ENTITIES, FakeSeed, build_catalogue, dropped_tasks, load

BODY_BLOCKS = demo.BLOCK_TYPES


@pytest.fixture(scope="module")
def _loaded_built(django_db_setup, django_db_blocker, tmp_path_factory):
    def build() -> FakeSeed:
        with dropped_tasks():
            build_catalogue(tmp_path_factory.mktemp("agencies"))
            return load()

    with built_for_the_module(django_db_blocker, build) as seed:
        yield seed


@pytest.fixture
def loaded(_loaded_built, db) -> Iterator[FakeSeed]:
    """The catalogue with the ten sites loaded once; the seed of that load. A load in the test drops its tasks too,
    as the seed's does."""
    with dropped_tasks():
        yield _loaded_built.copy()


def site_counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "about": AboutPage.objects.count(),
        "content": ContentPage.objects.count(),
        "news": NewsPage.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "programmes": ProgrammePage.objects.count(),
        "collections": DocumentCollectionPage.objects.count(),
        "contacts": ContactPage.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_every_site_file_is_valid_and_names_one_of_the_ten_entities():
    entries = demo.read_site_files(demo.site_files())

    assert sorted(entry["agency"] for entry in entries) == sorted(ENTITIES)


def test_the_loader_builds_the_ten_sites(loaded):
    seed = loaded

    assert "10 instituciones" in seed.out.getvalue()
    for acronym, slug in ENTITIES.items():
        home = AgencyHomePage.objects.get(agency__acronym=acronym)
        assert home.slug == slug and home.live
        assert home.mission and home.head_name and home.head_position
        assert 1 <= len(home.highlighted_services) <= 4
        assert all(block.value.specific.agency_id == home.agency_id for block in home.highlighted_services)
        about = AboutPage.objects.child_of(home).get()
        assert about.live and about.title == "¿Qué hacemos?" and "<h3>" in about.functions
        assert about.legal_instruments[0]["kind"] == "constitucion"
        assert 1 <= ContentPage.objects.child_of(home).live().count() <= 2
        press = NewsIndexPage.objects.child_of(home).get()
        # Not the news a merger brought into BIENESTAR's press room (test_the_demo_records_a_merger below).
        news = NewsPage.objects.child_of(press).live().exclude(pk__in=AgencyChangePage.objects.values("page_id"))
        assert 3 <= news.count() <= 5
        assert all(item.agency_id == home.agency_id and item.topics.exists() for item in news)
        assert all(item.date.year == 2026 and item.date.month >= 7 for item in news)
        collection = Collection.objects.get(name=acronym)
        assert all(item.main_image.collection == collection for item in news if item.main_image)
    assert seed.details["site_pages"]


def test_every_body_block_type_is_used_somewhere(loaded):
    used = set()
    for model in (ContentPage, NewsPage, AboutPage):
        for page in model.objects.all():
            used |= {block.block_type for block in page.body}
    assert used == BODY_BLOCKS
    tables = [block.value for page in ContentPage.objects.all() for block in page.body if block.block_type == "table"]
    assert all(table.caption for table in tables)
    assert any(column["block"].name == "number" for table in tables for column in table.columns)


def test_about_half_of_the_news_have_an_image_and_every_image_has_alt_text(loaded):
    news = list(NewsPage.objects.all())
    with_image = [item for item in news if item.main_image]
    assert 0.3 <= len(with_image) / len(news) <= 0.7
    assert all(item.main_image_alt.strip() for item in with_image)
    for page in [*ContentPage.objects.all(), *news]:
        assert all(block.value["alt"].strip() for block in page.body if block.block_type == "image")
    images = get_image_model().objects.all()
    assert images.exists()
    assert all(image.description.strip() for image in images)
    assert all(image.file.size < 40_000 and (image.width, image.height) == (960, 540) for image in images)
    assert all(document.file.size < 40_000 for document in get_document_model().objects.all())


def test_loading_twice_changes_nothing(loaded):
    before = site_counts()
    files = {image.pk: image.file.name for image in get_image_model().objects.all()}

    seed = load()

    assert site_counts() == before
    assert "0 páginas nuevas, 0 actualizadas" in seed.out.getvalue()
    assert {image.pk: image.file.name for image in get_image_model().objects.all()} == files


def test_a_changed_file_updates_the_page_in_place(loaded, tmp_path, monkeypatch):
    source = json.loads((demo.DEMO_DATA_DIR / "SRE.json").read_text(encoding="utf-8"))
    source["about"]["summary"] = "Otro resumen."
    source["home"]["highlighted_services"] = ["SRE-99-999", "Certificado de nacionalidad mexicana"]
    (tmp_path / "SRE.json").write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(demo, "site_files", lambda: [tmp_path / "SRE.json"])
    pages = Page.objects.count()

    load()

    assert Page.objects.count() == pages
    about = AboutPage.objects.get(agency__acronym="SRE")
    assert about.summary == "Otro resumen." and about.revisions.count() == 2
    home = AgencyHomePage.objects.get(agency__acronym="SRE")
    # A service missing from the catalogue is skipped; one named by its title is found.
    assert [block.value.specific.homoclave for block in home.highlighted_services] == ["SRE-03-001"]


def test_a_broken_file_names_the_file_and_the_page(tmp_path):
    path = tmp_path / "SAT.json"
    source = json.loads((demo.DEMO_DATA_DIR / "SAT.json").read_text(encoding="utf-8"))
    source["news"][0]["kind"] = "rumor"
    source["pages"][0]["body"].append({"type": "image", "value": {"image": {"title": "x"}, "alt": " "}})
    path.write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(demo.SiteDataError) as error:
        demo.read_site_files([path])

    message = str(error.value)
    assert f"SAT.json · prensa/{source['news'][0]['slug']}: tipo desconocido «rumor»" in message
    assert f"SAT.json · {source['pages'][0]['slug']}: una imagen sin texto alternativo" in message


def test_the_public_pages_answer(loaded, client):
    news = NewsPage.objects.filter(agency__acronym="IMSS").exclude(main_image=None).first()
    about = AboutPage.objects.get(agency__acronym="IMSS")
    content = ContentPage.objects.filter(agency__acronym="AYCOLIMA").first()

    for url in ("/imss/", "/imss/prensa/", news.url, about.url, content.url, "/colima/", "/sat/", "/sre/"):
        response = client.get(url)
        assert response.status_code == 200, url

    home = client.get("/imss/").content.decode()
    assert "Rodrigo Esparza Villaseñor" in home and "Constancia de semanas cotizadas" in home
    assert news.title in client.get("/imss/prensa/").content.decode()
    article = client.get(news.url).content.decode()
    assert f'alt="{news.main_image_alt}"' in article


def test_programmes_documents_and_contact_pages(loaded, client):
    programmes = {page.agency.acronym: page for page in ProgrammePage.objects.live().select_related("agency")}
    assert set(programmes) == {"BIENESTAR", "IMSS"}
    pension = programmes["BIENESTAR"]
    assert [row["year"] for row in pension.budget_by_year] == [2024, 2025, 2026]
    assert all(isinstance(row["amount"], int) for row in pension.budget_by_year)
    assert {service.homoclave for service in pension.live_services} >= {"BIENESTAR-01-001"}
    assert pension.rules_url and pension.rules_date
    assert "$465,000,000,000.00" in client.get(pension.url).content.decode()

    collection = DocumentCollectionPage.objects.get(agency__acronym="SAT")
    items = collection.publications
    assert [item["date"] for item in items] == sorted((item["date"] for item in items), reverse=True)
    formats = {file["format"] for item in items for file in item["files"]}
    assert formats == {"PDF", "CSV"}
    assert all(item["files"][0]["format"] == "CSV" for item in items if len(item["files"]) > 1)
    assert client.get(collection.url).status_code == 200
    for item in items:
        for file in item["files"]:
            assert file["document"].collection.name == "SAT" and 0 < file["size"] < 40_000

    contacts = {page.agency.acronym: page for page in ContactPage.objects.live().select_related("agency")}
    assert set(contacts) == {"IMSS", "SRE", "AYCOLIMA"}
    assert contacts["IMSS"].url == "/imss/contacto/" and contacts["IMSS"].show_in_menus
    html = client.get("/colima/contacto/").content.decode()
    assert "Presidencia Municipal" in html  # the directory's office


def test_the_demo_records_a_merger_whose_old_news_say_who_published_them(loaded, client):
    seed = loaded
    assert "CONAC absorbida por BIENESTAR" in seed.out.getvalue()
    change = AgencyChange.objects.get(absorbed__acronym="CONAC")
    assert change.agency.acronym == "BIENESTAR" and not Agency.objects.get(acronym="CONAC").is_active
    news = NewsPage.objects.get(slug="apoyos-cooperativas-mujeres-2017")
    assert news.url == "/bienestar/prensa/apoyos-cooperativas-mujeres-2017/" and news.live
    assert news.pk in seed.details["site_pages"]
    html = client.get(news.url).content.decode()
    assert "Publicado por: Coordinación Nacional de Apoyos Comunitarios (CONAC), hoy Secretaría de Bienestar" in html
    assert client.get("/conac/prensa/apoyos-cooperativas-mujeres-2017/")["Location"] == news.url

    counts = site_counts()
    again = load()
    assert "ya registrado" in again.out.getvalue()
    assert site_counts() == counts and AgencyChange.objects.count() == 1
