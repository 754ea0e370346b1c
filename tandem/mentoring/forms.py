"""Forms of the matching half: program settings, questions, the mentor pool, answers,
the mentee's intent, and an admin's change of mentor. The answer and intent forms
check through `questionnaire.clean_answers` / `clean_intent`, which the API shares."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.mentoring import questionnaire
from tandem.mentoring.models import (
    HelpKind,
    Mentor,
    MentoringSettings,
    Question,
    QuestionKind,
)
from tandem.mentoring.models.matching import KINDS_WITH_OPTIONS
from tandem.people.models import Person


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MentoringSettings
        fields = [
            "format",
            "matching_mode",
            "objective",
            "suggestions_count",
            "min_score",
            "default_capacity",
            "never_in_reporting_chain",
            "min_level_gap",
            "no_repeat_pairing",
            "unit_preference",
            "unit_weight",
            "must_share_language",
            "prefer_high_potential",
            "request_expiry_days",
            "inactivity_weeks",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("must_share_language")
            and not Question.objects.filter(
                program=self.instance.program, kind=QuestionKind.LANGUAGES
            ).exists()
        ):
            self.add_error(
                "must_share_language",
                gettext("Add a languages question first: the rule compares its answers."),
            )
        return data


class OptionsField(forms.CharField):
    """Options one a line, as a list."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value) or ""
        if "\x00" in text:
            raise ValidationError(gettext("Remove the NUL character."))
        options = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
        if any(len(option) > 120 for option in options):
            raise ValidationError(gettext("Keep each option under 120 characters."))
        return options


class QuestionForm(forms.ModelForm):
    options = OptionsField(
        label=_("Options"),
        required=False,
        help_text=_("One a line. Needed for choices, functions and availability."),
    )

    class Meta:
        model = Question
        fields = ["kind", "key", "text", "mentor_text", "help", "audience", "options", "weight"]
        fields += ["required"]
        help_texts = {"key": _("A short name for the API and exports, e.g. “availability”.")}

    def __init__(self, *args: Any, program: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.program = program
        if self.instance.pk:
            # Changing the kind or key would orphan the answers already given.
            self.fields["kind"].disabled = True
            self.fields["key"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == QuestionKind.SENIORITY:
            data["audience"] = "mentees"
            self.instance.audience = "mentees"
        elif kind and kind != QuestionKind.FREE_TEXT:
            data["audience"] = "both"
            self.instance.audience = "both"
        if kind not in KINDS_WITH_OPTIONS and kind not in ("location", "languages"):
            data["options"] = []
            self.instance.options = []
        if kind == QuestionKind.LANGUAGES:
            codes = {code for code, _name in questionnaire.language_choices()}
            unknown = [o for o in data.get("options") or [] if o not in codes]
            if unknown:
                self.add_error(
                    "options",
                    gettext("Use language codes such as en, fr, pt-br: not %(codes)s.")
                    % {"codes": ", ".join(unknown[:5])},
                )
        return data


class PersonField(forms.CharField):
    """A person typed as their employee id or email."""

    def clean(self, value: Any) -> Person | None:  # type: ignore[override]
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        person = Person.objects.filter(Q(employee_id__iexact=text) | Q(email__iexact=text)).first()
        if person is None:
            raise ValidationError(
                gettext("No one has the employee id or email %(text)s.") % {"text": text[:80]}
            )
        return person


class MentorAddForm(forms.Form):
    person = PersonField(
        label=_("Mentor"), max_length=254, help_text=_("Their employee id or email.")
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("Mentees at a time; leave empty for the program's default."),
    )


class MentorForm(forms.ModelForm):
    class Meta:
        model = Mentor
        fields = ["capacity", "active"]


class AnswerForm(forms.Form):
    """The questionnaire, as `side` ("mentee" or "mentor") is asked it."""

    def __init__(self, *args: Any, questions: list[Question], side: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if q.asks(side)]
        self.side = side
        for question in self.questions:
            self.fields[question.key] = self._field(question)

    def _field(self, question: Question) -> forms.Field:
        side = self.side
        label = question.text_for(side)
        choices = questionnaire.choices_for(question, side)
        common: dict[str, Any] = {"label": label, "help_text": question.help, "required": False}
        if questionnaire.answers_many(question, side):
            return forms.MultipleChoiceField(
                choices=choices or [], widget=forms.CheckboxSelectMultiple, **common
            )
        if question.kind == QuestionKind.FREE_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        if choices is None:
            return forms.CharField(**common)
        return forms.ChoiceField(choices=[("", "—"), *[(str(v), t) for v, t in choices]], **common)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            self.answers = questionnaire.clean_answers(self.questions, self.side, data)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self.add_error(key if key in self.fields else None, messages)
        return data

    def grouped(self) -> list[tuple[forms.BoundField, bool]]:
        """Each field with whether it is a group of checkboxes."""
        return [(self[q.key], questionnaire.answers_many(q, self.side)) for q in self.questions]


class IntentForm(forms.Form):
    goals = forms.CharField(
        label=_("What do you want from mentoring?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One goal a line, e.g. “Prepare for my first management role”. They become "
            "the goals of your mentoring relationship."
        ),
    )
    help_wanted = forms.MultipleChoiceField(
        label=_("What kind of help do you want?"),
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        goals = [line for line in (data.get("goals") or "").splitlines()]
        try:
            data["goals"], data["help_wanted"] = questionnaire.clean_intent(
                goals, list(data.get("help_wanted") or [])
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self.add_error(key, messages)
        return data


class ChangeMentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Mentor.objects.none())

    def __init__(self, *args: Any, program: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = (  # type: ignore[attr-defined]
            Mentor.objects.active().filter(program=program).select_related("person")
        )
