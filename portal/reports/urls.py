"""The reporter's pages of Denuncia, at /participa/denuncia/ (included from config/urls.py inside the language
patterns). The investigators' back office has its own address book (``urls_backoffice``)."""

from django.urls import path

from .views import reporter

app_name = "reports"
urlpatterns = [
    path("", reporter.index, name="index"),
    path("nueva/", reporter.new_report, name="new"),
    path("recibo/", reporter.receipt_text, name="receipt_text"),
    path("constancia/", reporter.filing_receipt_pdf, name="filing_receipt"),
    path("seguimiento/", reporter.follow_up, name="follow_up"),
    path("mi-denuncia/", reporter.my_report, name="my_report"),
    path("mi-denuncia/responder/", reporter.reply, name="reply"),
    path("mi-denuncia/archivos/<uuid:public_id>/", reporter.download_file, name="file"),
    path("salir/", reporter.leave, name="leave"),
    # Any other address under /participa/denuncia/ is this app's 404, with its private headers, not the site's.
    path("<path:rest>", reporter.not_found, name="not_found"),
]
