"""`{% checkins_panel plan as panel %}`: what the plan page's check-ins panel shows,
fetched in a fixed number of queries, so the panel is self-contained wherever it is
included."""

from typing import Any

from django import template
from django.utils import timezone

from tandem.programs.accountability import CheckinsPanel
from tandem.programs.accountability import checkins_panel as build_panel

register = template.Library()


@register.simple_tag
def checkins_panel(plan: Any) -> CheckinsPanel:
    return build_panel(plan, timezone.localdate())
