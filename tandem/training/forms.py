"""Course forms. The pages and the API use the same forms, so both enforce one set of
rules; workflow rules (seats, the waitlist, when a check is open) live in `services`."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Person
from tandem.programs.models import Cohort, Program
from tandem.training.models import (
    MAX_OPTIONS,
    SCALE_MAX,
    SCALE_MIN,
    Course,
    CourseSession,
    LearningObjective,
    PracticeChallenge,
    Question,
    ReactionSurvey,
    Seat,
)
from tandem.training.services import answer_key

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
SCALE_CHOICES = [(n, str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones())]


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "description",
            "program",
            "active",
            "reinforce",
            "desired_retention",
            "reinforce_weeks",
            "escalate_after_days",
            "min_retention",
            "min_practice_logs",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = LearningObjective
        fields = ["title", "description", "competency", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.course = course

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        others = LearningObjective.objects.filter(course=self.instance.course, title=title)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This course already has an objective with that title."))
        return title


class _ObjectiveChoice(forms.ModelChoiceField):
    def __init__(self, course: Course, **kwargs: Any) -> None:
        super().__init__(queryset=course.objectives.all(), label=_("Objective"), **kwargs)


class QuestionForm(forms.ModelForm):
    """A knowledge-check question. The options are typed one per line."""

    options_text = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line, 2 to 6."),
        max_length=4000,
    )

    class Meta:
        model = Question
        fields = ["objective", "kind", "prompt", "options_text", "correct", "explanation", "active"]
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"] = _ObjectiveChoice(course)
        if self.instance.pk:
            self.initial["options_text"] = "\n".join(self.instance.options)

    def clean_options_text(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["options_text"].splitlines()]
        options = [line for line in lines if line]
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise forms.ValidationError(_("Between 2 and 6 options, one per line."))
        return options

    def _post_clean(self) -> None:
        # Before the model's clean() runs, which checks the options against `correct`.
        if "options_text" in self.cleaned_data:
            self.instance.options = self.cleaned_data["options_text"]
        super()._post_clean()  # type: ignore[misc]

    def _update_errors(self, errors: Any) -> None:
        # The model names its list `options`; here it is typed in `options_text`.
        if hasattr(errors, "error_dict") and "options" in errors.error_dict:
            problems = errors.error_dict.pop("options")
            if "options_text" not in self.errors:
                errors.error_dict["options_text"] = problems
        super()._update_errors(errors)  # type: ignore[misc]


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = PracticeChallenge
        fields = ["objective", "prompt"]
        widgets = {"prompt": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"] = _ObjectiveChoice(course)


class SessionForm(forms.ModelForm):
    """A session's time is typed as the wall-clock time in the session's own time zone
    (where the room is), whatever the admin's zone."""

    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("Local time in the session's time zone."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    video_link = forms.URLField(
        label=_("Video link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = CourseSession
        fields = [
            "title",
            "starts_at",
            "time_zone",
            "duration_minutes",
            "facilitator",
            "facilitator_name",
            "venue",
            "video_link",
            "capacity",
            "cohort",
        ]

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.course = course
        facilitator = self.fields["facilitator"]
        assert isinstance(facilitator, forms.ModelChoiceField)
        facilitator.queryset = Person.objects.active().order_by("last_name", "first_name")
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ModelChoiceField)
        cohort.queryset = (
            Cohort.objects.filter(program=course.program)
            if course.program_id
            else Cohort.objects.none()
        )
        if self.instance.pk:
            self.initial["starts_at"] = self.instance.local_start.replace(tzinfo=None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, zone = data.get("starts_at"), data.get("time_zone")
        if isinstance(starts_at, datetime) and zone:
            # The field read the text in the current time zone; read it again in the
            # session's own.
            wall_clock = timezone.make_naive(starts_at).replace(tzinfo=ZoneInfo(zone))
            data["starts_at"] = wall_clock
            self.instance.starts_at = wall_clock
            if wall_clock <= timezone.now() and "starts_at" in self.changed_data:
                self.add_error("starts_at", _("Choose a time in the future."))
        if not data.get("venue") and not data.get("video_link"):
            self.add_error("venue", _("Give a venue or a video link (or both)."))
        if not data.get("facilitator") and not data.get("facilitator_name", "").strip():
            self.add_error("facilitator", _("Choose a facilitator or name an external one."))
        return data


class ReactionForm(forms.ModelForm):
    relevance = forms.TypedChoiceField(
        label=ReactionSurvey._meta.get_field("relevance").verbose_name,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    engagement = forms.TypedChoiceField(
        label=ReactionSurvey._meta.get_field("engagement").verbose_name,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    intent_to_apply = forms.TypedChoiceField(
        label=ReactionSurvey._meta.get_field("intent_to_apply").verbose_name,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ReactionSurvey
        fields = ["relevance", "engagement", "intent_to_apply", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}


class CheckForm(forms.Form):
    """One radio group per active question (`question_<id>`), without the answers."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[answer_key(question.pk)] = forms.TypedChoiceField(
                label=question.prompt,
                choices=[(i, text) for i, text in enumerate(question.options, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": gettext("Answer this question.")},
            )

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[answer_key(q.pk)] for q in self.questions}


class AttendanceForm(forms.Form):
    """A checkbox per enrolled seat (`seat_<id>`): checked = attended."""

    def __init__(self, *args: Any, seats: list[Seat], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seats = seats
        for seat in seats:
            self.fields[f"seat_{seat.pk}"] = forms.BooleanField(
                label=seat.person.full_name, required=False, initial=bool(seat.attended)
            )

    def attendance(self) -> dict[int, bool]:
        return {seat.pk: self.cleaned_data[f"seat_{seat.pk}"] for seat in self.seats}


class EnrollReportsForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People to enroll"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people


class EnrollProgramForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.all())
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.select_related("program"),
        required=False,
        help_text=_("Only this cohort of the program; leave empty for all its participants."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        program, cohort = data.get("program"), data.get("cohort")
        if program is not None and cohort is not None and cohort.program_id != program.pk:
            self.add_error("cohort", _("That cohort belongs to another program."))
        return data
