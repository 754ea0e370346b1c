from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Level, Objective, OrgUnit, Person


class PersonForm(forms.ModelForm):
    """The one set of rules for a person's record, used by the pages and the API."""

    class Meta:
        model = Person
        fields = [
            "employee_id",
            "first_name",
            "last_name",
            "email",
            "title",
            "level",
            "manager",
            "org_unit",
            "location",
            "hire_date",
            "exit_date",
            "exit_type",
        ]
        widgets = {
            "hire_date": forms.DateInput(attrs={"type": "date"}),
            "exit_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hire, exit_date = data.get("hire_date"), data.get("exit_date")
        if hire and exit_date and exit_date < hire:
            self.add_error("exit_date", _("The exit date is before the hire date."))
        if exit_date and not data.get("exit_type"):
            self.add_error("exit_type", _("Say whether the exit was voluntary or involuntary."))
        if data.get("exit_type") and not exit_date:
            self.add_error("exit_date", _("An exit type needs an exit date."))
        manager = data.get("manager")
        if manager is not None and self.instance.pk:
            if manager.pk == self.instance.pk:
                self.add_error("manager", _("A person cannot be their own manager."))
            elif manager.is_managed_by(self.instance):
                self.add_error(
                    "manager",
                    _("%(manager)s reports to this person; that would make a loop.")
                    % {"manager": manager},
                )
        if data.get("level") and data["level"] not in Level.values:
            self.add_error("level", _("Unknown level."))
        return data


class PersonPageForm(PersonForm):
    """The page's version of the form: the manager is typed as an employee id, since a
    drop-down of a whole organization is no picker at 100,000 people."""

    manager = forms.ModelChoiceField(
        label=_("Manager"),
        queryset=Person.objects.all(),
        to_field_name="employee_id",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Employee id, e.g. T000123")}),
        help_text=_("The manager's employee id; leave empty for the top of the organization."),
        error_messages={"invalid_choice": _("No one has this employee id.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.manager_id:
            self.initial["manager"] = self.instance.manager.employee_id  # type: ignore[union-attr]


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "parent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, parent = data.get("name"), data.get("parent")
        if name:
            path = f"{parent.path}/{name}" if parent else name
            clash = OrgUnit.objects.filter(path=path).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("There is already a unit “%(path)s”.") % {"path": path})
        return data

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if "/" in name:
            raise forms.ValidationError(_("A unit name cannot contain “/”."))
        return name

    def clean_parent(self) -> OrgUnit | None:
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if (
            parent is not None
            and unit.pk
            and (parent.pk == unit.pk or parent.path.startswith(unit.path + "/"))
        ):
            raise forms.ValidationError(_("A unit cannot sit inside itself."))
        return parent


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "description", "parent", "org_unit", "owner", "period", "status"]

    def clean_parent(self) -> Objective | None:
        parent = self.cleaned_data.get("parent")
        if (
            parent is not None
            and self.instance.pk
            and (
                parent.pk == self.instance.pk
                or self.instance.pk in {a.pk for a in parent.ancestors()}
            )
        ):
            raise forms.ValidationError(_("An objective cannot sit under itself."))
        return parent


class UnitChoiceField(forms.ModelChoiceField):
    """Units listed as an indented tree, so a filter reads like the org structure."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "\u2003" * obj.depth + obj.name


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters. Every field is optional; an empty form
    lists everyone the viewer may see who is still employed."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, email, title or employee id")}
        ),
    )
    unit = UnitChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=_("All units"),
        help_text=_("Includes the units below it."),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *Level.choices],
    )
    include_left = forms.BooleanField(label=_("Include people who left"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        choices=[(n, str(n)) for n in (25, 50, 100)],
        coerce=int,
        required=False,
        initial=50,
    )
