"""Admin for insights: each part registers its models in its own module. Pulse
responses are never in the admin (anonymous answers are shown only as aggregates)."""

from tandem.insights import admin_pulses, admin_roi  # noqa: F401
