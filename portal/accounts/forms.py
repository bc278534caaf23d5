"""Forms: allauth's, reworded for Mexico and extended to take an e-mail *or* a mobile number; and this app's own."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.password_reset_by_code import PasswordResetVerificationProcess
from allauth.core import ratelimit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from portal.registry.curp import clean_curp
from portal.registry.forms import PersonalDataForm

from . import actions, queries
from .phone import MexicanPhoneField, normalise_mexican_phone

LOGIN_MAX_LENGTH = 254
MESSAGE_EMAIL_OR_PHONE = _(
    "Escriba su correo electrónico (por ejemplo, nombre@correo.mx) o su número de celular de 10 dígitos."
)


def email_or_phone(value: str) -> tuple[str, str]:
    """``("email", address)`` or ``("phone", +52…)`` for what a person typed in a «correo o celular» box."""
    text = (value or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(
                _("Revise el correo electrónico: debe ser como nombre@correo.mx."), code="invalid"
            ) from None
        return "email", text.lower()
    try:
        return "phone", normalise_mexican_phone(text)
    except ValidationError as error:
        if error.code == "foreign_phone":
            raise
        raise ValidationError(MESSAGE_EMAIL_OR_PHONE, code="invalid") from None


class _PasswordInput(forms.PasswordInput):
    def __init__(self, autocomplete: str) -> None:
        super().__init__(attrs={"autocomplete": autocomplete, "spellcheck": "false", "autocapitalize": "none"})


class LoginForm(allauth_forms.LoginForm):
    """Sign in with an e-mail or a Mexican mobile number and a password; nothing else is a login."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label=_("Correo electrónico o número de celular"),
            max_length=LOGIN_MAX_LENGTH,
            error_messages={
                "required": _("Escriba su correo electrónico o su número de celular."),
                "max_length": MESSAGE_EMAIL_OR_PHONE,
            },
            widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
        )
        self.fields["password"] = forms.CharField(
            label=_("Contraseña"),
            strip=False,
            error_messages={"required": _("Escriba su contraseña.")},
            widget=_PasswordInput("current-password"),
        )
        self.order_fields(["login", "password"])

    def clean_login(self) -> str:
        _kind, value = email_or_phone(self.cleaned_data["login"])
        return value


class SignupForm(allauth_forms.SignupForm):
    """Sign up with an e-mail, a mobile number or both (at least one), a password, and optionally a name."""

    first_name = forms.CharField(label=_("Nombre o nombres"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Apellidos"), max_length=150, required=False)
    field_order = ["first_name", "last_name", "email", "phone", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs["email_required"] = False
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs.update({"autocomplete": "given-name", "spellcheck": "false"})
        self.fields["last_name"].widget.attrs.update({"autocomplete": "family-name", "spellcheck": "false"})
        email = self.fields["email"]
        email.label = _("Correo electrónico")
        email.error_messages["invalid"] = _("Revise el correo electrónico: debe ser como nombre@correo.mx.")
        email.widget = forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
        self.fields["phone"] = MexicanPhoneField(required=False)
        self.fields["password1"] = forms.CharField(
            label=_("Contraseña"),
            strip=False,
            error_messages={"required": _("Escriba una contraseña.")},
            widget=_PasswordInput("new-password"),
        )
        self.fields["password2"] = forms.CharField(
            label=_("Repita la contraseña"),
            strip=False,
            error_messages={"required": _("Escriba la contraseña otra vez.")},
            widget=_PasswordInput("new-password"),
        )
        self.order_fields(self.field_order)

    def clean(self) -> dict:
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        cleaned = super().clean()
        nothing_given = not cleaned.get("email") and not cleaned.get("phone")
        if nothing_given and not self.has_error("email") and not self.has_error("phone"):
            self.add_error(
                "email", _("Escriba un correo electrónico o un número de celular: necesitamos uno para verificarlo.")
            )
        if password1 and password2 and password1 != password2:
            # allauth words this in Spain's Spanish; say it the way the rest of the portal does.
            self.errors["password2"] = self.error_class([_("Las dos contraseñas no coinciden.")])
        if password1 and not self.has_error("password1") and not self.has_error("password2"):
            self._check_password_against_own_data(password1, cleaned)
        return cleaned

    def _check_password_against_own_data(self, password: str, cleaned: dict) -> None:
        """allauth compares the password with the e-mail only; the name and the number are the person's too."""
        person = get_user_model()(
            first_name=cleaned.get("first_name") or "",
            last_name=cleaned.get("last_name") or "",
            email=cleaned.get("email") or "",
            username=(cleaned.get("phone") or "").removeprefix("+52"),
        )
        try:
            password_validation.validate_password(password, person)
        except ValidationError as error:
            self.add_error("password1", error)


class PhonePasswordResetProcess(PasswordResetVerificationProcess):
    """allauth's reset-by-code, with the code sent by SMS to a number instead of by e-mail.

    allauth's views resume the process from the session and read the recipient from ``state["email"]``; for a number
    that holds the number, which allauth then only shows and otherwise ignores (it marks e-mail addresses verified).
    """

    def send(self) -> None:
        phone = self.state["phone"]
        # A code sent to this number moments ago (or none, for a number without an account): nothing goes out, and
        # the person sees the same page either way.
        if self.user is None or not ratelimit.consume(self.request, action="verify_phone", key=phone):
            return
        code = get_adapter().generate_password_reset_code()
        self.state["code"] = code
        actions.do_send_code_by_sms(phone, code)

    @classmethod
    def initiate_by_phone(cls, *, request, user, phone: str) -> PhonePasswordResetProcess:
        state = cls.initial_state(user, email=phone, phone=phone)
        process = cls(request, state=state, user=user)
        process.send()
        process.persist()
        return process


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """«¿Olvidó su contraseña?» by e-mail or by mobile number; both get a one-time code.

    The field keeps allauth's name (``email``) because allauth's view rate-limits by it.
    """

    email = forms.CharField(
        label=_("Correo electrónico o número de celular"),
        max_length=LOGIN_MAX_LENGTH,
        error_messages={"required": _("Escriba su correo electrónico o su número de celular.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
    )

    def clean_email(self) -> str:
        kind, value = email_or_phone(self.cleaned_data["email"])
        self.kind = kind
        if kind == "email":
            self.cleaned_data["email"] = value
            return super().clean_email()
        user = queries.user_by_phone(value)
        self.users = [user] if user is not None and user.is_active else []
        return value

    def save(self, request, **kwargs) -> str:
        if getattr(self, "kind", "email") == "email":
            return super().save(request, **kwargs)
        phone = self.cleaned_data["email"]
        PhonePasswordResetProcess.initiate_by_phone(
            request=request, user=self.users[0] if self.users else None, phone=phone
        )
        return phone


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Nombre o nombres"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Apellidos"), max_length=150, required=False)


class CloseAccountForm(forms.Form):
    """Closing an account is final: the holder confirms it in words and with their password."""

    confirm = forms.BooleanField(
        label=_("Entiendo que mi cuenta y mis datos se eliminarán y que no podré recuperarlos."),
        error_messages={"required": _("Marque la casilla para confirmar que quiere eliminar su cuenta.")},
    )
    password = forms.CharField(
        label=_("Contraseña"),
        strip=False,
        error_messages={"required": _("Escriba su contraseña para confirmar.")},
        widget=_PasswordInput("current-password"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        adapter = get_adapter()
        # The same throttle and failure record as a sign-in: this is a password check an attacker could repeat.
        if not adapter.reauthenticate(self.user, password):
            raise ValidationError(_("La contraseña no es correcta."), code="incorrect_password")
        return password


class LinkCurpForm(PersonalDataForm):
    """The CURP and the data the registry must agree with: given names, both surnames and the birth date.

    The names and the date are the registry consultation's own fields (same wording, same checks, same date
    pattern); sex and state of birth are left out because the CURP itself spells them.
    """

    curp = forms.CharField(
        label=_("CURP"),
        help_text=_("18 letras y números; por ejemplo, HEGG560427MVZRRL04."),
        max_length=40,
        error_messages={
            "required": _("Escriba su CURP."),
            "max_length": _("La CURP tiene 18 caracteres y usted escribió más de 40."),
        },
    )
    # Django's way of dropping fields that the parent form declares (the stubs expect a field).
    sexo = None  # type: ignore[assignment]
    entidad = None  # type: ignore[assignment]
    field_order = ["curp", "nombre", "primer_apellido", "segundo_apellido", "dia", "mes", "anio"]

    def clean_curp(self) -> str:
        value = self.cleaned_data["curp"]
        problems = actions.check_curp_format(value)
        if problems:
            raise ValidationError(problems)
        return clean_curp(value)

    def claim(self) -> actions.CurpClaim:
        data = self.cleaned_data
        return actions.CurpClaim(
            curp=data["curp"],
            given_names=data["nombre"],
            first_surname=data["primer_apellido"],
            second_surname=data["segundo_apellido"],
            birth_date=data["fecha"],
        )

    @classmethod
    def initial_for(cls, user) -> dict[str, str]:
        """The account's names as a start: the given names, and the surnames when «Apellidos» holds exactly two."""
        initial = {"nombre": user.first_name}
        surnames = user.last_name.split()
        if len(surnames) == 2:
            initial["primer_apellido"], initial["segundo_apellido"] = surnames
        return initial


class UnlinkCurpForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Entiendo que mi cuenta dejará de tener el nivel «verificada» hasta que vincule una CURP otra vez."),
        error_messages={"required": _("Marque la casilla para confirmar que quiere desvincular su CURP.")},
    )
