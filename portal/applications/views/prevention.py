"""The applicant's answer to a prevención, at ``/mi-expediente/solicitudes/<folio>/responder/``.

Only the applicant, only while the petition is open and its term has not lapsed (``actions.casework``). The answer is
text and/or files; files are checked by ``uploads.inspect_upload`` (type by content, size, malware scan where
configured) before anything is stored, so a rejected file leaves nothing behind and the typed text is shown again.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.core import business_days
from portal.core.folio import validate_folio

from .. import uploads
from ..access import access_own_application
from ..actions import casework
from ..models import ApplicationStatus
from ..queries.backoffice import open_information_request

MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class AnswerForm(forms.Form):
    respuesta = forms.CharField(
        label=gettext_lazy("Su respuesta"),
        help_text=gettext_lazy("Explique lo que se le pidió. Si solo envía archivos, puede dejarlo en blanco."),
        required=False,
        max_length=casework.RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": gettext_lazy("La respuesta puede tener hasta %(limit_value)d caracteres.")},
    )
    archivos = MultipleFileField(
        label=gettext_lazy("Archivos"),
        help_text=gettext_lazy("PDF, JPG o PNG. Puede elegir varios a la vez, hasta 5."),
        required=False,
    )

    def clean_archivos(self):
        files = self.cleaned_data.get("archivos") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Puede enviar hasta %(max)s archivos.") % {"max": MAX_FILES}, code="too_many")
        return files

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.errors and not (data.get("respuesta") or "").strip() and not data.get("archivos"):
            self.add_error("respuesta", _("Escriba su respuesta o adjunte al menos un archivo con lo que se le pidió."))
        return data


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_information_request(request: HttpRequest, folio: str) -> HttpResponse:
    try:
        folio = validate_folio(folio)
    except ValidationError:
        raise Http404 from None
    application = access_own_application(request.user, folio)
    information_request = open_information_request(application)
    context = {"application": application, "service": application.service, "information_request": information_request}
    is_open = application.status == ApplicationStatus.INFORMATION_REQUESTED and information_request is not None
    lapsed = (
        is_open
        and information_request is not None
        and casework.check_prevention_lapsed(information_request, business_days.today())
    )
    if not is_open or lapsed:
        status = 409 if request.method == "POST" else (404 if not is_open else 200)
        context["lapsed"] = is_open
        return _private(render(request, "applications/prevention/closed.html", context, status=status))

    template = "applications/prevention/answer.html"
    if request.method != "POST":
        return _private(render(request, template, context | {"form": AnswerForm()}))
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _private(render(request, template, context | {"form": form}, status=400))
    clean_files = []
    try:
        for upload in form.cleaned_data["archivos"]:
            clean_files.append(uploads.inspect_upload(upload))
        casework.do_answer_information_request(application, request.user, form.cleaned_data["respuesta"], clean_files)
    except uploads.UploadRejected as error:
        form.add_error("archivos", error.messages if hasattr(error, "messages") else str(error))
        return _private(render(request, template, context | {"form": form}, status=400))
    except casework.CaseworkRefused as error:
        context["problem"] = error.messages[0]
        return _private(render(request, "applications/prevention/closed.html", context, status=409))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        form.add_error(None, error)
        return _private(render(request, template, context | {"form": form}, status=400))
    messages.success(request, _("Enviamos su respuesta a la institución. Le avisaremos cuando resuelva."))
    return redirect("applications_mine:detail", folio=application.folio)
