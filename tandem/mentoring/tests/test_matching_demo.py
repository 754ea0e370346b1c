"""The demo's mentoring program: settings, the questionnaire answered by mentors and
mentees, a published match with the demo participant mentored by the demo mentor."""

import pytest

from tandem.mentoring.models import MatchRun, Mentee, Mentor, Relationship
from tandem.people.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_matched_mentoring_program():
    summary = load_demo(size=300, seed=7)
    line = next(extra for extra in summary.extras if extra.startswith("Mentoring:"))
    assert "matched and published" in line
    run = MatchRun.objects.get()
    assert run.published_at is not None and run.stats["certified"]
    assert Mentor.objects.filter(answered_at__isnull=False).count() >= 20
    assert Mentee.objects.filter(intent_stated_at__isnull=False).count() >= 40
    assert run.unmatched.filter(reason="no_intent").exists()
    pair = Relationship.objects.get(mentee__user__username="participant")
    assert pair.mentor.user.username == "mentor"
    assert Relationship.objects.filter(program=run.program).count() == run.proposals.count()
