from datetime import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts import throttle
from tandem.accounts.models import ApiToken


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing to even check a password while the account or the
    address is locked out after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": _(
            "Too many failed sign-in attempts. Wait a few minutes, or reset your password."
        ),
    }

    def clean(self):  # type: ignore[no-untyped-def]
        username = (self.data.get("username") or "").strip()
        ip = throttle.client_ip(self.request) if self.request else None
        if username and throttle.is_locked_out(username=username, ip=ip):
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_attempt(username=username, ip=ip, succeeded=False)
            raise
        throttle.record_attempt(username=username, ip=ip, succeeded=True)
        return cleaned


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "expires_at"]
        widgets = {"expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
        help_texts = {
            "name": _("What the token is for, e.g. “HRIS sync”."),
            "expires_at": _("Leave empty for a token that works until it is revoked."),
        }

    def clean_expires_at(self) -> datetime | None:
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return expires_at


def place_refusal(error: ValidationError, form: forms.BaseForm) -> list[str]:
    """A service's refusal on the form it came from: a field's problem next to that
    field, a problem of no field in the form's own errors; the messages of a refusal
    not about any field are returned for the page to show."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
    return []
