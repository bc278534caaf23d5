"""Staff of entities and what the admin answers them: for the tests of every app whose pages agencies edit."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from portal.agencies.actions import do_grant_role

PASSWORD = "una-clave-larga-de-prueba"  # noqa: S105 - test accounts only


def make_staff_user(username: str, *grants) -> object:
    """An account with the given ``(agency, role)`` grants, its CMS groups synchronised from them."""
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.gob.mx", password=PASSWORD
    )
    for agency, role in grants:
        do_grant_role(user, agency, role)
    return user


def assert_refused(response, allowed_redirects=("/admin/",)) -> None:
    """Wagtail refuses with 403/404, or by redirecting to the dashboard with «no tiene permiso» (or to the user's
    own part of the tree, for the explorer); a view meant for the other method answers 405."""
    assert response.status_code in (302, 403, 404, 405), response.status_code
    if response.status_code == 302:
        assert response["Location"] in allowed_redirects, response["Location"]
