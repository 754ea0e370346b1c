from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Person
from tandem.privacy.models import RetentionSettings


class ErasureForm(forms.Form):
    """Erasure cannot be undone: the admin types the person's full name to confirm."""

    confirm_name = forms.CharField(
        label=_("Type the person's full name to confirm"), max_length=201, strip=True
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"]
        if " ".join(typed.split()).casefold() != self.person.full_name.casefold():
            raise forms.ValidationError(_("That is not this person's full name."))
        return typed


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionSettings
        fields = ["rater_tokens_months", "raw_survey_answers_months", "audit_log_months"]
