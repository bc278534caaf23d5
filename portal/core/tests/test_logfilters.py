import logging

from django.test import RequestFactory

from portal.core.logfilters import RedactPrivateRequests


def _record(path: str) -> logging.LogRecord:
    request = RequestFactory().get(path, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="NavegadorDePrueba/1.0")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (path,), None)
    record.request = request
    record.status_code = 404
    return record


def test_a_record_about_a_private_path_loses_its_request_and_path(settings):
    settings.PORTAL_PRIVATE_PATHS = ("/participa/denuncia/",)
    record = _record("/participa/denuncia/seguimiento/x")
    assert RedactPrivateRequests().filter(record)
    assert record.request is None
    assert "seguimiento" not in record.getMessage() and "/participa/denuncia/" in record.getMessage()


def test_other_records_are_left_as_they_are(settings):
    settings.PORTAL_PRIVATE_PATHS = ("/participa/denuncia/",)
    record = _record("/tramites/x")
    assert RedactPrivateRequests().filter(record)
    assert record.request is not None and record.getMessage() == "Not Found: /tramites/x"


def test_the_configured_loggers_redact_before_any_handler(settings, caplog):
    settings.PORTAL_PRIVATE_PATHS = ("/participa/denuncia/",)
    record = _record("/participa/denuncia/nueva/")
    logging.getLogger("django.request").handle(record)
    assert all(getattr(seen, "request", None) is None for seen in caplog.records)
    assert "nueva" not in caplog.text and "203.0.113.7" not in caplog.text
