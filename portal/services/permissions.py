"""What staff may do to catalogue pages beyond Wagtail's page permissions.

Page permissions granted on an agency's catalogue page already keep one agency's staff out of another's services.
These testers add the rules that follow from the catalogue's shape, for everyone including superusers where the data
would otherwise break:

- a service sheet is never copied or aliased: its homoclave is unique, so a copy could not even be saved;
- a service sheet stays under its own agency's catalogue (its homoclave carries the agency's acronym), which
  ``ServicePage.can_move_to`` enforces;
- the catalogue pages themselves are infrastructure made by ``actions.do_set_up_agency_catalogue`` (for
  ``agencies.actions.do_set_up_agency_workspace``): only superusers may delete, move, copy or unpublish them;
- procedures are public by law, so neither kind of page takes a privacy restriction except from a superuser.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester


class ServicePagePermissionTester(PagePermissionTester):
    def can_copy(self) -> bool:
        return False

    def can_copy_to(self, destination, recursive: bool = False) -> bool:
        return False

    def can_set_view_restrictions(self) -> bool:
        return self.user.is_active and self.user.is_superuser


class AgencyCataloguePagePermissionTester(PagePermissionTester):
    def _superuser(self) -> bool:
        return self.user.is_active and self.user.is_superuser

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return self._superuser()

    def can_move(self) -> bool:
        return self._superuser()

    def can_copy(self) -> bool:
        return False

    def can_copy_to(self, destination, recursive: bool = False) -> bool:
        return False

    def can_unpublish(self) -> bool:
        return self._superuser() and super().can_unpublish()

    def can_set_view_restrictions(self) -> bool:
        return self._superuser()
