"""Training's models: the course half (courses, objectives, sessions, seats and the
waitlist, attendance, reaction surveys, knowledge checks) and the reinforcement half
(FSRS cards per learner and objective, burst reviews, practice logs, escalations)."""

from tandem.training.models.courses import *  # noqa: F403
from tandem.training.models.reinforcement import *  # noqa: F403
