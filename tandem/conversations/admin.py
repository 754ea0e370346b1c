"""Admin for conversations: each part registers its models in its own module. Private
notes are never in the admin; feedback shows metadata only."""

from tandem.conversations import admin_feedback, admin_oneonones  # noqa: F401
