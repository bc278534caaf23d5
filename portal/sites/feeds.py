"""Atom feeds of the entities' news: ``/prensa/atom.xml`` (every entity) and ``/prensa/<slug>/atom.xml`` (one).

Django's own syndication framework writes valid Atom 1.0 and answers conditional requests through the page cache;
it needs no dependency beyond Django (feedgen would add one for the same output).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.agencies import queries as agency_queries

from . import queries
from .models import NewsPage

if TYPE_CHECKING:
    from portal.agencies.models import Agency

FEED_ITEMS = 30


class NewsFeed(Feed[NewsPage, "Agency | None"]):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, slug: str | None = None, **kwargs: Any) -> Agency | None:
        if slug is None:
            return None
        # After a rename or a merger the old feed's address gives the news of the entity it is part of now.
        agency = agency_queries.successor(slug)
        if agency is None:
            raise Http404
        return agency

    def title(self, agency: Agency | None) -> str:
        if agency is None:
            return _("Noticias de todas las instituciones")
        return _("Noticias de %(name)s") % {"name": agency.name}

    def link(self, agency: Agency | None) -> str:
        return agency.get_absolute_url() if agency is not None else reverse("press:index")

    def subtitle(self, agency: Agency | None) -> str:
        return _("Noticias, comunicados y avisos publicados en el portal.")

    def items(self, agency: Agency | None) -> list[NewsPage]:
        news = list(queries.press_news(agency=agency)[:FEED_ITEMS])
        queries.with_publishers(news)
        return news

    def item_title(self, item: NewsPage) -> str:
        return str(item.title)

    def item_description(self, item: NewsPage) -> str:
        return item.summary

    def item_link(self, item: NewsPage) -> str:
        return queries.page_address(item)

    def item_pubdate(self, item: NewsPage) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time(12, 0)))

    def item_updateddate(self, item: NewsPage) -> dt.datetime | None:
        return cast("dt.datetime | None", item.last_published_at)

    def item_author_name(self, item: NewsPage) -> str:
        # Published before a rename or a merger: the entity as it was called then, and what it is today.
        publisher = getattr(item, "publisher", None)
        if publisher is not None and publisher.is_former:
            return _("%(name)s (%(acronym)s), hoy %(today)s") % {
                "name": publisher.name,
                "acronym": publisher.acronym,
                "today": publisher.today,
            }
        return str(item.agency.name)


news_feed = NewsFeed()
