"""Forms of the one-on-one pages: start a series, change its cadence, the agenda, the
notes and completing a meeting with its next steps."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.conversations.models import Cadence, OneOnOneSeries
from tandem.conversations.oneonones import MANAGER, MAX_NEXT_STEPS, REPORT
from tandem.lib.ical import zone

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class SeriesForm(forms.ModelForm):
    class Meta:
        model = OneOnOneSeries
        fields = ["report", "cadence", "first_on", "starts_at", "duration_minutes", "time_zone"]
        widgets = {"first_on": DATE_INPUT, "starts_at": TIME_INPUT}
        field_classes = {"report": ReportChoiceField}

    def __init__(self, *args: Any, reports: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["report"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reports

    def clean_time_zone(self) -> str:
        name = str(self.cleaned_data["time_zone"]).strip()
        try:
            zone(name)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return name

    def validate_unique(self) -> None:
        """The service checks the one running series per pair."""


class CadenceForm(forms.Form):
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices)


class AgendaItemForm(forms.Form):
    text = forms.CharField(label=_("Topic"), max_length=300)


class SharedNotesForm(forms.Form):
    shared_notes = forms.CharField(
        label=_("Shared notes"), required=False, max_length=20_000, widget=forms.Textarea
    )


class PrivateNoteForm(forms.Form):
    body = forms.CharField(
        label=_("My private note"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you can ever read this: not the other person, not an admin."),
    )


class OneOnOneNextStepForm(forms.Form):
    title = forms.CharField(label=_("Next step"), max_length=200)
    owner = forms.ChoiceField(
        label=_("Owner"), choices=[(MANAGER, _("Manager")), (REPORT, _("Report"))], initial=REPORT
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE_INPUT)


class BaseOneOnOneNextStepFormSet(forms.BaseFormSet):
    """Next steps typed on the page; blank rows are left out."""

    def filled(self) -> list[OneOnOneNextStepForm]:
        return [form for form in self.forms if form.has_changed()]  # type: ignore[misc]


OneOnOneNextStepFormSet = forms.formset_factory(
    OneOnOneNextStepForm,
    formset=BaseOneOnOneNextStepFormSet,
    extra=2,
    max_num=MAX_NEXT_STEPS,
    validate_max=True,
)


def next_step_formset(data: Any = None) -> BaseOneOnOneNextStepFormSet:
    formset = OneOnOneNextStepFormSet(data, prefix="steps")
    assert isinstance(formset, BaseOneOnOneNextStepFormSet)
    return formset
