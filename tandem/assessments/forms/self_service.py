"""Forms for the self-assessment and the style profile. An answers form has one radio
field per item, named by the item key, with the instrument's scale labels."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.assessments.models import Instrument, InstrumentKind
from tandem.assessments.self_service import enrollments_of, scale_of
from tandem.people.models import Person
from tandem.programs.models import Enrollment


class EnrollmentChoiceField(forms.ModelChoiceField[Enrollment]):
    def label_from_instance(self, obj: Enrollment) -> str:
        return obj.program.name


class SelfAssessmentStartForm(forms.Form):
    enrollment = EnrollmentChoiceField(
        queryset=Enrollment.objects.none(),
        required=False,
        label=_("For my enrollment in"),
        empty_label=_("No program: just for me"),
        help_text=_(
            "Take one at the start of a program and one at the end to see how your view "
            "of yourself has changed."
        ),
    )

    def __init__(self, *args: Any, person: Person | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrollment"]
        assert isinstance(field, EnrollmentChoiceField)
        field.queryset = enrollments_of(person).order_by("-enrolled_at")


@dataclass(frozen=True)
class ItemGroup:
    """A competency (self-assessment) or the whole list (style profile) of items."""

    key: str
    name: str
    description: str
    fields: list[forms.BoundField]


class AnswersForm(forms.Form):
    """Answers to an instrument. With complete=False (a draft) items may be left empty."""

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        complete: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        low, high = scale_of(instrument)
        labels = instrument.document["scale"]["labels"]
        choices = [(str(point), labels[str(point)]) for point in range(low, high + 1)]
        self.groups_spec: list[tuple[str, str, str, list[str]]] = []
        if instrument.kind == InstrumentKind.STYLE:
            items = instrument.document["items"]
            self.groups_spec.append(("items", "", "", [item["key"] for item in items]))
        else:
            items = [i for c in instrument.document["competencies"] for i in c["items"]]
            for competency in instrument.document["competencies"]:
                self.groups_spec.append(
                    (
                        competency["key"],
                        competency["name"],
                        competency["description"],
                        [item["key"] for item in competency["items"]],
                    )
                )
        for item in items:
            self.fields[item["key"]] = forms.TypedChoiceField(
                label=item["text"],
                choices=choices,
                coerce=int,
                empty_value=None,
                required=complete,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer for this statement.")},
            )

    @classmethod
    def initial_from(cls, answers: Mapping[str, Any]) -> dict[str, str]:
        return {key: str(value) for key, value in answers.items()}

    def groups(self) -> list[ItemGroup]:
        return [
            ItemGroup(key, name, description, [self[field] for field in fields])
            for key, name, description, fields in self.groups_spec
        ]

    def answers(self) -> dict[str, int]:
        """The answered items of a valid form."""
        return {key: value for key, value in self.cleaned_data.items() if value is not None}
