"""The advisor's questionnaire."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.lib import advisor as rules
from tandem.programs import advisor

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _choose(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Choices after an empty one: nothing is answered for the user."""
    return [("", _("Choose…")), *choices]


def _yes(value: str) -> bool:
    return value == "yes"


class AdvisorForm(forms.Form):
    level = forms.ChoiceField(
        label=advisor.QUESTIONS["level"], choices=_choose(advisor.LEVEL_CHOICES)
    )
    need = forms.ChoiceField(label=advisor.QUESTIONS["need"], choices=_choose(advisor.NEED_CHOICES))
    customization = forms.ChoiceField(
        label=advisor.QUESTIONS["customization"],
        choices=_choose(advisor.CUSTOMIZATION_CHOICES),
        help_text=_("Higher-level leaders usually want their learning more customized."),
    )
    time_available = forms.ChoiceField(
        label=advisor.QUESTIONS["time_available"], choices=_choose(advisor.TIME_CHOICES)
    )
    budget_per_person = forms.DecimalField(
        label=advisor.QUESTIONS["budget_per_person"],
        min_value=Decimal(0),
        max_value=Decimal(advisor.MAX_BUDGET),
        decimal_places=2,
    )
    people_sharing_need = forms.IntegerField(
        label=advisor.QUESTIONS["people_sharing_need"],
        min_value=1,
        max_value=advisor.MAX_PEOPLE,
        help_text=_("Including this leader."),
    )
    practice_and_feedback = forms.TypedChoiceField(
        label=advisor.QUESTIONS["practice_and_feedback"],
        choices=_choose(YES_NO),
        coerce=_yes,
        help_text=_("For example assignments at work with a manager's feedback afterwards."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_per_person"].help_text = gettext(
            "In your organization's currency. Under %(low)s pays for a course seat; "
            "%(high)s or more for a six-month coaching engagement."
        ) % {
            "low": f"{rules.DEFAULT_BANDS.course_only_below:,.0f}",
            "high": f"{rules.DEFAULT_BANDS.engagement_from:,.0f}",
        }

    def situation(self) -> rules.Situation:
        """The answers for the advisor; the form must be valid."""
        data: dict[str, Any] = self.cleaned_data
        return rules.Situation(
            level=data["level"],
            need=data["need"],
            customization=data["customization"],
            time_available=data["time_available"],
            budget_per_person=float(data["budget_per_person"]),
            people_sharing_need=data["people_sharing_need"],
            practice_and_feedback=data["practice_and_feedback"],
        )
