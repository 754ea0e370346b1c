"""The navigation registry: each app adds its menu entries in `AppConfig.ready()`,
so the base layout shows each role what it can use without importing upwards."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazily translated string
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 100
    # One sentence for the home page's card; items without one get no card.
    description: Any = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in _ITEMS if item.allowed(user)]
