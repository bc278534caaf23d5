"""A page of an entity's site with problems (``publication_checks``) is never published; drafts always are saved.

Where the refusal is, and why there. Wagtail 8 publishes a page's revision through ``PublishPageRevisionAction``,
which three callers build themselves: ``Page.publish`` (reached by ``Revision.publish()``: the workflow's last
approval, ``publish_scheduled``, the create view, bulk publishing, code), the edit view's «Publicar» and the admin
API's publish action. The action's class is not taken from Wagtail's action registry on those paths, so a subclass
registered there would be skipped, and replacing Wagtail's class in place would be a patch every upgrade must
re-check. So the refusal sits where each of the three goes through our code, and all three call the same check:

- ``PublicationChecksMixin.publish``, on every page type of the sites (``AgencyHomePage`` and ``SitePage``, so every
  type added under it): every ``Revision.publish()`` goes through it, whoever calls it. It raises
  ``PublicationRefused``, which ``publication_messages.PublicationRefusedMiddleware`` turns into a message on the
  page's editor in the admin; the workflow's approval runs in a transaction, so the task stays in review.
  A scheduled publication that comes due with problems (a linked page was unpublished meanwhile) is cancelled and
  recorded in the page's history instead: raising there would stop ``publish_scheduled`` for every page after it.
- ``wagtail_hooks.refuse_publishing_a_page_with_problems`` (``before_publish_page``), for the edit view, which
  publishes without ``Page.publish`` (and for the create view, to answer with the editor rather than an exception);
  it runs after the view saved the revision, so nothing typed is lost.
- The admin API's publish action (``/admin/api/main/pages/<id>/action/publish/``): a view at the same path
  (``admin_urls``) refuses a page with problems before handing the request to Wagtail's.

Wagtail's v3 API (which asks the action registry) is not mounted in this project; if it ever is, it needs the same.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from .publication_checks import Problem, page_problems

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wagtail.models import Page as _PageBase
    from wagtail.models import Revision
else:
    _PageBase = object

logger = logging.getLogger(__name__)

# The ``log_action`` that Wagtail's ``publish_scheduled`` passes: the one caller with nobody to tell.
SCHEDULED_PUBLICATION = "wagtail.publish.scheduled"
REFUSED_LOG_ACTION = "agency_sites.publication_refused"


class PublicationRefused(ValidationError):
    """The revision of ``page_id`` was not published because of ``problems`` (shown to the person, in Spanish).

    A ``ValidationError``, not a ``PermissionDenied``: the admin turns any ``PermissionDenied`` into «no tiene
    permiso» and a redirect to the dashboard before the middleware could say what to correct.
    """

    def __init__(self, page_id: int, title: str, problems: Sequence[Problem]) -> None:
        self.page_id = page_id
        self.title = title
        self.problems = list(problems)
        self.summary = refusal_summary(title, len(self.problems))
        super().__init__([self.summary, *(str(problem) for problem in self.problems)], code="publication_refused")


def refusal_summary(title: str, count: int) -> str:
    return ngettext(
        "«%(title)s» no se publicó: tiene %(count)s problema que corregir.",
        "«%(title)s» no se publicó: tiene %(count)s problemas que corregir.",
        count,
    ) % {"title": title, "count": count}


def revision_problems(revision: Revision) -> list[Problem]:
    """The problems of the page as ``revision`` has it (what would be published), not as its row has it."""
    return page_problems(revision.as_object())


def check_revision_publishable(revision: Revision) -> None:
    if problems := revision_problems(revision):
        page = revision.as_object()
        raise PublicationRefused(page.pk, str(page.title), problems)


class PublicationChecksMixin(_PageBase):
    """For every page type of the entities' sites: ``publish`` refuses a revision with problems (module docstring)."""

    def publish(self, revision: Revision, *args: Any, **kwargs: Any) -> Any:
        problems = revision_problems(revision)
        if not problems:
            return super().publish(revision, *args, **kwargs)
        if kwargs.get("log_action") == SCHEDULED_PUBLICATION:
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            log(
                instance=self,
                action=REFUSED_LOG_ACTION,
                revision=revision,
                data={"problems": [str(problem) for problem in problems]},
            )
            logger.warning("Scheduled publication of page %s cancelled: %d problems", self.pk, len(problems))
            return None
        raise PublicationRefused(self.pk, str(revision.as_object().title), problems)


def refused_log_message(problems: Sequence[str]) -> str:
    return _("No se publicó lo programado porque tiene problemas: %(problems)s") % {"problems": "; ".join(problems)}
