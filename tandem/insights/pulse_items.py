"""What a pulse asks: Tandem's own engagement index (statements on a 1-5 agreement
scale, written for this project) and the eNPS question (0-10).

The index items are a registry, in asking order: a later issue adds its items (two
manager habits, say) with `register`, and every pulse from then on asks them. A
respondent's index is the mean of the items they answered, rescaled to 0-100, the
rule of `tandem.lib.impact.engagement_index`; answers are stored by item key, so an
older pulse keeps meaning what it asked.
"""

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

AGREEMENT = (1, 5)
ENPS_SCALE = (0, 10)
ENPS_KEY = "enps"

AGREEMENT_LABELS: dict[int, Any] = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: _("Agree"),
    5: _("Strongly agree"),
}


@dataclass(frozen=True)
class PulseItem:
    """One statement of the engagement index, answered on the agreement scale."""

    key: str  # stored with the answers: never change or reuse one
    text: Any  # a lazily translated string


_INDEX: list[PulseItem] = [
    PulseItem("expectations", _("I know what is expected of me at work.")),
    PulseItem("accomplishment", _("My work gives me a sense of accomplishment.")),
    PulseItem("growth", _("I have chances to learn and grow here.")),
    PulseItem("manager_cares", _("My manager cares about my development.")),
    PulseItem("intent_to_stay", _("I see myself still working here in two years.")),
]


def register(item: PulseItem) -> None:
    """Add an index item (from another app's `ready()`); pulses opened from then on
    ask it. A key is registered once."""
    if item.key == ENPS_KEY or not item.key.isidentifier():
        raise ValueError(f"{item.key!r} cannot be an item key")
    if all(existing.key != item.key for existing in _INDEX):
        _INDEX.append(item)


def index_items() -> tuple[PulseItem, ...]:
    return tuple(_INDEX)


# Two manager habits (issue 10), asked on the same agreement scale but NOT part of the
# engagement index: `respondent_index` reads the index items only, so the index keeps
# meaning what it meant. Read per team on the habits page (tandem.insights.habits).
_HABITS: tuple[PulseItem, ...] = (
    PulseItem("manager_questions", _("My manager asks questions that help me think for myself.")),
    PulseItem("feedback_fortnightly", _("I get useful feedback at least every two weeks.")),
)


def habit_items() -> tuple[PulseItem, ...]:
    """The manager-habit statements, outside the index."""
    return _HABITS


def asked_items() -> tuple[PulseItem, ...]:
    """Every agreement statement a pulse asks, in asking order: the index, then the
    manager habits."""
    return (*_INDEX, *_HABITS)


def enps_question(organization: str) -> str:
    return gettext("How likely are you to recommend %(organization)s as a place to work?") % {
        "organization": organization
    }


def respondent_index(answers: Mapping[str, int]) -> float:
    """The respondent's engagement index, 0-100: the mean of their index answers with
    the bottom of the agreement scale at 0 and the top at 100 (as
    `tandem.lib.impact.engagement_index` computes it for each respondent)."""
    bottom, top = AGREEMENT
    values = [answers[item.key] for item in _INDEX if item.key in answers]
    if not values:
        raise ValueError("no index item was answered")
    return (statistics.fmean(values) - bottom) / (top - bottom) * 100
