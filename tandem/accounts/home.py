"""Sections that apps add to the home page.

The home page belongs to the project, but what it shows a signed-in user (today's
learning burst, a check-in due) comes from the domain apps above accounts, which must
not be imported from here (DESIGN.md, layers). Each app registers a panel source in
its AppConfig.ready(), as apps do for the plan page (programs.panels).

A panel source takes the request and returns a HomePanel (a template and what it
needs) or None when it has nothing to show; it decides what the viewer may see.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomePanel:
    """A section of the home page: `template` rendered with the page's context plus
    `context`."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


HomePanelSource = Callable[[HttpRequest], HomePanel | None]

_SOURCES: list[HomePanelSource] = []


def register(source: HomePanelSource) -> None:
    """Add a panel to the home page, after those registered before it."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def panels_for(request: HttpRequest) -> list[HomePanel]:
    return [panel for source in _SOURCES if (panel := source(request))]
