"""Forms of the reinforcement half: a burst item's answer, a practice log, a manager's
confirmation, resolving a flag. The workflows (`training.reinforcement`) re-check
every rule; the forms give the learner their field errors first."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.lib.reinforcement import Confidence
from tandem.people.models import Person
from tandem.training.models import LearningObjective, PracticeChallenge, Question, Seat

CONFIDENCE_CHOICES = [
    (Confidence.UNSURE.value, _("Guessing")),
    (Confidence.FAIRLY.value, _("Fairly sure")),
    (Confidence.SURE.value, _("Sure")),
]


class RecallAnswerForm(forms.Form):
    """One recall question of a burst: the option chosen and how sure."""

    chosen = forms.TypedChoiceField(label=_("Your answer"), coerce=int, widget=forms.RadioSelect)
    confidence = forms.TypedChoiceField(
        label=_("How sure are you?"),
        coerce=int,
        choices=CONFIDENCE_CHOICES,
        initial=Confidence.FAIRLY.value,
        widget=forms.RadioSelect,
    )
    seconds = forms.IntegerField(
        min_value=0, max_value=86_400, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        chosen = self.fields["chosen"]
        assert isinstance(chosen, forms.TypedChoiceField)
        chosen.choices = [
            (number, option) for number, option in enumerate(question.options, start=1)
        ]


class ChallengeAnswerForm(forms.Form):
    """A practice challenge: tried it at work, or not yet."""

    done = forms.TypedChoiceField(
        label=_("Did you try it?"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes, I tried it")), ("no", _("Not yet"))],
        widget=forms.RadioSelect,
    )
    seconds = forms.IntegerField(
        min_value=0, max_value=86_400, required=False, widget=forms.HiddenInput
    )


def objectives_for(person: Person | None) -> Any:
    """Objectives of the courses the person attended."""
    if person is None:
        return LearningObjective.objects.none()
    courses = Seat.objects.attended().filter(person=person).values("session__course_id")
    return LearningObjective.objects.filter(course_id__in=courses).select_related("course")


class PracticeLogForm(forms.Form):
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=LearningObjective.objects.none(), empty_label=None
    )
    what_i_did = forms.CharField(
        label=_("What I did"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_happened = forms.CharField(
        label=_("What happened"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    practiced_on = forms.DateField(
        label=_("When"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    challenge = forms.ModelChoiceField(
        queryset=PracticeChallenge.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, person: Person | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objectives = objectives_for(person)
        objective, challenge = self.fields["objective"], self.fields["challenge"]
        assert isinstance(objective, forms.ModelChoiceField)
        assert isinstance(challenge, forms.ModelChoiceField)
        objective.queryset = objectives
        objective.label_from_instance = lambda o: f"{o.course.title}: {o.title}"  # type: ignore[method-assign,assignment]
        challenge.queryset = PracticeChallenge.objects.filter(objective__in=objectives)

    def clean_practiced_on(self) -> Any:
        value = self.cleaned_data["practiced_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("Log practice once it has happened (today at the latest).")
            )
        return value


class ConfirmPracticeForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the learner"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FlagResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        max_length=300,
        help_text=_("For example: coaching engagement started, mentor matched."),
    )
