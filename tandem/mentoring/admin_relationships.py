"""Admin for the relationships half."""
