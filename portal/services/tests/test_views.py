import pytest

from portal.agencies.factories import make_agency
from portal.services.factories import make_service


@pytest.mark.django_db
def test_sheet_is_served_at_its_homoclave(client):
    agency = make_agency("IMSS")
    service = make_service(agency, homoclave="IMSS-02-008", title="Cambio de clínica")
    response = client.get("/tramites/IMSS-02-008/")
    assert response.status_code == 200
    assert service.url == "/tramites/IMSS-02-008/"
