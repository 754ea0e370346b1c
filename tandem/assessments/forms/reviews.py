"""Forms of 360 reviews: starting one, nominating a rater, and a rater's answers."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.assessments.models import Instrument, RaterGroup

NOT_OBSERVED = "n/o"
NOMINATABLE = [(g.value, g.label) for g in RaterGroup if g != RaterGroup.SELF]


class ReviewStartForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Raters can answer until the end of this day (UTC)."),
    )


class NominationForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=NOMINATABLE)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))


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
