"""Forms of the pulse pages: a new pulse, the schedule settings, the results' filters
and the answers. The API validates its payloads with the same forms where it takes the
same input; the services (`insights.pulses`) check again what depends on the data."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.insights import pulse_items
from tandem.insights.models import PulseSettings
from tandem.people.models import Level, OrgUnit, Person

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PulseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    org_unit = forms.ModelChoiceField(
        label=_("Who is asked"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=_("The whole organization"),
        help_text=_("Or one org unit and every unit below it."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DATE_INPUT,
        help_text=_("Links stop working at the end of this day (UTC)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "closes_on": timezone.now().date()
                + timedelta(days=PulseSettings.current().open_days)
            },
        )
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Give the pulse a name."))
        return name


class PulseSettingsForm(forms.ModelForm):
    class Meta:
        model = PulseSettings
        fields = ["every_months", "open_days", "automatic"]


class PulseFilterForm(forms.Form):
    """The results' filters: an org unit (and below), a level, a team (by its lead)."""

    org_unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=_("Whole organization"),
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Every level")), *Level.choices], required=False
    )
    team_lead = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Person.objects.all(),
        required=False,
        widget=forms.HiddenInput,
    )


def _agreement_choices() -> list[tuple[str, str]]:
    return [(str(point), str(label)) for point, label in pulse_items.AGREEMENT_LABELS.items()]


class PulseAnswerForm(forms.Form):
    """One radio group per statement (1-5: the index and the manager-habit items) and
    the eNPS question (0-10)."""

    def __init__(self, *args: Any, organization: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in pulse_items.asked_items():
            self.fields[item.key] = forms.ChoiceField(
                label=item.text,
                choices=_agreement_choices(),
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how much you agree.")},
            )
        low, high = pulse_items.ENPS_SCALE
        self.fields[pulse_items.ENPS_KEY] = forms.ChoiceField(
            label=pulse_items.enps_question(organization),
            choices=[(str(point), str(point)) for point in range(low, high + 1)],
            widget=forms.RadioSelect,
            help_text=_("0 is not at all likely, 10 extremely likely."),
            error_messages={"required": _("Choose a number from 0 to 10.")},
        )

    def answers(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.cleaned_data.items()}

    def add_service_errors(self, problems: dict[str, list[str]]) -> None:
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def statements(self) -> list[forms.BoundField]:
        return [self[item.key] for item in pulse_items.asked_items()]

    def enps(self) -> forms.BoundField:
        return self[pulse_items.ENPS_KEY]
