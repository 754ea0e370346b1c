"""Training's pages (the course half): courses, sessions and seats, attendance,
knowledge checks and the reaction survey. Routes sit next to their views."""
