"""Four eyes on the entities' pages: the person who last changed a page never approves or publishes that change.

Who «last changed» a page is the author of its latest revision that changed something a person sees: Wagtail's
edit view saves a revision on every «Publicar» (and the workflow's approval from the editor saves one only when the
form changed), so a revision identical to the one before it (bookkeeping aside) is not a change and its author is not
the page's last editor. Used by the review task (``models.EntityReviewTask``, site and catalogue pages alike) and by
the «Publicar» button (``wagtail_hooks.refuse_publishing_ones_own_change``) of pages under an entity's workflow.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.models import Page

from .publication import PublicationRefused

if TYPE_CHECKING:
    from collections.abc import Iterable

    from wagtail.models import Revision

# Page columns that change on every revision or publication without anyone changing what the page says.
_BOOKKEEPING = frozenset(name for field in Page._meta.concrete_fields for name in (field.name, field.attname)) - {
    "title",
    "slug",
    "seo_title",
    "search_description",
    "show_in_menus",
    "go_live_at",
    "expire_at",
}
_BOOKKEEPING |= {"pk", "comments", "draft_title", "wagtail_admin_comments"}
# How far back to look for the last change: a page saved unchanged this many times in a row is a curiosity.
_LOOKBACK = 25


def _meaningful(content: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in content.items() if key not in _BOOKKEEPING}


def last_change(revisions: Iterable[Revision]) -> Revision | None:
    """Of ``revisions`` (newest first), the newest one that differs from the one before it."""
    ordered = list(revisions)
    if not ordered:
        return None
    for newer, older in pairwise(ordered):
        if _meaningful(newer.content) != _meaningful(older.content):
            return newer
    return ordered[-1]


def last_editor_id(page: Page) -> int | None:
    """The id of the person whose change the page's latest revision carries (``None``: no revision, or made by code)."""
    revisions = page.revisions.order_by("-created_at", "-pk")[:_LOOKBACK]
    revision = last_change(revisions)
    return revision.user_id if revision is not None else None


def is_last_editor(page: Page, user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and last_editor_id(page) == user.pk)


def own_change_message(title: str) -> str:
    return _(
        "«%(title)s» no se publicó: usted hizo el último cambio y no puede aprobarlo. Envíelo a revisión para que "
        "lo apruebe otra persona."
    ) % {"title": title}


class OwnChangeRefused(PublicationRefused):
    """Refused because the person approving or publishing made the change (shown on the page's editor)."""

    def __init__(self, page_id: int, title: str) -> None:
        self.page_id = page_id
        self.title = title
        self.problems = []
        self.summary = own_change_message(title)
        ValidationError.__init__(self, self.summary, code="own_change")
