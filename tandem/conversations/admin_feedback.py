"""Admin of feedback (metadata only: who, to whom, kind, when)."""
