from django.urls import path

from portal.core.cache import public_page

from . import views
from .feeds import news_feed

app_name = "press"
urlpatterns = [
    path("", views.press_index, name="index"),
    path("atom.xml", public_page(news_feed), name="feed"),
    path("<slug:slug>/atom.xml", public_page(news_feed), name="agency_feed"),
]
