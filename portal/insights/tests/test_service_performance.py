"""The public KPI page of a service (/tramites/<homoclave>/desempeno/), its link on the sheet, and the KPI figures as
open data (/datos/desempeno.csv|json): small counts hidden everywhere."""

import csv
import datetime as dt
import io
import json

import pytest

from portal.agencies.tests.factories import make_agency
from portal.insights import kpis
from portal.insights.models import SatisfactionResponse, ServiceCost, ServiceKpi
from portal.insights.tests.factories import make_cases
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return make_service(make_agency("SRE"), homoclave="SRE-02-002", title="Pasaporte ordinario")


def this_month_at(day: int = 1, hour: int = 1) -> dt.datetime:
    month = kpis.local_month()
    return dt.datetime(month.year, month.month, day, hour, tzinfo=kpis.MEXICO_CITY)


def last_month_at(day: int = 3) -> dt.datetime:
    month = kpis.add_months(kpis.local_month(), -1)
    return dt.datetime(month.year, month.month, day, 10, tzinfo=kpis.MEXICO_CITY)


def page(client, homoclave: str = "SRE-02-002"):
    return client.get(f"/tramites/{homoclave}/desempeno/")


def test_the_sheet_links_to_its_kpi_page(client, service):
    response = client.get("/tramites/SRE-02-002/")

    assert 'href="/tramites/SRE-02-002/desempeno/"' in response.content.decode()


def test_the_kpi_page_shows_the_figures_of_the_last_twelve_months(client, service):
    make_cases(service, 30, created_at=this_month_at(), submitted_after=dt.timedelta(minutes=12))
    make_cases(service, 20, channel="counter", created_at=this_month_at(), submitted_after=dt.timedelta(0))
    make_cases(service, 12, created_at=this_month_at())  # abandoned drafts
    kpis.do_compute_kpis()

    response = page(client)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Desempeño de este trámite" in html
    assert "60.0 %" in html  # 30 of 50 online
    assert "71.4 %" in html  # 30 of 42 started online were submitted
    assert "12.0 minutos" in html
    assert 'role="img"' in html and '<title id="kpi-canales-title">' in html
    assert "sin datos todavía" in html  # satisfaction: nobody answered the survey
    assert "Solicitudes recibidas por mes y canal" in html


def satisfaction_section(html: str) -> str:
    return html[html.index('id="satisfaccion"') : html.index('id="por-mes"')]


def answer_survey(service, ratings: list[int]) -> None:
    today = kpis.local_month() + dt.timedelta(days=1)
    SatisfactionResponse.objects.bulk_create(
        SatisfactionResponse(
            day=today,
            moment="submitted",
            rating=rating,
            channel="online",
            agency_id=service.agency_id,
            service=service,
            case_key=f"caso-{number}",
        )
        for number, rating in enumerate(ratings)
    )


def test_satisfaction_is_the_share_satisfied_once_enough_people_answered(client, service):
    answer_survey(service, [5] * 12 + [4] * 6 + [2] * 10)
    assert "64.3 % satisfechas" in satisfaction_section(page(client).content.decode())  # 18 of 28


def test_satisfaction_with_few_answers_or_few_unhappy_ones_is_not_given(client, service):
    answer_survey(service, [5] * 12 + [1] * 3)  # 3 unhappy people: their share would find them
    section = satisfaction_section(page(client).content.decode())
    assert "menos de 10 respuestas" in section and "% satisfechas" not in section


def test_small_counts_read_menos_de_10_and_their_rates_are_not_given(client, service):
    make_cases(service, 30, created_at=this_month_at(), submitted_after=dt.timedelta(minutes=12))
    make_cases(service, 3, channel="api", created_at=this_month_at(), submitted_after=dt.timedelta(0))
    kpis.do_compute_kpis()

    html = page(client).content.decode()

    assert "menos de 10" in html  # the 3
    # The 30 is hidden too, or 33 − 30 − 0 would give the 3 back; and it does not read «menos de 10».
    assert "daría a conocer una cifra menor de 10" in html
    assert ">33<" in html
    assert ">30<" not in html
    assert "no se publica (menos de 10 casos)" in html


def cost_section(html: str) -> str:
    return html[html.index('id="costo"') : html.index('id="satisfaccion"')]


def test_cost_per_transaction_is_sin_datos_without_an_input_and_divided_with_one(client, service):
    make_cases(service, 40, created_at=this_month_at(), submitted_after=dt.timedelta(minutes=12))
    kpis.do_compute_kpis()
    assert "sin datos" in cost_section(page(client).content.decode())

    year = kpis.local_month().year
    ServiceCost.objects.create(
        service=service, year=year, channel="online", yearly_cost_centavos=480_000_00, source="Presupuesto"
    )
    from django.core.cache import cache

    cache.clear()
    html = cost_section(page(client).content.decode())

    # 480,000 pesos a year over the 12 months' 40 online cases.
    assert "$12,000.00" in html, html
    assert "sin datos" not in html
    assert "Presupuesto" in html


def test_an_unknown_or_unpublished_service_has_no_kpi_page(client, service):
    hidden = make_service(make_agency("IMSS"), homoclave="IMSS-02-008", publish=False)

    assert page(client, "SRE-99-999").status_code == 404
    assert page(client, hidden.homoclave).status_code == 404
    assert client.get("/tramites/no-es-homoclave/desempeno/", follow=True).status_code == 404


def test_a_lowercase_homoclave_is_sent_to_the_canonical_address(client, service):
    response = page(client, "sre-02-002")

    assert response.status_code == 301
    assert response["Location"].endswith("/tramites/SRE-02-002/desempeno/")


def test_the_open_data_has_a_row_per_service_and_finished_month_with_small_counts_empty(client, service):
    make_cases(service, 25, created_at=last_month_at(), submitted_after=dt.timedelta(minutes=8))
    make_cases(service, 4, channel="counter", created_at=last_month_at(), submitted_after=dt.timedelta(0))
    make_cases(service, 11, created_at=this_month_at(), submitted_after=dt.timedelta(minutes=8))  # month not over
    kpis.do_compute_kpis()
    assert ServiceKpi.objects.filter(months=1).count() == 2

    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get("/datos/desempeno.csv").streaming_content).decode("utf-8-sig")))
    )
    data = json.loads(b"".join(client.get("/datos/desempeno.json").streaming_content))

    last = kpis.add_months(kpis.local_month(), -1)
    assert [row["mes"] for row in rows] == [last.strftime("%Y-%m")]
    row = rows[0]
    assert row["homoclave"] == "SRE-02-002"
    assert row["en_ventanilla"] == ""  # 4: hidden
    assert row["por_sistema"] == "0"  # a zero tells of nobody
    assert row["en_linea"] == ""  # hidden too, or 29 − 25 − 0 would give the 4 back
    assert row["solicitudes"] == "29"
    assert row["minutos_para_completar_mediana"] == "8.0"
    assert len(data) == 1 and data[0]["en_ventanilla"] is None


def test_the_open_data_page_lists_the_kpi_dataset(client):
    html = client.get("/datos/").content.decode()

    assert "desempeno.csv" in html


def test_the_kpi_page_reads_the_job_s_rows_and_never_the_cases(client, service):
    """The job runs on its own: the page reads stored rows only, never the cases (a bounded number of queries)."""
    make_cases(service, 15, created_at=this_month_at(), submitted_after=dt.timedelta(minutes=12))
    kpis.do_compute_kpis()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page(client)

    assert not any("applications_application" in query["sql"] for query in queries.captured_queries)
