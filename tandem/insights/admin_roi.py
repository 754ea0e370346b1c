"""Admin of ROI inputs (salary bands, impact settings, benefit lines, intangibles)."""
