"""Forms of an accountability check-in and its next steps, used by the page and the API
alike, so both enforce one set of rules. The rule that a check-in ends in at least one
next step lives in `services.checkin_record`; these forms check each field."""

import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import Case, Q, When
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.accounts import policy
from tandem.people.models import Person, PersonQuerySet, ReportingLine
from tandem.programs.models import DevelopmentPlan

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_NEXT_STEPS = 20
MAX_ATTENDEES = 50


def nameable_people(*, plan: DevelopmentPlan, user: Any) -> PersonQuerySet:
    """Who may be named in a check-in, as someone who met or as the owner of a next step:
    the participant, their management chain and the people the recorder may see (their
    reporting line; everyone for program admins), still employed. Nobody else, so a
    check-in cannot be used to look up people the recorder may not see."""
    chain = ReportingLine.objects.filter(person_id=plan.person_id).values("manager_id")
    visible = policy.people_visible_to(user).values("pk")
    return Person.objects.active().filter(Q(pk__in=chain) | Q(pk__in=visible))


def due_date_problem(*, held_on: date, due_date: date) -> str | None:
    """A next step is due on or after the day of the check-in that agreed it."""
    if due_date < held_on:
        return gettext("A next step is due on or after the check-in (%(date)s).") % {
            "date": formats.date_format(held_on, "DATE_FORMAT")
        }
    return None


class CheckInForm(forms.Form):
    """A check-in as the API sends it: who met are person ids."""

    held_on = forms.DateField(label=_("Date held"), widget=DATE_INPUT)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who met"),
        queryset=Person.objects.none(),
        error_messages={
            "invalid_choice": _("%(value)s is not someone you can name in this check-in."),
            "required": _("Say who met."),
        },
    )
    progress = forms.CharField(
        label=_("What progressed"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what progressed since the last check-in.")},
    )
    blockers = forms.CharField(
        label=_("What blocked"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, plan: DevelopmentPlan, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.nameable = nameable_people(plan=plan, user=user)
        self.fields["attendees"].queryset = self.nameable  # type: ignore[attr-defined]

    def clean_held_on(self) -> date:
        held_on: date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(
                _("A check-in is recorded once it has been held: the date is in the future.")
            )
        return held_on

    def clean_attendees(self) -> list[Person]:
        attendees = list(self.cleaned_data["attendees"])
        if len(attendees) > MAX_ATTENDEES:
            raise forms.ValidationError(
                _("Name at most %(count)s people.") % {"count": MAX_ATTENDEES}
            )
        return attendees


class NextStepForm(forms.Form):
    """One next step as the API sends it: the owner is a person id."""

    title = forms.CharField(label=_("Next step"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Person.objects.none(),
        error_messages={
            "invalid_choice": _("Choose someone you can name in this check-in as the owner."),
        },
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE_INPUT)

    def __init__(
        self, *args: Any, plan: DevelopmentPlan, user: Any, nameable: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.nameable = nameable if nameable is not None else nameable_people(plan=plan, user=user)
        self.fields["owner"].queryset = self.nameable  # type: ignore[attr-defined]


# The page ---------------------------------------------------------------------------

_EMPLOYEE_IDS = re.compile(r"[\s,;]+")


def _by_employee_id(nameable: PersonQuerySet, employee_id: str) -> Person | None:
    return nameable.filter(employee_id__iexact=employee_id).first()


class CheckInPageForm(CheckInForm):
    """The page's version: the participant and their manager are checkboxes, anyone
    else is typed as an employee id."""

    attendees = forms.ModelMultipleChoiceField(
        label=_("Who met"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label=_("Others who met"),
        required=False,
        max_length=1000,
        help_text=_("Employee ids, separated by commas, e.g. a mentor or an HR partner."),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. T000123, T000456")}),
    )

    def __init__(self, *args: Any, plan: DevelopmentPlan, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, user=user, **kwargs)
        participant = plan.person
        regulars = [participant.pk]
        if participant.manager_id:
            regulars.append(participant.manager_id)
        field = self.fields["attendees"]
        participant_first = Case(When(pk=participant.pk, then=0), default=1)
        field.queryset = self.nameable.filter(pk__in=regulars).order_by(  # type: ignore[attr-defined]
            participant_first
        )
        field.label_from_instance = self._attendee_label  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("attendees", regulars)
            self.initial.setdefault("held_on", timezone.localdate())

    def _attendee_label(self, person: Person) -> str:
        if person.pk == self.plan.person_id:
            return gettext("%(name)s (participant)") % {"name": person}
        return gettext("%(name)s (manager)") % {"name": person}

    def clean_other_attendees(self) -> list[Person]:
        found, unknown = [], []
        for employee_id in filter(None, _EMPLOYEE_IDS.split(self.cleaned_data["other_attendees"])):
            person = _by_employee_id(self.nameable, employee_id)
            if person is None:
                unknown.append(employee_id)
            else:
                found.append(person)
        if unknown:
            raise forms.ValidationError(
                gettext("No one you can name here has the employee id %(ids)s.")
                % {"ids": ", ".join(unknown)}
            )
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "attendees" in data and "other_attendees" in data:
            everyone = {p.pk: p for p in [*data["attendees"], *data["other_attendees"]]}
            if not everyone:
                self.add_error("attendees", _("Say who met."))
            data["attendees"] = list(everyone.values())
        return data


OWNER_PARTICIPANT, OWNER_MANAGER, OWNER_OTHER = "participant", "manager", "other"


class NextStepPageForm(NextStepForm):
    """The page's version: the owner is the participant, their manager, or someone
    typed as an employee id."""

    owner = forms.ChoiceField(label=_("Owner"), initial=OWNER_PARTICIPANT)  # type: ignore[assignment]
    owner_employee_id = forms.CharField(
        label=_("Owner's employee id"),
        required=False,
        max_length=64,
        help_text=_("When the owner is someone else."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participant = self.plan.person
        choices = [(OWNER_PARTICIPANT, gettext("%(name)s (participant)") % {"name": participant})]
        manager = participant.manager
        if manager is not None and manager.is_active:
            choices.append((OWNER_MANAGER, gettext("%(name)s (manager)") % {"name": manager}))
        choices.append((OWNER_OTHER, gettext("Someone else (employee id)")))
        self.fields["owner"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice, employee_id = data.get("owner"), data.get("owner_employee_id", "").strip()
        if choice == OWNER_PARTICIPANT:
            data["owner"] = self.plan.person
        elif choice == OWNER_MANAGER:
            data["owner"] = self.plan.person.manager
        elif choice == OWNER_OTHER:
            person = _by_employee_id(self.nameable, employee_id) if employee_id else None
            if not employee_id:
                self.add_error("owner_employee_id", _("Type the owner's employee id."))
            elif person is None:
                self.add_error(
                    "owner_employee_id",
                    gettext("No one you can name here has the employee id %(id)s.")
                    % {"id": employee_id},
                )
            data["owner"] = person
        return data


class BaseNextStepFormSet(forms.BaseFormSet):
    """Next steps typed on the page. Blank rows are left out; the check-in's date,
    set before validation, bounds their due dates."""

    held_on: date | None = None

    def clean(self) -> None:
        if any(self.errors) or self.held_on is None:
            return
        for form in self.filled():
            problem = due_date_problem(held_on=self.held_on, due_date=form.cleaned_data["due_date"])
            if problem:
                form.add_error("due_date", problem)

    def filled(self) -> list[NextStepPageForm]:
        return [form for form in self.forms if form.has_changed()]  # type: ignore[misc]


NextStepFormSet = forms.formset_factory(
    NextStepPageForm,
    formset=BaseNextStepFormSet,
    extra=3,
    max_num=MAX_NEXT_STEPS,
    validate_max=True,
)


def next_step_formset(
    data: Any = None, *, plan: DevelopmentPlan, user: Any, nameable: PersonQuerySet
) -> BaseNextStepFormSet:
    formset = NextStepFormSet(
        data, prefix="steps", form_kwargs={"plan": plan, "user": user, "nameable": nameable}
    )
    assert isinstance(formset, BaseNextStepFormSet)
    return formset
