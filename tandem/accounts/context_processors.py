from typing import Any

from django.http import HttpRequest

from tandem.accounts import navigation, policy


def navigation_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = navigation.items_for(user)
    # The section a page belongs to is the entry with the longest matching prefix,
    # so /people/12/ marks "People" and /people/org-chart/ marks "Org chart" only.
    path = getattr(request, "path", "")
    matches = [item for item in items if path.startswith(item.url)]
    current = max(matches, key=lambda item: len(item.url)) if matches else None
    return {
        "nav_items": items,
        "nav_current": current,
        "viewer_roles": policy.roles_of(user),
        "viewer_person": policy.person_of(user),
    }
