"""Forms of the talent-review half: a review with its scope, a manager's rating, the
admin's calibration, the grid's filters and the box labels. Pages and API validate
through the same forms."""

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Level, OrgUnit
from tandem.succession.models import BoxLabel, Rating, TalentReview

HEX_COLOUR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hex digits, such as #2b6cb0.")
)


class ReviewForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label=_("Levels"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to include every level."),
    )

    class Meta:
        model = TalentReview
        fields = ["name", "held_on", "org_unit", "levels"]
        labels = {"name": _("Name"), "held_on": _("Date"), "org_unit": _("Org unit")}
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}


class RatingForm(forms.Form):
    performance = forms.ChoiceField(
        label=_("Performance"), choices=Rating.choices, widget=forms.RadioSelect
    )
    potential = forms.ChoiceField(
        label=_("Potential"), choices=Rating.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def is_blank(self) -> bool:
        """Nothing entered in this row (the "save all" button skips such rows)."""
        return not any(self.data.get(self.add_prefix(name)) for name in self.fields)


class CalibrationForm(forms.Form):
    performance = forms.ChoiceField(
        label=_("Calibrated performance"),
        choices=[("", _("As rated")), *Rating.choices],
        required=False,
    )
    potential = forms.ChoiceField(
        label=_("Calibrated potential"),
        choices=[("", _("As rated")), *Rating.choices],
        required=False,
    )
    note = forms.CharField(label=_("Calibration note"), max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("performance")) != bool(data.get("potential")):
            raise forms.ValidationError(
                _("Set both calibrated ratings, or neither to go back to the manager's.")
            )
        return data


class GridFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=_("Whole organization"),
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Every level")), *Level.choices], required=False
    )


class BoxLabelForm(forms.ModelForm):
    colour = forms.CharField(label=_("Colour"), max_length=7, validators=[HEX_COLOUR])

    class Meta:
        model = BoxLabel
        fields = ["label", "colour", "description"]
        labels = {"label": _("Label"), "description": _("What it means")}

    def clean_colour(self) -> str:
        return str(self.cleaned_data["colour"]).lower()
