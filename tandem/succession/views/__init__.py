"""Succession's pages (the talent-review half): reviews, rating, calibration, the 9-box,
placement history and box labels. Routes sit next to their views."""
