"""Sections that higher apps add to the plan page.

The plan page belongs to programs, but what it shows about a person comes from apps
above it (DESIGN.md, layers): the assessments app shows the self-assessment, the style
profile and the 360's blind spots as suggested goal areas; coaching and training will
show engagements and sessions. Programs must not import them, so each app registers a
panel source in its AppConfig.ready(), the same way it registers stage checks
(programs.cycle).

A panel source takes the request, the plan and its open cycle, and returns a Panel
(a template and what it needs) or None when it has nothing to show. The source
decides what the viewer may see: the plan page only checked that they may see the plan.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.http import HttpRequest

from tandem.programs.models import DevelopmentPlan, PlanCycle

Column = Literal["main", "side"]
MAIN: Column = "main"
SIDE: Column = "side"


@dataclass(frozen=True)
class Panel:
    """A section of the plan page: `template` rendered with the page's context plus
    `context`."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


PanelSource = Callable[[HttpRequest, DevelopmentPlan, PlanCycle], Panel | None]

_SOURCES: dict[Column, list[PanelSource]] = {MAIN: [], SIDE: []}


def register(source: PanelSource, *, column: Column = MAIN) -> None:
    """Add a panel to the plan page, in `column`, after those registered before it."""
    if source not in _SOURCES[column]:
        _SOURCES[column].append(source)


def panels_for(
    request: HttpRequest, plan: DevelopmentPlan, cycle: PlanCycle, column: Column
) -> list[Panel]:
    return [panel for source in _SOURCES[column] if (panel := source(request, plan, cycle))]
