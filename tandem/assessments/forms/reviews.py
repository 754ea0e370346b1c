"""Forms of 360 reviews: starting one, nominating a rater, and a rater's answers."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.assessments import services
from tandem.assessments.models import Instrument, RaterGroup, Review, normalize_email
from tandem.people.models import Person
from tandem.programs.models import Enrollment, EnrollmentStatus

NOT_OBSERVED = "n/o"
CURRENT_ENROLLMENT = (EnrollmentStatus.INVITED, EnrollmentStatus.ACTIVE)
NOMINATABLE = [(g.value, g.label) for g in RaterGroup if g != RaterGroup.SELF]


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (v{obj.version})"


class EnrollmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.program.name} ({obj.get_status_display()})"


class ReviewStartForm(forms.Form):
    """What a 360 starts with: the instrument (the newest version of each 360), the
    subject's enrollment it belongs to (its program's anonymity settings apply), and
    the closing date."""

    instrument = InstrumentChoiceField(
        label=_("Instrument"),
        queryset=Instrument.objects.none(),
        required=False,  # left out: the leadership 360
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the 360 instruments listed.")},
    )
    enrollment = EnrollmentChoiceField(
        label=_("Program"),
        queryset=Enrollment.objects.none(),
        required=False,
        empty_label=_("Not part of a program"),
        help_text=_(
            "The program's anonymity settings apply; without a program, groups show from "
            "3 answers and all others combined from 4."
        ),
        error_messages={"invalid_choice": _("Choose one of this person's enrollments.")},
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Raters can answer until the end of this day (UTC)."),
    )

    def __init__(self, *args: Any, subject: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instruments = services.startable_instruments()
        enrollments = subject.enrollments.select_related("program").order_by("-enrolled_at", "-pk")
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]
        self.fields["enrollment"].queryset = enrollments  # type: ignore[attr-defined]
        if not self.is_bound:
            default = instruments.filter(key=services.DEFAULT_INSTRUMENT_KEY).first()
            if default is not None:
                self.initial.setdefault("instrument", default.pk)
            current = [e for e in enrollments if e.status in CURRENT_ENROLLMENT]
            if len(current) == 1:
                self.initial.setdefault("enrollment", current[0].pk)


class NominationForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=NOMINATABLE)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))

    def __init__(self, *args: Any, review: Review | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review = review

    def clean_email(self) -> str:
        """One spelling per address: `Ana@X.com` is `ana@x.com` already on the list."""
        email = normalize_email(self.cleaned_data["email"])
        if self.review is not None and self.review.nominations.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("%(email)s is already nominated."), params={"email": email}
            )
        return email


class RaterAnswersForm(forms.Form):
    """One radio group per item (the scale and, where allowed, "not observed") and an
    optional comment per competency. Completeness is checked by the service."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        scale = instrument.document["scale"]
        choices = [
            (str(point), f"{point} · {scale['labels'][str(point)]}")
            for point in range(scale["min"], scale["max"] + 1)
        ]
        if scale.get("not_observed"):
            choices.append((NOT_OBSERVED, str(_("Not observed"))))
        for competency in instrument.document["competencies"]:
            for item in competency["items"]:
                self.fields[f"item-{item['key']}"] = forms.ChoiceField(
                    label=item["text"], choices=choices, required=False, widget=forms.RadioSelect
                )
            self.fields[f"comment-{competency['key']}"] = forms.CharField(
                label=_("Comment on %(competency)s") % {"competency": competency["name"]},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @staticmethod
    def initial_from(answers: dict[str, Any], comments: dict[str, str]) -> dict[str, str]:
        initial = {f"item-{key}": str(value) for key, value in answers.items()}
        initial.update({f"comment-{key}": text for key, text in comments.items()})
        return initial

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("item-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item-") and value
        }

    def comments(self) -> dict[str, str]:
        return {
            name.removeprefix("comment-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("comment-") and value
        }

    def add_service_errors(self, problems: dict[str, list[str]]) -> None:
        for key, messages in problems.items():
            for name in (f"item-{key}", f"comment-{key}"):
                if name in self.fields:
                    for message in messages:
                        self.add_error(name, message)
                    break
            else:
                for message in messages:
                    self.add_error(None, message)

    def sections(self) -> list[dict[str, Any]]:
        """The competencies with their bound item fields and comment, for the template."""
        return [
            {
                "competency": competency,
                "items": [self[f"item-{item['key']}"] for item in competency["items"]],
                "comment": self[f"comment-{competency['key']}"],
            }
            for competency in self.instrument.document["competencies"]
        ]
