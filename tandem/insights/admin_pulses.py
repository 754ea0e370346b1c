"""Admin of pulses (settings, pulses, invitation counts)."""
