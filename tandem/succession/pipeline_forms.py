"""Forms of the pipeline half: a critical role, a slate entry (add, rank), a development
action, an opening and its filling, accepting a bridge proposal. The API validates its
payloads with the same forms, so pages and API give the same field errors; the
workflows (`succession.slates`, `succession.bridge`) re-check what depends on the data."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Person
from tandem.programs.models import Program
from tandem.succession.models import (
    ActionKind,
    ActionStatus,
    CriticalRole,
    FillSource,
    Opening,
    Readiness,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_RANK = 50


class RoleForm(forms.ModelForm):
    class Meta:
        model = CriticalRole
        fields = [
            "title",
            "org_unit",
            "level",
            "incumbent",
            "impact_of_loss",
            "risk_of_loss",
            "vacancy_expected_on",
            "vacancy_reason",
            "notes",
            "active",
        ]
        labels = {"org_unit": _("Unit"), "incumbent": _("Incumbent")}
        widgets = {"vacancy_expected_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        incumbent = self.fields["incumbent"]
        assert isinstance(incumbent, forms.ModelChoiceField)
        incumbent.queryset = Person.objects.active().order_by("last_name", "first_name", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("vacancy_expected_on") and not data.get("vacancy_reason"):
            self.add_error("vacancy_reason", _("Say why the role will be vacant."))
        if data.get("vacancy_reason") and not data.get("vacancy_expected_on"):
            self.add_error("vacancy_expected_on", _("Give the date the role falls vacant."))
        return data


class SuccessorForm(forms.Form):
    """Name a candidate to a role's slate."""

    person = forms.ModelChoiceField(
        label=_("Candidate"),
        queryset=Person.objects.none(),
        help_text=_("People at the role's level or the one below it."),
    )
    readiness = forms.ChoiceField(label=_("Readiness"), choices=Readiness.choices)
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=1,
        max_value=MAX_RANK,
        required=False,
        help_text=_("1 is the first choice; empty puts them last."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, candidates: Any, role: CriticalRole, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role = role
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = candidates.exclude(successions__role=role)


class SuccessorUpdateForm(forms.Form):
    rank = forms.IntegerField(label=_("Rank"), min_value=1, max_value=MAX_RANK, required=False)
    readiness = forms.ChoiceField(label=_("Readiness"), choices=Readiness.choices, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    description = forms.CharField(label=_("What"), max_length=300)
    link = forms.CharField(
        label=_("Link"),
        max_length=300,
        required=False,
        help_text=_("The page of the relationship, engagement or session, if any."),
    )
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE_INPUT)

    def clean_link(self) -> str:
        link: str = self.cleaned_data.get("link", "")
        if link and not (link.startswith("/") or link.startswith("https://")):
            raise forms.ValidationError(_("Give a page of Tandem (/...) or an https:// link."))
        return link


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class OpeningForm(forms.ModelForm):
    class Meta:
        model = Opening
        fields = ["title", "level", "org_unit", "role", "opened_on"]
        labels = {"org_unit": _("Unit"), "role": _("Critical role")}
        widgets = {"opened_on": DATE_INPUT}

    def clean_opened_on(self) -> Any:
        opened_on = self.cleaned_data["opened_on"]
        if opened_on and opened_on > timezone.localdate():
            raise forms.ValidationError(_("An opening cannot be recorded ahead of time."))
        return opened_on


class OpeningFillForm(forms.Form):
    filled_on = forms.DateField(label=_("Filled on"), widget=DATE_INPUT)
    source = forms.ChoiceField(label=_("Filled"), choices=FillSource.choices)
    person = forms.ModelChoiceField(
        label=_("By whom (from inside)"),
        queryset=Person.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, opening: Opening, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opening = opening
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.active().order_by("last_name", "first_name", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled_on = data.get("filled_on")
        if filled_on and filled_on < self.opening.opened_on:
            self.add_error("filled_on", _("An opening is filled after it opens."))
        elif filled_on and filled_on > timezone.localdate():
            self.add_error("filled_on", _("Record the filling once it has happened."))
        if data.get("source") == FillSource.INTERNAL and not data.get("person"):
            self.add_error("person", _("Say who filled it from inside."))
        if data.get("source") == FillSource.EXTERNAL and data.get("person"):
            self.add_error(
                "person", _("Someone from outside is not in Tandem yet: leave it empty.")
            )
        return data


class EnrollForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    def __init__(self, *args: Any, programs: list[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program = self.fields["program"]
        assert isinstance(program, forms.ModelChoiceField)
        program.queryset = Program.objects.filter(pk__in=[p.pk for p in programs])
