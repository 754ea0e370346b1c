"""Forms of the ROI inputs: a program's assumptions, the salary bands, benefit lines and
intangibles. The API validates its payloads with the same forms, so pages and API
refuse the same values with the same messages."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.insights.models import BenefitLine, ImpactSettings, Intangible, SalaryBand
from tandem.people.models import Level
from tandem.programs.models import Program


class ImpactSettingsForm(forms.ModelForm):
    class Meta:
        model = ImpactSettings
        fields = ["loaded_hourly_cost", "replacement_cost_percent", "benefit_months"]


class SalaryBandsForm(forms.Form):
    """The annual salary midpoint of each level, one field per level; an empty field
    means no band for that level (its exits are then not monetized)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", dict(SalaryBand.objects.values_list("level", "annual_midpoint"))
        )
        super().__init__(*args, **kwargs)
        for level, label in Level.choices:
            self.fields[level] = forms.DecimalField(
                label=label,
                required=False,
                min_value=Decimal("0"),
                max_digits=12,
                decimal_places=2,
            )

    def midpoints(self) -> dict[str, Decimal | None]:
        return {level: self.cleaned_data.get(level) for level in Level.values}


class BenefitLineForm(forms.ModelForm):
    class Meta:
        model = BenefitLine
        fields = [
            "description",
            "value",
            "attribution_percent",
            "confidence_percent",
            "estimator",
            "basis",
        ]
        help_texts = {
            "value": _("The benefit in money over the benefit period, before the shares below."),
            "attribution_percent": _("How much of it is due to the program, 0 to 100."),
            "confidence_percent": _("How sure the estimator is of the estimate, 0 to 100."),
        }

    def __init__(self, *args: Any, program: Program | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if program is not None:
            self.instance.program = program


class IntangibleForm(forms.ModelForm):
    class Meta:
        model = Intangible
        fields = ["description", "evidence"]

    def __init__(self, *args: Any, program: Program | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if program is not None:
            self.instance.program = program
