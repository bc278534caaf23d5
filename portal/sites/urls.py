from django.urls import path

from portal.core.cache import public_page

from . import views
from .feeds import news_feed
from .page_cache import NEWS_TAG

app_name = "press"
urlpatterns = [
    path("", views.press_index, name="index"),
    path("atom.xml", public_page(news_feed, tags=(NEWS_TAG,)), name="feed"),
    path("<slug:slug>/atom.xml", public_page(news_feed, tags=(NEWS_TAG,)), name="agency_feed"),
]
