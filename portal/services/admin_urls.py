"""Admin URLs that shadow Wagtail's own at the same paths (see ``admin_views``); included before Wagtail's admin.

Unnamed on purpose: ``reverse()`` keeps finding Wagtail's names, which produce these same paths.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import admin_views

urlpatterns = [
    path("pages/<int:parent_page_id>/", admin_views.explore),
    path("pages/<int:parent_page_id>/results/", admin_views.explore, {"results_only": True}),
    path("choose-page/<int:parent_page_id>/", admin_views.BrowseView.as_view()),
    path("choose-page/chosen-multiple/", admin_views.ChosenMultipleView.as_view()),
    path("pages/workflow/confirm_cancellation/<int:page_id>/", admin_views.confirm_workflow_cancellation),
    path("reports/page-types-usage/", admin_views.SuperuserPageTypesUsageReportView.as_view()),
    path(
        "reports/page-types-usage/results/",
        admin_views.SuperuserPageTypesUsageReportView.as_view(results_only=True),
    ),
]
urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
