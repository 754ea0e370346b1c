from typing import Any

from django.http import HttpRequest

from tandem.accounts import navigation, policy


def navigation_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation.items_for(user),
        "viewer_roles": policy.roles_of(user),
        "viewer_person": policy.person_of(user),
    }
