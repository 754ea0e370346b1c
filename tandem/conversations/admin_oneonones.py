"""Admin of one-on-one series and meetings (metadata only)."""
