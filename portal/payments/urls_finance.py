"""The finance back office, under /oficina/pagos/ (docs/payments-reconciliation.md)."""

from django.urls import path

from . import views_finance as views

app_name = "payments_finance"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:agency>/", views.dashboard, name="dashboard"),
    path("<slug:agency>/importar/", views.import_statement, name="import"),
    path("<slug:agency>/diferencias/", views.exceptions, name="exceptions"),
    path("<slug:agency>/diferencias/<int:exception>/", views.exception_detail, name="exception"),
    path("<slug:agency>/reembolsos/", views.refunds, name="refunds"),
    path("<slug:agency>/cierres/", views.closes, name="closes"),
    path("<slug:agency>/cierres/<str:day>/", views.close_day, name="close_day"),
    path("<slug:agency>/cierres/<str:day>/asientos.csv", views.ledger_csv, name="ledger_csv"),
]
