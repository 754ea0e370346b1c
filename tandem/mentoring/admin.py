"""The Django admin for mentoring: each half registers its models in its own module."""

from tandem.mentoring import admin_matching, admin_relationships  # noqa: F401
