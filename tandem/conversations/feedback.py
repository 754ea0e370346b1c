"""Everyday feedback: giving it (situation, behaviour, impact, or free text; positive
or developmental), asking for it (optionally on a goal of one's own plan), answering
or declining a request. Who may read what is `feedback_access`'s."""

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.conversations import feedback_access
from tandem.conversations.models import Feedback, FeedbackKind, FeedbackRequest
from tandem.people.models import Person
from tandem.programs.models import Goal

SBI_PARTS = ("situation", "behaviour", "impact")


def sbi_or_text_errors(*, situation: str, behaviour: str, impact: str, text: str) -> dict:
    """Field errors unless there is free text or all three of situation, behaviour and
    impact (the model's `feedback_sbi_or_text` rule, said per field)."""
    if text.strip():
        return {}
    parts = {"situation": situation, "behaviour": behaviour, "impact": impact}
    missing = [name for name in SBI_PARTS if not parts[name].strip()]
    if len(missing) == len(SBI_PARTS):
        return {
            "text": [_("Describe the situation, the behaviour and its impact, or write it freely.")]
        }
    return {
        name: [_("Complete situation, behaviour and impact, or write it freely.")]
        for name in missing
    }


def _check_recipient(person: Person, other: Person, field: str) -> dict:
    if not feedback_access.recipients_for(person).filter(pk=other.pk).exists():
        return {field: [_("Choose someone active in the organization other than yourself.")]}
    return {}


@transaction.atomic
def feedback_give(
    *,
    giver: Person,
    recipient: Person,
    kind: str,
    situation: str = "",
    behaviour: str = "",
    impact: str = "",
    text: str = "",
    share_with_manager: bool = False,
    request: FeedbackRequest | None = None,
) -> Feedback:
    """Give feedback; with `request`, answer it (it must be open and asked of `giver`,
    and the feedback goes to its requester)."""
    errors = _check_recipient(giver, recipient, "recipient")
    if kind not in FeedbackKind.values:
        errors["kind"] = [_("Choose positive or developmental.")]
    errors.update(
        sbi_or_text_errors(situation=situation, behaviour=behaviour, impact=impact, text=text)
    )
    if request is not None:
        request = FeedbackRequest.objects.select_for_update().filter(pk=request.pk).first()
        if (
            request is None
            or not feedback_access.open_requests_for(giver).filter(pk=request.pk).exists()
        ):
            errors["request"] = [_("This request is not open for you to answer.")]
        elif request.requester_id != recipient.pk:
            errors["request"] = [_("A request is answered to the person who asked.")]
    if errors:
        raise ValidationError(errors)
    return Feedback.objects.create(
        giver=giver,
        recipient=recipient,
        kind=kind,
        situation=situation.strip(),
        behaviour=behaviour.strip(),
        impact=impact.strip(),
        text=text.strip(),
        share_with_manager=share_with_manager,
        request=request,
    )


@transaction.atomic
def feedback_request_create(
    *, requester: Person, asked: Person, message: str, goal: Goal | None = None
) -> FeedbackRequest:
    """Ask `asked` for feedback; a goal must be one of the requester's own plan. The
    person asked is emailed once the request is saved."""
    errors = _check_recipient(requester, asked, "asked")
    if not message.strip():
        errors["message"] = [_("Say what you would like feedback on.")]
    if goal is not None and not feedback_access.goals_of(requester).filter(pk=goal.pk).exists():
        errors["goal"] = [_("Choose a goal of your own development plan.")]
    if errors:
        raise ValidationError(errors)
    request = FeedbackRequest.objects.create(
        requester=requester, asked=asked, goal=goal, message=message.strip()
    )
    transaction.on_commit(partial(send_request_email, request.pk))
    return request


@transaction.atomic
def feedback_request_decline(*, request: FeedbackRequest, by: Person) -> FeedbackRequest:
    if not feedback_access.open_requests_for(by).filter(pk=request.pk).exists():
        raise ValidationError(_("This request is not open for you to decline."))
    request.declined = True
    request.save(update_fields=["declined"])
    return request


def send_request_email(request_id: int) -> None:
    """Tell the person asked; the email names the requester and links to the requests."""
    request = (
        FeedbackRequest.objects.select_related("requester", "asked", "goal")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not request.asked.email:
        return
    link = settings.TANDEM_BASE_URL.rstrip("/") + reverse("conversations:feedback-requests")
    lines = [
        _("%(name)s asks for your feedback:") % {"name": request.requester.full_name},
        "",
        request.message,
    ]
    if request.goal is not None:
        lines += ["", _("On their goal: %(goal)s") % {"goal": request.goal.title}]
    lines += ["", _("Answer or decline: %(link)s") % {"link": link}]
    EmailMessage(
        subject=_("%(name)s asks for your feedback") % {"name": request.requester.full_name},
        body="\n".join(lines),
        to=[request.asked.email],
    ).send()
