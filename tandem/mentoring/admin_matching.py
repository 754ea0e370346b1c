"""Admin for the matching half."""
