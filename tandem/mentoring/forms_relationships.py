"""Forms of the relationships half. Workflow rules (who, when, the flash format's one
meeting) live in `mentoring.relationships`; these check the fields."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.mentoring.models import (
    IntroductionKind,
    MeetingCadence,
    MeetingMode,
    RelationshipExitReason,
    RelationshipOutcome,
)
from tandem.mentoring.models.relationships import (
    MAX_MEETING_MINUTES,
    MIN_MEETING_MINUTES,
    RATING_MAX,
    RATING_MIN,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATING_CHOICES = [(n, str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
TEXT_MAX = 20_000


class CleanTextMixin:
    """Text that PostgreSQL can store: NUL characters are refused, not a 500."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("This text holds a character that cannot be stored."))  # type: ignore[attr-defined]
        return cleaned


def _text(label: Any, *, required: bool = False, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _rating(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )


class QuestionForm(CleanTextMixin, forms.Form):
    question = _text(
        _("Your question to the mentee"),
        required=True,
        help_text=_("Only the two of you read it. Ask it before you accept."),
    )


class AnswerForm(CleanTextMixin, forms.Form):
    answer = _text(_("Your answer"), required=True)


class AgreementForm(CleanTextMixin, forms.Form):
    goals = _text(
        _("Goals"),
        required=True,
        rows=5,
        help_text=_("One a line: what the mentee wants from the relationship."),
    )
    cadence = forms.ChoiceField(
        label=_("How often you meet"), choices=MeetingCadence.choices, widget=forms.RadioSelect
    )
    confidentiality = _text(_("What stays confidential"), required=True, rows=5)

    def clean_goals(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]


class MeetingForm(CleanTextMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE_INPUT)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=MIN_MEETING_MINUTES,
        max_value=MAX_MEETING_MINUTES,
        initial=60,
    )
    mode = forms.ChoiceField(label=_("Format"), choices=MeetingMode.choices, initial="video")
    topics = _text(_("Topics"), help_text=_("Shared by the mentor and the mentee."))
    next_step = _text(_("Next step"), rows=2, help_text=_("Shared by the mentor and the mentee."))
    notes = _text(
        _("My private notes"),
        help_text=_("Only you read these: not the other side, not the program admin."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class MeetingNotesForm(CleanTextMixin, forms.Form):
    notes = _text(
        _("My private notes"),
        rows=8,
        help_text=_("Only you read these: not the other side, not the program admin."),
    )


class CheckInForm(CleanTextMixin, forms.Form):
    satisfaction = _rating(
        _("How satisfied are you with the mentoring? (1 = not at all, 5 = very)")
    )
    goal_progress = _rating(_("How far have the goals moved? (1 = not at all, 5 = a lot)"))
    frequency_ok = forms.ChoiceField(
        label=_("Do you meet often enough?"), choices=YES_NO, widget=forms.RadioSelect
    )
    comment = _text(
        _("Comment"),
        help_text=_("Stays in the relationship's records: the program admin sees ratings only."),
    )


class ClosingSurveyForm(CleanTextMixin, forms.Form):
    satisfaction = _rating(_("How satisfied are you with the mentoring? (1-5)"))
    goals_met = _rating(_("How far were the goals met? (1-5)"))
    would_recommend = forms.ChoiceField(
        label=_("Would you recommend mentoring to a colleague?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    what_changed = _text(
        _("What changed for you?"), help_text=_("The program admin sees the ratings only.")
    )


class CloseForm(ClosingSurveyForm):
    """Close with the outcome; a party answers the closing survey at once."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in RelationshipOutcome.choices if c[0] != RelationshipOutcome.EXITED],
        widget=forms.RadioSelect,
    )

    field_order = ["outcome", "satisfaction", "goals_met", "would_recommend", "what_changed"]

    def __init__(self, *args: Any, with_survey: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_survey:
            for name in ("satisfaction", "goals_met", "would_recommend", "what_changed"):
                del self.fields[name]


class ExitForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why it ends"),
        choices=RelationshipExitReason.choices,
        widget=forms.RadioSelect,
        help_text=_("Ending early is nobody's fault; the reason helps the program."),
    )
    rematch = forms.BooleanField(
        label=_("Offer the mentee another mentor"), required=False, initial=True
    )


class IntroductionForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IntroductionKind.choices)
    whom = forms.CharField(label=_("Whom, or which event"), max_length=300)
    happened_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    note = _text(_("Note"), rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()
