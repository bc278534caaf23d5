"""Wagtail's front-end URLs, with its serving view behind the anonymous page cache (``page_cache``).

The same patterns and names as ``wagtail.urls``, so every ``pageurl`` and ``reverse("wagtail_serve")`` is unchanged;
only answers that a site page tagged for the cache are kept (a password form or a redirect is not).
"""

from django.urls import re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views

from portal.core.cache import public_page

cached_serve = public_page(wagtail_views.serve, only_tagged=True)

urlpatterns = [
    *(pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", None) != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, cached_serve, name="wagtail_serve"),
]
