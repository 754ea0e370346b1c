"""Forms of the development plan, used by the pages and the API alike, so both enforce
one set of rules."""

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Objective, ObjectiveStatus
from tandem.programs.models import (
    Competency,
    Goal,
    GoalStatus,
    LearningActivity,
    Measurement,
    Milestone,
    Modality,
    PlanComment,
    PlanCycle,
    PlanTemplate,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalForm(forms.ModelForm):
    """A specific, measurable goal. The objective is required (goals serve the
    organization's strategy); the competency is optional. "Carried forward" is set
    only by closing a cycle, so it is not offered."""

    class Meta:
        model = Goal
        fields = ["title", "measure", "objective", "competency", "due_date", "status", "progress"]
        widgets = {
            "due_date": DATE_INPUT,
            "measure": forms.TextInput(),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }
        help_texts = {
            "objective": _("The organizational objective this goal serves."),
            "competency": _("The leadership competency it develops, if one fits."),
        }
        error_messages = {
            "objective": {
                "required": _("Align the goal to an organizational objective."),
                "invalid_choice": _("Choose one of the organization's objectives."),
            },
            "competency": {"invalid_choice": _("Choose one of the competencies.")},
        }

    def __init__(self, *args: Any, cycle: PlanCycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        objectives = Objective.objects.filter(status=ObjectiveStatus.ACTIVE)
        if self.instance.objective_id:
            objectives = Objective.objects.filter(
                Q(status=ObjectiveStatus.ACTIVE) | Q(pk=self.instance.objective_id)
            )
        objective_field = self.fields["objective"]
        assert isinstance(objective_field, forms.ModelChoiceField)
        objective_field.queryset = objectives.order_by("title")
        objective_field.empty_label = _("Choose an objective")
        competency_field = self.fields["competency"]
        assert isinstance(competency_field, forms.ModelChoiceField)
        competency_field.queryset = Competency.objects.order_by("name")
        competency_field.empty_label = _("No particular competency")
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.TypedChoiceField)
        status_field.choices = [
            (value, label)
            for value, label in GoalStatus.choices
            if value != GoalStatus.CARRIED_FORWARD or self.instance.status == value
        ]
        if self.instance.pk is None:
            self.fields["status"].required = False
            self.fields["progress"].required = False

    def clean_due_date(self) -> Any:
        due = self.cleaned_data.get("due_date")
        changed = self.instance.pk is None or due != self.instance.due_date
        if due is not None and changed and due < timezone.localdate():
            raise forms.ValidationError(_("The due date has passed; choose a date ahead."))
        return due

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or self.instance.status or GoalStatus.NOT_STARTED

    def clean_progress(self) -> int:
        progress = self.cleaned_data.get("progress")
        return self.instance.progress if progress is None else progress

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None:
            reason = self.cycle.goals_closed_reason()
            if reason:
                raise forms.ValidationError(reason, code="stage")
        elif not self.cycle.is_open:
            raise forms.ValidationError(
                _("This goal belongs to a closed cycle and can no longer change."), code="closed"
            )
        if data.get("status") == GoalStatus.ACHIEVED and "progress" in data:
            data["progress"] = 100
        return data

    def save(self, commit: bool = True) -> Goal:
        goal = super().save(commit=False)
        goal.cycle = self.cycle
        if commit:
            goal.save()
        return goal


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE_INPUT}
        labels = {"title": _("Milestone")}

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.goal.cycle.is_open:
            raise forms.ValidationError(
                _("This goal belongs to a closed cycle and can no longer change."), code="closed"
            )
        return data

    def save(self, commit: bool = True) -> Milestone:
        milestone = super().save(commit=False)
        milestone.goal = self.goal
        if commit:
            milestone.save()
        return milestone


class LearningActivityForm(forms.ModelForm):
    class Meta:
        model = LearningActivity
        fields = ["modality", "description"]
        labels = {"modality": _("How"), "description": _("What")}
        widgets = {
            "description": forms.TextInput(
                attrs={"placeholder": _("e.g. Six coaching sessions on delegation")}
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modality = self.fields["modality"]
        assert isinstance(modality, forms.TypedChoiceField)
        modality.choices = [("", _("Choose how")), *Modality.choices]


class BaselineForm(forms.ModelForm):
    """A measurement taken before the work starts, to compare the results with."""

    class Meta:
        model = Measurement
        fields = ["label", "value", "competency", "source"]
        labels = {"label": _("What was measured")}
        widgets = {"label": forms.TextInput(attrs={"placeholder": _("e.g. Delegation (360)")})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competency_field = self.fields["competency"]
        assert isinstance(competency_field, forms.ModelChoiceField)
        competency_field.empty_label = _("No particular competency")


class PlanCommentForm(forms.ModelForm):
    class Meta:
        model = PlanComment
        fields = ["body"]
        labels = {"body": _("Comment")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write a comment first."))
        return body


class CycleCloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of this cycle"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("What changed, what did not, and what the next cycle should build on."),
        error_messages={"required": _("Say what came of this cycle.")},
    )

    def clean_outcome(self) -> str:
        outcome = self.cleaned_data["outcome"].strip()
        if not outcome:
            raise forms.ValidationError(_("Say what came of this cycle."))
        return outcome


class ResultForm(forms.Form):
    """One measured result. A row left empty is skipped; a half-filled one is an error."""

    # The baseline this row compares with, when the row was offered for one.
    baseline: Measurement | None = None

    label = forms.CharField(label=_("What was measured"), max_length=200, required=False)
    value = forms.DecimalField(label=_("Value"), max_digits=10, decimal_places=2, required=False)
    competency = forms.ModelChoiceField(
        label=_("Competency"),
        queryset=Competency.objects.order_by("name"),
        required=False,
        empty_label=_("No particular competency"),
        error_messages={"invalid_choice": _("Choose one of the competencies.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        label, value = (data.get("label") or "").strip(), data.get("value")
        data["label"] = label
        if label and value is None and "value" not in self.errors:
            self.add_error("value", _("Enter the measured value."))
        if value is not None and not label:
            self.add_error("label", _("Say what was measured."))
        return data

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("label") and data.get("value") is None and not data.get("competency")


class BaseResultFormSet(forms.BaseFormSet):
    def results(self) -> list[dict[str, Any]]:
        return [form.cleaned_data for form in self.forms if not form.is_blank()]


ResultFormSet = forms.formset_factory(
    ResultForm, formset=BaseResultFormSet, extra=2, max_num=50, validate_max=True
)


def result_formset(
    data: Any = None, *, baselines: list[Measurement] | None = None
) -> BaseResultFormSet:
    """The close form's result rows: one per baseline (so the new value is entered next
    to the old one), and two spare rows."""
    baselines = baselines or []
    initial = [{"label": m.label, "competency": m.competency_id} for m in baselines]
    formset = cast(BaseResultFormSet, ResultFormSet(data, initial=initial, prefix="results"))
    for form, baseline in zip(formset.forms, baselines, strict=False):
        form.baseline = baseline
    return formset


class LinesField(forms.CharField):
    """A list of short texts typed one per line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, *, item_max_length: int = 200, **kwargs: Any) -> None:
        self.item_max_length = item_max_length
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            lines = [str(item) for item in value]
        else:
            lines = (super().to_python(value) or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for line in value:
            if len(line) > self.item_max_length:
                raise forms.ValidationError(
                    _("Keep each line under %(limit)d characters.")
                    % {"limit": self.item_max_length},
                    code="max_length",
                )


class PlanTemplateForm(forms.ModelForm):
    focus_areas = LinesField(
        label=_("Focus areas"),
        help_text=_("One per line. New plans for this level show them."),
        error_messages={"required": _("Give at least one focus area.")},
    )
    suggested_goals = LinesField(
        label=_("Suggested goals"),
        required=False,
        help_text=_("One per line. Offered when a participant sets goals."),
    )

    class Meta:
        model = PlanTemplate
        fields = ["title", "focus_areas", "suggested_goals"]
