"""Coaching forms. The pages and the API use the same forms, so both enforce one set of
rules; workflow rules (capacity, the agreement, next steps) live in `services`."""

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.coaching.models import (
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    OWNER_PARTIES,
    RATING_MAX,
    RATING_MIN,
    Coach,
    Engagement,
    EngagementGoal,
    Evaluation,
    JournalEntry,
    Party,
    language_choices,
)
from tandem.people.models import Level, Person
from tandem.programs.models import Competency, Goal

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
RATING_CHOICES = [(n, str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]
_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


# The roster --------------------------------------------------------------------------


class CoachForm(forms.ModelForm):
    """A coach on the roster. A new coach is found by their email: an existing login
    with that email becomes the coach, otherwise a login is made for them (they set a
    password with "Forgot your password?")."""

    email = forms.EmailField(label=_("Email"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    specialties = forms.ModelMultipleChoiceField(
        label=_("Specialties"),
        queryset=Competency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The competencies and development areas the coach works on."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        help_text=_("The languages the coach coaches in."),
        error_messages={"required": _("Choose at least one language.")},
    )
    levels = forms.MultipleChoiceField(
        label=_("Leader levels"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The leader levels the coach has experience with."),
    )

    class Meta:
        model = Coach
        fields = [
            "kind",
            "bio",
            "specialties",
            "certification",
            "languages",
            "time_zone",
            "levels",
            "capacity",
            "hourly_rate",
            "currency",
            "status",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            user = self.instance.user
            self.fields["email"].initial = user.email
            self.fields["first_name"].initial = user.first_name
            self.fields["last_name"].initial = user.last_name
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("The coach's login; change it in their account.")
        else:
            self.fields["email"].help_text = _(
                "An existing login with this email becomes the coach; otherwise one is made."
            )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if self.instance.pk is None:
            user = get_user_model().objects.filter(email__iexact=email).first()
            if user is not None and Coach.objects.filter(user=user).exists():
                raise forms.ValidationError(_("This login is already a coach on the roster."))
        return email

    def clean_currency(self) -> str:
        currency: str = self.cleaned_data["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("A three-letter currency code, e.g. EUR."))
        return currency

    def login(self) -> Any:
        """The coach's login: their own, an existing one with the email, or a new one."""
        User = get_user_model()
        data = self.cleaned_data
        if self.instance.pk is not None:
            user = self.instance.user
        else:
            user = User.objects.filter(email__iexact=data["email"]).first()
            if user is None:
                base = _USERNAME_UNSAFE.sub("", data["email"].split("@")[0])[:140] or "coach"
                username, n = base, 1
                while User.objects.filter(username=username).exists():
                    n += 1
                    username = f"{base}{n}"
                user = User(username=username, email=data["email"], time_zone=data["time_zone"])
                user.set_unusable_password()
        user.first_name = data["first_name"]
        user.last_name = data["last_name"]
        return user


# Pairing -----------------------------------------------------------------------------


class CoacheeField(forms.CharField):
    """A person typed as their employee id, among `people`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)
        self.people: QuerySet[Person] = Person.objects.none()

    def clean(self, value: Any) -> Person | None:  # type: ignore[override]
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        person = self.people.filter(employee_id__iexact=text).first()
        if person is None:
            raise forms.ValidationError(
                gettext("No one you can see has the employee id %(id)s.") % {"id": text}
            )
        return person


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        load = getattr(obj, "load", None)
        if load is None:
            return obj.name
        return gettext("%(name)s (%(free)s of %(capacity)s places free)") % {
            "name": obj.name,
            "free": obj.capacity - load,
            "capacity": obj.capacity,
        }


class EngagementTermsForm(forms.ModelForm):
    """What an admin sets when pairing, and may change later."""

    class Meta:
        model = Engagement
        fields = ["planned_sessions", "session_minutes", "starts_on", "ends_on", "goal_setting_on"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT, "goal_setting_on": DATE_INPUT}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The engagement ends on or after the day it starts."))
        return data


class PairForm(EngagementTermsForm):
    """An admin pairs a coachee with a coach."""

    coachee = CoacheeField(label=_("Coachee's employee id"))
    coach = CoachChoiceField(
        label=_("Coach"),
        queryset=Coach.objects.none(),
        error_messages={"invalid_choice": _("Choose an active coach with a free place.")},
    )
    sponsor = CoacheeField(
        label=_("Sponsor's employee id"),
        required=False,
        help_text=_("Usually the coachee's manager; left empty, their manager is the sponsor."),
    )

    class Meta(EngagementTermsForm.Meta):
        fields = ["planned_sessions", "session_minutes", "starts_on", "ends_on"]

    field_order = ["coachee", "coach", "sponsor"]

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coachee"].people = people  # type: ignore[attr-defined]
        self.fields["sponsor"].people = people  # type: ignore[attr-defined]
        self.fields["coach"].queryset = (  # type: ignore[attr-defined]
            Coach.objects.active().with_free_places().select_related("user")
        )
        if not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())


class AgreementForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the agreement and accept it"),
        error_messages={"required": _("Tick the box to accept the agreement.")},
    )


class EndForm(forms.Form):
    COMPLETED, ENDED = "completed", "ended"
    outcome = forms.ChoiceField(
        label=_("How the engagement ends"),
        choices=[
            (COMPLETED, _("Completed: the coaching has done its work")),
            (ENDED, _("Ended early (no reason needed, no fault)")),
        ],
        widget=forms.RadioSelect,
    )


class GoalForm(forms.ModelForm):
    class Meta:
        model = EngagementGoal
        fields = ["title", "plan_goal"]

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goals = Goal.objects.none()
        if engagement.plan_id is not None:
            goals = Goal.objects.filter(
                cycle__plan_id=engagement.plan_id, cycle__closed_on__isnull=True
            ).order_by("due_date", "pk")
        field = self.fields["plan_goal"]
        field.queryset = goals  # type: ignore[attr-defined]
        field.help_text = _("The goal of the development plan this coaching goal serves.")
        field.error_messages["invalid_choice"] = _("Choose a goal of the coachee's current plan.")


class GoalProgressForm(forms.ModelForm):
    class Meta:
        model = EngagementGoal
        fields = ["progress"]


class EvaluationForm(forms.ModelForm):
    goals_rating = forms.TypedChoiceField(
        label=_("How far did coaching move the goals? (1: not at all, 5: fully)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    value_rating = forms.TypedChoiceField(
        label=_("How worthwhile was the engagement? (1: not at all, 5: very)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Evaluation
        fields = ["goals_rating", "value_rating"]


# Sessions -----------------------------------------------------------------------------


class SessionForm(forms.Form):
    """Book or move a session; the time is in the viewer's own time zone."""

    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=MIN_SESSION_MINUTES, max_value=MAX_SESSION_MINUTES
    )
    location = forms.CharField(
        label=_("Where"),
        max_length=300,
        required=False,
        help_text=_("A room or a video-call link."),
    )

    def clean_starts_at(self) -> datetime:
        starts_at: datetime = self.cleaned_data["starts_at"]
        if timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
        return starts_at


# What is said: notes, next steps, rating and takeaways ------------------------------------

NOTE_MAX = 20_000


def _note(label: Any, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class GrowForm(forms.Form):
    """The coach's notes, shaped by GROW. Only the coach and the coachee read them."""

    goal = _note(_("Goal"), _("What the coachee wants from this session, and beyond."))
    reality = _note(_("Reality"), _("Where things stand: what happens now, what was tried."))
    options = _note(_("Options"), _("What could be done: every option that came up."))
    will = _note(_("Will"), _("What the coachee chose to do, and how committed they are."))


class NextStepForm(forms.Form):
    title = forms.CharField(label=_("Next step"), max_length=200)
    owner = forms.ChoiceField(label=_("Owner"), choices=OWNER_PARTIES, initial=Party.COACHEE)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_INPUT)


class BaseNextStepFormSet(forms.BaseFormSet):
    """Next steps typed on the page; blank rows are left out."""

    def filled(self) -> list[NextStepForm]:
        return [form for form in self.forms if form.has_changed()]  # type: ignore[misc]


MAX_NEXT_STEPS = 20
NextStepFormSet = forms.formset_factory(
    NextStepForm,
    formset=BaseNextStepFormSet,
    extra=3,
    max_num=MAX_NEXT_STEPS,
    validate_max=True,
)


def next_step_formset(data: Any = None) -> BaseNextStepFormSet:
    formset = NextStepFormSet(data, prefix="steps")
    assert isinstance(formset, BaseNextStepFormSet)
    return formset


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was this session for you? (1: not at all, 5: very)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    takeaways = _note(
        _("Your takeaways"),
        _("In your own words. Only you and your coach read them."),
        rows=4,
    )


# The reflection journal --------------------------------------------------------------------


class JournalEntryForm(forms.ModelForm):
    class Meta:
        model = JournalEntry
        fields = [
            "occurred_on",
            "trigger",
            "situation",
            "reaction",
            "paused",
            "options",
            "choice",
            "outcome",
            "shared_with_coach",
        ]
        widgets = {
            "occurred_on": DATE_INPUT,
            "situation": forms.Textarea(attrs={"rows": 3}),
            "reaction": forms.Textarea(attrs={"rows": 2}),
            "options": forms.Textarea(attrs={"rows": 3}),
            "choice": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("situation", "reaction", "options", "choice", "outcome"):
            field = self.fields[name]
            field.max_length = NOTE_MAX  # type: ignore[attr-defined]
            field.validators.append(MaxLengthValidator(NOTE_MAX))
        self.fields["situation"].error_messages["required"] = _(
            "Describe the situation: what happened, in a sentence or two."
        )

    def clean_occurred_on(self) -> date:
        occurred_on: date = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise forms.ValidationError(_("Write about what has already happened."))
        return occurred_on
