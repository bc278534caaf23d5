"""The front page shows what each domain contributes through its ``homepage`` module; core imports none of them."""

import pytest

from portal.agencies.tests.factories import make_agency
from portal.core import homepage
from portal.services.tests.factories import make_service, make_topic


def test_the_catalogue_and_the_agencies_contribute_to_the_front_page():
    assert {"services", "agencies"} <= set(homepage.contributors())


@pytest.mark.django_db
def test_the_front_page_shows_the_catalogue_and_the_levels_of_government(client):
    topic = make_topic("Salud", slug="salud")
    service = make_service(make_agency("IMSS"), title="Alta en la clínica familiar", topics=[topic])

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["service_count"] == 1
    assert [item.title for item in response.context["most_requested"]] == [service.title]
    assert "Alta en la clínica familiar" in response.content.decode()
    assert [(level["value"], level["agency_count"]) for level in response.context["levels"]][0] == ("federal", 1)
    assert "Salud" in [topic.name for topic in response.context["topics"]]


def test_two_contributors_filling_the_same_variable_are_refused(monkeypatch, rf):
    monkeypatch.setattr(homepage, "_contributors", {})
    homepage.register("a", lambda request: {"levels": []})
    homepage.register("b", lambda request: {"levels": [1]})

    with pytest.raises(ValueError, match="levels"):
        homepage.context(rf.get("/"))
