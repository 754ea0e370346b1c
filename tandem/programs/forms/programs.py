"""Forms for designing and running a program: the program itself, its success
criteria, cohorts, cost lines and enrollments. The pages and the API use the same
forms, so both enforce one set of rules."""

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Role
from tandem.people.models import Level, Person
from tandem.programs.models import (
    Cohort,
    CostLine,
    Enrollment,
    EnrollmentStatus,
    Metric,
    Program,
    ProgramStatus,
    SuccessCriterion,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Metrics that say which competency moved.
METRICS_ABOUT_A_COMPETENCY = {Metric.COMPETENCY_360_CHANGE, Metric.SELF_ASSESSMENT_CHANGE}

# Results are measured against the criteria defined before launch.
CRITERIA_ARE_FIXED = _("Success criteria are fixed once the program is launched.")

# How many people one enrollment form takes at once.
MAX_ENROLL_AT_ONCE = 500


def program_owners(current_owner_id: int | None = None) -> QuerySet:
    """Who may own a program: program admins (granted, or superusers), plus whoever
    owns it today, so an unchanged owner never fails validation."""
    admins = Q(role_grants__role=Role.PROGRAM_ADMIN) | Q(is_superuser=True)
    if current_owner_id is not None:
        admins |= Q(pk=current_owner_id)
    users = get_user_model().objects.filter(admins, is_active=True)
    return get_user_model().objects.filter(pk__in=users.values("pk")).order_by("username")


# The 360 anonymity settings a review started in the program copies.
REVIEW_SETTINGS = [
    "review_min_peers",
    "review_min_direct_reports",
    "review_min_others",
    "review_min_all_others",
    "review_show_manager",
]


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class ProgramForm(forms.ModelForm):
    target_levels = forms.MultipleChoiceField(
        label=_("Target leader levels"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which leaders it serves; enrolling a person proposes their level's plan."),
    )
    owner = OwnerChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        help_text=_("The program admin accountable for it."),
        error_messages={"invalid_choice": _("The owner must be a program admin.")},
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "description",
            "kind",
            "target_levels",
            "start_date",
            "end_date",
            "owner",
            "budget",
            "currency",
            "checkin_every_days",
            *REVIEW_SETTINGS,
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"currency": _("Three letters, e.g. EUR, USD, GBP.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = program_owners(self.instance.owner_id)  # type: ignore[attr-defined]
        for name in REVIEW_SETTINGS:
            self.fields[name].required = False  # left out or blank: stays as it is

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("Enter a three-letter currency code, e.g. EUR."))
        return currency

    def clean_target_levels(self) -> list[str]:
        chosen = set(self.cleaned_data["target_levels"])
        return [level for level in Level.values if level in chosen]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in REVIEW_SETTINGS:
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name)
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The program cannot end before it starts."))
        return data


class SuccessCriterionForm(forms.ModelForm):
    """What will count as success, defined before launch."""

    class Meta:
        model = SuccessCriterion
        fields = ["metric", "competency", "baseline", "target", "unit", "measure_by", "note"]
        widgets = {"measure_by": DATE_INPUT}

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        self.program = program
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.program.status == ProgramStatus.CLOSED:
            raise forms.ValidationError(_("This program is closed; its criteria are final."))
        metric, competency = data.get("metric"), data.get("competency")
        if metric in METRICS_ABOUT_A_COMPETENCY and competency is None:
            self.add_error("competency", _("Say which competency this change is measured on."))
        baseline, target = data.get("baseline"), data.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target", _("The target must differ from the baseline."))
        measure_by = data.get("measure_by")
        if measure_by and measure_by < self.program.start_date:
            self.add_error(
                "measure_by",
                _("Measure on or after the program's start (%(date)s).")
                % {"date": self.program.start_date.isoformat()},
            )
        return data

    def save(self, commit: bool = True) -> SuccessCriterion:
        self.instance.program = self.program
        return super().save(commit)


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "start_date"]
        widgets = {"start_date": DATE_INPUT}

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        self.program = program
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Cohort.objects.filter(program=self.program, name__iexact=name).exists():
            raise forms.ValidationError(_("This program already has a cohort with this name."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.program.status == ProgramStatus.CLOSED:
            raise forms.ValidationError(_("This program is closed."))
        return data

    def save(self, commit: bool = True) -> Cohort:
        self.instance.program = self.program
        return super().save(commit)


class CostLineForm(forms.ModelForm):
    class Meta:
        model = CostLine
        fields = ["category", "description", "amount", "incurred_on"]
        widgets = {"incurred_on": DATE_INPUT}

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        self.program = program
        super().__init__(*args, **kwargs)

    def save(self, commit: bool = True) -> CostLine:
        self.instance.program = self.program
        return super().save(commit)


def enrollment_problem(program: Program, person: Person, enrolled_ids: set[int]) -> str | None:
    """Why `person` cannot be enrolled in `program`, or None. `services.enrollment_create`
    checks the same again inside its transaction; this says it next to the field first."""
    if person.pk in enrolled_ids:
        return _("%(name)s (%(id)s) is already enrolled.") % {
            "name": person,
            "id": person.employee_id,
        }
    if not person.is_active:
        return _("%(name)s (%(id)s) has left the organization.") % {
            "name": person,
            "id": person.employee_id,
        }
    return None


class _EnrollmentBaseForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("No cohort"),
        error_messages={"invalid_choice": _("This program has no such cohort.")},
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        self.program = program
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = program.cohorts.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.program.status == ProgramStatus.CLOSED:
            raise forms.ValidationError(_("This program is closed."))
        return data


class EnrollPeopleForm(_EnrollmentBaseForm):
    """Enroll several people by employee id. Every problem is listed next to the field
    and then nobody is enrolled: all or nothing."""

    employee_ids = forms.CharField(
        label=_("Employee ids"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "T000123, T000456"}),
        help_text=_("One per line, or separated by commas."),
    )

    field_order = ["employee_ids", "cohort"]

    def clean_employee_ids(self) -> list[Person]:
        ids = list(dict.fromkeys(re.split(r"[\s,;]+", self.cleaned_data["employee_ids"].strip())))
        ids = [employee_id for employee_id in ids if employee_id]
        if not ids:
            raise forms.ValidationError(_("Enter at least one employee id."))
        if len(ids) > MAX_ENROLL_AT_ONCE:
            raise forms.ValidationError(
                _("Enroll at most %(limit)d people at once.") % {"limit": MAX_ENROLL_AT_ONCE}
            )
        found = {p.employee_id: p for p in Person.objects.filter(employee_id__in=ids)}
        enrolled = set(
            Enrollment.objects.filter(program=self.program, person__in=found.values()).values_list(
                "person_id", flat=True
            )
        )
        problems = []
        for employee_id in ids:
            person = found.get(employee_id)
            if person is None:
                problems.append(_("No one has the employee id “%(id)s”.") % {"id": employee_id})
            elif problem := enrollment_problem(self.program, person, enrolled):
                problems.append(problem)
        if problems:
            raise forms.ValidationError(problems)
        return [found[employee_id] for employee_id in ids]


class EnrollmentForm(_EnrollmentBaseForm):
    """Enroll one person, named by their record's id (the API)."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.all(),
        error_messages={"invalid_choice": _("No such person.")},
    )

    field_order = ["person", "cohort"]

    def clean_person(self) -> Person:
        person = self.cleaned_data["person"]
        enrolled = set(
            Enrollment.objects.filter(program=self.program, person=person).values_list(
                "person_id", flat=True
            )
        )
        if problem := enrollment_problem(self.program, person, enrolled):
            raise forms.ValidationError(problem)
        return person


# Which status an enrollment may move to from each status. Participants become
# active by starting their plan (services.plan_advance); nobody goes back to invited.
ENROLLMENT_MOVES: dict[str, set[str]] = {
    EnrollmentStatus.INVITED: {
        EnrollmentStatus.ACTIVE,
        EnrollmentStatus.COMPLETED,
        EnrollmentStatus.WITHDRAWN,
    },
    EnrollmentStatus.ACTIVE: {EnrollmentStatus.COMPLETED, EnrollmentStatus.WITHDRAWN},
    EnrollmentStatus.COMPLETED: {EnrollmentStatus.ACTIVE},
    EnrollmentStatus.WITHDRAWN: {EnrollmentStatus.ACTIVE},
}


class EnrollmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EnrollmentStatus.choices)

    def __init__(self, *args: Any, enrollment: Enrollment, **kwargs: Any) -> None:
        self.enrollment = enrollment
        super().__init__(*args, **kwargs)

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        current = self.enrollment.status
        if status != current and status not in ENROLLMENT_MOVES[current]:
            raise forms.ValidationError(
                _("An enrollment that is %(current)s cannot become %(status)s.")
                % {
                    "current": EnrollmentStatus(current).label.lower(),
                    "status": EnrollmentStatus(status).label.lower(),
                }
            )
        return status
