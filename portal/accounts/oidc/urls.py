"""The provider's endpoints, mounted at the site's root (``config/urls.py``), outside the language prefixes.

The namespace is DOT's (``oauth2_provider``) because DOT builds discovery and the issuer by reversing its own names.
Only what this provider offers is routed: no self-service client registration, no device flow, no introspection.
"""

from django.urls import path
from oauth2_provider import views as dot_views

from . import views

app_name = "oauth2_provider"
urlpatterns = [
    path(".well-known/openid-configuration", views.DiscoveryView.as_view(), name="oidc-connect-discovery-info"),
    path(".well-known/jwks.json", dot_views.JwksInfoView.as_view(), name="jwks-info"),
    path("o/authorize/", views.ConsentView.as_view(), name="authorize"),
    path("o/token/", dot_views.TokenView.as_view(), name="token"),
    path("o/revoke_token/", dot_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("o/userinfo/", dot_views.UserInfoView.as_view(), name="user-info"),
]
