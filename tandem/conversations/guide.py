"""The coaching guide shown beside a one-on-one's agenda: prompts by purpose, as plain
data. The questions surface the report's own thinking rather than hand them answers."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

LISTEN_FIRST = _(
    "Listen before you answer: ask, then let them think aloud. Resist offering your "
    "solution; their own is the one they will act on."
)


@dataclass(frozen=True)
class Purpose:
    key: str
    title: Any
    when: Any
    prompts: tuple[tuple[Any, Any], ...]  # (step, question)


GUIDE: tuple[Purpose, ...] = (
    Purpose(
        "grow",
        _("Working through a problem (GROW)"),
        _("They bring a problem or a decision."),
        (
            (_("Goal"), _("What would you like to walk away with from this conversation?")),
            (_("Reality"), _("What is happening now? What have you tried so far?")),
            (_("Options"), _("What could you do? What else? What would you advise a friend?")),
            (_("Will"), _("What will you do, and by when? How sure are you, out of ten?")),
        ),
    ),
    Purpose(
        "career",
        _("Career conversation"),
        _("Looking further ahead than the current work."),
        (
            (_("Past"), _("Which work have you been proudest of, and why?")),
            (_("Present"), _("What energises you in your role today? What drains you?")),
            (_("Future"), _("Where would you like to be in two years? What would help?")),
            (_("Next"), _("What one step could you take this quarter toward that?")),
        ),
    ),
    Purpose(
        "feedback",
        _("Feedback conversation"),
        _("Giving or asking for feedback on something specific."),
        (
            (_("Their view first"), _("How do you think it went? What would you keep?")),
            (
                _("Situation, behaviour, impact"),
                _("Describe the moment, what you saw, and its effect, without judging."),
            ),
            (_("Explore"), _("How did it look from where you stood?")),
            (_("Forward"), _("What would you try next time?")),
        ),
    ),
    Purpose(
        "recognition",
        _("Recognition"),
        _("Something went well: say so, specifically."),
        (
            (_("Name it"), _("Say exactly what they did and why it mattered.")),
            (_("Their story"), _("How did you approach it? What made it work?")),
            (_("Build on it"), _("Where else could you use that strength?")),
        ),
    ),
)
