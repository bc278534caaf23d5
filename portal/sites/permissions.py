"""What staff may do to the pages that hold an entity's site together, beyond Wagtail's page permissions.

The home page and the press room are made by ``actions.do_set_up_agency_site`` (their addresses, ``/<slug>/`` and
``/<slug>/prensa/``, are part of the entity's identity and of its feeds): only superusers may delete, move, copy or
unpublish them, and nobody renames the home's slug. Everything an entity's editors create under them follows
Wagtail's permissions and the entity's review workflow.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import PagePermissionTester


class FixedSitePagePermissionTester(PagePermissionTester):
    def _superuser(self) -> bool:
        return bool(self.user.is_active and self.user.is_superuser)

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return self._superuser() and super().can_delete(ignore_bulk)

    def can_move(self) -> bool:
        return self._superuser() and super().can_move()

    def can_copy(self) -> bool:
        return False

    def can_copy_to(self, destination: Any, recursive: bool = False) -> bool:
        return False

    def can_unpublish(self) -> bool:
        return self._superuser() and super().can_unpublish()

    def can_set_view_restrictions(self) -> bool:
        return self._superuser()
