"""The payer's pages (docs/payments-citizen.md), mounted at /pagos/ in the language prefixes."""

from django.urls import path

from . import views, views_citizen

app_name = "payments"

urlpatterns = [
    path("", views_citizen.mine, name="mine"),
    path("consultar/", views_citizen.lookup, name="lookup"),
    path("regreso/<uuid:payment_id>/", views.payment_return, name="return"),
    path("<uuid:public_id>/", views_citizen.reference_detail, name="reference"),
    path("<uuid:public_id>/pagar/", views.pay, name="pay"),
    path("<uuid:public_id>/reemitir/", views_citizen.reissue, name="reissue"),
    path("<uuid:public_id>/hoja-de-ayuda.pdf", views_citizen.hoja_de_ayuda, name="hoja"),
    path("<uuid:public_id>/recibo.pdf", views_citizen.receipt, name="receipt"),
]
