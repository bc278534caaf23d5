"""Sitemaps and robots.txt: outside the language prefixes (one address each; the sitemaps list both languages)."""

from django.urls import path

from . import sitemaps

app_name = "sitemaps"
urlpatterns = [
    path("robots.txt", sitemaps.robots, name="robots"),
    path("sitemap.xml", sitemaps.portal_index, name="index"),
    path("sitemap-portal.xml", sitemaps.portal_sitemap, name="portal"),
    path("<slug:slug>/sitemap.xml", sitemaps.agency_sitemap, name="agency"),
]
