"""Feedback forms, shared by the pages and the API so both enforce one set of rules;
the workflow's own checks (an open request, a goal of one's plan) are in `feedback`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.conversations import feedback_access
from tandem.conversations.feedback import sbi_or_text_errors
from tandem.conversations.models import FeedbackKind, FeedbackRequest
from tandem.people.models import Person
from tandem.programs.models import Goal

TEXT_MAX = 5000


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.title})" if obj.title else obj.full_name


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.requester.full_name}: {obj.message}"


class FeedbackForm(forms.Form):
    recipient = PersonChoiceField(queryset=Person.objects.none(), label=_("To"))
    request = RequestChoiceField(
        queryset=FeedbackRequest.objects.none(),
        required=False,
        label=_("In answer to"),
        empty_label=_("(not in answer to a request)"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    situation = forms.CharField(
        label=_("Situation"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("When and where: the specific moment."),
    )
    behaviour = forms.CharField(
        label=_("Behaviour"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What they did or said, as you observed it."),
    )
    impact = forms.CharField(
        label=_("Impact"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What it caused: for you, the team, the work."),
    )
    text = forms.CharField(
        label=_("Or in your own words"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_with_manager = forms.BooleanField(label=_("Let their manager see it"), required=False)

    def __init__(self, *args: Any, giver: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.giver = giver
        self.fields["recipient"].queryset = feedback_access.recipients_for(giver)  # type: ignore[attr-defined]
        self.fields["request"].queryset = feedback_access.open_requests_for(giver)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        texts = {
            name: data.get(name) or "" for name in ("situation", "behaviour", "impact", "text")
        }
        if not any(name in self.errors for name in texts):
            for field, messages in sbi_or_text_errors(**texts).items():
                self.add_error(field, messages)
        request, recipient = data.get("request"), data.get("recipient")
        if request is not None and recipient is not None and request.requester_id != recipient.pk:
            self.add_error("request", _("A request is answered to the person who asked."))
        return data


class FeedbackRequestForm(forms.Form):
    asked = PersonChoiceField(queryset=Person.objects.none(), label=_("Ask"))
    message = forms.CharField(
        label=_("What would you like feedback on?"),
        max_length=FeedbackRequest._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label=_("On a goal of my plan"),
        empty_label=_("(no particular goal)"),
    )

    def __init__(self, *args: Any, requester: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requester = requester
        self.fields["asked"].queryset = feedback_access.recipients_for(requester)  # type: ignore[attr-defined]
        self.fields["goal"].queryset = feedback_access.goals_of(requester)  # type: ignore[attr-defined]


class FeedbackFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All feedback")), *FeedbackKind.choices],
    )
