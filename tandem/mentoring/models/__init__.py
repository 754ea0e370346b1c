"""Mentoring's models: the matching half (program settings, questionnaires, answers
and intent, match runs and proposals) and the relationships half."""

from tandem.mentoring.models.matching import *  # noqa: F403
from tandem.mentoring.models.relationships import *  # noqa: F403
