"""The follow-up 360 a plan's measure step starts (assessments.views.plans)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FollowUpForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Raters can answer until the end of this day (UTC)."),
    )
